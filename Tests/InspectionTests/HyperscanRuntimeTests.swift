import XCTest
@testable import Inspection

/// The pattern engine finds every occurrence wherever it lies in the
/// buffer. Vectorscan's AVX-512 build (Debian 12's 5.4.9) does not: on an
/// AVX-512 CPU, `@[a-z]` at offset 64 of a 66-byte buffer went unreported.
/// `HyperscanRuntime` then scans with the library's AVX2 build; these tests
/// fail on such a CPU without it, and pass everywhere with it.
final class HyperscanRuntimeTests: XCTestCase {
    /// Patterns of the shapes that were missed, and one the self-test does
    /// not probe, each with one occurrence and what it must produce.
    static let cases: [(expression: String, occurrence: String, flags: PatternFlags)] = [
        ("@[a-z]", "@b", []),
        (#"[^\s"]@[a-z0-9]"#, "a@b", [.leftmostStart]),
        ("k[a-z]{3,}", "kabcd", [.leftmostStart]),
        ("=[A-Za-z0-9+/]{8}", "=abcdefgh", []),
        (#"(?i)drop\s+table"#, "DROP  TABLE", [.leftmostStart]),
    ]

    /// Each pattern in a database of its own (where the AVX-512 build used
    /// the accelerator that missed), then all in one.
    func testEveryPlacementOfAnOccurrenceIsFoundOnce() throws {
        let specs = Self.cases.enumerated().map { PatternSpec(id: "p\($0.offset)", expression: $0.element.expression, flags: $0.element.flags) }
        var failures: [String] = []
        for (index, spec) in specs.enumerated() {
            failures += try placementFailures(PatternDatabase([spec]).makeScratch(), case: index, pattern: 0)
        }
        let all = try PatternDatabase(specs).makeScratch()
        for index in specs.indices { failures += try placementFailures(all, case: index, pattern: index) }
        XCTAssertEqual(failures, [], "runtime: \(PatternDatabase.runtimeDescription)")
    }

    /// Scans one occurrence of case `index` at every offset of buffers up
    /// to 260 bytes; describes the placements where pattern `pattern` did
    /// not report exactly what the occurrence reports on its own.
    private func placementFailures(_ scratch: PatternScratch, case index: Int, pattern: Int) throws -> [String] {
        let c = Self.cases[index]
        let occurrence = Array(c.occurrence.utf8)
        let expected = try occurrence.withUnsafeBytes { try scratch.scan($0) }.filter { $0.pattern == pattern }.count
        XCTAssertGreaterThan(expected, 0, c.expression)
        var failures: [String] = []
        var buffer = [UInt8](repeating: 0x20, count: 260)
        for length in occurrence.count...buffer.count where failures.count < 5 {
            for at in 0...(length - occurrence.count) {
                buffer.replaceSubrange(at..<(at + occurrence.count), with: occurrence)
                let got = try buffer.withUnsafeBytes { try scratch.scan(UnsafeRawBufferPointer(rebasing: $0[0..<length])) }
                    .filter { $0.pattern == pattern }
                if got.count != expected || got.contains(where: { $0.end > at + occurrence.count || $0.end <= at }) {
                    failures.append("\(c.expression) (database of \(scratch.database.specs.count)): \(got.count) matches (want \(expected)) with the occurrence at \(at) of \(length) bytes")
                }
                for i in at..<(at + occurrence.count) { buffer[i] = 0x20 }
            }
        }
        return failures
    }

    func testTheSelectedEntryPointPassesTheSelfTestAndSaysWhichItIs() throws {
        let selected = HyperscanRuntime.selected
        let scan = try XCTUnwrap(selected.scan, selected.description)
        XCTAssertTrue(HyperscanRuntime.passes(scan: scan, platform: selected.platform))
        XCTAssertTrue(selected.description.contains("hs_scan"), selected.description)
        XCTAssertEqual(selected.bypassedDispatch, !selected.description.hasPrefix("hs_scan "))
    }
}
