/// The keys of the policy stage's summary of its decision
/// (`ExchangeContext.policyAttributes`, built on demand from
/// `ExchangeContext.policyDecision`). Lists are comma-separated (rule IDs
/// and labels cannot contain commas).
public enum PolicyAttributes {
    /// `allow`, or the local response's code (`policy_denied`,
    /// `policy_default_deny`, `approval_unavailable`, `body_malformed`, …).
    public static let outcome = "policy.outcome"
    /// The rule that decided; absent when the route default decided.
    public static let decidedBy = "policy.rule"
    /// Every enforced rule that matched, in evaluation order.
    public static let matched = "policy.matched"
    /// Audit rules that matched.
    public static let audit = "policy.audit"
    /// `label:scope:count` for every detector or pattern that fired.
    public static let detections = "policy.detections"
    /// Mask rules to apply to the response, in evaluation order.
    public static let responseMaskRules = "policy.response_mask_rules"
    /// Mask rules applied to the request body.
    public static let requestMaskRules = "policy.request_mask_rules"
    /// With dry-run matches: the shadow outcome (as `outcome`).
    public static let dryRunOutcome = "policy.dry_run.outcome"
    /// Dry-run rules that matched.
    public static let dryRunMatched = "policy.dry_run.matched"

    /// Writes `decision`'s summary into `attributes`; `refusal`, when set,
    /// replaces the outcome (a request body the masks could not rewrite).
    public static func record(_ decision: PolicyDecision, refusal: String? = nil,
                              into attributes: inout [String: String]) {
        // One allocation, not a rehash per growth step. Most requests come
        // with no attributes yet (identity off): then a new dictionary of that
        // size, which costs less than growing the shared empty one.
        if attributes.isEmpty {
            attributes = Dictionary(minimumCapacity: 6)
        } else {
            attributes.reserveCapacity(attributes.count + 6)
        }
        attributes[outcome] = refusal ?? decision.outcome.summary
        switch decision.outcome {
        case .allow(let id?), .deny(_, let id?): attributes[decidedBy] = id
        default: break
        }
        list(matched, decision.matchedRules, into: &attributes)
        list(audit, decision.auditRules, into: &attributes)
        if !decision.detections.isEmpty {
            list(detections, decision.detections.map { "\($0.label):\($0.scope.rawValue):\($0.count)" }, into: &attributes)
        }
        list(responseMaskRules, decision.responseMasks.ruleIDs, into: &attributes)
        list(requestMaskRules, decision.requestMasks.ruleIDs, into: &attributes)
        if let d = decision.dryRun {
            attributes[dryRunOutcome] = d.outcome.summary
            list(dryRunMatched, d.matchedRules, into: &attributes)
        }
    }

    /// `items` comma-separated under `key`, when there are any.
    @inline(__always)
    private static func list(_ key: String, _ items: [String], into attributes: inout [String: String]) {
        if items.isEmpty { return }
        attributes[key] = items.count == 1 ? items[0] : items.joined(separator: ",")
    }
}

extension ExchangeContext {
    /// The policy stage's summary of its decision under the
    /// `PolicyAttributes` keys (empty before the stage ran), built from
    /// `policyDecision` and `policyRefusal` on each call.
    public var policyAttributes: [String: String] {
        var out: [String: String] = [:]
        if let d = policyDecision { PolicyAttributes.record(d, refusal: policyRefusal, into: &out) }
        return out
    }
}
