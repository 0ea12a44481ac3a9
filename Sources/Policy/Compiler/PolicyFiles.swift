#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads policy files and lists a policy directory with POSIX calls, so a
/// failure carries the errno text (`gatehouse check` prints it).
public enum PolicyFiles {
    /// Policy files larger than this are refused.
    public static let maxBytes = 4 << 20

    /// The bytes of the file at `path`, or the reason it cannot be read.
    public static func read(path: String) -> Result<[UInt8], PolicyFileError> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { return .failure(PolicyFileError(errnoText())) }
        defer { close(fd) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(PolicyFileError(errnoText()))
            }
            if n == 0 { return .success(result) }
            result.append(contentsOf: chunk[0..<n])
            if result.count > maxBytes { return .failure(PolicyFileError("file is larger than \(maxBytes >> 20) MiB")) }
        }
    }

    /// The `*.json` files directly in `directory`, sorted by name (the
    /// order their rules are evaluated in), as `directory/name` paths.
    public static func list(directory: String) -> Result<[String], PolicyFileError> {
        guard let dir = opendir(directory) else { return .failure(PolicyFileError(errnoText())) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name.hasSuffix(".json"), !name.hasPrefix(".") { names.append(name) }
        }
        let base = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        return .success(names.sorted().map { "\(base)/\($0)" })
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}

/// Why a policy file or directory could not be read (the errno text).
public struct PolicyFileError: Error, Sendable, Hashable {
    public var message: String
    public init(_ message: String) { self.message = message }
}
