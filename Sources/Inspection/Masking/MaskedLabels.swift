/// The labels (built-in detectors and named patterns) a masking pass
/// replaced something for, never the values: what the recorder lists as
/// the detectors of a response's masking decision. A body holds a handful
/// of distinct labels at most, so a short array with a linear check is
/// cheaper than a set.
public struct MaskedLabels: Sendable, Equatable {
    public private(set) var kinds: [FindingKind] = []

    public init() {}

    public var isEmpty: Bool { kinds.isEmpty }

    public mutating func insert(_ kind: FindingKind) {
        if !kinds.contains(kind) { kinds.append(kind) }
    }

    /// Notes the kind of every finding that `plan` masks (findings without
    /// a strategy are left as they are, so they did not fire a mask).
    public mutating func note(_ findings: [Finding], plan: MaskPlan) {
        for f in findings where plan.strategy(for: f.kind) != nil { insert(f.kind) }
    }

    public mutating func formUnion(_ other: MaskedLabels) {
        for kind in other.kinds { insert(kind) }
    }

    /// The label names, sorted (stable in records and tests).
    public var names: [String] { kinds.map(\.label).sorted() }
}
