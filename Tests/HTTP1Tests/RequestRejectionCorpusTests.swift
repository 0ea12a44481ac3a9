import XCTest
@testable import HTTP1

/// Every rejection class of the request parser, with expected status and code.
final class RequestRejectionCorpusTests: XCTestCase {
    struct Case {
        var raw: String
        var status: Int
        var code: String
    }

    static let host = "Host: a\r\n"

    static let corpus: [Case] = [
        // Request line shape
        Case(raw: "GET  / HTTP/1.1\r\n\(host)\r\n", status: 400, code: "malformed_request_line"),
        Case(raw: "GET /  HTTP/1.1\r\n\(host)\r\n", status: 400, code: "malformed_request_line"),
        Case(raw: "GET / HTTP/1.1 \r\n\(host)\r\n", status: 400, code: "malformed_request_line"),
        Case(raw: " GET / HTTP/1.1\r\n\(host)\r\n", status: 400, code: "malformed_request_line"),
        Case(raw: "GET\t/ HTTP/1.1\r\n\(host)\r\n", status: 400, code: "malformed_request_line"),
        Case(raw: "GET /\tHTTP/1.1\r\n\(host)\r\n", status: 400, code: "malformed_request_line"),
        Case(raw: "GET /\r\n\(host)\r\n", status: 400, code: "malformed_request_line"),
        Case(raw: "GET\r\n\(host)\r\n", status: 400, code: "malformed_request_line"),
        Case(raw: "G(T / HTTP/1.1\r\n\(host)\r\n", status: 400, code: "malformed_request_line"),
        Case(raw: "GET / http/1.1\r\n\(host)\r\n", status: 400, code: "malformed_request_line"),
        Case(raw: "GET / HTTP/1.10\r\n\(host)\r\n", status: 400, code: "malformed_request_line"),
        Case(raw: "GET / HTTP/1\r\n\(host)\r\n", status: 400, code: "malformed_request_line"),
        Case(raw: "GET / HTTP/1.1 extra\r\n\(host)\r\n", status: 400, code: "malformed_request_line"),
        Case(raw: "GET /a b HTTP/1.1\r\n\(host)\r\n", status: 400, code: "malformed_request_line"),
        Case(raw: "\r\n\r\n\r\nGET / HTTP/1.1\r\n\(host)\r\n", status: 400, code: "malformed_request_line"),
        // Versions
        Case(raw: "GET / HTTP/2.0\r\n\(host)\r\n", status: 505, code: "unsupported_version"),
        Case(raw: "GET / HTTP/0.9\r\n\(host)\r\n", status: 505, code: "unsupported_version"),
        Case(raw: "GET / HTTP/1.2\r\n\(host)\r\n", status: 505, code: "unsupported_version"),
        // Targets
        Case(raw: "GET a/b HTTP/1.1\r\n\(host)\r\n", status: 400, code: "invalid_target"),
        Case(raw: "GET /a#frag HTTP/1.1\r\n\(host)\r\n", status: 400, code: "invalid_target"),
        Case(raw: "GET /a\\b HTTP/1.1\r\n\(host)\r\n", status: 400, code: "invalid_target"),
        Case(raw: "GET /a\u{7F} HTTP/1.1\r\n\(host)\r\n", status: 400, code: "invalid_target"),
        Case(raw: "GET /a\u{01} HTTP/1.1\r\n\(host)\r\n", status: 400, code: "invalid_target"),
        Case(raw: "GET /é HTTP/1.1\r\n\(host)\r\n", status: 400, code: "invalid_target"),
        Case(raw: "GET /a\"b HTTP/1.1\r\n\(host)\r\n", status: 400, code: "invalid_target"),
        Case(raw: "GET /<script> HTTP/1.1\r\n\(host)\r\n", status: 400, code: "invalid_target"),
        Case(raw: "GET /a[1] HTTP/1.1\r\n\(host)\r\n", status: 400, code: "invalid_target"),
        Case(raw: "GET /%zz HTTP/1.1\r\n\(host)\r\n", status: 400, code: "invalid_target"),
        Case(raw: "GET /%2 HTTP/1.1\r\n\(host)\r\n", status: 400, code: "invalid_target"),
        Case(raw: "GET /?q=\\ HTTP/1.1\r\n\(host)\r\n", status: 400, code: "invalid_target"),
        Case(raw: "GET * HTTP/1.1\r\n\(host)\r\n", status: 400, code: "invalid_target"),
        Case(raw: "OPTIONS *x HTTP/1.1\r\n\(host)\r\n", status: 400, code: "invalid_target"),
        Case(raw: "GET example.com:443 HTTP/1.1\r\n\(host)\r\n", status: 400, code: "invalid_target"),
        Case(raw: "GET ftp://a/b HTTP/1.1\r\n\(host)\r\n", status: 400, code: "invalid_target"),
        Case(raw: "GET http:///p HTTP/1.1\r\n\(host)\r\n", status: 400, code: "invalid_target"),
        Case(raw: "GET http://user@a/p HTTP/1.1\r\n\(host)\r\n", status: 400, code: "invalid_target"),
        Case(raw: "GET http://a/p#x HTTP/1.1\r\n\(host)\r\n", status: 400, code: "invalid_target"),
        // CONNECT
        Case(raw: "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n", status: 501,
             code: "method_not_supported"),
        Case(raw: "CONNECT / HTTP/1.1\r\n\(host)\r\n", status: 501, code: "method_not_supported"),
        // Line endings
        Case(raw: "GET / HTTP/1.1\n\(host)\r\n", status: 400, code: "bare_cr_or_lf"),
        Case(raw: "GET / HTTP/1.1\r\nHost: a\n\r\n", status: 400, code: "bare_cr_or_lf"),
        Case(raw: "GET / HTTP/1.1\r\nHost: a\r\n\n", status: 400, code: "bare_cr_or_lf"),
        Case(raw: "\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", status: 400, code: "bare_cr_or_lf"),
        Case(raw: "GET / HTTP/1.1\r\nHost: a\rX: b\r\n\r\n", status: 400, code: "bare_cr_or_lf"),
        Case(raw: "GET / HTTP/1.1\r\nX\r: b\r\n\(host)\r\n", status: 400, code: "bare_cr_or_lf"),
        Case(raw: "GET /\r HTTP/1.1\r\n\(host)\r\n", status: 400, code: "bare_cr_or_lf"),
        Case(raw: "GET / HTTP/1.1\r\r\n\(host)\r\n", status: 400, code: "bare_cr_or_lf"),
        Case(raw: "GET\r / HTTP/1.1\r\n\(host)\r\n", status: 400, code: "bare_cr_or_lf"),
        Case(raw: "GET / HTTP/1.1\r\n\(host)\r\r\n\r\n", status: 400, code: "bare_cr_or_lf"),
        // obs-fold
        Case(raw: "GET / HTTP/1.1\r\n\(host)X: a\r\n b\r\n\r\n", status: 400, code: "obsolete_line_folding"),
        Case(raw: "GET / HTTP/1.1\r\n\(host)X: a\r\n\tb\r\n\r\n", status: 400, code: "obsolete_line_folding"),
        Case(raw: "GET / HTTP/1.1\r\n Host: a\r\n\r\n", status: 400, code: "obsolete_line_folding"),
        // Field names
        Case(raw: "GET / HTTP/1.1\r\n\(host)X : a\r\n\r\n", status: 400, code: "invalid_header_name"),
        Case(raw: "GET / HTTP/1.1\r\n\(host)X\t: a\r\n\r\n", status: 400, code: "invalid_header_name"),
        Case(raw: "GET / HTTP/1.1\r\n\(host): a\r\n\r\n", status: 400, code: "invalid_header_name"),
        Case(raw: "GET / HTTP/1.1\r\n\(host)NoColon\r\n\r\n", status: 400, code: "invalid_header_name"),
        Case(raw: "GET / HTTP/1.1\r\n\(host)X(y): a\r\n\r\n", status: 400, code: "invalid_header_name"),
        Case(raw: "GET / HTTP/1.1\r\n\(host)Hé: a\r\n\r\n", status: 400, code: "invalid_header_name"),
        Case(raw: "GET / HTTP/1.1\r\n\(host)X\u{0}: a\r\n\r\n", status: 400, code: "invalid_header_name"),
        // Field values
        Case(raw: "GET / HTTP/1.1\r\n\(host)X: a\u{0}b\r\n\r\n", status: 400, code: "invalid_header_value"),
        Case(raw: "GET / HTTP/1.1\r\n\(host)X: a\u{1}b\r\n\r\n", status: 400, code: "invalid_header_value"),
        Case(raw: "GET / HTTP/1.1\r\n\(host)X: a\u{7F}\r\n\r\n", status: 400, code: "invalid_header_value"),
        Case(raw: "GET / HTTP/1.1\r\n\(host)X: \u{1B}[31m\r\n\r\n", status: 400, code: "invalid_header_value"),
        Case(raw: "GET / HTTP/1.1\r\n\(host)Connection: close;x\r\n\r\n", status: 400, code: "invalid_header_value"),
        // Content-Length
        Case(raw: "POST / HTTP/1.1\r\n\(host)Content-Length: -1\r\n\r\n", status: 400, code: "invalid_content_length"),
        Case(raw: "POST / HTTP/1.1\r\n\(host)Content-Length: +1\r\n\r\n", status: 400, code: "invalid_content_length"),
        Case(raw: "POST / HTTP/1.1\r\n\(host)Content-Length: 1 2\r\n\r\n", status: 400, code: "invalid_content_length"),
        Case(raw: "POST / HTTP/1.1\r\n\(host)Content-Length: 5, 5\r\n\r\n", status: 400, code: "invalid_content_length"),
        Case(raw: "POST / HTTP/1.1\r\n\(host)Content-Length: 5\r\nContent-Length: 5\r\n\r\n", status: 400,
             code: "invalid_content_length"),
        Case(raw: "POST / HTTP/1.1\r\n\(host)Content-Length: 5\r\ncontent-length: 6\r\n\r\n", status: 400,
             code: "invalid_content_length"),
        Case(raw: "POST / HTTP/1.1\r\n\(host)Content-Length:\r\n\r\n", status: 400, code: "invalid_content_length"),
        Case(raw: "POST / HTTP/1.1\r\n\(host)Content-Length: 0x10\r\n\r\n", status: 400, code: "invalid_content_length"),
        Case(raw: "POST / HTTP/1.1\r\n\(host)Content-Length: 1.0\r\n\r\n", status: 400, code: "invalid_content_length"),
        Case(raw: "POST / HTTP/1.1\r\n\(host)Content-Length: 9007199254740993\r\n\r\n", status: 400,
             code: "invalid_content_length"),
        Case(raw: "POST / HTTP/1.1\r\n\(host)Content-Length: 18446744073709551616\r\n\r\n", status: 400,
             code: "invalid_content_length"),
        Case(raw: "POST / HTTP/1.1\r\n\(host)Content-Length: 99999999999999999999999\r\n\r\n", status: 400,
             code: "invalid_content_length"),
        // Transfer-Encoding
        Case(raw: "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: gzip\r\n\r\n", status: 501,
             code: "unsupported_transfer_encoding"),
        Case(raw: "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: identity\r\n\r\n", status: 501,
             code: "unsupported_transfer_encoding"),
        Case(raw: "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked, chunked\r\n\r\n", status: 501,
             code: "unsupported_transfer_encoding"),
        Case(raw: "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: gzip, chunked\r\n\r\n", status: 501,
             code: "unsupported_transfer_encoding"),
        Case(raw: "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
             status: 501, code: "unsupported_transfer_encoding"),
        Case(raw: "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: xchunked\r\n\r\n", status: 501,
             code: "unsupported_transfer_encoding"),
        Case(raw: "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked;q=1\r\n\r\n", status: 501,
             code: "unsupported_transfer_encoding"),
        Case(raw: "POST / HTTP/1.1\r\n\(host)Transfer-Encoding:\r\n\r\n", status: 501,
             code: "unsupported_transfer_encoding"),
        Case(raw: "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", status: 400,
             code: "invalid_transfer_encoding"),
        Case(raw: "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n", status: 400,
             code: "ambiguous_framing"),
        Case(raw: "POST / HTTP/1.1\r\n\(host)Content-Length: 5\r\nTransfer-Encoding: gzip\r\n\r\n", status: 400,
             code: "ambiguous_framing"),
        // Host
        Case(raw: "GET / HTTP/1.1\r\n\r\n", status: 400, code: "missing_host"),
        Case(raw: "GET / HTTP/1.1\r\nX-Host: a\r\n\r\n", status: 400, code: "missing_host"),
        Case(raw: "GET http://a/ HTTP/1.1\r\n\r\n", status: 400, code: "missing_host"),
        Case(raw: "GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", status: 400, code: "duplicate_host"),
        Case(raw: "GET / HTTP/1.0\r\nHost: a\r\nhost: b\r\n\r\n", status: 400, code: "duplicate_host"),
        Case(raw: "GET / HTTP/1.1\r\nHost:\r\n\r\n", status: 400, code: "invalid_host"),
        Case(raw: "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", status: 400, code: "invalid_host"),
        Case(raw: "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", status: 400, code: "invalid_host"),
        Case(raw: "GET / HTTP/1.1\r\nHost: user@a\r\n\r\n", status: 400, code: "invalid_host"),
        Case(raw: "GET / HTTP/1.1\r\nHost: a:\r\n\r\n", status: 400, code: "invalid_host"),
        Case(raw: "GET / HTTP/1.1\r\nHost: a:123456\r\n\r\n", status: 400, code: "invalid_host"),
        Case(raw: "GET / HTTP/1.1\r\nHost: a:65536\r\n\r\n", status: 400, code: "invalid_host"),
        Case(raw: "GET / HTTP/1.1\r\nHost: a:8x\r\n\r\n", status: 400, code: "invalid_host"),
        Case(raw: "GET / HTTP/1.1\r\nHost: :80\r\n\r\n", status: 400, code: "invalid_host"),
        Case(raw: "GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", status: 400, code: "invalid_host"),
        Case(raw: "GET / HTTP/1.1\r\nHost: [g::1]\r\n\r\n", status: 400, code: "invalid_host"),
        Case(raw: "GET / HTTP/1.1\r\nHost: [::1]x\r\n\r\n", status: 400, code: "invalid_host"),
        Case(raw: "GET / HTTP/1.1\r\nHost: a%2eb\r\n\r\n", status: 400, code: "invalid_host"),
        Case(raw: "GET / HTTP/1.1\r\nHost: héllo\r\n\r\n", status: 400, code: "invalid_host"),
        Case(raw: "GET http://a/ HTTP/1.1\r\nHost: b\r\n\r\n", status: 400, code: "invalid_host"),
        Case(raw: "GET http://a b/ HTTP/1.1\r\nHost: a\r\n\r\n", status: 400, code: "malformed_request_line"),
        Case(raw: "GET http://a:99999/ HTTP/1.1\r\nHost: a\r\n\r\n", status: 400, code: "invalid_host"),
        // Expect
        Case(raw: "PUT / HTTP/1.1\r\n\(host)Expect: 200-ok\r\n\r\n", status: 417, code: "expectation_failed"),
        Case(raw: "PUT / HTTP/1.1\r\n\(host)Expect: 100-continue, x\r\n\r\n", status: 417, code: "expectation_failed"),
        Case(raw: "PUT / HTTP/1.1\r\n\(host)Expect: 100-continue\r\nExpect: y\r\n\r\n", status: 417,
             code: "expectation_failed"),
        Case(raw: "PUT / HTTP/1.1\r\n\(host)Expect:\r\n\r\n", status: 417, code: "expectation_failed"),
    ]

    func testCorpus() {
        for c in Self.corpus {
            assertRequestFails(c.raw, c.status, c.code)
        }
    }

    /// Each rejection must also be reported identically when the head arrives byte by byte
    /// (the incremental path must not accept anything the one-shot path rejects).
    func testCorpusIncremental() {
        for c in Self.corpus {
            let bytes = Array(c.raw.utf8)
            var parser = RequestHeadParser(limits: HTTPLimits())
            var outcome: HeadParseResult<RequestHead> = .needMore
            for n in 1...bytes.count {
                outcome = Array(bytes[0..<n]).withUnsafeBytes { parser.parse($0) }
                if case .needMore = outcome { continue }
                break
            }
            guard case .failed(let e) = outcome else {
                XCTFail("incremental parse did not fail for \(escaped(bytes))")
                continue
            }
            XCTAssertEqual(e.code, c.code, "incremental code for \(escaped(bytes))")
            XCTAssertEqual(e.status, c.status, "incremental status for \(escaped(bytes))")
        }
    }

    func testNULInRequestLine() {
        assertRequestFails([UInt8]("GET /".utf8) + [0] + [UInt8](" HTTP/1.1\r\nHost: a\r\n\r\n".utf8), 400, "invalid_target")
        assertRequestFails([0] + [UInt8]("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8), 400, "malformed_request_line")
    }

    func testRequestLineTooLongDetectedEarly() {
        let limits = HTTPLimits(maxRequestLineBytes: 64)
        // No line end at all, only 66 bytes buffered: must fail without waiting.
        assertRequestFails("GET /" + String(repeating: "a", count: 61), 414, "request_line_too_long", limits: limits)
        // 64 content bytes + CR is still acceptable so far.
        let exact = "GET /" + String(repeating: "a", count: 50) + " HTTP/1.1\r"
        XCTAssertEqual(exact.utf8.count, 65)
        guard case .needMore = parseRequest(exact, limits: limits) else { return XCTFail() }
        // One more byte of request line.
        assertRequestFails("GET /" + String(repeating: "a", count: 51) + " HTTP/1.1\r\nHost: a\r\n\r\n",
                           414, "request_line_too_long", limits: limits)
    }

    func testHeaderTooLargeDetectedEarly() {
        let limits = HTTPLimits(maxHeaderBytes: 100)
        // Unterminated header value longer than the total limit.
        assertRequestFails("GET / HTTP/1.1\r\nHost: a\r\nX: " + String(repeating: "v", count: 100), 431,
                           "header_too_large", limits: limits)
        // Complete lines whose sum already exceeds the limit, end of head not yet received.
        assertRequestFails("GET / HTTP/1.1\r\nHost: a\r\nX: " + String(repeating: "v", count: 80) + "\r\n", 431,
                           "header_too_large", limits: limits)
        // Complete head one byte over.
        let raw = "GET / HTTP/1.1\r\nHost: a\r\n\r\n"
        assertRequestFails(raw, 431, "header_too_large", limits: HTTPLimits(maxHeaderBytes: raw.utf8.count - 1))
    }

    func testTooManyHeadersDetectedEarly() {
        let limits = HTTPLimits(maxHeaderCount: 3)
        assertRequestFails("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\n", 431, "too_many_headers", limits: limits)
        assertRequestFails("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", 431, "too_many_headers",
                           limits: limits)
    }

    func testErrorMessagesDoNotEchoInput() {
        guard case .failed(let e) = parseRequest("GET /<script>alert(1)</script> HTTP/1.1\r\nHost: a\r\n\r\n") else {
            return XCTFail()
        }
        XCTAssertFalse(e.message.contains("script"))
    }
}
