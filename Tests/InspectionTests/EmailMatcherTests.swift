import XCTest
@testable import Inspection

/// `EmailMatcher` must report what the email pattern reports in Hyperscan:
/// the same candidates, and through `Inspector` the same findings (ties
/// with custom patterns of the same range included) and the same
/// `matchLimit` failures as when email was compiled into the database.
final class EmailMatcherTests: XCTestCase {
    static let custom = [CustomPattern(name: "addr", expression: #"[a-z]+@[a-z]+\.[a-z]+"#),
                         CustomPattern(name: "at", expression: #"@[a-z]"#)]

    /// Hyperscan with the email pattern (as the database had it) and the custom patterns.
    struct Reference {
        let scratch: PatternScratch

        init() throws {
            var specs = [PatternSpec(id: "email#0", expression: EmailDetector.patterns[0], flags: [.leftmostStart])]
            for c in EmailMatcherTests.custom { specs.append(PatternSpec(id: c.name, expression: c.expression, flags: [.leftmostStart])) }
            scratch = try PatternDatabase(specs).makeScratch()
        }

        /// The old `Inspector.collect`, resolved.
        func findings(_ b: UnsafeRawBufferPointer) throws -> [Finding] {
            var out: [Finding] = []
            for m in try scratch.scan(b) {
                if m.pattern == 0 {
                    if let r = EmailDetector.validate(b, m.start, m.end) { out.append(Finding(kind: .detector(.email), range: r)) }
                } else {
                    out.append(Finding(kind: .custom(EmailMatcherTests.custom[m.pattern - 1].name), range: m.start..<m.end))
                }
            }
            return Inspector.resolve(out)
        }

        func candidates(_ b: UnsafeRawBufferPointer) throws -> [Range<Int>] {
            try scratch.scan(b).filter { $0.pattern == 0 }.map { $0.start..<$0.end }
        }
    }

    static let inspector = try! Inspector(InspectorConfiguration(detectors: [.email], customPatterns: custom))

    func randomText(_ rng: inout JSONMaskingPropertyTests.LCG) -> [UInt8] {
        let pieces = ["@", "@@", "a", "alice", "bob.smith", "example.com", "ex-ample.co.uk", ".", "-", "+", "_", "!", "\"", " ",
                      "\n", "é", "ü@", "\u{201C}", "\u{3000}", "xn--bcher-kva.de", "a@b", "@x", "1", "{", "}", "~", "=", "'"]
        var s = ""
        for _ in 0..<Int.random(in: 0..<24, using: &rng) { s += pieces.randomElement(using: &rng)! }
        var bytes = Array(s.utf8)
        if Bool.random(using: &rng), !bytes.isEmpty { bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0x80...0xFF, using: &rng) }
        return bytes
    }

    func testCandidatesAndFindingsMatchThePattern() throws {
        let reference = try Reference()
        let scratch = try Self.inspector.makeScratch()
        var rng = JSONMaskingPropertyTests.LCG(state: 2026)
        var texts = (0..<3000).map { _ in randomText(&rng) }
        texts += ["a@b.co", "@", "a@", "@b", "x a@b.co y", "alice@example.com", "\"alice@example.com\"", "a@b@c.de",
                  "café@bücher.de", "“alice@example.com”"].map { Array($0.utf8) }
        for text in texts {
            try text.withUnsafeBytes { b in
                var got: [Range<Int>] = []
                EmailMatcher.forEachCandidate(b) { got.append(($0 - 1)..<($0 + 2)) }
                let message = String(decoding: text, as: UTF8.self).debugDescription
                XCTAssertEqual(got, try reference.candidates(b), message)
                let found = try Self.inspector.scan(b, scratch: scratch).map { "\($0.kind.label) \($0.range)" }
                XCTAssertEqual(found, try reference.findings(b).map { "\($0.kind.label) \($0.range)" }, message)
            }
        }
    }

    /// Email candidates count toward the limit as Hyperscan's did.
    func testCandidatesCountTowardTheMatchLimit() throws {
        let reference = try Reference()
        let scratch = try Self.inspector.makeScratch()
        let text = Array("a@b.co c@d.io".utf8)  // 2 email candidates, 2 "addr", 2 "at": 6 in all
        for limit in 1...7 {
            scratch.matchLimit = limit
            reference.scratch.matchLimit = limit
            let want = text.withUnsafeBytes { b in Result { () throws(PatternEngineError) -> Int in try reference.scratch.scan(b).count } }
            let got = text.withUnsafeBytes { b in Result { () throws(PatternEngineError) -> [Finding] in try Self.inspector.scan(b, scratch: scratch) } }
            switch (want, got) {
            case (.success, .success): break
            case (.failure(let w), .failure(let g)): XCTAssertEqual("\(w)", "\(g)")
            default: XCTFail("limit \(limit): \(want) against \(got)")
            }
        }
    }
}
