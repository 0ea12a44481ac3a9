#if canImport(Glibc)
import Glibc
#endif
import GatehouseCore

/// An IPv4 or IPv6 socket address held by value, so it can be resolved on
/// one thread and used on a loop thread.
public struct SocketAddress: Sendable, Equatable, CustomStringConvertible {
    public private(set) var storage: sockaddr_storage
    public private(set) var length: socklen_t

    public static func == (a: SocketAddress, b: SocketAddress) -> Bool {
        a.description == b.description
    }

    public init(storage: sockaddr_storage, length: socklen_t) {
        self.storage = storage
        self.length = length
    }

    /// Parses an IPv4 or IPv6 literal (no brackets). Returns nil for names
    /// and for ports outside 0...65535.
    public init?(ip: String, port: Int) {
        guard let port = UInt16(exactly: port) else { return nil }
        var st = sockaddr_storage()
        if ip.contains(":") {
            var a6 = sockaddr_in6()
            a6.sin6_family = sa_family_t(AF_INET6)
            a6.sin6_port = in_port_t(port.bigEndian)
            guard inet_pton(AF_INET6, ip, &a6.sin6_addr) == 1 else { return nil }
            withUnsafeMutableBytes(of: &st) { dst in withUnsafeBytes(of: a6) { dst.copyMemory(from: $0) } }
            self.init(storage: st, length: socklen_t(MemoryLayout<sockaddr_in6>.size))
        } else {
            var a4 = sockaddr_in()
            a4.sin_family = sa_family_t(AF_INET)
            a4.sin_port = in_port_t(port.bigEndian)
            guard inet_pton(AF_INET, ip, &a4.sin_addr) == 1 else { return nil }
            withUnsafeMutableBytes(of: &st) { dst in withUnsafeBytes(of: a4) { dst.copyMemory(from: $0) } }
            self.init(storage: st, length: socklen_t(MemoryLayout<sockaddr_in>.size))
        }
    }

    public var family: Int32 { Int32(storage.ss_family) }

    /// The port in host byte order.
    public var port: Int {
        var st = storage
        return withUnsafeBytes(of: &st) { raw in
            if family == AF_INET6 {
                return Int(UInt16(bigEndian: raw.load(as: sockaddr_in6.self).sin6_port))
            }
            return Int(UInt16(bigEndian: raw.load(as: sockaddr_in.self).sin_port))
        }
    }

    /// The address without the port: `127.0.0.1` or `::1`.
    public var ipString: String {
        var st = storage
        var buf = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        return withUnsafeBytes(of: &st) { raw -> String in
            if family == AF_INET6 {
                var a = raw.load(as: sockaddr_in6.self).sin6_addr
                inet_ntop(AF_INET6, &a, &buf, socklen_t(buf.count))
            } else {
                var a = raw.load(as: sockaddr_in.self).sin_addr
                inet_ntop(AF_INET, &a, &buf, socklen_t(buf.count))
            }
            let end = buf.firstIndex(of: 0) ?? buf.count
            return String(decoding: buf[..<end].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }

    /// `ip:port`, with brackets for IPv6.
    public var description: String {
        family == AF_INET6 ? "[\(ipString)]:\(port)" : "\(ipString):\(port)"
    }

    /// Calls `body` with a `sockaddr` pointer for bind/connect.
    public func withSockAddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws -> R) rethrows -> R {
        var st = storage
        return try withUnsafePointer(to: &st) { p in
            try p.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, length) }
        }
    }
}

/// Name resolution. `getaddrinfo` blocks, so this is called only at load
/// time and from the resolver thread, never on an event loop.
public enum Resolver {
    public static func resolve(host: String, port: Int) throws(SystemError) -> [SocketAddress] {
        guard (0...65535).contains(port) else {
            throw SystemError("getaddrinfo", errno: EINVAL, note: "\(host): port \(port) out of range")
        }
        if let literal = SocketAddress(ip: host, port: port) { return [literal] }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_family = AF_UNSPEC
        var result: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &result)
        if rc != 0 {
            let text = String(cString: gai_strerror(rc))
            throw SystemError("getaddrinfo", errno: rc, note: "\(host): \(text)")
        }
        defer { freeaddrinfo(result) }
        var out: [SocketAddress] = []
        var cursor = result
        while let ai = cursor {
            if let sa = ai.pointee.ai_addr, ai.pointee.ai_family == AF_INET || ai.pointee.ai_family == AF_INET6 {
                var st = sockaddr_storage()
                withUnsafeMutableBytes(of: &st) { dst in
                    dst.copyMemory(from: UnsafeRawBufferPointer(start: sa, count: Int(ai.pointee.ai_addrlen)))
                }
                let addr = SocketAddress(storage: st, length: ai.pointee.ai_addrlen)
                if !out.contains(addr) { out.append(addr) }
            }
            cursor = ai.pointee.ai_next
        }
        if out.isEmpty { throw SystemError("getaddrinfo", errno: EAI_NONAME, note: "\(host): no addresses") }
        return out
    }
}
