#if canImport(Glibc)
import Glibc
#endif
import GatehouseCore
import Reactor
import XCTest

/// Waits (bounded) for `events` on `fd`; returns the revents, or 0 on timeout.
@discardableResult
func waitFor(_ fd: Int32, _ events: Int16, ms: Int32 = 5_000) -> Int16 {
    var p = pollfd(fd: fd, events: events, revents: 0)
    var rc: Int32
    repeat { rc = poll(&p, 1, ms) } while rc < 0 && errno == EINTR
    return rc > 0 ? p.revents : 0
}

final class SocketTests: XCTestCase {
    private var fds: [Int32] = []

    override func tearDown() {
        fds.forEach(Socket.close)
        fds = []
        super.tearDown()
    }

    private func track(_ fd: Int32) -> Int32 { fds.append(fd); return fd }

    private func loopbackListener(file: StaticString = #filePath, line: UInt = #line) throws -> (Int32, SocketAddress) {
        let addr = try XCTUnwrap(SocketAddress(ip: "127.0.0.1", port: 0))
        let fd = track(try Socket.listen(on: addr, reusePort: false))
        let bound = try Socket.localAddress(fd)
        return (fd, bound)
    }

    /// Connects a client to `address` and accepts it on `listener`.
    private func connectedPair(_ listener: Int32, _ address: SocketAddress,
                               file: StaticString = #filePath, line: UInt = #line) throws -> (client: Int32, server: Int32) {
        let (client, connected) = try Socket.connect(to: address)
        _ = track(client)
        if !connected {
            XCTAssertNotEqual(waitFor(client, Int16(POLLOUT)) & Int16(POLLOUT), 0, "connect never completed", file: file, line: line)
        }
        XCTAssertEqual(Socket.pendingError(client), 0, file: file, line: line)
        XCTAssertNotEqual(waitFor(listener, Int16(POLLIN)), 0, "nothing to accept", file: file, line: line)
        let accepted = try XCTUnwrap(try Socket.accept(listener), file: file, line: line)
        _ = track(accepted.0)
        XCTAssertEqual(accepted.1.ipString, "127.0.0.1", file: file, line: line)
        return (client, accepted.0)
    }

    private func assertNonblockingCloexec(_ fd: Int32, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNotEqual(fcntl(fd, F_GETFL) & O_NONBLOCK, 0, "fd \(fd) is blocking", file: file, line: line)
        XCTAssertNotEqual(fcntl(fd, F_GETFD) & FD_CLOEXEC, 0, "fd \(fd) lacks close-on-exec", file: file, line: line)
    }

    private func read(_ fd: Int32, max: Int = 4096) -> (IOResult, [UInt8]) {
        var buf = [UInt8](repeating: 0, count: max)
        let r = buf.withUnsafeMutableBytes { Socket.read(fd, into: $0) }
        if case .bytes(let n) = r { return (r, Array(buf[..<n])) }
        return (r, [])
    }

    private func write(_ fd: Int32, _ bytes: [UInt8]) -> IOResult {
        bytes.withUnsafeBytes { Socket.write(fd, $0) }
    }

    func testListenOnEphemeralPort() throws {
        let (fd, bound) = try loopbackListener()
        XCTAssertEqual(bound.family, AF_INET)
        XCTAssertGreaterThan(bound.port, 0, "localAddress must report the kernel-chosen port")
        XCTAssertEqual(bound.ipString, "127.0.0.1")
        XCTAssertEqual(bound.description, "127.0.0.1:\(bound.port)")
        assertNonblockingCloexec(fd)
    }

    func testAcceptWithNothingPendingReturnsNil() throws {
        let (fd, _) = try loopbackListener()
        XCTAssertNil(try Socket.accept(fd))
    }

    func testAcceptOnBadFDThrows() {
        XCTAssertThrowsError(try Socket.accept(-1)) { error in
            XCTAssertEqual((error as? SystemError)?.syscall, "accept4")
            XCTAssertEqual((error as? SystemError)?.errno, EBADF)
        }
    }

    func testConnectAcceptReadWrite() throws {
        let (listener, address) = try loopbackListener()
        let (client, server) = try connectedPair(listener, address)
        assertNonblockingCloexec(client)
        assertNonblockingCloexec(server)
        XCTAssertEqual(try Socket.localAddress(server).port, address.port)

        // Nothing sent yet: reads would block.
        XCTAssertEqual(read(server).0, .wouldBlock)
        XCTAssertEqual(read(client).0, .wouldBlock)

        XCTAssertEqual(write(client, Array("hello".utf8)), .bytes(5))
        XCTAssertNotEqual(waitFor(server, Int16(POLLIN)), 0)
        let (r, data) = read(server)
        XCTAssertEqual(r, .bytes(5))
        XCTAssertEqual(data, Array("hello".utf8))
        XCTAssertEqual(read(server).0, .wouldBlock)

        XCTAssertEqual(write(server, Array("back".utf8)), .bytes(4))
        XCTAssertNotEqual(waitFor(client, Int16(POLLIN)), 0)
        XCTAssertEqual(read(client).1, Array("back".utf8))

        // Half-close: the server sees EOF but can still write back.
        Socket.shutdownWrite(client)
        XCTAssertNotEqual(waitFor(server, Int16(POLLIN)), 0)
        XCTAssertEqual(read(server).0, .eof)
        XCTAssertEqual(write(server, [1, 2, 3]), .bytes(3))
        XCTAssertNotEqual(waitFor(client, Int16(POLLIN)), 0)
        XCTAssertEqual(read(client).1, [1, 2, 3])
    }

    func testWriteUntilWouldBlock() throws {
        let (listener, address) = try loopbackListener()
        let (client, server) = try connectedPair(listener, address)
        var small: Int32 = 4096
        setsockopt(client, SOL_SOCKET, SO_SNDBUF, &small, socklen_t(MemoryLayout<Int32>.size))
        setsockopt(server, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
        let chunk = [UInt8](repeating: 0x5A, count: 64 * 1024)
        var total = 0
        var sawWouldBlock = false
        for _ in 0..<5_000 {           // at most ~320 MiB: far above any socket buffer
            let r = write(client, chunk)
            if case .bytes(let n) = r { total += n; continue }
            XCTAssertEqual(r, .wouldBlock)
            sawWouldBlock = true
            break
        }
        XCTAssertTrue(sawWouldBlock, "a nonblocking write never reported wouldBlock")
        XCTAssertGreaterThan(total, 0)

        // Drain: every byte written arrives.
        var received = 0
        for _ in 0..<100_000 where received < total {
            let (r, data) = read(server, max: 64 * 1024)
            switch r {
            case .bytes: received += data.count
            case .wouldBlock: waitFor(server, Int16(POLLIN), ms: 1_000)
            default: XCTFail("unexpected \(r)"); return
            }
        }
        XCTAssertEqual(received, total)
    }

    func testEOFAfterPeerCloses() throws {
        let (listener, address) = try loopbackListener()
        let (client, server) = try connectedPair(listener, address)
        XCTAssertEqual(write(client, [7]), .bytes(1))
        Socket.close(client)
        fds.removeAll { $0 == client }
        XCTAssertNotEqual(waitFor(server, Int16(POLLIN)), 0)
        XCTAssertEqual(read(server).1, [7], "data sent before close is still delivered")
        XCTAssertEqual(read(server).0, .eof)
        XCTAssertEqual(read(server).0, .eof, "EOF is sticky")
    }

    func testLingerZeroResetsPeer() throws {
        let (listener, address) = try loopbackListener()
        let (client, server) = try connectedPair(listener, address)
        Socket.setLingerZero(server)
        var l = linger()
        var len = socklen_t(MemoryLayout<linger>.size)
        XCTAssertEqual(getsockopt(server, SOL_SOCKET, SO_LINGER, &l, &len), 0)
        XCTAssertEqual(l.l_onoff, 1)
        XCTAssertEqual(l.l_linger, 0)
        Socket.close(server)
        fds.removeAll { $0 == server }
        XCTAssertNotEqual(waitFor(client, Int16(POLLIN)), 0, "the reset never arrived")
        XCTAssertEqual(read(client).0, .failed(ECONNRESET), "linger-zero close must reset, not FIN")
    }

    func testPlainCloseSendsFINNotReset() throws {
        let (listener, address) = try loopbackListener()
        let (client, server) = try connectedPair(listener, address)
        Socket.close(server)
        fds.removeAll { $0 == server }
        XCTAssertNotEqual(waitFor(client, Int16(POLLIN)), 0)
        XCTAssertEqual(read(client).0, .eof)
    }

    func testWriteAfterResetFails() throws {
        let (listener, address) = try loopbackListener()
        let (client, server) = try connectedPair(listener, address)
        Socket.setLingerZero(server)
        Socket.close(server)
        fds.removeAll { $0 == server }
        waitFor(client, Int16(POLLIN))
        // Must fail (EPIPE/ECONNRESET) without raising SIGPIPE (MSG_NOSIGNAL).
        var sawFailure = false
        for _ in 0..<10 {
            if case .failed(let e) = write(client, [1, 2, 3]) {
                XCTAssertTrue(e == EPIPE || e == ECONNRESET, "errno \(e)")
                sawFailure = true
                break
            }
            usleep(10_000)
        }
        XCTAssertTrue(sawFailure)
    }

    func testNoDelayIsSetOnConnect() throws {
        let (listener, address) = try loopbackListener()
        let (client, server) = try connectedPair(listener, address)
        var v: Int32 = 0
        var len = socklen_t(MemoryLayout<Int32>.size)
        XCTAssertEqual(getsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &v, &len), 0)
        XCTAssertNotEqual(v, 0)
        Socket.setNoDelay(server)
        XCTAssertEqual(getsockopt(server, Int32(IPPROTO_TCP), TCP_NODELAY, &v, &len), 0)
        XCTAssertNotEqual(v, 0)
    }

    func testConnectToClosedPortIsRefused() throws {
        let (listener, address) = try loopbackListener()
        Socket.close(listener)
        fds.removeAll { $0 == listener }
        do {
            let (fd, connected) = try Socket.connect(to: address)
            _ = track(fd)
            XCTAssertFalse(connected)
            XCTAssertNotEqual(waitFor(fd, Int16(POLLOUT)), 0)
            XCTAssertEqual(Socket.pendingError(fd), ECONNREFUSED)
        } catch {
            XCTAssertEqual(error.syscall, "connect")
            XCTAssertEqual(error.errno, ECONNREFUSED)
        }
    }

    func testBindConflictThrowsUnlessReusePort() throws {
        let (_, address) = try loopbackListener()
        XCTAssertThrowsError(try Socket.listen(on: address, reusePort: false)) { error in
            let e = error as? SystemError
            XCTAssertEqual(e?.syscall, "bind")
            XCTAssertEqual(e?.errno, EADDRINUSE)
            XCTAssertEqual(e?.note, address.description)
        }
        // With SO_REUSEPORT on every socket, several listeners share a port.
        let shared = try XCTUnwrap(SocketAddress(ip: "127.0.0.1", port: 0))
        let first = track(try Socket.listen(on: shared, reusePort: true))
        let port = try Socket.localAddress(first).port
        let again = try XCTUnwrap(SocketAddress(ip: "127.0.0.1", port: port))
        let second = track(try Socket.listen(on: again, reusePort: true))
        XCTAssertEqual(try Socket.localAddress(second).port, port)
    }

    func testIPv6LoopbackIfAvailable() throws {
        let addr = try XCTUnwrap(SocketAddress(ip: "::1", port: 0))
        let listener: Int32
        do {
            listener = track(try Socket.listen(on: addr, reusePort: false))
        } catch {
            throw XCTSkip("no IPv6 loopback here: \(error)")
        }
        let bound = try Socket.localAddress(listener)
        XCTAssertEqual(bound.family, AF_INET6)
        XCTAssertEqual(bound.description, "[::1]:\(bound.port)")
        let (client, connected) = try Socket.connect(to: bound)
        _ = track(client)
        if !connected { waitFor(client, Int16(POLLOUT)) }
        XCTAssertEqual(Socket.pendingError(client), 0)
        waitFor(listener, Int16(POLLIN))
        let accepted = try XCTUnwrap(try Socket.accept(listener))
        _ = track(accepted.0)
        XCTAssertEqual(accepted.1.ipString, "::1")
    }
}
