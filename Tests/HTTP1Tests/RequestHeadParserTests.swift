import XCTest
@testable import HTTP1

final class RequestHeadParserTests: XCTestCase {
    func testSimpleGetKeepAlive() throws {
        let raw = "GET /index.html?a=1&b=%20 HTTP/1.1\r\nHost: Example.COM:8080\r\nUser-Agent: t\r\n\r\n"
        let (h, consumed) = try XCTUnwrap(requireRequest(raw))
        XCTAssertEqual(consumed, raw.utf8.count)
        XCTAssertEqual(h.method, "GET")
        XCTAssertEqual(h.target, "/index.html?a=1&b=%20")
        XCTAssertEqual(h.path, "/index.html")
        XCTAssertEqual(h.query, "a=1&b=%20")
        XCTAssertEqual(h.version, .http1_1)
        XCTAssertEqual(h.host, "example.com:8080")
        XCTAssertEqual(h.framing, .none)
        XCTAssertTrue(h.keepAlive)
        XCTAssertFalse(h.expectsContinue)
        XCTAssertFalse(h.isAbsoluteForm)
        XCTAssertEqual(h.connectionTokens, [])
        XCTAssertEqual(headersList(h.headers), ["Host: Example.COM:8080", "User-Agent: t"])
    }

    func testConnectionCloseOnHTTP11() throws {
        let (h, _) = try XCTUnwrap(requireRequest("GET / HTTP/1.1\r\nHost: a\r\nConnection: Keep-Alive, CLOSE\r\n\r\n"))
        XCTAssertFalse(h.keepAlive)
        XCTAssertEqual(h.connectionTokens, ["keep-alive", "close"])
    }

    func testConnectionTokensFromSeveralFields() throws {
        let (h, _) = try XCTUnwrap(requireRequest(
            "GET / HTTP/1.1\r\nconnection: x-a ,, \r\nHost: a\r\nConnection: X-B\r\n\r\n"))
        XCTAssertEqual(h.connectionTokens, ["x-a", "x-b"])
        XCTAssertTrue(h.keepAlive)
    }

    func testHTTP10DefaultsToClose() throws {
        let (h, _) = try XCTUnwrap(requireRequest("GET / HTTP/1.0\r\n\r\n"))
        XCTAssertEqual(h.version, .http1_0)
        XCTAssertFalse(h.keepAlive)
        XCTAssertEqual(h.host, "")
        let (k, _) = try XCTUnwrap(requireRequest("GET / HTTP/1.0\r\nConnection: keep-alive\r\nHost: h\r\n\r\n"))
        XCTAssertTrue(k.keepAlive)
        XCTAssertEqual(k.host, "h")
    }

    func testHeaderCaseAndDuplicatesPreserved() throws {
        let raw = "POST /x HTTP/1.1\r\nHOST: a\r\nX-Mixed-CASE: 1\r\nx-dup: one\r\nX-Dup: two\r\ncontent-LENGTH: 3\r\n\r\n"
        let (h, _) = try XCTUnwrap(requireRequest(raw))
        XCTAssertEqual(h.framing, .contentLength(3))
        XCTAssertEqual(h.headers.values("x-dup"), ["one", "two"])
        var out: [UInt8] = []
        h.headers.write(into: &out)
        XCTAssertEqual(String(decoding: out, as: UTF8.self),
                       "HOST: a\r\nX-Mixed-CASE: 1\r\nx-dup: one\r\nX-Dup: two\r\ncontent-LENGTH: 3\r\n")
    }

    func testValueWhitespaceTrimmedAndObsTextAllowed() throws {
        let bytes = Array("GET / HTTP/1.1\r\nHost: a\r\nX-A: \t  v a l \t \r\nX-B:\r\nX-C: caf".utf8)
            + [0xC3, 0xA9, 0xFF] + Array("\r\n\r\n".utf8)
        guard case .complete(let h, _) = parseRequest(bytes) else { return XCTFail() }
        XCTAssertEqual(h.headers.firstValue("x-a"), "v a l")
        XCTAssertEqual(h.headers.firstValue("x-b"), "")
        XCTAssertEqual(h.headers.value(at: 3), Array("caf".utf8) + [0xC3, 0xA9, 0xFF])
    }

    func testChunkedRequest() throws {
        let (h, _) = try XCTUnwrap(requireRequest("POST /u HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: ChunKed\r\n\r\n"))
        XCTAssertEqual(h.framing, .chunked)
    }

    func testContentLengthZeroAndLeadingZeros() throws {
        XCTAssertEqual(requireRequest("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n")?.0.framing,
                       .contentLength(0))
        XCTAssertEqual(requireRequest("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 007\r\n\r\n")?.0.framing,
                       .contentLength(7))
        XCTAssertEqual(requireRequest("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 9007199254740992\r\n\r\n")?.0.framing,
                       .contentLength(1 << 53))
    }

    func testOptionsAsterisk() throws {
        let (h, _) = try XCTUnwrap(requireRequest("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n"))
        XCTAssertEqual(h.method, "OPTIONS")
        XCTAssertEqual(h.target, "*")
        XCTAssertEqual(h.path, "*")
        XCTAssertNil(h.query)
    }

    func testExpectContinue() throws {
        let (h, _) = try XCTUnwrap(requireRequest(
            "PUT /f HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\nContent-Length: 10\r\n\r\n"))
        XCTAssertTrue(h.expectsContinue)
        // HTTP/1.0: the expectation is ignored (RFC 9110 §10.1.1), whatever it says.
        let (h10, _) = try XCTUnwrap(requireRequest("PUT /f HTTP/1.0\r\nExpect: 100-continue\r\n\r\n"))
        XCTAssertFalse(h10.expectsContinue)
        XCTAssertNotNil(requireRequest("PUT /f HTTP/1.0\r\nExpect: something\r\n\r\n"))
    }

    func testAbsoluteFormIsNormalised() throws {
        let (h, _) = try XCTUnwrap(requireRequest("GET http://Example.com:81/p?q=1 HTTP/1.1\r\nHost: example.COM:81\r\n\r\n"))
        XCTAssertTrue(h.isAbsoluteForm)
        XCTAssertEqual(h.target, "/p?q=1")
        XCTAssertEqual(h.host, "example.com:81")
        XCTAssertEqual(requireRequest("GET HTTPS://h HTTP/1.1\r\nHost: h\r\n\r\n")?.0.target, "/")
        XCTAssertEqual(requireRequest("GET http://h?x=1 HTTP/1.1\r\nHost: h\r\n\r\n")?.0.target, "/?x=1")
        let (h10, _) = try XCTUnwrap(requireRequest("GET http://h/ HTTP/1.0\r\n\r\n"))
        XCTAssertEqual(h10.host, "h")
    }

    func testHostForms() throws {
        XCTAssertEqual(requireRequest("GET / HTTP/1.1\r\nHost: [::1]:8443\r\n\r\n")?.0.host, "[::1]:8443")
        XCTAssertEqual(requireRequest("GET / HTTP/1.1\r\nHost: 10.0.0.1\r\n\r\n")?.0.host, "10.0.0.1")
        XCTAssertEqual(requireRequest("GET / HTTP/1.1\r\nHost: My_Host-1.example~\r\n\r\n")?.0.host,
                       "my_host-1.example~")
    }

    func testQueryToleratesBrowserCharacters() throws {
        XCTAssertNotNil(requireRequest("GET /a?x[]=1&y={2}|^` HTTP/1.1\r\nHost: a\r\n\r\n"))
    }

    func testUnknownMethodPassesThrough() throws {
        XCTAssertEqual(requireRequest("PROPFIND /d HTTP/1.1\r\nHost: a\r\n\r\n")?.0.method, "PROPFIND")
    }

    func testLeadingEmptyLinesIgnored() throws {
        let raw = "\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"
        let (h, consumed) = try XCTUnwrap(requireRequest(raw))
        XCTAssertEqual(h.method, "GET")
        XCTAssertEqual(consumed, raw.utf8.count)
    }

    func testIncrementalByteByByte() throws {
        let raw = Array("POST /submit HTTP/1.1\r\nHost: a.b\r\nContent-Length: 4\r\nX-Long: \(String(repeating: "v", count: 300))\r\n\r\nbody".utf8)
        let headLen = raw.count - 4
        var parser = RequestHeadParser(limits: HTTPLimits())
        for n in 0...raw.count {
            let result = Array(raw[0..<n]).withUnsafeBytes { parser.parse($0) }
            switch result {
            case .needMore:
                XCTAssertLessThan(n, headLen)
            case .complete(let h, let consumed):
                XCTAssertEqual(n, headLen)
                XCTAssertEqual(consumed, headLen)
                XCTAssertEqual(h.framing, .contentLength(4))
                XCTAssertEqual(h.headers.count, 3)
                return
            case .failed(let e):
                return XCTFail("\(e)")
            }
        }
        XCTFail("never completed")
    }

    func testHeadSplitAcrossIrregularReads() throws {
        let raw = Array("GET /a HTTP/1.1\r\nHost: x\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n".utf8)
        for step in 1...9 {
            var parser = RequestHeadParser(limits: HTTPLimits())
            var n = 0
            var done = false
            while !done {
                n = min(raw.count, n + step)
                switch Array(raw[0..<n]).withUnsafeBytes({ parser.parse($0) }) {
                case .needMore: XCTAssertLessThan(n, raw.count)
                case .complete(let h, let consumed):
                    XCTAssertEqual(consumed, raw.count)
                    XCTAssertEqual(h.headers.values("c"), ["3"])
                    done = true
                case .failed(let e): return XCTFail("\(e)")
                }
            }
        }
    }

    func testPipelining() throws {
        let first = "GET /one HTTP/1.1\r\nHost: a\r\n\r\n"
        let second = "POST /two HTTP/1.1\r\nHost: b\r\nContent-Length: 2\r\n\r\n"
        var buffer = Array((first + second + "hi").utf8)
        var parser = RequestHeadParser(limits: HTTPLimits())
        guard case .complete(let h1, let c1) = buffer.withUnsafeBytes({ parser.parse($0) }) else { return XCTFail() }
        XCTAssertEqual(h1.target, "/one")
        XCTAssertEqual(c1, first.utf8.count)
        buffer.removeFirst(c1)
        parser.reset()
        guard case .complete(let h2, let c2) = buffer.withUnsafeBytes({ parser.parse($0) }) else { return XCTFail() }
        XCTAssertEqual(h2.target, "/two")
        XCTAssertEqual(h2.host, "b")
        XCTAssertEqual(c2, second.utf8.count)
        XCTAssertEqual(Array(buffer[c2...]), Array("hi".utf8))
    }

    func testLimitsExactlyAtBoundaryAccepted() throws {
        let line = "GET /" + String(repeating: "a", count: 95) + " HTTP/1.1"   // 109 bytes
        XCTAssertEqual(line.utf8.count, 109)
        XCTAssertNotNil(requireRequest(line + "\r\nHost: a\r\n\r\n", limits: HTTPLimits(maxRequestLineBytes: 109)))
        let raw = "GET / HTTP/1.1\r\nHost: a\r\n\r\n"
        XCTAssertNotNil(requireRequest(raw, limits: HTTPLimits(maxHeaderBytes: raw.utf8.count)))
        XCTAssertNotNil(requireRequest("GET / HTTP/1.1\r\nHost: a\r\nB: c\r\n\r\n", limits: HTTPLimits(maxHeaderCount: 2)))
    }

    func testNeedMoreWhileBelowLimits() {
        guard case .needMore = parseRequest("GET /abc HTTP/1.1\r\nHost: a\r\nX: y") else { return XCTFail() }
        guard case .needMore = parseRequest("GET /abc HTTP/1.1\r") else { return XCTFail() }
        guard case .needMore = parseRequest("") else { return XCTFail() }
    }
}
