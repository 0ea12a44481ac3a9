import Foundation
import XCTest
import GatehouseTestSupport
import GatewayConfig

final class HeaderShapingTests: XCTestCase {
    private func isGeneratedID(_ s: String?) -> Bool {
        guard let s, s.utf8.count == 32 else { return false }
        return s.allSatisfy { "0123456789abcdef".contains($0) }
    }

    func testHopByHopStrippedAndForwardingHeadersReplaced() throws {
        let gw = try GatewayFixture()
        defer { gw.stop() }
        let r = try XCTUnwrap(gw.exchange(
            "GET /h?q=1 HTTP/1.1\r\nHost: front.test\r\nConnection: keep-alive, X-Secret-Hop\r\nX-Secret-Hop: 1\r\n"
            + "Keep-Alive: timeout=5\r\nTE: trailers\r\nUpgrade: websocket\r\nProxy-Authorization: Basic Zm9vOmJhcg==\r\n"
            + "Proxy-Connection: keep-alive\r\nX-Forwarded-For: 6.6.6.6\r\nX-Forwarded-Proto: https\r\n"
            + "X-Forwarded-Host: evil.test\r\nForwarded: for=6.6.6.6\r\nX-Request-Id: client-chosen\r\nX-Keep: yes\r\n\r\n"))
        XCTAssertEqual(r.status, 200)
        let up = try XCTUnwrap(gw.upstream!.requests.first)
        XCTAssertEqual(up.target, "/h?q=1")
        for name in ["connection", "x-secret-hop", "keep-alive", "te", "upgrade", "proxy-authorization", "proxy-connection"] {
            XCTAssertEqual(up.headerValues(name), [], "\(name) must not be forwarded")
        }
        XCTAssertEqual(up.headerValues("x-keep"), ["yes"])
        XCTAssertEqual(up.headerValues("host"), ["127.0.0.1:\(gw.upstream!.port)"])
        XCTAssertEqual(up.headerValues("x-forwarded-for"), ["127.0.0.1"], "untrusted XFF replaced, not appended")
        XCTAssertEqual(up.headerValues("x-forwarded-proto"), ["http"])
        XCTAssertEqual(up.headerValues("x-forwarded-host"), ["front.test"])
        XCTAssertEqual(up.headerValues("forwarded"), ["for=127.0.0.1;proto=http;host=\"front.test\""])
        XCTAssertEqual(up.headerValues("via"), ["1.1 gatehouse"])
        let sentID = up.headerValues("x-request-id")
        XCTAssertEqual(sentID.count, 1)
        XCTAssertTrue(isGeneratedID(sentID.first), "generated ID, not the client's: \(sentID)")
        XCTAssertEqual(r.headerValues("x-request-id"), sentID, "the client gets the ID the upstream got")
    }

    func testResponseHopByHopStrippedAndGatewayHeadersAdded() throws {
        let gw = try GatewayFixture(handler: { _, conn in
            try conn.respond(status: 200, headers: [("Connection", "X-Up-Hop"), ("X-Up-Hop", "1"),
                                                    ("Keep-Alive", "timeout=9"), ("Proxy-Authenticate", "Basic"),
                                                    ("X-Request-Id", "upstream-made-this"), ("X-App", "v")],
                             body: Array("ok".utf8))
        })
        defer { gw.stop() }
        let r = try XCTUnwrap(gw.exchange(get("/resp")))
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(r.bodyString, "ok")
        for name in ["x-up-hop", "keep-alive", "proxy-authenticate"] {
            XCTAssertEqual(r.headerValues(name), [], "\(name) must not reach the client")
        }
        XCTAssertEqual(r.headerValues("x-app"), ["v"])
        XCTAssertEqual(r.headerValues("via"), ["1.1 gatehouse"])
        XCTAssertEqual(r.headerValues("x-request-id"), [gw.upstream!.requests[0].header("x-request-id")!])
        XCTAssertEqual(r.headerValues("content-length"), ["2"])
    }

    func testTrustedIncomingRequestIDIsHonored() throws {
        let gw = try GatewayFixture(requestID: RequestIDConfig(trustIncoming: true))
        defer { gw.stop() }
        let r1 = try XCTUnwrap(gw.exchange(get("/a", extra: "X-Request-Id: trace-42.abc:Z_9\r\n")))
        XCTAssertEqual(r1.header("x-request-id"), "trace-42.abc:Z_9")
        XCTAssertEqual(gw.upstream!.requests[0].headerValues("x-request-id"), ["trace-42.abc:Z_9"])
        // An unacceptable ID is replaced even when trusted.
        let r2 = try XCTUnwrap(gw.exchange(get("/b", extra: "X-Request-Id: bad/id\r\n")))
        XCTAssertTrue(isGeneratedID(r2.header("x-request-id")), r2.header("x-request-id") ?? "-")
        XCTAssertEqual(gw.upstream!.requests[1].headerValues("x-request-id"), [r2.header("x-request-id")!])
    }

    func testCustomRequestIDHeaderAndTrustedForwarding() throws {
        let gw = try GatewayFixture(requestID: RequestIDConfig(header: "X-Trace"),
                                    forwarded: ForwardedConfig(trustIncoming: true, via: "edge"))
        defer { gw.stop() }
        let r = try XCTUnwrap(gw.exchange(get("/t", extra: "X-Forwarded-For: 10.0.0.1\r\nX-Forwarded-Proto: https\r\n")))
        let up = try XCTUnwrap(gw.upstream!.requests.first)
        XCTAssertEqual(up.headerValues("x-forwarded-for"), ["10.0.0.1, 127.0.0.1"])
        XCTAssertEqual(up.headerValues("x-forwarded-proto"), ["https"])
        XCTAssertEqual(up.headerValues("via"), ["1.1 edge"])
        XCTAssertTrue(isGeneratedID(up.header("x-trace")))
        XCTAssertEqual(r.header("x-trace"), up.header("x-trace"))
        XCTAssertNil(r.header("x-request-id"))
    }

    func testLocalErrorUsesConfiguredRequestIDHeader() throws {
        let gw = try GatewayFixture(upstream: nil, upstreamPort: closedPort(), requestID: RequestIDConfig(header: "X-Trace"))
        defer { gw.stop() }
        let r = try XCTUnwrap(gw.exchange(get("/x")))
        XCTAssertEqual(r.status, 502)
        let env = try XCTUnwrap(parseError(r))
        XCTAssertEqual(r.header("x-trace"), env.requestID)
        XCTAssertTrue(isGeneratedID(env.requestID))
    }
}
