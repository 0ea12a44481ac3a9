import Foundation
import XCTest
import GatehouseTestSupport

/// Response cases where framing depends on the request or status.
final class ResponseSemanticsTests: XCTestCase {
    func testHeadResponseKeepsContentLengthAndHasNoBody() throws {
        let gw = try GatewayFixture(handler: { req, conn in
            if req.method == "HEAD" {
                try conn.sendRaw("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n")
            } else {
                try StubUpstream.echo(req, conn)
            }
        })
        defer { gw.stop() }
        let s = try gw.connect()
        defer { s.close() }
        try s.send("HEAD /h HTTP/1.1\r\nHost: example.test\r\n\r\n")
        let r = try XCTUnwrap(TestHTTP.read(from: s, isResponse: true, noBody: true))
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(r.header("content-length"), "1234")
        // No body bytes follow: the next response on the connection parses cleanly.
        try s.send(get("/after-head"))
        let r2 = try XCTUnwrap(TestHTTP.read(from: s, isResponse: true))
        XCTAssertEqual(r2.status, 200)
        XCTAssertTrue(r2.bodyString.contains("/after-head"), r2.bodyString)
    }

    func testInterimResponsesFromUpstreamAreNotRelayed() throws {
        let gw = try GatewayFixture(handler: { _, conn in
            try conn.sendRaw("HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nreal")
        })
        defer { gw.stop() }
        let r = try XCTUnwrap(gw.exchange(get("/hints")))
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(r.bodyString, "real")
    }

    func test204And304CarryNoBody() throws {
        let gw = try GatewayFixture(handler: { req, conn in
            if req.target == "/204" { try conn.sendRaw("HTTP/1.1 204 No Content\r\n\r\n") }
            else { try conn.sendRaw("HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\n\r\n") }
        })
        defer { gw.stop() }
        let s = try gw.connect()
        defer { s.close() }
        try s.send(get("/204"))
        let a = try XCTUnwrap(TestHTTP.read(from: s, isResponse: true))
        XCTAssertEqual(a.status, 204)
        XCTAssertNil(a.header("content-length"))
        XCTAssertNil(a.header("transfer-encoding"))
        try s.send(get("/304"))
        let b = try XCTUnwrap(TestHTTP.read(from: s, isResponse: true))
        XCTAssertEqual(b.status, 304)
        XCTAssertEqual(b.header("etag"), "\"x\"")
        XCTAssertFalse(readable(s, withinMs: 100), "no stray body bytes")
    }

    func testEarlyUpstreamResponseBeforeBodyEndsClosesClientConnection() throws {
        let raw = try RawListener()
        defer { raw.close() }
        let gw = try GatewayFixture(upstream: nil, upstreamPort: raw.port)
        defer { gw.stop() }
        let s = try gw.connect()
        defer { s.close() }
        // Announce 100000 body bytes, send 10; the upstream answers at once.
        try s.send("POST /early HTTP/1.1\r\nHost: example.test\r\nContent-Length: 100000\r\n\r\n0123456789")
        let up = try raw.accept()
        defer { up.close() }
        _ = try up.readHead()
        try up.send("HTTP/1.1 413 Too Big\r\nContent-Length: 2\r\n\r\nno")
        let r = try XCTUnwrap(TestHTTP.read(from: s, isResponse: true))
        XCTAssertEqual(r.status, 413)
        XCTAssertEqual(r.bodyString, "no")
        XCTAssertEqual(r.header("connection")?.lowercased(), "close",
                       "the unread rest of the body cannot be told from a next request")
        XCTAssertTrue(peerClosed(s))
    }
}
