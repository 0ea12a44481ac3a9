import XCTest
@testable import Inspection

final class PatternEngineTests: XCTestCase {
    func testCompileAndScanReportsStartAndEnd() throws {
        let db = try PatternDatabase([
            PatternSpec(id: "a", expression: "foo[0-9]+"),
            PatternSpec(id: "b", expression: "bar", flags: [.leftmostStart, .caseless]),
        ])
        let scratch = try db.makeScratch()
        let text = Array("xx foo12 BAR".utf8)
        let matches = try text.withUnsafeBytes { try scratch.scan($0) }
        XCTAssertTrue(matches.contains(PatternMatch(pattern: 0, start: 3, end: 8)))
        XCTAssertTrue(matches.contains(PatternMatch(pattern: 1, start: 9, end: 12)))
    }

    func testCompileErrorCarriesIdAndMessage() {
        XCTAssertThrowsError(try PatternDatabase([
            PatternSpec(id: "ok", expression: "abc"),
            PatternSpec(id: "broken", expression: "a(b"),
        ])) { error in
            guard case let PatternEngineError.compile(id, index, message) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(id, "broken")
            XCTAssertEqual(index, 1)
            XCTAssertFalse(message.isEmpty)
        }
    }

    func testClonedScratchScansIndependently() throws {
        let db = try PatternDatabase([PatternSpec(id: "x", expression: "needle")])
        let s1 = try db.makeScratch()
        let s2 = try s1.clone()
        let text = Array("hay needle hay needle".utf8)
        let a = try text.withUnsafeBytes { try s1.scan($0) }.count
        let b = try text.withUnsafeBytes { try s2.scan($0) }.count
        XCTAssertEqual(a, 2)
        XCTAssertEqual(b, 2)
    }

    func testMatchLimitFailsClosed() throws {
        let db = try PatternDatabase([PatternSpec(id: "a", expression: "a")])
        let scratch = try db.makeScratch()
        scratch.matchLimit = 3
        let text = Array("aaaaaa".utf8)
        XCTAssertThrowsError(try text.withUnsafeBytes { try scratch.scan($0) }) { error in
            XCTAssertEqual(error as? PatternEngineError, .tooManyMatches(limit: 3))
        }
    }

    func testEmptyBufferScans() throws {
        let db = try PatternDatabase([PatternSpec(id: "a", expression: "a")])
        let scratch = try db.makeScratch()
        XCTAssertEqual(try [UInt8]().withUnsafeBytes { try scratch.scan($0) }, [])
    }

    func testAllBuiltInPatternsCompile() throws {
        XCTAssertNoThrow(try Inspector(InspectorConfiguration(detectors: Set(Detector.allCases))))
    }

    func testCustomPatternsAreReported() throws {
        let inspector = try Inspector(InspectorConfiguration(
            detectors: [], customPatterns: [CustomPattern(name: "ticket", expression: "TICKET-[0-9]{4,}")]))
        let f = try inspector.findings(in: "see TICKET-12345 now")
        XCTAssertEqual(f.map(\.0), ["ticket"])
        XCTAssertEqual(f.map(\.1), ["TICKET-12345"])
    }
}
