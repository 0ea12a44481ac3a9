import Foundation
import XCTest
import GatehouseTestSupport
import Policy
import GatewayConfig

final class ExpectContinueTests: XCTestCase {
    private let head = "POST /e HTTP/1.1\r\nHost: example.test\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n"

    func testHeadOnlyGets100ThenBodyGets200() throws {
        let gw = try GatewayFixture()
        defer { gw.stop() }
        let s = try gw.connect()
        defer { s.close() }
        try s.send(head)
        let interim = try XCTUnwrap(TestHTTP.read(from: s, isResponse: true))
        XCTAssertEqual(interim.status, 100)
        try s.send("hello")
        let r = try XCTUnwrap(TestHTTP.read(from: s, isResponse: true))
        XCTAssertEqual(r.status, 200)
        XCTAssertTrue(r.bodyString.contains("\"body_bytes\":5"), r.bodyString)
        let up = try XCTUnwrap(gw.upstream!.requests.first)
        XCTAssertEqual(up.bodyString, "hello")
        XCTAssertNil(up.header("expect"), "Expect is hop-by-hop for the gateway: it answered it")
    }

    func testBodyInspectStageSends100WhenItAsksForTheBody() throws {
        let gw = try GatewayFixture(stages: [DenyByHeaderStage(header: "x-deny"),
                                             BodyInspectStage(limit: 1024, forbidden: "forbidden")])
        defer { gw.stop() }
        let s = try gw.connect()
        defer { s.close() }
        try s.send(head)
        let interim = try XCTUnwrap(TestHTTP.read(from: s, isResponse: true))
        XCTAssertEqual(interim.status, 100)
        XCTAssertEqual(gw.upstream!.connectionCount, 0, "nothing forwarded while the stage waits for the body")
        try s.send("clean")
        let r = try XCTUnwrap(TestHTTP.read(from: s, isResponse: true))
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(gw.upstream!.requests.first?.bodyString, "clean")
    }

    func testDeniedBeforeBodyIsNeededGetsNo100() throws {
        let gw = try GatewayFixture(stages: [DenyByHeaderStage(header: "x-deny"),
                                             BodyInspectStage(limit: 1024, forbidden: "forbidden")])
        defer { gw.stop() }
        let s = try gw.connect()
        defer { s.close() }
        try s.send("POST /e HTTP/1.1\r\nHost: example.test\r\nX-Deny: 1\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
        let r = try XCTUnwrap(TestHTTP.read(from: s, isResponse: true))
        assertError(r, status: 403, code: "denied_by_test_stage")
        XCTAssertTrue(peerClosed(s), "unread body: the connection closes")
        XCTAssertEqual(gw.upstream!.connectionCount, 0)
    }

    func testHeldRequestGets100OnlyAfterRelease() throws {
        let registry = HoldRegistry()
        let gw = try GatewayFixture(stages: [HoldStage(header: "x-hold", timeoutMs: 5000, registry: registry)])
        defer { gw.stop() }
        let s = try gw.connect()
        defer { s.close() }
        try s.send("POST /e HTTP/1.1\r\nHost: example.test\r\nX-Hold: 1\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
        XCTAssertTrue(registry.waitFor(1))
        XCTAssertFalse(readable(s, withinMs: 300), "no 100 Continue while held")
        XCTAssertTrue(registry.all[0].resolve(.proceed))
        let interim = try XCTUnwrap(TestHTTP.read(from: s, isResponse: true))
        XCTAssertEqual(interim.status, 100)
        try s.send("hello")
        let r = try XCTUnwrap(TestHTTP.read(from: s, isResponse: true))
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(gw.upstream!.requests.first?.bodyString, "hello")
    }

    func testOversizeContentLengthWithExpectGets413AndNo100() throws {
        let limits = LimitsConfig(maxBodyBytes: 1000)
        let gw = try GatewayFixture(limits: limits)
        defer { gw.stop() }
        let s = try gw.connect()
        defer { s.close() }
        try s.send("POST /e HTTP/1.1\r\nHost: example.test\r\nContent-Length: 1001\r\nExpect: 100-continue\r\n\r\n")
        let r = try XCTUnwrap(TestHTTP.read(from: s, isResponse: true))
        assertError(r, status: 413, code: "body_too_large")
        XCTAssertEqual(r.header("connection")?.lowercased(), "close")
        XCTAssertTrue(peerClosed(s))
        XCTAssertEqual(gw.upstream!.connectionCount, 0)
    }

    func testOversizeForInspectionStageWithExpectGets413AndNo100() throws {
        let gw = try GatewayFixture(stages: [BodyInspectStage(limit: 100, forbidden: "x")])
        defer { gw.stop() }
        let s = try gw.connect()
        defer { s.close() }
        try s.send("POST /e HTTP/1.1\r\nHost: example.test\r\nContent-Length: 101\r\nExpect: 100-continue\r\n\r\n")
        let r = try XCTUnwrap(TestHTTP.read(from: s, isResponse: true))
        assertError(r, status: 413, code: "body_too_large")
        XCTAssertEqual(gw.upstream!.connectionCount, 0)
    }
}
