#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization

/// A scriptable upstream HTTP server for tests: one thread per connection,
/// blocking sockets with timeouts, bound to 127.0.0.1 on an ephemeral port.
/// Each request is handed to `handler` with its connection so a test can
/// answer normally, stall, reset mid-response, or send two responses.
public final class StubUpstream: @unchecked Sendable {
    public typealias Handler = @Sendable (_ request: TestMessage, _ conn: StubConnection) throws -> Void

    public let port: Int
    private let listenFD: Int32
    private let handler: Handler
    private let stopped = Atomic<Bool>(false)
    private let recorded = Mutex<[TestMessage]>([])
    private let connections = Atomic<Int>(0)
    /// When true, request bodies are counted, not stored (for huge uploads).
    public let discardBodies: Bool
    private let bodyBytes = AtomicCounter()

    public init(discardBodies: Bool = false, handler: @escaping Handler = StubUpstream.echo) throws {
        self.handler = handler
        self.discardBodies = discardBodies
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0, listen(fd, 1024) == 0 else { throw TestIOError("bind/listen", errno) }
        var bound = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &bound) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        port = Int(UInt16(bigEndian: bound.sin_port))
        listenFD = fd
        let me = self
        Thread.detachNewThread { me.acceptLoop() }
    }

    /// Requests received so far, in arrival order.
    public var requests: [TestMessage] { recorded.withLock { $0 } }
    /// Connections accepted so far.
    public var connectionCount: Int { connections.load(ordering: .relaxed) }
    /// Body bytes received (when discarding bodies).
    public var receivedBodyBytes: Int { bodyBytes.value }

    public func stop() {
        stopped.store(true, ordering: .relaxed)
        shutdown(listenFD, Int32(SHUT_RDWR))
        Glibc.close(listenFD)
    }

    deinit { if !stopped.load(ordering: .relaxed) { stop() } }

    private func acceptLoop() {
        while !stopped.load(ordering: .relaxed) {
            let cfd = accept(listenFD, nil, nil)
            if cfd < 0 {
                if errno == EINTR { continue }
                return
            }
            connections.wrappingAdd(1, ordering: .relaxed)
            let me = self
            Thread.detachNewThread { me.serve(BlockingSocket(fd: cfd, timeoutSeconds: 30)) }
        }
    }

    private func serve(_ sock: BlockingSocket) {
        let conn = StubConnection(sock: sock)
        defer { if !conn.closed { sock.close() } }
        for _ in 0..<100_000 {
            guard !conn.closed, !stopped.load(ordering: .relaxed) else { return }
            let counter = bodyBytes
            let discard = discardBodies
            guard let request = try? TestHTTP.read(from: sock, isResponse: false,
                                                   sink: discard ? { counter.add($0.count) } : nil)
            else { return }
            recorded.withLock { $0.append(request) }
            do { try handler(request, conn) } catch { return }
        }
    }

    /// Default handler: 200 with a small JSON body describing the request.
    public static let echo: Handler = { request, conn in
        let body = "{\"method\":\"\(request.method)\",\"target\":\"\(request.target)\",\"body_bytes\":\(request.body.count)}"
        try conn.respond(status: 200, headers: [("Content-Type", "application/json")], body: Array(body.utf8))
    }
}

/// The server side of one stub connection.
public final class StubConnection: @unchecked Sendable {
    public let sock: BlockingSocket
    public private(set) var closed = false
    init(sock: BlockingSocket) { self.sock = sock }

    public func respond(status: Int, reason: String = "OK", headers: [(String, String)] = [], body: [UInt8]) throws {
        var head = "HTTP/1.1 \(status) \(reason)\r\n"
        for (n, v) in headers { head += "\(n): \(v)\r\n" }
        head += "Content-Length: \(body.count)\r\n\r\n"
        try sock.send(Array(head.utf8) + body)
    }

    public func sendRaw(_ text: String) throws { try sock.send(text) }
    public func sendRaw(_ bytes: [UInt8]) throws { try sock.send(bytes) }

    public func close() { closed = true; sock.close() }
    /// Closes with RST.
    public func reset() { closed = true; sock.reset() }
}

/// A shareable atomic counter.
public final class AtomicCounter: Sendable {
    private let storage = Atomic<Int>(0)
    public init() {}
    public func add(_ n: Int) { storage.wrappingAdd(n, ordering: .relaxed) }
    public var value: Int { storage.load(ordering: .relaxed) }
}
