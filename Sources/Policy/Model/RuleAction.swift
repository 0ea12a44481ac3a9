/// What a rule does when its match holds. See Docs/POLICY.md.
public enum RuleAction: Sendable, Hashable {
    /// Let the request through (unless a deny or approval rule also matched).
    case allow
    /// Answer the agent locally with `status` and `message`; nothing is forwarded.
    case deny(status: Int, message: String)
    /// Mask detector findings and/or body fields in the request, the response, or both.
    case mask(MaskSpec)
    /// Hold for a human approval. Approvals are not implemented yet, so this
    /// fails closed: 403 `approval_unavailable`.
    case requireApproval(message: String)
    /// Record that the rule matched; change nothing.
    case audit

    /// The class that decides where the rule sits in the evaluation order.
    public var ruleClass: RuleClass {
        switch self {
        case .deny: .deny
        case .requireApproval: .requireApproval
        case .allow: .allow
        case .mask: .mask
        case .audit: .audit
        }
    }

    /// Deny, approval and allow rules decide the outcome; mask and audit
    /// rules accumulate.
    public var isTerminal: Bool { ruleClass.isTerminal }
}

/// Rule classes in evaluation order: every deny rule is considered before
/// any approval rule, which is considered before any allow rule. Masks and
/// audits accumulate and never decide the outcome.
public enum RuleClass: String, Sendable, Hashable, CaseIterable, Comparable {
    case deny
    case requireApproval = "require_approval"
    case allow
    case mask
    case audit

    public var isTerminal: Bool { self == .deny || self == .requireApproval || self == .allow }

    public static func < (a: RuleClass, b: RuleClass) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// Which messages a mask rule applies to.
public enum MaskDirection: String, Sendable, Hashable, CaseIterable {
    case request, response, both

    public var coversRequest: Bool { self != .response }
    public var coversResponse: Bool { self != .request }
}

/// How a masked value is replaced; the `hash` key is supplied when the
/// mask is applied (see `PolicyMasking`), never stored in a policy file.
public enum MaskStrategyName: Sendable, Hashable {
    /// `[REDACTED:<label>]`.
    case redact
    /// Keep the last `keep` letters/digits (PCI DSS allows four of a PAN).
    case partial(keep: Int)
    /// `[HMAC:<label>:<16 hex>]`, keyed HMAC-SHA256.
    case hash

    /// How much a strategy reveals; when two mask rules cover the same
    /// detector or field, the one that reveals least wins
    /// (redact < hash < partial, fewer kept characters first).
    var disclosure: Int {
        switch self {
        case .redact: 0
        case .hash: 1
        case .partial(let keep): 2 + keep
        }
    }

    public var name: String {
        switch self {
        case .redact: "redact"
        case .partial: "partial"
        case .hash: "hash"
        }
    }
}

/// The body of a `mask` action.
public struct MaskSpec: Sendable, Hashable {
    /// Detector names and custom pattern names whose findings are masked.
    public var labels: [String]
    /// Body fields whose string and number leaves are masked whole.
    public var fields: [FieldPath]
    public var strategy: MaskStrategyName
    public var direction: MaskDirection

    public init(labels: [String], fields: [FieldPath], strategy: MaskStrategyName, direction: MaskDirection) {
        self.labels = labels
        self.fields = fields
        self.strategy = strategy
        self.direction = direction
    }
}
