import Foundation
import XCTest
@testable import Inspection

/// Runs `Fixtures/detectors.jsonl` through every detector (including the
/// opt-in generic secret): zero false negatives and zero false positives.
/// Cases marked `"json": true` are scanned as JSON bodies (escapes decoded,
/// ranges mapped back to raw); the others as plain text.
final class DetectorCorpusTests: XCTestCase {
    func testCorpusHasNoFalsePositivesOrNegatives() throws {
        let inspector = Shared.all
        let scratch = try inspector.makeScratch()
        var tally = Tally()
        var failures: [String] = []
        let cases = try Corpus.lines("detectors.jsonl")
        XCTAssertGreaterThan(cases.count, 150)
        for c in cases {
            let text = try XCTUnwrap(c["text"] as? String)
            let expect = try XCTUnwrap(c["expect"] as? [[String]])
            let isJSON = c["json"] as? Bool ?? false
            let bytes = Array(text.utf8)
            let found: [Finding] = try bytes.withUnsafeBytes { raw in
                isJSON ? try inspector.scanJSON(raw, scratch: scratch) : try inspector.scan(raw, scratch: scratch)
            }
            var got = found.map { [$0.kind.label, String(decoding: bytes[$0.range], as: UTF8.self)] }
            for e in expect {
                if let i = got.firstIndex(of: e) {
                    got.remove(at: i)
                    tally.tp[e[0], default: 0] += 1
                } else {
                    tally.fn[e[0], default: 0] += 1
                    failures.append("missed \(e) in \(text.debugDescription)")
                }
            }
            for g in got {
                tally.fp[g[0], default: 0] += 1
                failures.append("false positive \(g) in \(text.debugDescription)")
            }
        }
        print(tally.report("Detector corpus: \(cases.count) cases"))
        XCTAssertEqual(failures, [], failures.joined(separator: "\n"))
    }
}
