import Foundation
import XCTest
@testable import Inspection

/// `Fixtures/shell.jsonl`: each command line with its exact set of risks
/// (and `malformed` when the parser must report it).
final class ShellCorpusTests: XCTestCase {
    func testCorpus() throws {
        let cases = try Corpus.lines("shell.jsonl")
        XCTAssertGreaterThan(cases.count, 150)
        var failures: [String] = []
        var tally = Tally()
        for c in cases {
            let cmd = try XCTUnwrap(c["cmd"] as? String)
            let risks = Set(try XCTUnwrap(c["risks"] as? [String]))
            let malformed = c["malformed"] as? Bool ?? false
            let a = ShellClassifier.analyze(cmd)
            let got = Set(a.risks.map(\.rawValue))
            for r in risks { if got.contains(r) { tally.tp[r, default: 0] += 1 } else { tally.fn[r, default: 0] += 1 } }
            for r in got.subtracting(risks) { tally.fp[r, default: 0] += 1 }
            if got != risks || a.malformed != malformed {
                failures.append("\(cmd.debugDescription): \(got.sorted()) malformed=\(a.malformed), expected \(risks.sorted()) malformed=\(malformed)")
            }
        }
        print(tally.report("Shell corpus: \(cases.count) cases"))
        XCTAssertEqual(failures, [], failures.joined(separator: "\n"))
    }
}
