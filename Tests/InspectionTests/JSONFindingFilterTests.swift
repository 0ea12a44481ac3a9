import XCTest
@testable import Inspection

/// `scanJSON(pointers: false)` without the generic-secret detector settles
/// the raw findings during the walk (`JSONFindingFilter`); with pointers it
/// records every span and searches them. Both must give the same findings
/// (pointers aside) and the same errors.
final class JSONFindingFilterTests: XCTestCase {
    static let inspector = try! Inspector(InspectorConfiguration(
        detectors: Detector.defaultSet,
        customPatterns: [CustomPattern(name: "ticket", expression: #"TCK-[0-9]{3}"#),
                         CustomPattern(name: "colon", expression: #"":\s*"z"#)]))

    /// Both paths on `bytes`: equal findings, or equal errors.
    func assertSame(_ bytes: [UInt8], scratch: PatternScratch, file: StaticString = #filePath, line: UInt = #line) {
        let inspector = Self.inspector
        XCTAssertFalse(inspector.genericSecret)
        bytes.withUnsafeBytes { raw in
            let filtered = Result { () throws(InspectionError) -> [Finding] in try inspector.scanJSON(raw, scratch: scratch, pointers: false) }
            let spans = Result { () throws(InspectionError) -> [Finding] in
                try inspector.scanJSON(raw, scratch: scratch, pointers: true).map { f in
                    var f = f
                    f.pointer = nil
                    return f
                }
            }
            XCTAssertEqual(filtered, spans, String(decoding: bytes, as: UTF8.self), file: file, line: line)
        }
    }

    func testEdgeCases() throws {
        let scratch = try Self.inspector.makeScratch()
        let docs = [
            #"{"4111111111111111": 4111111111111111, "k": "4111 1111 1111 1111"}"#,
            #"[4111111111111111, -4111111111111111, 4111111111111111.5, 4111111111111111e2]"#,
            #"{"a": "alice@example.com", "b": "alice\u0040example.com", "c": "x\nalice@example.com"}"#,
            #"{"a": "TCK-123", "":"", "b":"z", "c": [], "d": {}, "e": ["", "TCK-456", ""]}"#,
            #"{"aws_secret_access_key": "wJalrXUtnFEMI\/K7MDENG\/bPxRfiCYEXAMPLEKEY"}"#,
            #""536-22-8901""#,
            #"536228901"#,
            #"  [ "alice@example.com" ,"bob@example.org" ]  "#,
            #"{"a": "alice@example.com" "b": 1}"#,
            #"{"a": "alice@example.com", "b": 12, }"#,
            #"["4111 1111 1111 1111"#,
            #"{"ip": "10.0.0.1", "ip2": 10.0, "ssn": "536-22-8901", "phone": "+1 415 555 2671"}"#,
            #"{"x": "AKIAIOSFODNN7EXAMPLE", "y": "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"}"#,
            "",
            "\u{FEFF}[\"alice@example.com\"]",
        ]
        for d in docs { assertSame(Array(d.utf8), scratch: scratch) }
    }

    /// Random documents built from pieces that hit detectors, escapes,
    /// keys, numbers and structure, and truncations of them (malformed).
    func testRandomDocuments() throws {
        var rng = JSONMaskingPropertyTests.LCG(state: 4242)
        let scratch = try Self.inspector.makeScratch()
        let strings = ["4111 1111 1111 1111", "alice@example.com", "alice\\u0040example.com", "536-22-8901", "\\n", "\\\"",
                       "é", "TCK-042", "+1 415 555 2671", "x", "", "10.1.2.3", "DE89 3704 0044 0532 0130 00", "\\/"]
        let numbers = ["4111111111111111", "12", "-0.5e3", "536228901", "0", "10.25"]
        func value(_ depth: Int) -> String {
            switch Int.random(in: 0..<(depth > 2 ? 2 : 4), using: &rng) {
            case 0: return "\"" + (0..<Int.random(in: 0..<4, using: &rng)).map { _ in strings.randomElement(using: &rng)! }.joined() + "\""
            case 1: return numbers.randomElement(using: &rng)!
            case 2: return "[" + (0..<Int.random(in: 0..<4, using: &rng)).map { _ in value(depth + 1) }.joined(separator: ", ") + "]"
            default:
                return "{" + (0..<Int.random(in: 0..<4, using: &rng)).map { _ in
                    "\"\(strings.randomElement(using: &rng)!)\": " + value(depth + 1)
                }.joined(separator: ",") + "}"
            }
        }
        for _ in 0..<600 {
            let doc = Array(value(0).utf8)
            assertSame(doc, scratch: scratch)
            assertSame(Array(doc.prefix(Int.random(in: 0...doc.count, using: &rng))), scratch: scratch)
        }
    }

    /// Too many candidates in a malformed body: refused as malformed, as
    /// when the walk ran before the scan; in a valid one, the engine error.
    func testMalformedBeforeEngineError() throws {
        let scratch = try Self.inspector.makeScratch()
        scratch.matchLimit = 2
        let many = "[" + Array(repeating: "\"a@b.io\"", count: 5).joined(separator: ",")
        assertSame(Array(many.utf8), scratch: scratch)
        assertSame(Array((many + "]").utf8), scratch: scratch)
        let result = Array((many + "]").utf8).withUnsafeBytes { raw in
            Result { () throws(InspectionError) -> [Finding] in try Self.inspector.scanJSON(raw, scratch: scratch, pointers: false) }
        }
        guard case .failure(.engine) = result else { return XCTFail("\(result)") }
    }
}
