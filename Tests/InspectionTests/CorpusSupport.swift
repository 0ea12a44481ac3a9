import Foundation
import XCTest

/// Loads labelled JSON Lines fixtures from `Tests/Fixtures/inspection/`.
///
/// The corpus sits outside the test target (SwiftPM resources must live
/// inside it), so it is found relative to this source file.
enum Corpus {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/inspection", isDirectory: true)

    static func url(_ name: String) throws -> URL {
        let file = directory.appendingPathComponent(name)
        return try XCTUnwrap(FileManager.default.fileExists(atPath: file.path) ? file : nil, "corpus file missing: \(file.path)")
    }

    /// Each non-empty line of `name` parsed as a JSON object.
    static func lines(_ name: String) throws -> [[String: Any]] {
        let text = try String(contentsOf: url(name), encoding: .utf8)
        return try text.split(separator: "\n").compactMap { line in
            try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        }
    }
}

/// Per-label true/false positive and false negative counts.
struct Tally {
    var tp: [String: Int] = [:], fp: [String: Int] = [:], fn: [String: Int] = [:]

    func report(_ title: String) -> String {
        let labels = Set(tp.keys).union(fp.keys).union(fn.keys).sorted()
        var s = "\(title)\nlabel                      TP  FP  FN  precision  recall\n"
        for l in labels {
            let t = tp[l, default: 0], f = fp[l, default: 0], n = fn[l, default: 0]
            let p = t + f == 0 ? 1.0 : Double(t) / Double(t + f)
            let r = t + n == 0 ? 1.0 : Double(t) / Double(t + n)
            s += l.padding(toLength: 25, withPad: " ", startingAt: 0)
                + String(format: "%4d%4d%4d  %9.3f  %6.3f\n", t, f, n, p, r)
        }
        return s
    }
}
