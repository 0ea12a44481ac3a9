/// The labels (built-in detectors and named patterns) a masking pass
/// replaced something for, never the values: what the recorder lists as
/// the detectors of a response's masking decision.
///
/// Noted for every finding of every masked body, so it is cheap: built-in
/// detectors are bits (a detector already noted costs one test, with no
/// plan lookup and no hashing), named patterns a short array.
public struct MaskedLabels: Sendable, Equatable {
    /// Bit `d.ordinal` set: detector `d` was masked.
    private var detectors: UInt64 = 0
    /// Named patterns masked, in the order first seen.
    private var patterns: [String] = []

    public init() {}

    public var isEmpty: Bool { detectors == 0 && patterns.isEmpty }

    public mutating func insert(_ kind: FindingKind) {
        switch kind {
        case .detector(let d): detectors |= 1 &<< UInt64(d.ordinal)
        case .custom(let name): if !patterns.contains(name) { patterns.append(name) }
        }
    }

    /// Notes the kind of every finding that `plan` masks (findings without
    /// a strategy are left as they are, so they did not fire a mask).
    public mutating func note(_ findings: [Finding], plan: MaskPlan) {
        for i in findings.indices where !contains(findings[i].kind) && plan.strategy(for: findings[i].kind) != nil {
            insert(findings[i].kind)
        }
    }

    /// `note(_:plan:)` with the prepared plan's table for built-in detectors.
    public mutating func note(_ findings: [Finding], plan: PreparedMaskPlan) {
        for i in findings.indices where !contains(findings[i].kind) && plan.strategy(for: findings[i].kind) != nil {
            insert(findings[i].kind)
        }
    }

    public mutating func formUnion(_ other: MaskedLabels) {
        detectors |= other.detectors
        for name in other.patterns where !patterns.contains(name) { patterns.append(name) }
    }

    @inline(__always)
    private func contains(_ kind: FindingKind) -> Bool {
        switch kind {
        case .detector(let d): detectors & (1 &<< UInt64(d.ordinal)) != 0
        case .custom(let name): patterns.contains(name)
        }
    }

    /// The label names, sorted (stable in records and tests).
    public var names: [String] {
        var out = Detector.allCases.filter { detectors & (1 &<< UInt64($0.ordinal)) != 0 }.map(\.rawValue)
        out.append(contentsOf: patterns)
        return out.sorted()
    }
}
