/// Runs the configured detectors and custom patterns over byte buffers.
///
/// Built at policy load: every detector's patterns and every custom pattern
/// are compiled into one Hyperscan database, so the cost of a scan grows
/// little with the number of patterns. Immutable and shareable across
/// threads; each thread scans with its own `PatternScratch` from
/// `makeScratch()`.
///
/// A scan is: hs block scan → candidates → each candidate's validator on the
/// raw bytes (re-anchoring where needed) → dedupe and drop findings that lie
/// inside a longer finding (a card number inside an IBAN, an IP inside a
/// URL-ish email) → findings sorted by start.
///
/// The numeric detectors (cards, SSNs, phones, IBANs, IPv4/IPv6) are not in
/// the Hyperscan database: their character-class patterns are matched by
/// `NumericMatcher`, which is several times cheaper on digit-rich bodies
/// and reports the same candidates to the same validators. Nor is email,
/// whose three-byte pattern around `@` `EmailMatcher` finds with `memchr`.
public final class Inspector: Sendable {
    public let configuration: InspectorConfiguration
    let database: PatternDatabase
    /// For each compiled spec, what it belongs to.
    let owners: [FindingKind?]
    /// The numeric detectors `NumericMatcher` runs.
    let numeric: NumericMatcher.Enabled
    let options: ValidationOptions
    /// Whether the context-checked secret detectors run (looked up once here,
    /// not in a `Set` per scan).
    let genericSecret: Bool, awsSecretKey: Bool
    /// Whether `EmailMatcher` runs (email is not in the Hyperscan database).
    let email: Bool

    public init(_ configuration: InspectorConfiguration = InspectorConfiguration()) throws(PatternEngineError) {
        self.configuration = configuration
        var specs: [PatternSpec] = []
        var owners: [FindingKind?] = []
        for detector in Detector.allCases where configuration.detectors.contains(detector) && !detector.hasOwnMatcher {
            let flags = detector.patternFlags
            for (i, expression) in detector.patterns.enumerated() {
                specs.append(PatternSpec(id: "\(detector.rawValue)#\(i)", expression: expression, flags: flags))
                owners.append(.detector(detector))
            }
        }
        for custom in configuration.customPatterns {
            var flags: PatternFlags = [.leftmostStart]
            if custom.caseless { flags.insert(.caseless) }
            specs.append(PatternSpec(id: custom.name, expression: custom.expression, flags: flags))
            owners.append(.custom(custom.name))
        }
        if specs.isEmpty {  // nothing configured: a placeholder whose matches are ignored keeps the API uniform
            specs.append(PatternSpec(id: "placeholder", expression: #"\x00\xff\x00\xfe"#, flags: []))
            owners.append(nil)
        }
        database = try PatternDatabase(specs)
        self.owners = owners
        numeric = NumericMatcher.Enabled(configuration.detectors)
        options = ValidationOptions(genericSecretMinEntropy: configuration.genericSecretMinEntropy)
        genericSecret = configuration.detectors.contains(.genericSecret)
        awsSecretKey = configuration.detectors.contains(.awsSecretKey)
        email = configuration.detectors.contains(.email)
    }

    /// Scratch for one thread (one event loop); see `PatternScratch`.
    public func makeScratch() throws(PatternEngineError) -> PatternScratch {
        try database.makeScratch()
    }

    /// Findings in `bytes`, sorted by start. Throws (fail closed) if hs
    /// fails or reports more candidates than `scratch.matchLimit`.
    public func scan(_ bytes: UnsafeRawBufferPointer, scratch: PatternScratch) throws(PatternEngineError) -> [Finding] {
        var found: [Finding] = []
        try collect(bytes, scratch: scratch, into: &found)
        try collectNumeric(bytes, scratch: scratch, into: &found)
        return Self.resolve(found)
    }

    /// Validated findings of `NumericMatcher` in `bytes`, appended to
    /// `found`. Like Hyperscan candidates, they count toward
    /// `scratch.matchLimit` (fail closed on pathological bodies).
    func collectNumeric(_ bytes: UnsafeRawBufferPointer, scratch: PatternScratch, into found: inout [Finding]) throws(PatternEngineError) {
        NumericMatcher.collect(bytes, numeric, options, into: &found)
        if found.count > scratch.matchLimit { throw .tooManyMatches(limit: scratch.matchLimit) }
    }

    /// Validated findings of the Hyperscan database in `bytes`, appended
    /// to `found` in hs order (not sorted or deduplicated), after those of
    /// `EmailMatcher` (which Hyperscan used to report among its own; its
    /// candidates count toward `scratch.matchLimit` with Hyperscan's).
    func collect(_ bytes: UnsafeRawBufferPointer, scratch: PatternScratch, into found: inout [Finding]) throws(PatternEngineError) {
        precondition(scratch.database === database, "scratch belongs to another Inspector")
        let emails = email ? EmailMatcher.collect(bytes, into: &found) : 0
        if emails > scratch.matchLimit { throw .tooManyMatches(limit: scratch.matchLimit) }
        let candidates = try scratch.scan(bytes, counted: emails)
        for m in candidates {
            guard let kind = owners[m.pattern] else { continue }
            switch kind {
            case .custom:
                found.append(Finding(kind: kind, range: m.start..<m.end))
            case .detector(let d):
                if let r = d.validate(bytes, m.start, m.end, options) { found.append(Finding(kind: kind, range: r)) }
            }
        }
    }

    /// Sorts by start (longer first), removes duplicates and findings
    /// contained in an earlier kept one. Partial overlaps are kept; masking
    /// merges them.
    static func resolve(_ findings: [Finding]) -> [Finding] {
        var out = findings
        resolve(&out)
        return out
    }

    /// `resolve` in place: a few findings, mostly in order already, are
    /// sorted by insertion and compacted without a second array. Swaps go
    /// through the buffer (`UnsafeMutableBufferPointer.swapAt` moves the
    /// values; the array's copies retained and released each label).
    static func resolve(_ findings: inout [Finding]) {
        let n = findings.count
        if n < 2 { return }
        func before(_ a: Range<Int>, _ b: Range<Int>) -> Bool {
            a.lowerBound != b.lowerBound ? a.lowerBound < b.lowerBound : a.upperBound > b.upperBound
        }
        if n > 32 { findings.sort { before($0.range, $1.range) } }
        let kept = findings.withUnsafeMutableBufferPointer { f -> Int in
            if n <= 32 {
                for i in 1..<n {
                    var j = i
                    while j > 0, before(f[j].range, f[j - 1].range) {
                        f.swapAt(j, j - 1)
                        j -= 1
                    }
                }
            }
            var kept = 0
            var maxEnd = -1
            for k in 0..<n where f[k].range.upperBound > maxEnd {
                maxEnd = f[k].range.upperBound
                if k != kept { f.swapAt(k, kept) }
                kept += 1
            }
            return kept
        }
        if kept < n { findings.removeLast(n - kept) }
    }
}
