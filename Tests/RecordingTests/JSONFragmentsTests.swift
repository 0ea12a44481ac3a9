#if canImport(Glibc)
import Glibc
#endif
import GatehouseCore
@testable import Recording
import XCTest

/// The writer's fast JSON string writer and credential redaction give the
/// same bytes as the straightforward versions they replace.
final class JSONFragmentsTests: XCTestCase {
    func testAppendStringMatchesJSONOutput() {
        var cases = ["", "a", "plain ascii header value", "Bearer [REDACTED]", "\"quoted\"", "back\\slash",
                     "tab\there", "line\nbreak\r", "\u{7F}del", "\u{01}\u{1F}", "ünïcødé → ✓ 🎉", "12345678",
                     "1234567\"", "\"2345678", "abcdefgh\u{00}ijklmnop", String(repeating: "x", count: 67)]
        // Every position of an escaped byte relative to the eight-byte steps.
        for k in 0..<17 { cases.append(String(repeating: "a", count: k) + "\\" + String(repeating: "b", count: 16 - k)) }
        let out = ScratchBuffer(capacity: 16)
        for s in cases { assertMatchesReference(s, out) }
    }

    /// `JSONFragments.appendString` writes exactly what `JSONOutput` does.
    private func assertMatchesReference(_ s: String, _ out: ScratchBuffer, line: UInt = #line) {
        var expected: [UInt8] = []
        JSONOutput.appendString(s, to: &expected)
        out.removeAll()
        JSONFragments.appendString(s, to: out)
        XCTAssertEqual(Array(out.bytes), expected, s.debugDescription, line: line)
    }

    /// Random strings of every length up to 40 over plain, escaped and
    /// multi-byte characters: the word-at-a-time writer (tails included)
    /// matches the reference byte for byte.
    func testAppendStringMatchesJSONOutputOnRandomStrings() {
        var rng = SystemRandomNumberGenerator()
        let alphabet: [Character] = ["a", "Z", "0", " ", "\"", "\\", "\n", "\t", "\u{01}", "\u{7F}", "é", "✓", "🎉", "/"]
        let out = ScratchBuffer(capacity: 16)
        for length in 0...40 {
            for _ in 0..<25 {
                let s = String((0..<length).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
                assertMatchesReference(s, out)
            }
        }
    }

    /// Strings that end at every offset just before a page boundary (the
    /// C writer may read up to fifteen bytes past a string, but only within
    /// its page; the next page is made unreadable here, so a read across
    /// the boundary would crash the test).
    func testAppendStringAtAPageEnd() throws {
        let page = 4096
        guard let raw = mmap(nil, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              raw != MAP_FAILED else { return XCTFail("mmap") }
        defer { munmap(raw, 2 * page) }
        XCTAssertEqual(mprotect(raw + page, page, PROT_NONE), 0)
        let base = raw.assumingMemoryBound(to: UInt8.self)
        let out = ScratchBuffer(capacity: 16)
        let text = Array("ab\"c\\d\u{01}efghijklmnopqrstuvwxyz0123456789".utf8)
        for length in 0...text.count {
            let start = base + page - length
            for k in 0..<length { start[k] = text[k] }
            let bytes = UnsafeRawBufferPointer(start: start, count: length)
            var expected: [UInt8] = []
            JSONOutput.appendString(String(decoding: bytes, as: UTF8.self), to: &expected)
            out.removeAll()
            JSONFragments.appendString(bytes: bytes, to: out)
            XCTAssertEqual(Array(out.bytes), expected, "length \(length)")
            out.removeAll()
            JSONFragments.appendText(bytes, to: out)
            XCTAssertEqual(Array(out.bytes), expected, "appendText, length \(length)")
        }
    }

    /// Header bytes as received: ASCII is copied (escaped), UTF-8 kept,
    /// and bytes that are not UTF-8 become U+FFFD at any position relative
    /// to the sixteen-byte steps.
    func testAppendTextOfNonASCIIAndInvalidBytes() {
        let out = ScratchBuffer(capacity: 16)
        for prefix in 0..<20 {
            for tail: [UInt8] in [[0xC3, 0xA9], [0xFF], [0xE2, 0x9C], [0x80, 0x41], [0x22, 0xF0, 0x9F, 0x8E, 0x89]] {
                let bytes = Array(repeating: UInt8(ascii: "h"), count: prefix) + tail + Array("\tend".utf8)
                var expected: [UInt8] = []
                JSONOutput.appendString(String(decoding: bytes, as: UTF8.self), to: &expected)
                out.removeAll()
                bytes.withUnsafeBytes { JSONFragments.appendText($0, to: out) }
                XCTAssertEqual(Array(out.bytes), expected, "prefix \(prefix), tail \(tail)")
            }
        }
    }

    /// Integers in records are written two digits at a time.
    func testObjectWriterIntegers() {
        var values: [Int64] = [0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, 65_536, 1_796_601_773_484,
                               -1, -10, -99, -100, .max, .min, .max - 1, .min + 1]
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<500 { values.append(Int64(bitPattern: rng.next()) >> Int64(rng.next() % 63)) }
        let out = ScratchBuffer(capacity: 16)
        for v in values {
            out.removeAll()
            ObjectWriter(out).appendInt(v)
            XCTAssertEqual(String(decoding: out.bytes, as: UTF8.self), "{" + String(v), String(v))
        }
    }

    func testKeepScheme() {
        let m = HeaderRedactor.marker
        let cases: [(String, String)] = [
            ("Bearer abc.def", "Bearer \(m)"), ("  \tBasic dXNlcjpwYXNz", "Basic \(m)"), ("token", m), ("", m),
            ("Bearer", m), ("Be@rer abc", m), ("\(String(repeating: "a", count: 33)) x", m),
            ("\(String(repeating: "a", count: 32)) x", "\(String(repeating: "a", count: 32)) \(m)"),
            ("Négo tiate", m), ("Digest-1_x y z", "Digest-1_x \(m)"),
        ]
        for (value, expected) in cases { XCTAssertEqual(HeaderRedactor.keepScheme(value), expected, value) }
        let r = HeaderRedactor(extra: ["X-Api-Key", "authorization"])
        XCTAssertEqual(r.redact([HeaderField("AUTHORIZATION", "Bearer t"), HeaderField("x-api-key", "k"),
                                 HeaderField("Cookie", "a=1; b=2"), HeaderField("Set-Cookie", "s=1; Path=/"),
                                 HeaderField("Accept", "*/*")]),
                       [HeaderField("AUTHORIZATION", "Bearer \(m)"), HeaderField("x-api-key", m),
                        HeaderField("Cookie", "a=\(m); b=\(m)"), HeaderField("Set-Cookie", "s=\(m)"),
                        HeaderField("Accept", "*/*")])
    }
}
