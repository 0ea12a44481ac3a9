#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a whole (small) file with POSIX calls so failures carry the errno text.
enum FileReader {
    /// Configuration files larger than this are refused.
    static let maxBytes = 16 << 20

    /// The file's bytes, or a message such as `No such file or directory`.
    static func readAll(path: String) -> Result<[UInt8], SyntaxProblem> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { return .failure(SyntaxProblem(errnoText())) }
        defer { close(fd) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { Self.systemRead(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(SyntaxProblem(errnoText()))
            }
            if count == 0 { return .success(result) }
            result.append(contentsOf: chunk[0..<count])
            if result.count > maxBytes {
                return .failure(SyntaxProblem("file is larger than \(maxBytes >> 20) MiB"))
            }
        }
    }

    private static func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
        read(fd, buffer, count)
    }

    private static func errnoText() -> String {
        String(cString: strerror(errno))
    }
}
