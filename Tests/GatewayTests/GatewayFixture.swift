#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest
import Gateway
import GatewayConfig
import GatehouseTestSupport
import Policy

/// One in-process gateway in front of one stub upstream, on ephemeral
/// loopback ports. `stop()` drains it; tests call it in a `defer`.
final class GatewayFixture {
    let server: GatewayServer
    let upstream: StubUpstream?
    let port: Int

    /// Builds a config with one catch-all route to `127.0.0.1:upstreamPort`.
    /// `limits` and `timeouts` apply globally and to the route.
    static func config(upstreamPort: Int, loops: Int = 1, limits: LimitsConfig = LimitsConfig(),
                       timeouts: TimeoutsConfig = TimeoutsConfig(), requestID: RequestIDConfig = RequestIDConfig(),
                       forwarded: ForwardedConfig = ForwardedConfig()) -> GatehouseConfig {
        let route = RouteConfig(name: "test", upstream: UpstreamURL(host: "127.0.0.1", port: upstreamPort),
                                limits: limits, timeouts: timeouts)
        return GatehouseConfig(loops: loops,
                               listeners: [ListenerConfig(name: "test", address: "127.0.0.1", port: 0)],
                               limits: limits, timeouts: timeouts, requestID: requestID, forwarded: forwarded,
                               routes: [route], accessLog: false)
    }

    init(upstream: StubUpstream?, upstreamPort: Int? = nil, loops: Int = 1, limits: LimitsConfig = LimitsConfig(),
         timeouts: TimeoutsConfig = TimeoutsConfig(), requestID: RequestIDConfig = RequestIDConfig(),
         forwarded: ForwardedConfig = ForwardedConfig(), stages: [any RequestStage] = []) throws {
        self.upstream = upstream
        let cfg = Self.config(upstreamPort: upstreamPort ?? upstream!.port, loops: loops, limits: limits,
                              timeouts: timeouts, requestID: requestID, forwarded: forwarded)
        server = try GatewayServer(config: cfg, stages: stages)
        try server.start()
        port = server.listenAddresses[0].port
    }

    /// Convenience: a fresh stub upstream with `handler`.
    convenience init(handler: @escaping StubUpstream.Handler = StubUpstream.echo, discardBodies: Bool = false,
                     loops: Int = 1, limits: LimitsConfig = LimitsConfig(), timeouts: TimeoutsConfig = TimeoutsConfig(),
                     requestID: RequestIDConfig = RequestIDConfig(), forwarded: ForwardedConfig = ForwardedConfig(),
                     stages: [any RequestStage] = []) throws {
        let stub = try StubUpstream(discardBodies: discardBodies, handler: handler)
        try self.init(upstream: stub, loops: loops, limits: limits, timeouts: timeouts, requestID: requestID,
                      forwarded: forwarded, stages: stages)
    }

    func connect(timeoutSeconds: Int = 10) throws -> BlockingSocket {
        try BlockingSocket.connect(port: port, timeoutSeconds: timeoutSeconds)
    }

    /// Sends `raw` on a new connection and reads one response.
    func exchange(_ raw: String, timeoutSeconds: Int = 10) throws -> TestMessage? {
        let s = try connect(timeoutSeconds: timeoutSeconds)
        defer { s.close() }
        try s.send(raw)
        return try TestHTTP.read(from: s, isResponse: true)
    }

    func stop() {
        server.drain()
        server.waitUntilStopped()
        upstream?.stop()
    }
}

// MARK: helpers

/// A simple GET with a Host header.
func get(_ path: String, host: String = "example.test", extra: String = "") -> String {
    "GET \(path) HTTP/1.1\r\nHost: \(host)\r\n\(extra)\r\n"
}

/// The gateway's JSON error envelope, parsed with Foundation (independent of the gateway's writer).
struct ErrorEnvelope {
    var code: String
    var message: String
    var requestID: String
}

func parseError(_ msg: TestMessage?, file: StaticString = #filePath, line: UInt = #line) -> ErrorEnvelope? {
    guard let msg else { XCTFail("no response", file: file, line: line); return nil }
    XCTAssertEqual(msg.header("content-type"), "application/json", file: file, line: line)
    guard let obj = try? JSONSerialization.jsonObject(with: Data(msg.body)) as? [String: Any],
          let err = obj["error"] as? [String: Any],
          let code = err["code"] as? String, let message = err["message"] as? String,
          let rid = err["request_id"] as? String
    else {
        XCTFail("not a JSON error envelope: \(msg.bodyString)", file: file, line: line)
        return nil
    }
    XCTAssertEqual(obj.count, 1, "envelope has only 'error'", file: file, line: line)
    return ErrorEnvelope(code: code, message: message, requestID: rid)
}

/// Asserts `msg` is a local JSON error with `status` and `code`, whose body
/// request_id matches the X-Request-Id header and is non-empty.
@discardableResult
func assertError(_ msg: TestMessage?, status: Int, code: String,
                 file: StaticString = #filePath, line: UInt = #line) -> ErrorEnvelope? {
    XCTAssertEqual(msg?.status, status, "status (body: \(msg?.bodyString ?? "-"))", file: file, line: line)
    guard let env = parseError(msg, file: file, line: line) else { return nil }
    XCTAssertEqual(env.code, code, file: file, line: line)
    XCTAssertFalse(env.message.isEmpty, file: file, line: line)
    XCTAssertFalse(env.requestID.isEmpty, file: file, line: line)
    XCTAssertEqual(msg?.header("x-request-id"), env.requestID, file: file, line: line)
    return env
}

/// Whether the peer closed the connection (EOF or reset) within the socket's timeout.
func peerClosed(_ s: BlockingSocket) -> Bool {
    for _ in 0..<100 {
        do {
            let b = try s.readSome()
            if b.isEmpty { return true }
        } catch let e as TestIOError {
            return e.errno == ECONNRESET || e.errno == EPIPE
        } catch { return false }
    }
    return false
}

/// Polls `condition` every 5 ms for up to `seconds`.
func waitUntil(_ seconds: Double = 5, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        usleep(5_000)
    }
    return condition()
}

/// A loopback port nothing listens on: bound, then closed.
func closedPort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = 0
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    _ = withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
    }
    close(fd)
    return Int(UInt16(bigEndian: addr.sin_port))
}

/// Resident set size of this process, from /proc/self/status (bytes).
func residentBytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        let digits = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).compactMap { Int($0) }
        return (digits.first ?? 0) * 1024
    }
    return 0
}

/// Samples RSS on a background thread until stopped; reports the peak.
final class RSSSampler: @unchecked Sendable {
    private let lock = NSLock()
    private var peak = 0
    private var running = true
    private let done = DispatchSemaphore(value: 0)

    init() {
        peak = residentBytes()
        Thread.detachNewThread { [self] in
            while true {
                let r = residentBytes()
                let keepGoing: Bool = lock.withLock {
                    peak = max(peak, r)
                    return running
                }
                if !keepGoing { break }
                usleep(20_000)
            }
            done.signal()
        }
    }

    func stop() -> Int {
        lock.withLock { running = false }
        _ = done.wait(timeout: .now() + 2)
        return lock.withLock { peak }
    }
}

/// Runs `body` on a new thread; `join()` waits (bounded) for it and rethrows its error.
final class Worker: @unchecked Sendable {
    private let sem = DispatchSemaphore(value: 0)
    private var error: Error?
    init(_ body: @escaping @Sendable () throws -> Void) {
        Thread.detachNewThread { [self] in
            do { try body() } catch { self.error = error }
            sem.signal()
        }
    }
    func join(seconds: Double = 60) throws {
        guard sem.wait(timeout: .now() + seconds) == .success else { throw TestIOError("worker timed out", 0) }
        if let error { throw error }
    }
}
