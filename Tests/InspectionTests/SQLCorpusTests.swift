import Foundation
import XCTest
@testable import Inspection

/// `Fixtures/sql.jsonl`: each SQL text with its exact class set and flag
/// set. Prints precision and recall per class and flag (Docs/POLICY.md,
/// "Detector quality").
final class SQLCorpusTests: XCTestCase {
    func testCorpus() throws {
        let cases = try Corpus.lines("sql.jsonl")
        XCTAssertGreaterThan(cases.count, 60)
        var failures: [String] = []
        var tally = Tally()
        for c in cases {
            let sql = try XCTUnwrap(c["sql"] as? String)
            let classes = Set(try XCTUnwrap(c["classes"] as? [String]))
            let flags = Set(try XCTUnwrap(c["flags"] as? [String]))
            let a = SQLClassifier.analyze(sql)
            let gotClasses = Set(a.classes.map(\.rawValue)), gotFlags = Set(a.flags.map(\.rawValue))
            for (want, got) in [(classes, gotClasses), (flags, gotFlags)] {
                for l in want.intersection(got) { tally.tp[l, default: 0] += 1 }
                for l in want.subtracting(got) { tally.fn[l, default: 0] += 1 }
                for l in got.subtracting(want) { tally.fp[l, default: 0] += 1 }
            }
            if gotClasses != classes || gotFlags != flags {
                failures.append("\(sql.debugDescription): classes \(gotClasses.sorted()) flags \(gotFlags.sorted()), expected \(classes.sorted()) \(flags.sorted())")
            }
        }
        print(tally.report("SQL corpus: \(cases.count) cases, \(failures.count) mismatches"))
        XCTAssertEqual(failures, [], failures.joined(separator: "\n"))
    }
}
