#if canImport(Glibc)
import Glibc
#endif

/// One blocking TCP connection for `sessions replay`, with a deadline on
/// every operation (poll before each read and write).
final class ReplaySocket {
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var closed = false

    private init(fd: Int32) { self.fd = fd }

    /// Resolves `host` (a name, an IPv4 literal or an IPv6 literal without
    /// brackets) and connects to the first address that answers.
    static func connect(host: String, port: Int, deadline: Int64) throws(ReplayError) -> ReplaySocket {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let first = list else {
            throw ReplayError("cannot resolve \(host): \(String(cString: gai_strerror(rc)))")
        }
        defer { freeaddrinfo(first) }
        var lastError = "no address"
        var next: UnsafeMutablePointer<addrinfo>? = first
        while let ai = next {
            next = ai.pointee.ai_next
            let fd = socket(ai.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            if fd < 0 { lastError = Self.errnoText(); continue }
            let flags = fcntl(fd, F_GETFL)
            _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
            if Glibc.connect(fd, ai.pointee.ai_addr, ai.pointee.ai_addrlen) == 0 || errno == EINPROGRESS {
                do {
                    try Self.wait(fd: fd, for: Int16(POLLOUT), deadline: deadline, doing: "connecting")
                    var err: Int32 = 0
                    var len = socklen_t(MemoryLayout<Int32>.size)
                    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len)
                    if err == 0 {
                        var one: Int32 = 1
                        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                        return ReplaySocket(fd: fd)
                    }
                    lastError = String(cString: strerror(err))
                } catch {
                    Glibc.close(fd)
                    throw error
                }
            } else {
                lastError = Self.errnoText()
            }
            Glibc.close(fd)
        }
        throw ReplayError("cannot connect to \(host):\(port): \(lastError)")
    }

    func sendAll(_ bytes: [UInt8], deadline: Int64) throws(ReplayError) {
        var off = 0
        while off < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + off, $0.count - off, Int32(MSG_NOSIGNAL)) }
            if n > 0 {
                off += n
            } else if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                try Self.wait(fd: fd, for: Int16(POLLOUT), deadline: deadline, doing: "sending the request")
            } else if n < 0 && errno == EINTR {
                continue
            } else {
                throw ReplayError("sending the request failed: \(Self.errnoText())")
            }
        }
    }

    /// Up to `max` bytes; empty at end of stream.
    func read(upTo max: Int, deadline: Int64) throws(ReplayError) -> [UInt8] {
        if !buffer.isEmpty {
            let n = Swift.min(max, buffer.count)
            defer { buffer.removeFirst(n) }
            return Array(buffer[..<n])
        }
        var tmp = [UInt8](repeating: 0, count: Swift.max(max, 1))
        while true {
            let n = tmp.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n >= 0 { return Array(tmp[..<n]) }
            if errno == EINTR { continue }
            guard errno == EAGAIN || errno == EWOULDBLOCK else {
                throw ReplayError("reading the response failed: \(Self.errnoText())")
            }
            try Self.wait(fd: fd, for: Int16(POLLIN), deadline: deadline, doing: "waiting for the response")
        }
    }

    /// The response head, up to but without the blank line.
    func readHead(deadline: Int64) throws(ReplayError) -> [UInt8] {
        var head: [UInt8] = []
        while true {
            let line = try readLine(deadline: deadline)
            if line.isEmpty { return head }
            if !head.isEmpty { head += [0x0D, 0x0A] }
            head += line
            if head.count > 1 << 20 { throw ReplayError("response head larger than 1 MiB") }
        }
    }

    /// One line without its CRLF (or bare LF).
    func readLine(deadline: Int64) throws(ReplayError) -> [UInt8] {
        var line: [UInt8] = []
        while true {
            if let lf = buffer.firstIndex(of: 0x0A) {
                line += buffer[..<lf]
                buffer.removeFirst(lf + 1)
                if line.last == 0x0D { line.removeLast() }
                return line
            }
            line += buffer
            buffer.removeAll()
            if line.count > 1 << 20 { throw ReplayError("response line longer than 1 MiB") }
            let more = try read(upTo: 65536, deadline: deadline)
            if more.isEmpty { throw ReplayError("connection closed before the response was complete") }
            buffer = more
        }
    }

    func close() {
        guard !closed else { return }
        closed = true
        Glibc.close(fd)
    }

    deinit { close() }

    private static func wait(fd: Int32, for events: Int16, deadline: Int64, doing what: String) throws(ReplayError) {
        while true {
            let left = deadline - ReplayClient.nowMs()
            if left <= 0 { throw ReplayError("timed out \(what)") }
            var pfd = pollfd(fd: fd, events: events, revents: 0)
            let rc = poll(&pfd, 1, Int32(Swift.min(left, Int64(Int32.max))))
            if rc > 0 { return }
            if rc == 0 { throw ReplayError("timed out \(what)") }
            if errno != EINTR { throw ReplayError("poll failed: \(errnoText())") }
        }
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}
