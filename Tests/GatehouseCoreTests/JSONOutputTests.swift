import Foundation
import GatehouseCore
import XCTest

final class JSONOutputTests: XCTestCase {
    private func encode(_ s: String) -> String {
        var out: [UInt8] = []
        JSONOutput.appendString(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private func encode(bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        bytes.withUnsafeBytes { JSONOutput.appendString(bytes: $0, to: &out) }
        return out
    }

    /// Parses `json` (a JSON string literal) with Foundation and returns the decoded string.
    private func decodeWithFoundation(_ json: [UInt8], file: StaticString = #filePath, line: UInt = #line) -> String? {
        let wrapped = Data(Array("[".utf8) + json + Array("]".utf8))
        do {
            let obj = try JSONSerialization.jsonObject(with: wrapped)
            guard let arr = obj as? [Any], arr.count == 1, let s = arr[0] as? String else {
                XCTFail("not a single string: \(obj)", file: file, line: line)
                return nil
            }
            return s
        } catch {
            XCTFail("JSONSerialization rejected \(String(decoding: json, as: UTF8.self)): \(error)", file: file, line: line)
            return nil
        }
    }

    func testPlainASCIIUnchanged() {
        XCTAssertEqual(encode("GET /index.html"), "\"GET /index.html\"")
        XCTAssertEqual(encode(""), "\"\"")
    }

    func testQuotesAndBackslash() {
        XCTAssertEqual(encode("a\"b"), #""a\"b""#)
        XCTAssertEqual(encode("a\\b"), #""a\\b""#)
        XCTAssertEqual(encode("\"\\\""), #""\"\\\"""#)
    }

    func testNamedControlEscapes() {
        XCTAssertEqual(encode("\n"), #""\n""#)
        XCTAssertEqual(encode("\r"), #""\r""#)
        XCTAssertEqual(encode("\t"), #""\t""#)
    }

    func testOtherControlsAndDELUseUnicodeEscapes() {
        XCTAssertEqual(encode("\u{0}"), #""\u0000""#)
        XCTAssertEqual(encode("\u{1}"), #""\u0001""#)
        XCTAssertEqual(encode("\u{8}"), #""\u0008""#)
        XCTAssertEqual(encode("\u{C}"), #""\u000c""#)
        XCTAssertEqual(encode("\u{1B}"), #""\u001b""#)
        XCTAssertEqual(encode("\u{1F}"), #""\u001f""#)
        XCTAssertEqual(encode("\u{7F}"), #""\u007f""#)
        XCTAssertEqual(encode(" ~"), #"" ~""#, "0x20 and 0x7E are printable")
    }

    func testEveryControlByteIsEscapedAndRoundTrips() {
        let all = (0..<0x80).map { UInt8($0) }
        let out = encode(bytes: all)
        // No raw control character (or DEL) may survive.
        XCTAssertFalse(out.contains { $0 < 0x20 || $0 == 0x7F })
        XCTAssertEqual(decodeWithFoundation(out), String(decoding: all, as: UTF8.self))
    }

    func testValidMultibyteKept() {
        let s = "é 中文 € 𝄞 😀"
        let out = encode(bytes: Array(s.utf8))
        XCTAssertEqual(out, Array("\"\(s)\"".utf8), "valid UTF-8 is copied verbatim")
        XCTAssertEqual(decodeWithFoundation(out), s)
        XCTAssertEqual(encode(s), "\"\(s)\"")
    }

    func testBoundaryCodePointsKept() {
        // U+0080, U+07FF, U+0800, U+D7FF, U+E000, U+FFFF, U+10000, U+10FFFF
        for scalar: UInt32 in [0x80, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFD, 0xFFFF, 0x10000, 0x10FFFF] {
            let s = String(Unicode.Scalar(scalar)!)
            let out = encode(bytes: Array(s.utf8))
            XCTAssertEqual(out, [0x22] + Array(s.utf8) + [0x22], "U+\(String(scalar, radix: 16))")
        }
    }

    func testInvalidUTF8ReplacedWithReplacementCharacter() {
        let fffd: [UInt8] = [0xEF, 0xBF, 0xBD]
        let cases: [(String, [UInt8], [UInt8])] = [
            ("lone continuation", [0x61, 0x80, 0x62], [0x61] + fffd + [0x62]),
            ("overlong C0", [0xC0, 0xAF], fffd + fffd),
            ("overlong C1", [0xC1, 0xBF], fffd + fffd),
            ("overlong E0", [0xE0, 0x80, 0xAF], fffd + fffd + fffd),
            ("surrogate ED A0", [0xED, 0xA0, 0x80], fffd + fffd + fffd),
            ("overlong F0", [0xF0, 0x80, 0x80, 0xAF], fffd + fffd + fffd + fffd),
            ("above U+10FFFF", [0xF4, 0x90, 0x80, 0x80], fffd + fffd + fffd + fffd),
            ("F5 lead", [0xF5, 0x80], fffd + fffd),
            ("FF", [0xFF], fffd),
            ("truncated at end", [0x61, 0xE2, 0x82], [0x61] + fffd + fffd),
            ("truncated 4-byte", [0xF0, 0x9F, 0x98, 0x22], fffd + fffd + fffd + [0x5C, 0x22]),
            ("lead then ASCII", [0xC3, 0x41], fffd + [0x41]),
        ]
        for (name, input, expected) in cases {
            let out = encode(bytes: input)
            XCTAssertEqual(out, [0x22] + expected + [0x22], name)
            XCTAssertNotNil(decodeWithFoundation(out), name)
        }
    }

    func testHostileMixParsesWithFoundation() {
        var rng = SeededGenerator(seed: 42)
        for round in 0..<200 {
            let bytes = (0..<Int.random(in: 0..<64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let out = encode(bytes: bytes)
            XCTAssertFalse(out.dropFirst().dropLast().contains { $0 < 0x20 }, "round \(round)")
            let decoded = decodeWithFoundation(out)
            XCTAssertNotNil(decoded, "round \(round)")
            // Decoding the escaped output gives the input's valid text exactly.
            // JSONOutput replaces each invalid byte with U+FFFD, while Swift's
            // decoder replaces each maximal invalid subpart, so compare with
            // the replacement characters removed, and count them.
            if let decoded {
                let lossy = String(decoding: bytes, as: UTF8.self)
                let fffd: Unicode.Scalar = "\u{FFFD}"
                XCTAssertEqual(String(decoded.unicodeScalars.filter { $0 != fffd }),
                               String(lossy.unicodeScalars.filter { $0 != fffd }), "round \(round): \(bytes)")
                XCTAssertGreaterThanOrEqual(decoded.unicodeScalars.filter { $0 == fffd }.count,
                                            lossy.unicodeScalars.filter { $0 == fffd }.count, "round \(round)")
            }
        }
    }

    private func int<T: BinaryInteger>(_ v: T) -> String {
        var out: [UInt8] = []
        JSONOutput.appendInt(v, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    func testAppendInt() {
        XCTAssertEqual(int(0), "0")
        XCTAssertEqual(int(7), "7")
        XCTAssertEqual(int(10), "10")
        XCTAssertEqual(int(200), "200")
        XCTAssertEqual(int(-1), "-1")
        XCTAssertEqual(int(-1234567), "-1234567")
        XCTAssertEqual(int(Int.max), "9223372036854775807")
        XCTAssertEqual(int(Int.max - 1), "9223372036854775806")
        XCTAssertEqual(int(UInt64.max), "18446744073709551615")
        XCTAssertEqual(int(UInt8(255)), "255")
        XCTAssertEqual(int(Int8(-128)), "-128")
        XCTAssertEqual(int(Int16.min), "-32768")
        XCTAssertEqual(int(Int.min + 1), "-9223372036854775807")
        XCTAssertEqual(int(Int.min), "-9223372036854775808")
        XCTAssertEqual(int(Int32.min), "-2147483648")
    }

    func testAppendIntMatchesDescription() {
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<1000 {
            let v = Int(bitPattern: UInt(rng.next())) >> Int.random(in: 0..<63, using: &rng)
            XCTAssertEqual(int(v), String(v))
        }
    }

    func testAppendIntAppends() {
        var out = Array("x=".utf8)
        JSONOutput.appendInt(42, to: &out)
        XCTAssertEqual(String(decoding: out, as: UTF8.self), "x=42")
    }

    private func ms(_ nanos: UInt64) -> String {
        var out: [UInt8] = []
        JSONOutput.appendMilliseconds(nanos: nanos, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    func testAppendMilliseconds() {
        XCTAssertEqual(ms(0), "0.000")
        XCTAssertEqual(ms(999), "0.000", "below a microsecond truncates")
        XCTAssertEqual(ms(1_000), "0.001")
        XCTAssertEqual(ms(12_345_678), "12.345")
        XCTAssertEqual(ms(1_000_000), "1.000")
        XCTAssertEqual(ms(1_050_000), "1.050")
        XCTAssertEqual(ms(100_000), "0.100")
        XCTAssertEqual(ms(3_600_000_000_000), "3600000.000")
        XCTAssertEqual(ms(UInt64.max), "18446744073709.551")
        // Always a valid JSON number.
        for n: UInt64 in [0, 5_000, 123_456_789, UInt64.max] {
            let text = ms(n)
            let parsed = try? JSONSerialization.jsonObject(with: Data("[\(text)]".utf8)) as? [NSNumber]
            XCTAssertNotNil(parsed, text)
        }
    }
}
