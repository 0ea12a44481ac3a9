import XCTest
@testable import HTTP1

final class HTTPHeadersTests: XCTestCase {
    func testAppendLookupAndOrder() {
        var h = HTTPHeaders()
        XCTAssertTrue(h.isEmpty)
        h.append(name: "Content-Type", value: "text/html")
        h.append(name: "X-Dup", value: "1")
        h.append(name: "x-dup", value: "2")
        XCTAssertEqual(h.count, 3)
        XCTAssertEqual(h.firstValue("content-type"), "text/html")
        XCTAssertEqual(h.firstValue("CONTENT-TYPE"), "text/html")
        XCTAssertNil(h.firstValue("content-length"))
        XCTAssertTrue(h.contains("x-dup"))
        XCTAssertFalse(h.contains("x-du"))
        XCTAssertEqual(h.values("x-dup"), ["1", "2"])
        XCTAssertEqual(h.name(at: 1), Array("X-Dup".utf8))
        XCTAssertEqual(h.value(at: 2), Array("2".utf8))
        XCTAssertEqual(h.firstIndex("x-dup"), 1)
    }

    func testRemoveAndSet() {
        var h = HTTPHeaders()
        h.append(name: "Connection", value: "close")
        h.append(name: "A", value: "1")
        h.append(name: "CONNECTION", value: "x")
        h.append(name: "B", value: "2")
        h.removeAll("connection")
        XCTAssertEqual(headersList(h), ["A: 1", "B: 2"])
        h.set(name: "a", value: "3")
        XCTAssertEqual(headersList(h), ["B: 2", "a: 3"])
        h.removeAll(where: { $0 == "b" || $0.hasPrefix("x-") })
        XCTAssertEqual(headersList(h), ["a: 3"])
    }

    func testRemoveWherePassesLowercasedNames() {
        var h = HTTPHeaders()
        h.append(name: "Keep-Alive", value: "timeout=5")
        h.append(name: "TE", value: "trailers")
        var seen: [String] = []
        h.removeAll(where: { seen.append($0); return false })
        XCTAssertEqual(seen, ["keep-alive", "te"])
        XCTAssertEqual(h.count, 2)
    }

    func testWriteFormat() {
        var h = HTTPHeaders()
        h.append(name: "Host", value: "example.com")
        h.append(name: "X-Empty", value: "")
        var out: [UInt8] = Array("prefix|".utf8)
        h.write(into: &out)
        XCTAssertEqual(String(decoding: out, as: UTF8.self), "prefix|Host: example.com\r\nX-Empty: \r\n")
    }

    func testAppendSanitisesInjection() {
        var h = HTTPHeaders()
        h.append(name: "X-Evil\r\nInjected", value: "a\r\nSet-Cookie: x\u{0}")
        var out: [UInt8] = []
        h.write(into: &out)
        XCTAssertEqual(String(decoding: out, as: UTF8.self), "X-Evil__Injected: a  Set-Cookie: x \r\n")
        XCTAssertFalse(HTTPHeaders.isValidFieldName("X Y"))
        XCTAssertFalse(HTTPHeaders.isValidFieldName(""))
        XCTAssertTrue(HTTPHeaders.isValidFieldName("X-Y"))
        XCTAssertFalse(HTTPHeaders.isValidFieldValue("a\rb"))
        XCTAssertTrue(HTTPHeaders.isValidFieldValue("a\tb é"))
    }

    func testAppendBytesAndWithField() {
        var h = HTTPHeaders()
        let n: [UInt8] = Array("X-Raw".utf8)
        let v: [UInt8] = [0x61, 0xFF, 0x62]
        n.withUnsafeBytes { nb in v.withUnsafeBytes { vb in h.append(nameBytes: nb, valueBytes: vb) } }
        XCTAssertEqual(h.value(at: 0), v)
        let lengths = h.withField(at: 0) { name, value in (name.count, value.count) }
        XCTAssertEqual(lengths.0, 5)
        XCTAssertEqual(lengths.1, 3)
    }

    func testEqualityIsOrderAndCaseSensitive() {
        var a = HTTPHeaders()
        a.append(name: "A", value: "1")
        a.append(name: "B", value: "2")
        var b = HTTPHeaders()
        b.append(name: "A", value: "1")
        b.append(name: "B", value: "2")
        XCTAssertEqual(a, b)
        var c = HTTPHeaders()
        c.append(name: "a", value: "1")
        c.append(name: "B", value: "2")
        XCTAssertNotEqual(a, c)
        b.removeAll("a")
        b.append(name: "A", value: "1")
        XCTAssertNotEqual(a, b)
    }

    func testParsedHeadersAreMutable() throws {
        let (head, _) = try XCTUnwrap(requireRequest("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\nX: 1\r\n\r\n"))
        var h = head.headers
        h.removeAll("connection")
        h.append(name: "Via", value: "1.1 gatehouse")
        XCTAssertEqual(headersList(h), ["Host: a", "X: 1", "Via: 1.1 gatehouse"])
        XCTAssertEqual(head.headers.count, 3)
    }

    /// A literal field is stored exactly as `append(name:value:)` stores it.
    func testLiteralAppendStoresTheSameLine() {
        var a = HTTPHeaders()
        var b = HTTPHeaders()
        a.append(name: "Host", value: "x")
        b.append(name: "Host", value: "x")
        a.append(name: "Accept-Encoding", value: "identity")
        b.append(literalName: "Accept-Encoding", value: "identity")
        XCTAssertEqual(a, b)
        var wa: [UInt8] = [], wb: [UInt8] = []
        a.write(into: &wa)
        b.write(into: &wb)
        XCTAssertEqual(wa, wb)
        XCTAssertEqual(b.firstValue("accept-encoding"), "identity")
    }
}
