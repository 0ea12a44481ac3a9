import XCTest
@testable import HTTP1

final class ChunkedDecoderTests: XCTestCase {
    /// Decodes `raw` in one call; returns (body, consumed, finished).
    func decodeAll(_ raw: [UInt8], _ decoder: inout ChunkedDecoder) throws -> ([UInt8], Int, Bool) {
        var body: [UInt8] = []
        let (consumed, finished) = try raw.withUnsafeBytes { p in
            try decoder.decode(p) { body.append(contentsOf: $0) }
        }
        return (body, consumed, finished)
    }

    func decodeString(_ raw: String) throws -> (String, Int, Bool) {
        var d = ChunkedDecoder()
        let (body, c, f) = try decodeAll(Array(raw.utf8), &d)
        return (String(decoding: body, as: UTF8.self), c, f)
    }

    func assertFails(_ raw: String, _ code: String, decoder: ChunkedDecoder = ChunkedDecoder(),
                     file: StaticString = #filePath, line: UInt = #line) {
        var d = decoder
        do {
            let r = try decodeAll(Array(raw.utf8), &d)
            XCTFail("expected \(code), got \(r) for \(escaped(Array(raw.utf8)))", file: file, line: line)
        } catch {
            let e = error as? HTTPParseError
            XCTAssertEqual(e?.code, code, "for \(escaped(Array(raw.utf8)))", file: file, line: line)
            XCTAssertEqual(e?.status, 400, file: file, line: line)
        }
    }

    func testSimpleBody() throws {
        let raw = "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
        let (body, consumed, finished) = try decodeString(raw)
        XCTAssertEqual(body, "hello world")
        XCTAssertEqual(consumed, raw.utf8.count)
        XCTAssertTrue(finished)
    }

    func testHexCaseAndLeadingZeros() throws {
        XCTAssertEqual(try decodeString("A\r\n0123456789\r\n0a\r\nabcdefghij\r\n000\r\n\r\n").0,
                       "0123456789abcdefghij")
    }

    func testExtensionsAreAcceptedAndStripped() throws {
        let raw = "5;foo=bar\r\nhello\r\n3 ; a ; b=\"q\\\"uo;ted\" ;c=1\r\nabc\r\n0;last\r\n\r\n"
        let (body, consumed, finished) = try decodeString(raw)
        XCTAssertEqual(body, "helloabc")
        XCTAssertEqual(consumed, raw.utf8.count)
        XCTAssertTrue(finished)
    }

    func testTrailersAreDiscarded() throws {
        let raw = "3\r\nabc\r\n0\r\nX-Checksum: 123\r\nOther: v\r\n\r\n"
        let (body, consumed, finished) = try decodeString(raw)
        XCTAssertEqual(body, "abc")
        XCTAssertEqual(consumed, raw.utf8.count)
        XCTAssertTrue(finished)
    }

    func testStopsAtEndOfBodyForPipelining() throws {
        let body = "2\r\nhi\r\n0\r\n\r\n"
        var d = ChunkedDecoder()
        let (out, consumed, finished) = try decodeAll(Array((body + "GET / HTTP/1.1\r\n").utf8), &d)
        XCTAssertEqual(out, Array("hi".utf8))
        XCTAssertEqual(consumed, body.utf8.count)
        XCTAssertTrue(finished)
        XCTAssertTrue(d.isFinished)
        // Further calls consume nothing.
        let again = try decodeAll(Array("more".utf8), &d)
        XCTAssertEqual(again.1, 0)
        XCTAssertTrue(again.2)
    }

    func testEveryByteBoundary() throws {
        let raw = Array("4;x=\"y\"\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nT: v\r\n\r\n".utf8)
        let expected = Array("Wikipedia in\r\n\r\nchunks.".utf8)
        // One byte at a time.
        var d = ChunkedDecoder()
        var body: [UInt8] = []
        var finished = false
        for (i, b) in raw.enumerated() {
            let (c, f) = try [b].withUnsafeBytes { p in
                try d.decode(p) { body.append(contentsOf: $0) }
            }
            XCTAssertEqual(c, 1)
            XCTAssertEqual(f, i == raw.count - 1)
            finished = f
        }
        XCTAssertTrue(finished)
        XCTAssertEqual(body, expected)
        // Every split into two pieces.
        for cut in 0...raw.count {
            var d2 = ChunkedDecoder()
            var out: [UInt8] = []
            var total = 0
            var done = false
            for piece in [Array(raw[0..<cut]), Array(raw[cut...])] {
                let (c, f) = try piece.withUnsafeBytes { p in
                    try d2.decode(p) { out.append(contentsOf: $0) }
                }
                total += c
                done = f
            }
            XCTAssertEqual(out, expected, "cut \(cut)")
            XCTAssertEqual(total, raw.count)
            XCTAssertTrue(done)
        }
    }

    func testPullAPIReportsRangesIntoInput() throws {
        let raw = Array("3\r\nabc\r\n0\r\n\r\n".utf8)
        var d = ChunkedDecoder()
        try raw.withUnsafeBytes { p in
            let (s1, c1) = try d.next(p)
            XCTAssertEqual(s1, .data(3..<6))
            XCTAssertEqual(c1, 6)
            let (s2, c2) = try d.next(UnsafeRawBufferPointer(rebasing: p[c1...]))
            XCTAssertEqual(s2, .done)
            XCTAssertEqual(c1 + c2, raw.count)
        }
        var d2 = ChunkedDecoder()
        try Array("3\r\nab".utf8).withUnsafeBytes { p in
            XCTAssertEqual(try d2.next(p).step, .data(3..<5))
            XCTAssertEqual(try d2.next(UnsafeRawBufferPointer(rebasing: p[5...])).step, .needMore)
        }
    }

    func testLargeChunkSizes() throws {
        var d = ChunkedDecoder()
        let (_, c, f) = try decodeAll(Array("7fffffffffffffff\r\nabc".utf8), &d)
        XCTAssertEqual(c, 21)
        XCTAssertFalse(f)
        assertFails("8000000000000000\r\n", "chunk_size_overflow")
        assertFails("ffffffffffffffff\r\n", "chunk_size_overflow")
        assertFails("00000000000000001\r\n", "chunk_size_overflow")
        assertFails("10000000000000000\r\n", "chunk_size_overflow")
    }

    func testRejections() {
        assertFails("\r\n", "invalid_chunk")
        assertFails("x\r\n", "invalid_chunk")
        assertFails("-1\r\n", "invalid_chunk")
        assertFails("+1\r\n", "invalid_chunk")
        assertFails(" 1\r\na\r\n", "invalid_chunk")
        assertFails("0x1\r\na\r\n", "invalid_chunk")
        assertFails("1 \r\na\r\n0\r\n\r\n", "invalid_chunk")
        assertFails("1\na\r\n", "invalid_chunk")
        assertFails("1\r\r\na\r\n", "invalid_chunk")
        assertFails("1\r\nab\r\n", "invalid_chunk")
        assertFails("1\r\na\n", "invalid_chunk")
        assertFails("1\r\na\r\r", "invalid_chunk")
        assertFails("1;a\u{1}\r\na\r\n", "invalid_chunk")
        assertFails("1;a=\"x\ny\"\r\na\r\n", "invalid_chunk")
        assertFails("1;a=(b)\r\na\r\n", "invalid_chunk")
        assertFails("0\r\nX: a\nY: b\r\n\r\n", "invalid_chunk")
        assertFails("0\r\n\n", "invalid_chunk")
        assertFails("0\r\n\r\r", "invalid_chunk")
        assertFails("0\r\nX : a\r\n\r\n", "invalid_chunk")
        assertFails("0\r\n folded\r\n\r\n", "invalid_chunk")
        assertFails("0\r\nX: a\u{0}\r\n\r\n", "invalid_chunk")
        assertFails("0\r\nnocolon\r\n\r\n", "invalid_chunk")
    }

    func testResponseDecoderErrorsAre502() throws {
        var d = ChunkedDecoder(forResponse: true)
        XCTAssertThrowsError(try decodeAll(Array("zz\r\n".utf8), &d)) { error in
            XCTAssertEqual((error as? HTTPParseError)?.status, 502)
            XCTAssertEqual((error as? HTTPParseError)?.code, "invalid_chunk")
        }
    }

    func testLineAndTrailerLimits() {
        assertFails("1;" + String(repeating: "a", count: 20) + "\r\n", "invalid_chunk",
                    decoder: ChunkedDecoder(maxChunkLineBytes: 16))
        assertFails("0\r\nX: " + String(repeating: "v", count: 40) + "\r\n\r\n", "invalid_chunk",
                    decoder: ChunkedDecoder(maxTrailerBytes: 32))
        assertFails("0\r\n" + String(repeating: "A: 1\r\n", count: 10) + "\r\n", "invalid_chunk",
                    decoder: ChunkedDecoder(maxTrailerBytes: 32))
    }
}
