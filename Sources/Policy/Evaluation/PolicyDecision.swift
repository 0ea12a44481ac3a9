/// The outcome of evaluating a policy for one request.
public enum PolicyOutcome: Sendable, Equatable {
    /// Forward the request. `ruleID` is the allow rule that matched, nil
    /// when the route's default allowed it.
    case allow(ruleID: String?)
    /// Answer locally. `ruleID` is the deny or approval rule, nil for the
    /// route default or a body that could not be inspected.
    case deny(LocalResponse, ruleID: String?)

    public var isAllowed: Bool { if case .allow = self { true } else { false } }

    /// `allow` or the response's code (`policy_denied`, `approval_unavailable`, …).
    public var summary: String {
        switch self {
        case .allow: "allow"
        case .deny(let r, _): r.code
        }
    }
}

/// The masks that apply to one direction, accumulated over every matching
/// mask rule. Where two rules cover the same detector or field, the
/// strategy that reveals least wins (redact, then hash, then partial).
public struct MaskSet: Sendable, Equatable {
    /// Detector or pattern label → strategy.
    /// (`Dictionary()`, not `[:]`: the literal called the literal initializer per set made.)
    public var labels: [String: MaskStrategyName] = Dictionary()
    /// Field paths (by text) → path and strategy, in first-seen order.
    public var fields: [FieldMask] = []
    /// The mask rules that contributed, in evaluation order.
    public var ruleIDs: [String] = []

    public struct FieldMask: Sendable, Equatable {
        public var path: FieldPath
        public var strategy: MaskStrategyName
    }

    public init() {}

    public var isEmpty: Bool { labels.isEmpty && fields.isEmpty }

    /// The masks of one rule alone.
    init(_ spec: MaskSpec, ruleID: String) {
        add(spec, ruleID: ruleID)
    }

    /// Adds the masks of further rules (`other`, e.g. one rule's
    /// precomputed set), with the same result as adding their specs in
    /// order. Into an empty set, `other` is taken as is: no rehashing.
    mutating func add(_ other: MaskSet) {
        if ruleIDs.isEmpty && labels.isEmpty && fields.isEmpty {
            self = other
            return
        }
        ruleIDs += other.ruleIDs
        for (l, strategy) in other.labels {
            if let old = labels[l], old.disclosure <= strategy.disclosure { continue }
            labels[l] = strategy
        }
        for f in other.fields {
            if let k = fields.firstIndex(where: { $0.path.text == f.path.text }) {
                if f.strategy.disclosure < fields[k].strategy.disclosure { fields[k].strategy = f.strategy }
            } else {
                fields.append(f)
            }
        }
    }

    mutating func add(_ spec: MaskSpec, ruleID: String) {
        ruleIDs.append(ruleID)
        for l in spec.labels {
            if let old = labels[l], old.disclosure <= spec.strategy.disclosure { continue }
            labels[l] = spec.strategy
        }
        for f in spec.fields {
            if let k = fields.firstIndex(where: { $0.path.text == f.text }) {
                if spec.strategy.disclosure < fields[k].strategy.disclosure { fields[k].strategy = spec.strategy }
            } else {
                fields.append(FieldMask(path: f, strategy: spec.strategy))
            }
        }
    }
}

/// What the evaluator decided for one request: a plain value, recorded
/// with the exchange and printed by `gatehouse explain`.
public struct PolicyDecision: Sendable, Equatable {
    /// The enforced outcome (dry-run rules ignored).
    public var outcome: PolicyOutcome
    /// Enforced rules whose match held, in evaluation order, every class.
    public var matchedRules: [String]
    /// Enforced audit rules whose match held (always recorded).
    public var auditRules: [String]
    /// Labels that fired and their counts per scope; never the values.
    public var detections: [DetectionCount]
    /// Masks for the request body (applied by `PolicyStage` before forwarding).
    public var requestMasks: MaskSet
    /// Masks for the response body (applied by the response phase).
    public var responseMasks: MaskSet
    /// What the dry-run rules would have done; nil when none matched.
    public var dryRun: DryRunReport?
    /// One entry per rule that matched (enforced and dry-run, in evaluation
    /// order) and one for the route default when it decided: the shape the
    /// recorder stores (`RecordedDecision`).
    public var records: [RuleRecord] = []
    /// Each rule considered, when evaluated with `trace: true`.
    public var trace: [RuleTrace]?
}

/// A matched rule as the recorder stores it: no values, only names.
public struct RuleRecord: Sendable, Equatable {
    /// nil for the route default.
    public var ruleID: String?
    /// `allow`, `deny`, `mask`, `require_approval`, `audit`, or for a body
    /// that could not be inspected its code (`body_malformed`, …).
    public var action: String
    /// Labels of the rule's detection conditions that found something.
    public var detectors: [String]
    public var dryRun: Bool
    /// Whether this record decided the enforced outcome.
    public var decided: Bool

    public init(ruleID: String?, action: String, detectors: [String], dryRun: Bool, decided: Bool) {
        self.ruleID = ruleID
        self.action = action
        self.detectors = detectors
        self.dryRun = dryRun
        self.decided = decided
    }
}

/// The shadow decision: the outcome as if every dry-run rule were enforced.
public struct DryRunReport: Sendable, Equatable {
    /// Dry-run rules whose match held.
    public var matchedRules: [String]
    /// The outcome with dry-run rules enforced too.
    public var outcome: PolicyOutcome
    /// Whether that differs from the enforced outcome.
    public var wouldChangeOutcome: Bool
    public var requestMasks: MaskSet
    public var responseMasks: MaskSet
}
