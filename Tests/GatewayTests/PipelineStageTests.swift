import Foundation
import XCTest
import GatehouseTestSupport
import GatewayConfig
import Policy

/// Resolves its own ticket inside `evaluate`, before the driver can bind it.
struct EagerHoldStage: RequestStage {
    let name = "test-eager-hold"
    let verdict: @Sendable () -> StageVerdict
    func evaluate(_ context: inout ExchangeContext) -> StageVerdict {
        let ticket = HoldTicket(label: context.requestID)
        ticket.resolve(verdict())
        return .hold(ticket, timeoutMs: 2000, onTimeout: LocalResponse(status: 503, code: "hold_expired", message: "late"))
    }
}

final class PipelineStageTests: XCTestCase {
    func testDenyByHeaderStage() throws {
        let gw = try GatewayFixture(stages: [DenyByHeaderStage(header: "x-block")])
        defer { gw.stop() }
        let s = try gw.connect()
        defer { s.close() }
        try s.send(get("/d", extra: "X-Block: yes\r\n"))
        assertError(try TestHTTP.read(from: s, isResponse: true), status: 403, code: "denied_by_test_stage")
        // No body was pending: the connection stays usable and other requests pass.
        try s.send(get("/allowed"))
        XCTAssertEqual(try TestHTTP.read(from: s, isResponse: true)?.status, 200)
        XCTAssertEqual(gw.upstream!.requests.map(\.target), ["/allowed"])
    }

    func testHoldReleasedFromAnotherThread() throws {
        let registry = HoldRegistry()
        let gw = try GatewayFixture(stages: [HoldStage(header: "x-hold", timeoutMs: 5000, registry: registry)])
        defer { gw.stop() }
        let s = try gw.connect()
        defer { s.close() }
        try s.send(get("/held", extra: "X-Hold: 1\r\n"))
        XCTAssertTrue(registry.waitFor(1))
        XCTAssertFalse(readable(s, withinMs: 200), "held: no answer yet")
        XCTAssertEqual(gw.upstream!.connectionCount, 0)
        let releaser = Worker { XCTAssertTrue(registry.all[0].resolve(.proceed)) }
        try releaser.join()
        let r = try XCTUnwrap(TestHTTP.read(from: s, isResponse: true))
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(gw.upstream!.requests.map(\.target), ["/held"])
        XCTAssertFalse(registry.all[0].isPending)
        XCTAssertFalse(registry.all[0].resolve(.proceed), "second resolve refused")
    }

    func testHoldNeverResolvedExpires() throws {
        let registry = HoldRegistry()
        let gw = try GatewayFixture(stages: [HoldStage(header: "x-hold", timeoutMs: 300, registry: registry)])
        defer { gw.stop() }
        let start = Date()
        let r = try gw.exchange(get("/never", extra: "X-Hold: 1\r\n"))
        let elapsed = Date().timeIntervalSince(start)
        assertError(r, status: 503, code: "hold_expired")
        XCTAssertGreaterThanOrEqual(elapsed, 0.28)
        XCTAssertLessThan(elapsed, 3)
        XCTAssertEqual(registry.count, 1)
        XCTAssertFalse(registry.all[0].isPending)
        XCTAssertFalse(registry.all[0].resolve(.proceed), "a late release is refused")
        XCTAssertEqual(gw.upstream!.connectionCount, 0)
    }

    func testHoldResolvedWithResponse() throws {
        let registry = HoldRegistry()
        let gw = try GatewayFixture(stages: [HoldStage(header: "x-hold", timeoutMs: 5000, registry: registry)])
        defer { gw.stop() }
        let s = try gw.connect()
        defer { s.close() }
        try s.send(get("/held", extra: "X-Hold: 1\r\n"))
        XCTAssertTrue(registry.waitFor(1))
        registry.all[0].resolve(.respond(LocalResponse(status: 429, code: "slow_down", message: "try later",
                                                       headers: [.init("Retry-After", "7")])))
        let r = try XCTUnwrap(TestHTTP.read(from: s, isResponse: true))
        assertError(r, status: 429, code: "slow_down")
        XCTAssertEqual(r.header("retry-after"), "7")
        XCTAssertEqual(gw.upstream!.connectionCount, 0)
        // Still a usable connection.
        try s.send(get("/next"))
        XCTAssertEqual(try TestHTTP.read(from: s, isResponse: true)?.status, 200)
    }

    func testClientHangsUpWhileHeld() throws {
        let registry = HoldRegistry()
        let gw = try GatewayFixture(stages: [HoldStage(header: "x-hold", timeoutMs: 10_000, registry: registry)])
        defer { gw.stop() }
        let s = try gw.connect()
        try s.send(get("/gone", extra: "X-Hold: 1\r\n"))
        XCTAssertTrue(registry.waitFor(1))
        let ticket = registry.all[0]
        XCTAssertTrue(ticket.isPending)
        s.close()
        XCTAssertTrue(waitUntil(3) { !ticket.isPending }, "hang-up cancels the hold")
        XCTAssertTrue(waitUntil(3) { gw.server.openConnections == 0 })
        XCTAssertFalse(ticket.resolve(.proceed))
        usleep(100_000)
        XCTAssertEqual(gw.upstream!.connectionCount, 0, "nothing forwarded for an abandoned hold")
    }

    func testTicketResolvedBeforeBindIsDeliveredOnTheLoop() throws {
        let gw = try GatewayFixture(stages: [EagerHoldStage(verdict: { .proceed })])
        defer { gw.stop() }
        XCTAssertEqual(try gw.exchange(get("/eager"))?.status, 200)
        XCTAssertEqual(gw.upstream!.requests.count, 1)

        let deny = try GatewayFixture(stages: [EagerHoldStage(verdict: {
            .respond(LocalResponse(status: 403, code: "eager_no", message: "no"))
        })])
        defer { deny.stop() }
        assertError(try deny.exchange(get("/eager")), status: 403, code: "eager_no")
        XCTAssertEqual(deny.upstream!.connectionCount, 0)
    }

    func testBodyInspectionDeniesForbiddenWord() throws {
        let gw = try GatewayFixture(stages: [BodyInspectStage(limit: 4096, forbidden: "DROP TABLE")])
        defer { gw.stop() }
        let body = "select 1; DROP TABLE users;"
        let r = try gw.exchange("POST /q HTTP/1.1\r\nHost: example.test\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
        assertError(r, status: 403, code: "denied_by_body_inspection")
        // Chunked, with the word split across chunks.
        let r2 = try gw.exchange("POST /q HTTP/1.1\r\nHost: example.test\r\nTransfer-Encoding: chunked\r\n\r\n"
                                 + "8\r\nx; DROP \r\n7\r\nTABLE y\r\n0\r\n\r\n")
        assertError(r2, status: 403, code: "denied_by_body_inspection")
        XCTAssertEqual(gw.upstream!.connectionCount, 0)
    }

    func testBodyInspectionForwardsCleanBodyIntact() throws {
        let gw = try GatewayFixture(stages: [BodyInspectStage(limit: 4096, forbidden: "DROP TABLE")])
        defer { gw.stop() }
        let body = String(repeating: "clean data \u{00e9} ", count: 100)
        let n = body.utf8.count
        let s = try gw.connect()
        defer { s.close() }
        try s.send("POST /ok HTTP/1.1\r\nHost: example.test\r\nContent-Length: \(n)\r\n\r\n\(body)")
        XCTAssertEqual(try TestHTTP.read(from: s, isResponse: true)?.status, 200)
        // Chunked from the client: buffered, so forwarded with a Content-Length.
        try s.send("POST /ok2 HTTP/1.1\r\nHost: example.test\r\nTransfer-Encoding: chunked\r\n\r\n"
                   + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")
        XCTAssertEqual(try TestHTTP.read(from: s, isResponse: true)?.status, 200)
        let up = gw.upstream!.requests
        XCTAssertEqual(up.count, 2)
        XCTAssertEqual(up[0].body, Array(body.utf8))
        XCTAssertEqual(up[0].header("content-length"), String(n))
        XCTAssertEqual(up[1].bodyString, "hello world")
        XCTAssertEqual(up[1].header("content-length"), "11")
        XCTAssertNil(up[1].header("transfer-encoding"))
    }

    func testBodyOverInspectionLimitGets413AndNothingForwarded() throws {
        let gw = try GatewayFixture(stages: [BodyInspectStage(limit: 100, forbidden: "zzz")])
        defer { gw.stop() }
        let big = String(repeating: "a", count: 101)
        assertError(try gw.exchange("POST /big HTTP/1.1\r\nHost: example.test\r\nContent-Length: 101\r\n\r\n\(big)"),
                    status: 413, code: "body_too_large")
        // Chunked: discovered while buffering.
        let s = try gw.connect()
        defer { s.close() }
        try s.send("POST /big HTTP/1.1\r\nHost: example.test\r\nTransfer-Encoding: chunked\r\n\r\n"
                   + "40\r\n\(String(repeating: "b", count: 64))\r\n40\r\n\(String(repeating: "b", count: 64))\r\n0\r\n\r\n")
        assertError(try TestHTTP.read(from: s, isResponse: true), status: 413, code: "body_too_large")
        XCTAssertEqual(gw.upstream!.connectionCount, 0)
    }
}
