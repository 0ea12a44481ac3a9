import XCTest
@testable import HTTP1

final class ResponseHeadParserTests: XCTestCase {
    func testSimpleResponse() throws {
        let raw = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello"
        let (h, consumed) = try XCTUnwrap(requireResponse(raw))
        XCTAssertEqual(consumed, raw.utf8.count - 5)
        XCTAssertEqual(h.version, .http1_1)
        XCTAssertEqual(h.status, 200)
        XCTAssertEqual(h.reason, "OK")
        XCTAssertEqual(h.framing, .contentLength(5))
        XCTAssertTrue(h.keepAlive)
        XCTAssertFalse(h.isInformational)
        XCTAssertEqual(headersList(h.headers), ["Content-Type: text/plain", "Content-Length: 5"])
    }

    func testReasonForms() throws {
        XCTAssertEqual(requireResponse("HTTP/1.1 404 Not   Found \r\nContent-Length: 0\r\n\r\n")?.0.reason, "Not   Found ")
        XCTAssertEqual(requireResponse("HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n")?.0.reason, "")
        XCTAssertEqual(requireResponse("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n")?.0.reason, "")
    }

    func testFramingRules() throws {
        XCTAssertEqual(requireResponse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")?.0.framing, .chunked)
        let untilClose = try XCTUnwrap(requireResponse("HTTP/1.1 200 OK\r\nServer: x\r\n\r\n")?.0)
        XCTAssertEqual(untilClose.framing, .untilClose)
        XCTAssertFalse(untilClose.keepAlive)
        XCTAssertEqual(requireResponse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", method: "HEAD")?.0.framing, BodyFraming.none)
        XCTAssertEqual(requireResponse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", method: "HEAD")?.0.framing,
                       BodyFraming.none)
        XCTAssertEqual(requireResponse("HTTP/1.1 204 No Content\r\n\r\n")?.0.framing, BodyFraming.none)
        XCTAssertEqual(requireResponse("HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n")?.0.framing, BodyFraming.none)
        let cont = try XCTUnwrap(requireResponse("HTTP/1.1 100 Continue\r\n\r\n")?.0)
        XCTAssertEqual(cont.framing, BodyFraming.none)
        XCTAssertTrue(cont.isInformational)
        XCTAssertTrue(cont.keepAlive)
        let upgrade = try XCTUnwrap(requireResponse("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")?.0)
        XCTAssertEqual(upgrade.status, 101)
        XCTAssertEqual(upgrade.connectionTokens, ["upgrade"])
    }

    func testKeepAlive() throws {
        XCTAssertFalse(try XCTUnwrap(requireResponse("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")?.0).keepAlive)
        XCTAssertFalse(try XCTUnwrap(requireResponse("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n")?.0).keepAlive)
        XCTAssertTrue(try XCTUnwrap(requireResponse("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n")?.0).keepAlive)
    }

    func testInterimThenFinalResponseWithReset() throws {
        var buffer = Array("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n".utf8)
        var parser = ResponseHeadParser(limits: HTTPLimits())
        guard case .complete(let interim, let c1) = buffer.withUnsafeBytes({ parser.parse($0, requestMethod: "PUT") })
        else { return XCTFail() }
        XCTAssertTrue(interim.isInformational)
        buffer.removeFirst(c1)
        parser.reset()
        guard case .complete(let final, _) = buffer.withUnsafeBytes({ parser.parse($0, requestMethod: "PUT") })
        else { return XCTFail() }
        XCTAssertEqual(final.status, 201)
    }

    func testIncrementalByteByByte() throws {
        let raw = Array("HTTP/1.1 200 OK\r\nA: 1\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
        var parser = ResponseHeadParser(limits: HTTPLimits())
        for n in 1..<raw.count {
            guard case .needMore = Array(raw[0..<n]).withUnsafeBytes({ parser.parse($0, requestMethod: "GET") })
            else { return XCTFail("early result at \(n)") }
        }
        guard case .complete(let h, let c) = raw.withUnsafeBytes({ parser.parse($0, requestMethod: "GET") })
        else { return XCTFail() }
        XCTAssertEqual(c, raw.count)
        XCTAssertEqual(h.framing, .chunked)
    }

    func testRejections() {
        assertResponseFails("HTTP/1.1 20 OK\r\n\r\n", "malformed_status_line")
        assertResponseFails("HTTP/1.1 2000 OK\r\n\r\n", "malformed_status_line")
        assertResponseFails("HTTP/1.1 abc OK\r\n\r\n", "malformed_status_line")
        assertResponseFails("HTTP/1.1 099 Low\r\n\r\n", "malformed_status_line")
        assertResponseFails("HTTP/1.1 600 High\r\n\r\n", "malformed_status_line")
        assertResponseFails("HTTP/1.1  200 OK\r\n\r\n", "malformed_status_line")
        assertResponseFails("HTTP/1.1\r\n\r\n", "malformed_status_line")
        assertResponseFails("http/1.1 200 OK\r\n\r\n", "malformed_status_line")
        assertResponseFails("HTTP/1.1 200 O\u{1}K\r\n\r\n", "malformed_status_line")
        assertResponseFails("ICY 200 OK\r\n\r\n", "malformed_status_line")
        assertResponseFails("\r\nHTTP/1.1 200 OK\r\n\r\n", "malformed_status_line")
        assertResponseFails("HTTP/2.0 200 OK\r\n\r\n", "unsupported_version")
        assertResponseFails("HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n", "bare_cr_or_lf")
        assertResponseFails("HTTP/1.1 200 O\rK\r\n\r\n", "bare_cr_or_lf")
        assertResponseFails("HTTP/1.1 200 OK\r\nA: 1\r\n b\r\n\r\n", "obsolete_line_folding")
        assertResponseFails("HTTP/1.1 200 OK\r\nA : 1\r\n\r\n", "invalid_header_name")
        assertResponseFails("HTTP/1.1 200 OK\r\nA: \u{0}\r\n\r\n", "invalid_header_value")
        assertResponseFails("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
                            "ambiguous_framing")
        assertResponseFails("HTTP/1.1 200 OK\r\nContent-Length: 1, 1\r\n\r\n", "invalid_content_length")
        assertResponseFails("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n", "invalid_content_length")
        assertResponseFails("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
                            "unsupported_transfer_encoding")
        assertResponseFails("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", "unsupported_transfer_encoding")
        assertResponseFails("HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", "invalid_transfer_encoding")
        // Framing fields are validated even when the response has no body.
        assertResponseFails("HTTP/1.1 204 No Content\r\nContent-Length: x\r\n\r\n", "invalid_content_length")
        assertResponseFails("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
                            "ambiguous_framing", method: "HEAD")
    }

    func testLimits() {
        var parser = ResponseHeadParser(limits: HTTPLimits(maxRequestLineBytes: 20))
        let long = Array("HTTP/1.1 200 A very long reason phrase".utf8)
        guard case .failed(let e) = long.withUnsafeBytes({ parser.parse($0, requestMethod: "GET") }) else {
            return XCTFail()
        }
        XCTAssertEqual(e.code, "status_line_too_long")
        XCTAssertEqual(e.status, 502)

        var p2 = ResponseHeadParser(limits: HTTPLimits(maxHeaderCount: 1))
        let many = Array("HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\n".utf8)
        guard case .failed(let e2) = many.withUnsafeBytes({ p2.parse($0, requestMethod: "GET") }) else {
            return XCTFail()
        }
        XCTAssertEqual(e2.code, "too_many_headers")
        XCTAssertEqual(e2.status, 502)
    }
}
