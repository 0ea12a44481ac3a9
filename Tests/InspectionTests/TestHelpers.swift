import XCTest
@testable import Inspection

/// Shared inspectors: compiling hs databases is the slow part of these tests.
enum Shared {
    static let all: Inspector = try! Inspector(InspectorConfiguration(detectors: Set(Detector.allCases)))
    static let defaults: Inspector = try! Inspector()
}

extension Inspector {
    /// Findings in `text` as (label, matched text) pairs.
    func findings(in text: String) throws -> [(String, String)] {
        let scratch = try makeScratch()
        let bytes = Array(text.utf8)
        let found = try bytes.withUnsafeBytes { try scan($0, scratch: scratch) }
        return found.map { ($0.kind.label, String(decoding: bytes[$0.range], as: UTF8.self)) }
    }

    /// The matched texts for one detector.
    func matches(_ detector: Detector, in text: String) throws -> [String] {
        try findings(in: text).filter { $0.0 == detector.rawValue }.map(\.1)
    }
}
