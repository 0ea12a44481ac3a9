import Foundation
import XCTest
import GatehouseTestSupport
import GatewayConfig

/// Requests a lenient parser might accept and a back end might read
/// differently: each gets a JSON error, the connection is closed, and the
/// upstream receives nothing at all.
final class StrictParsingTests: XCTestCase {
    private func assertRejected(_ gw: GatewayFixture, _ raw: String, status: Int, code: String,
                                file: StaticString = #filePath, line: UInt = #line) throws {
        let s = try gw.connect(timeoutSeconds: 5)
        defer { s.close() }
        try s.send(raw)
        let r = try TestHTTP.read(from: s, isResponse: true)
        assertError(r, status: status, code: code, file: file, line: line)
        XCTAssertEqual(r?.header("connection")?.lowercased(), "close", file: file, line: line)
        XCTAssertTrue(peerClosed(s), "connection closed after \(code)", file: file, line: line)
    }

    func testSmugglingStyleRequestsAreRejectedAndNothingReachesUpstream() throws {
        let gw = try GatewayFixture()
        defer { gw.stop() }
        let h = "Host: example.test\r\n"
        let cases: [(String, Int, String)] = [
            ("POST / HTTP/1.1\r\n\(h)Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\n\(h)\r\n",
             400, "ambiguous_framing"),
            ("POST / HTTP/1.1\r\n\(h)Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", 400, "invalid_content_length"),
            ("GET / HTTP/1.1\r\n\(h)X-Folded: a\r\n b\r\n\r\n", 400, "obsolete_line_folding"),
            ("GET / HTTP/1.1\n\(h)\n", 400, "bare_cr_or_lf"),
            ("GET / HTTP/1.1\r\n\(h)X-A: b\nX-B: c\r\n\r\n", 400, "bare_cr_or_lf"),
            ("POST / HTTP/1.1\r\n\(h)Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501, "unsupported_transfer_encoding"),
            ("POST / HTTP/1.1\r\n\(h)Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
             501, "unsupported_transfer_encoding"),
            ("POST / HTTP/1.0\r\n\(h)Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400, "invalid_transfer_encoding"),
            ("GET / HTTP/1.1\r\n\(h)Host: other.test\r\n\r\n", 400, "duplicate_host"),
            ("GET / HTTP/1.1\r\nX: y\r\n\r\n", 400, "missing_host"),
            ("GET / HTTP/1.1\r\nHost : example.test\r\n\r\n", 400, "invalid_header_name"),
            ("CONNECT example.test:443 HTTP/1.1\r\n\(h)\r\n", 501, "method_not_supported"),
            ("GET / HTTP/2.0\r\n\(h)\r\n", 505, "unsupported_version"),
        ]
        for (raw, status, code) in cases {
            try assertRejected(gw, raw, status: status, code: code)
        }
        usleep(50_000)
        XCTAssertEqual(gw.upstream!.connectionCount, 0)
        XCTAssertEqual(gw.upstream!.requests.count, 0)
    }

    func testBadChunkedBodyIsRejectedAndUpstreamGetsNoCompleteRequest() throws {
        let gw = try GatewayFixture()
        defer { gw.stop() }
        let s = try gw.connect(timeoutSeconds: 5)
        defer { s.close() }
        try s.send("POST / HTTP/1.1\r\nHost: example.test\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\n")
        assertError(try TestHTTP.read(from: s, isResponse: true), status: 400, code: "invalid_chunk")
        XCTAssertTrue(peerClosed(s))
        usleep(50_000)
        XCTAssertTrue(gw.upstream!.requests.allSatisfy { !$0.complete }, "a broken body never completes upstream")
    }

    func testOversizeRequestLineHeadersAndBody() throws {
        let limits = LimitsConfig(maxRequestLineBytes: 256, maxHeaderBytes: 1024, maxHeaderCount: 10, maxBodyBytes: 1000)
        let gw = try GatewayFixture(limits: limits)
        defer { gw.stop() }
        let h = "Host: example.test\r\n"
        try assertRejected(gw, "GET /\(String(repeating: "a", count: 300)) HTTP/1.1\r\n\(h)\r\n",
                           status: 414, code: "request_line_too_long")
        let many = (0..<20).map { "X-H\($0): v\r\n" }.joined()
        try assertRejected(gw, "GET / HTTP/1.1\r\n\(h)\(many)\r\n", status: 431, code: "too_many_headers")
        try assertRejected(gw, "GET / HTTP/1.1\r\n\(h)X-Big: \(String(repeating: "b", count: 1100))\r\n\r\n",
                           status: 431, code: "header_too_large")
        try assertRejected(gw, "POST / HTTP/1.1\r\n\(h)Content-Length: 1001\r\n\r\n" + String(repeating: "c", count: 1001),
                           status: 413, code: "body_too_large")
        usleep(50_000)
        XCTAssertEqual(gw.upstream!.connectionCount, 0)
        // At the limit is fine.
        let ok = try gw.exchange("POST / HTTP/1.1\r\n\(h)Content-Length: 1000\r\n\r\n" + String(repeating: "c", count: 1000))
        XCTAssertEqual(ok?.status, 200)
    }

    func testChunkedBodyOverMaxBodyBytesGets413() throws {
        let gw = try GatewayFixture(limits: LimitsConfig(maxBodyBytes: 1000))
        defer { gw.stop() }
        let s = try gw.connect(timeoutSeconds: 5)
        defer { s.close() }
        let chunk = "200\r\n" + String(repeating: "d", count: 512) + "\r\n"
        try s.send("POST /big HTTP/1.1\r\nHost: example.test\r\nTransfer-Encoding: chunked\r\n\r\n"
                   + String(repeating: chunk, count: 4))
        try? s.send("0\r\n\r\n")
        assertError(try TestHTTP.read(from: s, isResponse: true), status: 413, code: "body_too_large")
        XCTAssertTrue(peerClosed(s))
        usleep(100_000)
        let up = gw.upstream!.requests
        XCTAssertTrue(up.allSatisfy { !$0.complete && $0.body.count <= 1000 },
                      "upstream got \(up.map { ($0.complete, $0.body.count) })")
    }
}
