import Foundation
import XCTest
import GatehouseTestSupport
import GatewayConfig

final class ConcurrencyLimitTests: XCTestCase {
    func testManyConcurrentClientsAllGet200() throws {
        let clients = 200, perClient = 5
        let gw = try GatewayFixture(loops: 2)
        defer { gw.stop() }
        let port = gw.port
        let ok = AtomicCounter()
        let connected = AtomicCounter()
        let go = DispatchSemaphore(value: 0)
        var workers: [Worker] = []
        for c in 0..<clients {
            workers.append(Worker {
                let s = try BlockingSocket.connect(port: port, timeoutSeconds: 30)
                defer { s.close() }
                connected.add(1)
                // Hold every connection open at once before the first request.
                guard go.wait(timeout: .now() + 30) == .success else { throw TestIOError("start timed out", 0) }
                for i in 0..<perClient {
                    try s.send(get("/c\(c)/r\(i)"))
                    guard let r = try TestHTTP.read(from: s, isResponse: true) else { throw TestIOError("eof", 0) }
                    if r.status == 200 && r.complete && r.bodyString.contains("/c\(c)/r\(i)\"") { ok.add(1) }
                }
            })
        }
        XCTAssertTrue(waitUntil(30) { connected.value == clients }, "connected \(connected.value)")
        XCTAssertTrue(waitUntil(5) { gw.server.openConnections == clients }, "open \(gw.server.openConnections)")
        for _ in 0..<clients { go.signal() }
        var failures: [String] = []
        for w in workers {
            do { try w.join(seconds: 60) } catch { failures.append("\(error)") }
        }
        XCTAssertEqual(failures, [])
        XCTAssertEqual(ok.value, clients * perClient)
        XCTAssertEqual(gw.upstream!.requests.count, clients * perClient)
    }

    func testConnectionsOverTheCapGet503AndEstablishedOnesKeepWorking() throws {
        let gw = try GatewayFixture(limits: LimitsConfig(maxConnections: 5))
        defer { gw.stop() }
        var held: [BlockingSocket] = []
        defer { for s in held { s.close() } }
        for i in 0..<5 {
            let s = try gw.connect()
            held.append(s)
            try s.send(get("/held\(i)"))
            XCTAssertEqual(try TestHTTP.read(from: s, isResponse: true)?.status, 200)
        }
        XCTAssertEqual(gw.server.openConnections, 5)
        for _ in 0..<3 {
            let extra = try gw.connect(timeoutSeconds: 5)
            defer { extra.close() }
            let r = try XCTUnwrap(TestHTTP.read(from: extra, isResponse: true))
            XCTAssertEqual(r.status, 503)
            XCTAssertEqual(parseError(r)?.code, "connection_limit")
            // Like every local answer, it carries a request ID in the body and the header.
            let id = try XCTUnwrap(parseError(r)?.requestID)
            XCTAssertEqual(id.count, 32)
            XCTAssertEqual(r.header("x-request-id"), id)
            XCTAssertEqual(r.header("connection")?.lowercased(), "close")
            XCTAssertTrue(peerClosed(extra))
        }
        // The established connections are unaffected.
        for (i, s) in held.enumerated() {
            try s.send(get("/again\(i)"))
            let r = try XCTUnwrap(TestHTTP.read(from: s, isResponse: true))
            XCTAssertEqual(r.status, 200)
        }
        // Freeing a slot lets a new connection in.
        held.removeLast().close()
        XCTAssertTrue(waitUntil(5) { gw.server.openConnections == 4 })
        let late = try gw.connect()
        defer { late.close() }
        try late.send(get("/late"))
        XCTAssertEqual(try TestHTTP.read(from: late, isResponse: true)?.status, 200)
    }
}
