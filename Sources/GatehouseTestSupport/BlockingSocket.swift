#if canImport(Glibc)
import Glibc
#endif

/// A blocking TCP socket for tests, with receive/send timeouts so that no
/// test can hang forever. Loopback only.
public final class BlockingSocket: @unchecked Sendable {
    public let fd: Int32
    private var buffer: [UInt8] = []

    public init(fd: Int32, timeoutSeconds: Int = 10) {
        self.fd = fd
        var tv = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Connects to 127.0.0.1:`port`.
    public static func connect(port: Int, timeoutSeconds: Int = 10) throws -> BlockingSocket {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestIOError("socket", errno) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if rc != 0 {
            let e = errno
            Glibc.close(fd)
            throw TestIOError("connect", e)
        }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        return BlockingSocket(fd: fd, timeoutSeconds: timeoutSeconds)
    }

    public func send(_ text: String) throws { try send(Array(text.utf8)) }

    public func send(_ bytes: [UInt8]) throws {
        var off = 0
        while off < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + off, bytes.count - off, Int32(MSG_NOSIGNAL)) }
            if n <= 0 {
                if n < 0 && errno == EINTR { continue }
                throw TestIOError("send", errno)
            }
            off += n
        }
    }

    /// Reads some bytes; empty array at EOF. Throws on timeout or error.
    public func readSome(max: Int = 65536) throws -> [UInt8] {
        if !buffer.isEmpty {
            let n = Swift.min(max, buffer.count)
            let out = Array(buffer[0..<n])
            buffer.removeFirst(n)
            return out
        }
        var tmp = [UInt8](repeating: 0, count: max)
        while true {
            let n = tmp.withUnsafeMutableBytes { recv(fd, $0.baseAddress, max, 0) }
            if n > 0 { return Array(tmp[0..<n]) }
            if n == 0 { return [] }
            if errno == EINTR { continue }
            throw TestIOError("recv", errno)
        }
    }

    /// Puts bytes back to be returned by the next read.
    public func unread(_ bytes: [UInt8]) { buffer = bytes + buffer }

    /// Reads until `count` bytes or EOF.
    public func readExactly(_ count: Int) throws -> [UInt8] {
        var out: [UInt8] = []
        while out.count < count {
            let chunk = try readSome(max: min(65536, count - out.count))
            if chunk.isEmpty { break }
            out += chunk
        }
        return out
    }

    /// Reads up to and including the blank line ending a head.
    public func readHead() throws -> [UInt8] {
        var out: [UInt8] = []
        while true {
            let chunk = try readSome()
            if chunk.isEmpty { return out }
            out += chunk
            if let end = findHeadEnd(out) {
                unread(Array(out[end...]))
                return Array(out[..<end])
            }
            if out.count > 1 << 20 { throw TestIOError("head too large", 0) }
        }
    }

    /// Reads everything until the peer closes.
    public func readToEnd(limit: Int = 64 << 20) throws -> [UInt8] {
        var out: [UInt8] = []
        while out.count < limit {
            let chunk = try readSome()
            if chunk.isEmpty { break }
            out += chunk
        }
        return out
    }

    public func shutdownWrite() { shutdown(fd, Int32(SHUT_WR)) }

    /// Closes with RST (SO_LINGER 0).
    public func reset() {
        var l = linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, socklen_t(MemoryLayout<linger>.size))
        Glibc.close(fd)
    }

    public func close() { Glibc.close(fd) }
}

func findHeadEnd(_ bytes: [UInt8]) -> Int? {
    if bytes.count < 4 { return nil }
    for i in 0...(bytes.count - 4) where bytes[i] == 13 && bytes[i + 1] == 10 && bytes[i + 2] == 13 && bytes[i + 3] == 10 {
        return i + 4
    }
    return nil
}

public struct TestIOError: Error, CustomStringConvertible {
    public let call: String
    public let errno: Int32
    public init(_ call: String, _ errno: Int32) { self.call = call; self.errno = errno }
    public var description: String { "\(call) failed: errno \(errno)" }
}
