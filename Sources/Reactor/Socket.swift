#if canImport(Glibc)
import Glibc
#endif
import CLinuxShims
import GatehouseCore

/// The outcome of one nonblocking read or write.
public enum IOResult: Equatable {
    /// This many bytes moved (always > 0).
    case bytes(Int)
    /// The kernel would block: wait for readiness.
    case wouldBlock
    /// The peer closed its side (reads only).
    case eof
    /// The call failed; the connection is unusable.
    case failed(Int32)
}

/// Thin, allocation-free wrappers over the POSIX socket calls the loops use.
/// Every socket is nonblocking and close-on-exec from birth.
public enum Socket {
    /// Creates a listening socket bound to `address`, with SO_REUSEADDR and,
    /// when `reusePort` is set, SO_REUSEPORT so each loop can own a listener
    /// and the kernel spreads accepts across loops.
    public static func listen(on address: SocketAddress, reusePort: Bool, backlog: Int32 = 4096) throws(SystemError) -> Int32 {
        let fd = socket(address.family, GH_SOCK_STREAM | GH_SOCK_NONBLOCK | GH_SOCK_CLOEXEC, 0)
        if fd < 0 { throw SystemError("socket", note: address.description) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        if reusePort {
            setsockopt(fd, SOL_SOCKET, GH_SO_REUSEPORT, &one, socklen_t(MemoryLayout<Int32>.size))
        }
        let rc = address.withSockAddr { bind(fd, $0, $1) }
        if rc != 0 {
            let err = SystemError("bind", note: address.description)
            close(fd)
            throw err
        }
        if Glibc.listen(fd, backlog) != 0 {
            let err = SystemError("listen", note: address.description)
            close(fd)
            throw err
        }
        return fd
    }

    /// The address a socket is bound to (to learn an ephemeral port).
    public static func localAddress(_ fd: Int32) throws(SystemError) -> SocketAddress {
        var st = sockaddr_storage()
        var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let rc = withUnsafeMutablePointer(to: &st) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        if rc != 0 { throw SystemError("getsockname") }
        return SocketAddress(storage: st, length: len)
    }

    /// Accepts one connection, nonblocking and close-on-exec. Returns nil
    /// when there is nothing to accept (EAGAIN) and throws on other errors.
    public static func accept(_ listener: Int32) throws(SystemError) -> (Int32, SocketAddress)? {
        var st = sockaddr_storage()
        var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let fd = withUnsafeMutablePointer(to: &st) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                gh_accept4(listener, $0, &len)
            }
        }
        if fd < 0 {
            let e = errno
            if e == EAGAIN || e == EWOULDBLOCK || e == EINTR || e == ECONNABORTED { return nil }
            throw SystemError("accept4", errno: e)
        }
        return (fd, SocketAddress(storage: st, length: len))
    }

    /// Starts a nonblocking connect. Returns the fd and whether the
    /// connection completed at once (loopback sometimes does).
    public static func connect(to address: SocketAddress) throws(SystemError) -> (fd: Int32, connected: Bool) {
        let fd = socket(address.family, GH_SOCK_STREAM | GH_SOCK_NONBLOCK | GH_SOCK_CLOEXEC, 0)
        if fd < 0 { throw SystemError("socket", note: address.description) }
        setNoDelay(fd)
        let rc = address.withSockAddr { Glibc.connect(fd, $0, $1) }
        if rc == 0 { return (fd, true) }
        let e = errno
        if e == EINPROGRESS { return (fd, false) }
        close(fd)
        throw SystemError("connect", errno: e, note: address.description)
    }

    /// The result of a completed nonblocking connect (SO_ERROR): 0 if it succeeded.
    public static func pendingError(_ fd: Int32) -> Int32 {
        var err: Int32 = 0
        var len = socklen_t(MemoryLayout<Int32>.size)
        if getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 { return errno }
        return err
    }

    /// Disables Nagle: proxies forward small writes immediately.
    public static func setNoDelay(_ fd: Int32) {
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    /// Makes close() send RST instead of FIN, so the peer sees an abort.
    public static func setLingerZero(_ fd: Int32) {
        var l = linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, socklen_t(MemoryLayout<linger>.size))
    }

    @inline(__always)
    public static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> IOResult {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n > 0 { return .bytes(n) }
            if n == 0 { return .eof }
            let e = errno
            if e == EINTR { continue }
            if e == EAGAIN || e == EWOULDBLOCK { return .wouldBlock }
            return .failed(e)
        }
    }

    @inline(__always)
    public static func write(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) -> IOResult {
        while true {
            let n = send(fd, buffer.baseAddress, buffer.count, GH_MSG_NOSIGNAL)
            if n >= 0 { return n == 0 ? .wouldBlock : .bytes(n) }
            let e = errno
            if e == EINTR { continue }
            if e == EAGAIN || e == EWOULDBLOCK { return .wouldBlock }
            return .failed(e)
        }
    }

    /// Half-closes the write side (sends FIN) while still reading.
    public static func shutdownWrite(_ fd: Int32) { shutdown(fd, Int32(SHUT_WR)) }

    public static func close(_ fd: Int32) { _ = Glibc.close(fd) }
}
