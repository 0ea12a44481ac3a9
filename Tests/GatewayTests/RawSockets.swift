#if canImport(Glibc)
import Glibc
#endif
import Foundation
import GatehouseTestSupport

/// A loopback listener the test thread drives by hand, to see exactly the
/// bytes the gateway sends upstream (StubUpstream parses them away).
/// `backlog: 0` plus `fillBacklog()` makes a listener that never completes
/// new connections (for the connect-timeout test).
final class RawListener {
    let fd: Int32
    let port: Int
    private var fillers: [Int32] = []

    init(backlog: Int32 = 16) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0, listen(fd, backlog) == 0 else { throw TestIOError("bind/listen", errno) }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        port = Int(UInt16(bigEndian: addr.sin_port))
    }

    /// Accepts one connection, waiting at most `timeoutMs`.
    func accept(timeoutMs: Int32 = 5000) throws -> BlockingSocket {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&p, 1, timeoutMs) == 1 else { throw TestIOError("accept timed out", ETIMEDOUT) }
        let c = Glibc.accept(fd, nil, nil)
        guard c >= 0 else { throw TestIOError("accept", errno) }
        return BlockingSocket(fd: c, timeoutSeconds: 10)
    }

    /// Connects nonblocking sockets until one stays pending, i.e. the accept
    /// queue is full and further SYNs are dropped. Returns false if that
    /// state was not reached.
    func fillBacklog() -> Bool {
        for _ in 0..<8 {
            let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_port = in_port_t(UInt16(port).bigEndian)
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            _ = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            fillers.append(s)
            var p = pollfd(fd: s, events: Int16(POLLOUT), revents: 0)
            if poll(&p, 1, 200) == 0 { return true }  // still connecting after 200 ms: queue is full
        }
        return false
    }

    func close() {
        for f in fillers { Glibc.close(f) }
        fillers.removeAll()
        Glibc.close(fd)
    }
}

/// Whether `s` has bytes (or EOF) to read within `ms` milliseconds.
func readable(_ s: BlockingSocket, withinMs ms: Int32) -> Bool {
    var p = pollfd(fd: s.fd, events: Int16(POLLIN), revents: 0)
    return poll(&p, 1, ms) == 1
}

/// Reads raw bytes until they end with `suffix` (or EOF / `limit`).
func readUntil(_ s: BlockingSocket, suffix: String, limit: Int = 1 << 20) throws -> [UInt8] {
    let tail = Array(suffix.utf8)
    var out: [UInt8] = []
    while out.count < limit {
        let b = try s.readSome()
        if b.isEmpty { break }
        out += b
        if out.count >= tail.count && Array(out.suffix(tail.count)) == tail { break }
    }
    return out
}

/// Splits raw bytes at the end of the head.
func splitHead(_ bytes: [UInt8]) -> (head: String, rest: [UInt8])? {
    guard bytes.count >= 4 else { return nil }
    for i in 0...(bytes.count - 4) where bytes[i] == 13 && bytes[i + 1] == 10 && bytes[i + 2] == 13 && bytes[i + 3] == 10 {
        return (String(decoding: bytes[..<i], as: UTF8.self), Array(bytes[(i + 4)...]))
    }
    return nil
}

/// Decodes a chunked body strictly as the gateway must emit it: lower-case
/// hex sizes with no extensions, CRLF everywhere, last chunk with no
/// trailers. Returns nil on any deviation.
func strictDechunk(_ bytes: [UInt8]) -> [UInt8]? {
    var i = 0
    var out: [UInt8] = []
    func line() -> String? {
        var j = i
        while j + 1 < bytes.count {
            if bytes[j] == 13 && bytes[j + 1] == 10 {
                let s = String(decoding: bytes[i..<j], as: UTF8.self)
                i = j + 2
                return s
            }
            j += 1
        }
        return nil
    }
    while true {
        guard let sizeLine = line(), !sizeLine.isEmpty,
              sizeLine.allSatisfy({ "0123456789abcdef".contains($0) }),
              let size = Int(sizeLine, radix: 16) else { return nil }
        if size == 0 {
            guard let end = line(), end.isEmpty, i == bytes.count else { return nil }
            return out
        }
        guard i + size + 2 <= bytes.count else { return nil }
        out += bytes[i..<(i + size)]
        i += size
        guard bytes[i] == 13 && bytes[i + 1] == 10 else { return nil }
        i += 2
    }
}

/// Header lookup in a raw head text (case-insensitive name).
func headerValues(_ head: String, _ name: String) -> [String] {
    head.components(separatedBy: "\r\n").dropFirst().compactMap { l -> String? in
        guard let c = l.firstIndex(of: ":") else { return nil }
        guard l[..<c].lowercased() == name.lowercased() else { return nil }
        return l[l.index(after: c)...].trimmingCharacters(in: .whitespaces)
    }
}
