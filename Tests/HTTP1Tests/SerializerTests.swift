import XCTest
@testable import HTTP1

final class SerializerTests: XCTestCase {
    func testRequestHeadFormat() {
        var h = HTTPHeaders()
        h.append(name: "Host", value: "a")
        var out: [UInt8] = []
        HTTPSerializer.writeRequestHead(method: "GET", target: "/x?y", headers: h, into: &out)
        XCTAssertEqual(String(decoding: out, as: UTF8.self), "GET /x?y HTTP/1.1\r\nHost: a\r\n\r\n")
    }

    func testResponseHeadFormat() {
        var h = HTTPHeaders()
        h.append(name: "Content-Length", value: "0")
        var out: [UInt8] = []
        HTTPSerializer.writeResponseHead(status: 404, reason: HTTPSerializer.reasonPhrase(for: 404), headers: h, into: &out)
        XCTAssertEqual(String(decoding: out, as: UTF8.self), "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
        out = []
        HTTPSerializer.writeResponseHead(status: 200, reason: "O\r\nK", headers: HTTPHeaders(), into: &out)
        XCTAssertEqual(String(decoding: out, as: UTF8.self), "HTTP/1.1 200 O  K\r\n\r\n")
    }

    func testReasonPhrases() {
        XCTAssertEqual(HTTPSerializer.reasonPhrase(for: 200), "OK")
        XCTAssertEqual(HTTPSerializer.reasonPhrase(for: 431), "Request Header Fields Too Large")
        XCTAssertEqual(HTTPSerializer.reasonPhrase(for: 502), "Bad Gateway")
        XCTAssertEqual(HTTPSerializer.reasonPhrase(for: 799), "")
    }

    func testChunks() throws {
        var out: [UInt8] = []
        let data = [UInt8](repeating: 0x61, count: 300)
        data.withUnsafeBytes { HTTPSerializer.writeChunk($0, into: &out) }
        [UInt8]().withUnsafeBytes { HTTPSerializer.writeChunk($0, into: &out) }
        [UInt8]("z".utf8).withUnsafeBytes { HTTPSerializer.writeChunk($0, into: &out) }
        HTTPSerializer.writeLastChunk(into: &out)
        XCTAssertEqual(Array(out.prefix(5)), Array("12c\r\n".utf8))
        XCTAssertEqual(Array(out.suffix(11)), Array("1\r\nz\r\n0\r\n\r\n".utf8))
        // Round trip through the decoder.
        var d = ChunkedDecoder()
        var body: [UInt8] = []
        let (c, f) = try out.withUnsafeBytes { p in try d.decode(p) { body.append(contentsOf: $0) } }
        XCTAssertEqual(c, out.count)
        XCTAssertTrue(f)
        XCTAssertEqual(body, data + Array("z".utf8))
    }

    func testRequestRoundTrip() throws {
        let inputs = [
            "GET /a/b?c=d HTTP/1.1\r\nHost: Example.com\r\nAccept: */*\r\nX-Dup: 1\r\nx-dup: 2\r\n\r\n",
            "POST /upload HTTP/1.1\r\nhost: h:8080\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive, X-Hop\r\nX-Hop: 1\r\n\r\n",
            "PUT /f HTTP/1.1\r\nHost: h\r\nContent-Length: 12\r\nExpect: 100-continue\r\n\r\n",
            "OPTIONS * HTTP/1.1\r\nHost: [::1]:443\r\nX-Obs: caf\u{e9}\r\n\r\n",
            "DELETE /x HTTP/1.1\r\nHost: h\r\nConnection: close\r\nX-Empty: \r\n\r\n",
        ]
        for raw in inputs {
            let (h1, _) = try XCTUnwrap(requireRequest(raw))
            var out: [UInt8] = []
            HTTPSerializer.writeRequestHead(method: h1.method, target: h1.target, headers: h1.headers, into: &out)
            guard case .complete(let h2, let consumed) = parseRequest(out) else { return XCTFail("reparse \(raw)") }
            XCTAssertEqual(consumed, out.count)
            XCTAssertEqual(h1, h2)
            XCTAssertEqual(String(decoding: out, as: UTF8.self), raw)
        }
    }

    func testResponseRoundTrip() throws {
        let raw = "HTTP/1.1 201 Created\r\nLocation: /x\r\nContent-Length: 0\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n\r\n"
        let (h1, _) = try XCTUnwrap(requireResponse(raw))
        var out: [UInt8] = []
        HTTPSerializer.writeResponseHead(status: h1.status, reason: h1.reason, headers: h1.headers, into: &out)
        XCTAssertEqual(String(decoding: out, as: UTF8.self), raw)
        let (h2, _) = try XCTUnwrap(requireResponse(String(decoding: out, as: UTF8.self)))
        XCTAssertEqual(h1, h2)
    }
}
