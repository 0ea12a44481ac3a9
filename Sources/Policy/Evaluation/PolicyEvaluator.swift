import Inspection

/// Evaluates a compiled policy against one request. The order is fixed
/// and documented in Docs/POLICY.md:
///
/// 1. Rules are considered in file order; a rule applies when its route,
///    method, path, identity, header, query, body, SQL, shell and
///    detection conditions all hold.
/// 2. If any deny rule applies, the first one decides (its status and message).
/// 3. Else if any require_approval rule applies, the first one decides:
///    approvals are not available yet, so 403 `approval_unavailable`.
/// 4. Else if any allow rule applies, the request is allowed.
/// 5. Else the route's default decides (`deny` unless configured).
/// 6. Every applying mask rule adds to the masks; every applying audit
///    rule is recorded. Neither changes the outcome.
/// 7. Dry-run rules are evaluated the same way into a separate shadow decision.
///
/// Fail closed: if a rule needs the body and it is missing, compressed,
/// over the bound or not valid JSON, that rule's class decides as a deny
/// with `body_uninspectable`, `body_too_large` or `body_malformed`
/// (for a dry-run rule, only in the shadow decision).
public struct PolicyEvaluator: Sendable {
    public let policy: CompiledPolicy
    /// The most body bytes a rule may inspect.
    public let bodyLimit: Int

    public static let defaultBodyLimit = 1 << 20

    public init(policy: CompiledPolicy, bodyLimit: Int = PolicyEvaluator.defaultBodyLimit) {
        self.policy = policy
        self.bodyLimit = bodyLimit
    }

    /// Scratch for the calling thread; see `PatternScratch`.
    public func makeScratch() throws(PatternEngineError) -> PatternScratch { try policy.inspector.makeScratch() }

    /// Whether evaluating `request` may need its body: some rule that reads
    /// the body (or masks requests) has its other conditions met. A request
    /// without a body never needs one.
    public func needsBody(_ request: PolicyRequest, scratch: PatternScratch) -> Bool {
        if request.body == .none { return false }
        let inspection = RequestInspection(request: request, policy: policy, scratch: scratch, bodyLimit: bodyLimit)
        let conditions = ConditionEvaluator(inspection: inspection)
        return policy.rules.contains { $0.needsRequestBody && conditions.cheapConditionsHold($0.match) }
    }

    /// Decides about `request`. With `trace`, every condition of every rule
    /// is evaluated and recorded in `PolicyDecision.trace`.
    public func evaluate(_ request: PolicyRequest, scratch: PatternScratch, trace: Bool = false) -> PolicyDecision {
        let inspection = RequestInspection(request: request, policy: policy, scratch: scratch, bodyLimit: bodyLimit)
        let conditions = ConditionEvaluator(inspection: inspection)
        var enforced = Tally(), shadow = Tally()
        // Without dry-run rules the shadow decision is the enforced one and
        // is never reported: it is not tallied.
        let tallyShadow = policy.hasDryRunRules
        var traces: [RuleTrace] = []
        var records: [RuleRecord] = []
        let rules = policy.rules
        let matches = policy.matches
        let bits = policy.prefilter.bits(route: request.routeName, method: request.method)
        for k in rules.indices {
            if !trace, !policy.prefilter.mayMatch(k, bits) { continue }  // its route or method differs
            var ct: [ConditionTrace]? = trace ? [] : nil
            let result = conditions.evaluate(matches[k], trace: &ct)
            if case .success(false) = result, !trace { continue }  // the common case: nothing to record
            let rule = rules[k]
            var t = RuleTrace(ruleID: rule.id, ruleClass: rule.action.ruleClass, dryRun: rule.dryRun, location: rule.location,
                              matched: false, conditions: ct ?? [], problem: nil, effect: "did not match")
            var matched = false
            switch result {
            case .success(let ok): matched = ok
            case .failure(let p):
                t.problem = p
                if !rule.dryRun { enforced.problem(p, rule: rule) }
                if tallyShadow { shadow.problem(p, rule: rule) }
                records.append(RuleRecord(ruleID: rule.id, action: p.code, detectors: [], dryRun: rule.dryRun, decided: false))
            }
            if matched {
                t.matched = true
                if !rule.dryRun { enforced.add(rule, masks: policy.ruleMasks[k]) }
                if tallyShadow { shadow.add(rule, masks: policy.ruleMasks[k]) }
                records.append(RuleRecord(ruleID: rule.id, action: rule.action.ruleClass.rawValue,
                                          detectors: Self.fired(rule, inspection), dryRun: rule.dryRun, decided: false))
            }
            if trace { traces.append(t) }
        }
        let outcome = enforced.outcome(policy: policy, route: request.routeName)
        var decision = PolicyDecision(outcome: outcome, matchedRules: enforced.matched, auditRules: enforced.audits,
                                      detections: inspection.detectionCounts(), requestMasks: enforced.requestMasks,
                                      responseMasks: enforced.responseMasks, dryRun: nil, trace: nil)
        if let decider = enforced.decidedBy, let k = records.firstIndex(where: { $0.ruleID == decider && !$0.dryRun }) {
            records[k].decided = true
        } else if enforced.decidedBy == nil {
            records.append(RuleRecord(ruleID: nil, action: outcome.isAllowed ? "allow" : "deny", detectors: [], dryRun: false, decided: true))
        }
        decision.records = records
        if !shadow.dryRunMatched.isEmpty || shadow.dryRunProblem {
            let shadowOutcome = shadow.outcome(policy: policy, route: request.routeName)
            decision.dryRun = DryRunReport(matchedRules: shadow.dryRunMatched, outcome: shadowOutcome,
                                           wouldChangeOutcome: shadowOutcome != outcome,
                                           requestMasks: shadow.requestMasks, responseMasks: shadow.responseMasks)
        }
        if trace {
            for k in traces.indices { traces[k].effect = Self.effect(of: traces[k], enforced: enforced, shadow: shadow) }
            decision.trace = traces
        }
        return decision
    }

    /// Labels of `rule`'s detection conditions that found something (already scanned).
    static func fired(_ rule: PolicyRule, _ inspection: RequestInspection) -> [String] {
        var out: [String] = []
        for d in rule.match.detected where !out.contains(d.label) {
            if case .success(let n) = inspection.count(d.kind, in: d.scopes), n > 0 { out.append(d.label) }
        }
        return out
    }

    static func effect(of t: RuleTrace, enforced: Tally, shadow: Tally) -> String {
        let tally = t.dryRun ? shadow : enforced
        let prefix = t.dryRun ? "dry run: " : ""
        if let p = t.problem {
            return prefix + (tally.decidedBy == t.ruleID ? "body not inspectable (\(p.code)): decides the outcome (fail closed)" : "body not inspectable (\(p.code))")
        }
        guard t.matched else { return "did not match" }
        switch t.ruleClass {
        case .mask: return prefix + "masks added"
        case .audit: return prefix + "recorded"
        default:
            if tally.decidedBy == t.ruleID { return prefix + "decides the outcome" }
            return prefix + "not applied: rule \(tally.decidedBy ?? "?") decided first"
        }
    }

    /// Accumulates matches of one view (enforced, or with dry-run rules).
    struct Tally {
        var firstDeny: (PolicyRule, LocalResponse)?
        var firstApproval: (PolicyRule, LocalResponse)?
        var firstAllow: PolicyRule?
        var matched: [String] = []
        var audits: [String] = []
        var dryRunMatched: [String] = []
        var dryRunProblem = false
        var requestMasks = MaskSet()
        var responseMasks = MaskSet()

        /// Adds a matching rule; `masks` are its mask sets, precomputed by `CompiledPolicy`.
        mutating func add(_ rule: PolicyRule, masks: RuleMasks) {
            matched.append(rule.id)
            if rule.dryRun { dryRunMatched.append(rule.id) }
            switch rule.action {
            case .deny(let status, let message):
                if firstDeny == nil { firstDeny = (rule, LocalResponse(status: status, code: "policy_denied", message: message)) }
            case .requireApproval(let message):
                if firstApproval == nil {
                    firstApproval = (rule, LocalResponse(status: 403, code: "approval_unavailable",
                                                         message: "\(message) (approvals are not available, so the request is refused)"))
                }
            case .allow:
                if firstAllow == nil { firstAllow = rule }
            case .mask:
                if let m = masks.request { requestMasks.add(m) }
                if let m = masks.response { responseMasks.add(m) }
            case .audit:
                audits.append(rule.id)
            }
        }

        /// A rule that needed the body and could not read it: a deny in the
        /// class of the rule (an allow rule that cannot be checked cannot allow;
        /// any other rule refuses).
        mutating func problem(_ p: BodyProblem, rule: PolicyRule) {
            if rule.dryRun { dryRunProblem = true; dryRunMatched.append(rule.id) }
            if case .allow = rule.action { return }
            if firstDeny == nil { firstDeny = (rule, p.response) }
        }

        var decidedBy: String? {
            if let d = firstDeny { return d.0.id }
            if let a = firstApproval { return a.0.id }
            return firstAllow?.id
        }

        func outcome(policy: CompiledPolicy, route: String) -> PolicyOutcome {
            if let (rule, response) = firstDeny { return .deny(response, ruleID: rule.id) }
            if let (rule, response) = firstApproval { return .deny(response, ruleID: rule.id) }
            if let rule = firstAllow { return .allow(ruleID: rule.id) }
            switch policy.defaultAction(route: route) {
            case .allow: return .allow(ruleID: nil)
            case .deny(let status, let message):
                return .deny(LocalResponse(status: status, code: "policy_default_deny", message: message), ruleID: nil)
            }
        }
    }
}
