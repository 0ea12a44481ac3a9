import Foundation
import XCTest
import GatehouseTestSupport
import GatewayConfig

final class ClientTimeoutTests: XCTestCase {
    private let timeouts = TimeoutsConfig(headerReadMs: 300, bodyReadMs: 300, idleKeepAliveMs: 400)

    func testDribbledHeadersPastHeaderReadGet408() throws {
        let gw = try GatewayFixture(timeouts: timeouts)
        defer { gw.stop() }
        let s = try gw.connect(timeoutSeconds: 5)
        defer { s.close() }
        let start = Date()
        try s.send("GET /slow HTTP/1.1\r\nHost: example.test\r\n")
        // One header line every 100 ms: each arrives in time, the head as a whole does not.
        for i in 0..<8 {
            usleep(100_000)
            if readable(s, withinMs: 0) { break }
            try? s.send("X-Dribble-\(i): 1\r\n")
        }
        let r = try XCTUnwrap(TestHTTP.read(from: s, isResponse: true))
        let elapsed = Date().timeIntervalSince(start)
        assertError(r, status: 408, code: "header_timeout")
        XCTAssertGreaterThanOrEqual(elapsed, 0.28)
        XCTAssertLessThan(elapsed, 3)
        XCTAssertTrue(peerClosed(s))
        XCTAssertEqual(gw.upstream!.connectionCount, 0)
    }

    func testSilentConnectionIsClosedWithoutAResponse() throws {
        let gw = try GatewayFixture(timeouts: timeouts)
        defer { gw.stop() }
        let s = try gw.connect(timeoutSeconds: 5)
        defer { s.close() }
        let bytes = try s.readToEnd()
        XCTAssertEqual(bytes, [], "nothing was asked, nothing is answered")
    }

    func testStalledBodyGets408BodyTimeout() throws {
        let gw = try GatewayFixture(timeouts: timeouts)
        defer { gw.stop() }
        let s = try gw.connect(timeoutSeconds: 5)
        defer { s.close() }
        let start = Date()
        try s.send("POST /stall HTTP/1.1\r\nHost: example.test\r\nContent-Length: 100\r\n\r\n0123456789")
        let r = try XCTUnwrap(TestHTTP.read(from: s, isResponse: true))
        let elapsed = Date().timeIntervalSince(start)
        assertError(r, status: 408, code: "body_timeout")
        XCTAssertGreaterThanOrEqual(elapsed, 0.28)
        XCTAssertTrue(peerClosed(s))
        // What the upstream got is a cut-off request, never a complete one.
        XCTAssertTrue(gw.upstream!.requests.allSatisfy { !$0.complete })
    }

    func testStalledBodyWhileBufferingForStageGets408() throws {
        let gw = try GatewayFixture(timeouts: timeouts, stages: [BodyInspectStage(limit: 1000, forbidden: "x")])
        defer { gw.stop() }
        let s = try gw.connect(timeoutSeconds: 5)
        defer { s.close() }
        try s.send("POST /stall HTTP/1.1\r\nHost: example.test\r\nContent-Length: 100\r\n\r\n0123456789")
        let r = try XCTUnwrap(TestHTTP.read(from: s, isResponse: true))
        assertError(r, status: 408, code: "body_timeout")
        XCTAssertEqual(gw.upstream!.connectionCount, 0)
    }

    func testIdleKeepAliveConnectionIsClosed() throws {
        let gw = try GatewayFixture(timeouts: timeouts)
        defer { gw.stop() }
        let s = try gw.connect(timeoutSeconds: 5)
        defer { s.close() }
        try s.send(get("/once"))
        XCTAssertEqual(try TestHTTP.read(from: s, isResponse: true)?.status, 200)
        let start = Date()
        XCTAssertEqual(try s.readToEnd(), [])
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(start), 0.3)
    }
}
