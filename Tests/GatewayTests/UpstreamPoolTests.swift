import Foundation
import XCTest
import GatehouseTestSupport

/// Pooled upstream connections that went stale.
final class UpstreamPoolTests: XCTestCase {
    func testStalePooledConnectionClosedOnSendIsRetriedOnAFreshOne() throws {
        let raw = try RawListener()
        defer { raw.close() }
        let gw = try GatewayFixture(upstream: nil, upstreamPort: raw.port)
        defer { gw.stop() }
        let s = try gw.connect()
        defer { s.close() }

        try s.send(get("/one"))
        let up1 = try raw.accept()
        let head1 = try up1.readHead()
        XCTAssertTrue(String(decoding: head1, as: UTF8.self).hasPrefix("GET /one "))
        try up1.send("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\none")
        XCTAssertEqual(try TestHTTP.read(from: s, isResponse: true)?.bodyString, "one")

        // The second request goes to the pooled connection, which the
        // upstream closes without answering (its keep-alive ran out).
        try s.send(get("/two"))
        let head2 = try up1.readHead()
        XCTAssertTrue(String(decoding: head2, as: UTF8.self).hasPrefix("GET /two "))
        up1.close()
        // The gateway replays the (bodiless) request once on a new connection.
        let up2 = try raw.accept()
        defer { up2.close() }
        let head2b = try up2.readHead()
        XCTAssertTrue(String(decoding: head2b, as: UTF8.self).hasPrefix("GET /two "))
        try up2.send("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\ntwo")
        let r = try XCTUnwrap(TestHTTP.read(from: s, isResponse: true))
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(r.bodyString, "two")
    }

    func testUpstreamClosingIdleConnectionIsNoticedBeforeReuse() throws {
        let gw = try GatewayFixture(handler: { req, conn in
            try StubUpstream.echo(req, conn)
            conn.close()  // keep-alive was not refused, but the upstream hangs up anyway
        })
        defer { gw.stop() }
        let s = try gw.connect()
        defer { s.close() }
        for i in 0..<3 {
            try s.send(get("/r\(i)"))
            let r = try XCTUnwrap(TestHTTP.read(from: s, isResponse: true))
            XCTAssertEqual(r.status, 200, "request \(i): \(r.bodyString)")
            usleep(50_000)
        }
        XCTAssertEqual(gw.upstream!.connectionCount, 3)
    }
}
