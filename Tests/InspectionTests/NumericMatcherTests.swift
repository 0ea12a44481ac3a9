import XCTest
@testable import Inspection

/// `NumericMatcher` must report what the numeric detectors' Hyperscan
/// patterns report: the findings after validation are compared with a
/// reference that compiles `Detector.patterns` into a database, on the
/// detector corpus and on random digit-heavy text.
final class NumericMatcherTests: XCTestCase {
    static let numeric = Detector.allCases.filter(\.isNumeric)

    /// Reference: Hyperscan with the patterns, then the validators.
    struct Reference {
        let database: PatternDatabase
        let scratch: PatternScratch
        let owners: [Detector]

        init(_ detectors: [Detector] = NumericMatcherTests.numeric) throws {
            var specs: [PatternSpec] = []
            var owners: [Detector] = []
            for d in detectors {
                for (i, e) in d.patterns.enumerated() {
                    specs.append(PatternSpec(id: "\(d.rawValue)#\(i)", expression: e, flags: d.patternFlags))
                    owners.append(d)
                }
            }
            database = try PatternDatabase(specs)
            scratch = try database.makeScratch()
            self.owners = owners
        }

        func findings(_ b: UnsafeRawBufferPointer) throws -> [Finding] {
            let options = ValidationOptions(genericSecretMinEntropy: 3.0)
            var out: [Finding] = []
            for m in try scratch.scan(b) {
                let d = owners[m.pattern]
                if let r = d.validate(b, m.start, m.end, options) { out.append(Finding(kind: .detector(d), range: r)) }
            }
            return Inspector.resolve(out)
        }
    }

    func matcher(_ b: UnsafeRawBufferPointer, _ detectors: [Detector] = numeric) -> [Finding] {
        var out: [Finding] = []
        NumericMatcher.collect(b, NumericMatcher.Enabled(Set(detectors)), ValidationOptions(genericSecretMinEntropy: 3.0), into: &out)
        return Inspector.resolve(out)
    }

    func compare(_ text: [UInt8], _ reference: Reference, _ detectors: [Detector] = numeric,
                 file: StaticString = #filePath, line: UInt = #line) throws {
        try text.withUnsafeBytes { b in
            let want = try reference.findings(b).map { "\($0.kind.label) \($0.range)" }
            let got = matcher(b, detectors).map { "\($0.kind.label) \($0.range)" }
            XCTAssertEqual(got, want, "in \(String(decoding: text, as: UTF8.self).debugDescription)", file: file, line: line)
        }
    }

    func testSameFindingsAsThePatternsOnTheCorpus() throws {
        let reference = try Reference()
        let cases = try Corpus.lines("detectors.jsonl")
        for c in cases {
            try compare(Array(try XCTUnwrap(c["text"] as? String).utf8), reference)
        }
    }

    func testSameFindingsAsThePatternsOnRandomText() throws {
        let reference = try Reference()
        let alphabet = Array("0123456789012345678901234567890123456789 -.()+:/  --..ABDEGNLRabcdefx_\"".utf8)
        let templates = ["4111 1111 1111 1111", "5555-5555-5555-4444 12", "3782 822463 10005", "536-22-8901", "+1 (415) 555-2671",
                         "(415) 555-2671", "1-800-555-0199", "020 7946 0958", "07700 900123", "01 23 45 67 89", "+44 20 7946 0958",
                         "DE89 3704 0044 0532 0130 00", "GB82WEST12345698765432", "192.168.1.10", "2001:db8::8a2e:370:7334",
                         "fe80::1", "::ffff:192.0.2.128", "1:2:3:4:5:6:7:8", "+14155552671", "4111111111111111"]
        var rng = JSONMaskingPropertyTests.LCG(state: 0x5eed)
        for _ in 0..<20_000 {
            var text: [UInt8] = []
            let parts = Int.random(in: 1...4, using: &rng)
            for _ in 0..<parts {
                if Bool.random(using: &rng) {
                    var t = Array(templates[Int.random(in: 0..<templates.count, using: &rng)].utf8)
                    // Perturb: replace or drop one byte sometimes.
                    if !t.isEmpty, Int.random(in: 0..<3, using: &rng) == 0 {
                        let k = Int.random(in: 0..<t.count, using: &rng)
                        if Bool.random(using: &rng) { t[k] = alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] } else { t.remove(at: k) }
                    }
                    text += t
                } else {
                    for _ in 0..<Int.random(in: 0...24, using: &rng) { text.append(alphabet[Int.random(in: 0..<alphabet.count, using: &rng)]) }
                }
            }
            try compare(text, reference)
        }
    }

    /// The runs `gh_numeric_scan` drops by bit arithmetic (for `NumericMatcher`), and
    /// the carries between 64-byte blocks: a candidate, or a bare digit run
    /// of 1 to 20 digits between a random lead and follower byte, placed so
    /// that it starts or ends around a block boundary (offsets 56-71 and
    /// 120-135), in digit-heavy filler that makes runs cross boundaries;
    /// with and without IPv6 (two block classifications), and as the last,
    /// partial block.
    func testSameFindingsAcrossBlockBoundaries() throws {
        let alphabet = Array("0123456789012345678901234567890123456789 -.()+:/  --..ABDEGNLRabcdefx_\"".utf8)
        let leads = Array("+( -.A_a\":,/0".utf8), follows = Array(" -.\",)x_A:/0".utf8)
        let templates = ["4111 1111 1111 1111", "5555-5555-5555-4444 12", "3782 822463 10005", "536-22-8901", "+1 (415) 555-2671",
                         "(415) 555-2671", "1-800-555-0199", "020 7946 0958", "07700 900123", "01 23 45 67 89", "+44 20 7946 0958",
                         "DE89 3704 0044 0532 0130 00", "GB82WEST12345698765432", "192.168.1.10", "2001:db8::8a2e:370:7334",
                         "+14155552671", "4111111111111111", "6011000990139424"]
        var rng = JSONMaskingPropertyTests.LCG(state: 0xb10c)
        for detectors in [Self.numeric, Self.numeric.filter { $0 != .ipv6 }] {
            let reference = try Reference(detectors)
            for _ in 0..<10_000 {
                var piece: [UInt8]
                if Bool.random(using: &rng) {
                    piece = Array(templates[Int.random(in: 0..<templates.count, using: &rng)].utf8)
                } else {
                    piece = [leads[Int.random(in: 0..<leads.count, using: &rng)]]
                    for _ in 0..<Int.random(in: 1...20, using: &rng) { piece.append(UInt8.random(in: 0x30...0x39, using: &rng)) }
                    piece.append(follows[Int.random(in: 0..<follows.count, using: &rng)])
                }
                let boundary = Bool.random(using: &rng) ? 64 : 128
                let at = boundary - 8 + Int.random(in: 0..<16, using: &rng)
                let start = Bool.random(using: &rng) ? at : max(0, at - piece.count)
                var text: [UInt8] = []
                for _ in 0..<start { text.append(alphabet[Int.random(in: 0..<alphabet.count, using: &rng)]) }
                text += piece
                for _ in 0..<Int.random(in: 0...70, using: &rng) { text.append(alphabet[Int.random(in: 0..<alphabet.count, using: &rng)]) }
                try compare(text, reference, detectors)
            }
        }
    }

    /// Numeric findings count toward `matchLimit`, like Hyperscan candidates: fail closed.
    func testNumericFindingsCountTowardTheMatchLimit() throws {
        let scratch = try Shared.defaults.makeScratch()
        scratch.matchLimit = 3
        let text = Array("hosts 10.0.0.1 10.0.0.2 10.0.0.3 10.0.0.4 10.0.0.5".utf8)
        XCTAssertThrowsError(try text.withUnsafeBytes { try Shared.defaults.scan($0, scratch: scratch) }) { error in
            XCTAssertEqual(error as? PatternEngineError, .tooManyMatches(limit: 3))
        }
        let json = Array(#"{"hosts":["10.0.0.1","10.0.0.2","10.0.0.3","10.0.0.4"]}"#.utf8)
        XCTAssertThrowsError(try json.withUnsafeBytes { try Shared.defaults.scanJSON($0, scratch: scratch) }) { error in
            XCTAssertEqual(error as? InspectionError, .engine(.tooManyMatches(limit: 3)))
        }
    }
}
