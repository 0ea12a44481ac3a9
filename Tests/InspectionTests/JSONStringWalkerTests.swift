import XCTest
@testable import Inspection

final class JSONStringWalkerTests: XCTestCase {
    struct Seen: Equatable { var text: String; var raw: String; var isKey: Bool; var pointer: String }

    func walk(_ json: String) throws(InspectionError) -> [Seen] {
        let bytes = Array(json.utf8)
        var seen: [Seen] = []
        let w = JSONStringWalker()
        var failure: InspectionError?
        bytes.withUnsafeBytes { raw in
            do throws(InspectionError) {
                try w.walk(raw) { s, frames in
                    var f = frames
                    if s.isKey { f[f.count - 1] = .object(key: s.rawContent) }
                    let all = s.rawRange(0..<s.decoded.count)
                    seen.append(Seen(text: String(decoding: s.decoded, as: UTF8.self),
                                     raw: String(decoding: bytes[all], as: UTF8.self),
                                     isKey: s.isKey, pointer: JSONPointer.make(raw, f)))
                }
            } catch { failure = error }
        }
        if let failure { throw failure }
        return seen
    }

    /// Walks `bytes` with a non-throwing visitor (no typed-throws closures
    /// passed through `withUnsafeBytes`: that crashes swift-frontend 6.3.1).
    func walkRaw(_ bytes: [UInt8], _ body: (JSONStringWalker.StringRef, [JSONStringWalker.Frame]) -> Void) throws {
        let w = JSONStringWalker()
        var failure: InspectionError?
        bytes.withUnsafeBytes { raw in
            do throws(InspectionError) {
                try w.walk(raw) { s, f in body(s, f) }
            } catch { failure = error }
        }
        if let failure { throw failure }
    }

    func testYieldsKeysAndValuesWithPointers() throws {
        let seen = try walk(#"{"a":{"b":["x",1,true,null,{"c/d":"y"}]},"e~":"z"}"#)
        XCTAssertEqual(seen.filter { !$0.isKey }.map(\.text), ["x", "y", "z"])
        XCTAssertEqual(seen.filter { !$0.isKey }.map(\.pointer), ["/a/b/0", "/a/b/4/c~1d", "/e~0"])
        XCTAssertEqual(seen.filter(\.isKey).map(\.text), ["a", "b", "c/d", "e~"])
    }

    func testDecodesEscapesAndMapsBackToRaw() throws {
        let seen = try walk(#"["alice\u0040example.com", "tab\there", "\ud83d\ude00!", "caf\u00e9"]"#)
        XCTAssertEqual(seen.map(\.text), ["alice@example.com", "tab\there", "😀!", "café"])
        XCTAssertEqual(seen[0].raw, #"alice\u0040example.com"#)
        // A sub-range maps to whole escape units.
        let bytes = Array(#"["x\u0040y"]"#.utf8)
        try walkRaw(bytes) { s, _ in
            XCTAssertEqual(s.decoded.count, 3)
            XCTAssertEqual(s.rawRange(1..<2), 3..<9)   // \u0040
            XCTAssertEqual(s.rawRange(0..<1), 2..<3)
            XCTAssertEqual(s.rawRange(2..<3), 9..<10)
        }
    }

    func testEmojiSubrangeCoversWholeSurrogatePair() throws {
        let bytes = Array(#"["\ud83d\ude00"]"#.utf8)
        try walkRaw(bytes) { s, _ in
            XCTAssertEqual(s.decoded.count, 4)
            XCTAssertEqual(s.rawRange(1..<2), 2..<14)
        }
    }

    func testRejectsMalformed() {
        for bad in [#"{"a":1,}"#, #"["x"#, #"{"a" 1}"#, #"["\x"]"#, #"["\ud800"]"#, #"[01]"#, #"[1.]"#, "[\"a\nb\"]",
                    #"{"a":1} x"#, #"[tru]"#, "", #"{1:2}"#, "[\"\u{1}\"]"] {
            XCTAssertThrowsError(try walk(bad), bad)
        }
        let invalidUTF8: [UInt8] = [0x5B, 0x22, 0xC3, 0x28, 0x22, 0x5D]
        XCTAssertThrowsError(try walkRaw(invalidUTF8) { _, _ in })
    }

    func testDepthLimit() {
        let deep = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        XCTAssertThrowsError(try walk(deep))
        let ok = String(repeating: "[", count: 100) + "\"a\"" + String(repeating: "]", count: 100)
        XCTAssertEqual(try walk(ok).count, 1)
    }

    func testScalarsAndEmptyContainers() throws {
        XCTAssertEqual(try walk(#"  "top"  "#).map(\.text), ["top"])
        XCTAssertEqual(try walk(#"{"a":[],"b":{},"c":-1.5e+3}"#).filter { !$0.isKey }.count, 0)
    }
}
