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
    /// is evaluated and recorded in `PolicyDecision.trace`. The request is
    /// taken, not copied (a copy retained each of its strings and arrays).
    public func evaluate(_ request: consuming PolicyRequest, scratch: PatternScratch, trace: Bool = false) -> PolicyDecision {
        let route = request.routeName, method = request.method
        var pending: PolicyRequest? = consume request
        var routeAndMethodOnly = false
        return evaluate(route: route, method: method, scratch: scratch, trace: trace,
                        routeAndMethodOnly: &routeAndMethodOnly) { pending.take()! }
    }

    /// As `evaluate(_:scratch:trace:)` for a request on `route` with
    /// `method`, whose whole `PolicyRequest` is asked of `request` (at most
    /// once) only when some rule needs more than the route and method.
    /// `PolicyStage` builds it from the exchange context then: copying the
    /// context's fields into it cost more than most evaluations.
    /// `routeAndMethodOnly` is set when it was not asked for (and no trace
    /// was made): the decision is then the same for every request on
    /// `route` with `method`, which `PolicyStage` keeps (`DecisionCache`).
    func evaluate(route: String, method: String, scratch: PatternScratch, trace: Bool = false,
                  routeAndMethodOnly: inout Bool, request: () -> PolicyRequest) -> PolicyDecision {
        // The request's facts (`RequestInspection`, a class) are made only
        // when a rule needs more than its route and method: a candidate
        // rule without other conditions matches without them (see
        // `RulePrefilter.isSettled`), and making and freeing them was a
        // tenth of an evaluation.
        var made: RequestInspection?
        func inspection() -> RequestInspection {
            if let made { return made }
            let i = RequestInspection(request: request(), policy: policy, scratch: scratch, bodyLimit: bodyLimit)
            made = i
            return i
        }
        var enforced = Tally()
        // Without dry-run rules the shadow decision is the enforced one and
        // is never reported: it is not tallied.
        var shadow: Tally? = policy.hasDryRunRules ? Tally() : nil
        var traces: [RuleTrace] = []
        var records: [RuleRecord] = []
        // A rule that matched first and alone so far (not in dry run, no
        // detection conditions): its record is not built unless another
        // follows; if none does, the list is a shared `SoleRuleRecords` one.
        var sole: Int?
        let rules = policy.rules
        let matches = policy.matches
        /// Builds the sole rule's record, if it was deferred.
        func materialize() {
            guard let k = sole else { return }
            records.reserveCapacity(2)  // usually one matched rule and the route default
            records.append(RuleRecord(ruleID: rules[k].id, action: rules[k].action.ruleClass.rawValue,
                                      detectors: [], dryRun: false, decided: false))
            sole = nil
        }
        func record(_ r: RuleRecord) {
            materialize()
            if records.isEmpty { records.reserveCapacity(2) }
            records.append(r)
        }
        // One rule: evaluated, and recorded when it matched or could not be checked.
        func consider(_ k: Int) {
            var ct: [ConditionTrace]? = trace ? [] : nil
            let result = !trace && policy.prefilter.isSettled(k)
                ? .success(true) : ConditionEvaluator(inspection: inspection()).evaluate(matches[k], trace: &ct)
            if case .success(false) = result, !trace { return }  // the common case: nothing to record
            // Fields are read from the array in place: a copy of the rule
            // would retain and release its match's dozen arrays.
            let dryRun = rules[k].dryRun
            var matched = false
            var problem: BodyProblem?
            switch result {
            case .success(let ok): matched = ok
            case .failure(let p):
                problem = p
                if !dryRun { enforced.problem(p, rule: k, in: rules, ids: policy.ruleIDLists) }
                shadow?.problem(p, rule: k, in: rules, ids: policy.ruleIDLists)
                record(RuleRecord(ruleID: rules[k].id, action: p.code, detectors: [], dryRun: dryRun, decided: false))
            }
            if matched {
                if !dryRun { enforced.add(k, in: rules, masks: policy.ruleMasks, ids: policy.ruleIDLists) }
                shadow?.add(k, in: rules, masks: policy.ruleMasks, ids: policy.ruleIDLists)
                if !trace, !dryRun, records.isEmpty, sole == nil, matches[k].match.detected.isEmpty {
                    sole = k
                } else {
                    let detectors = matches[k].match.detected.isEmpty ? [] : Self.fired(matches[k], inspection())
                    record(RuleRecord(ruleID: rules[k].id, action: rules[k].action.ruleClass.rawValue,
                                      detectors: detectors, dryRun: dryRun, decided: false))
                }
            }
            if trace {
                traces.append(RuleTrace(ruleID: rules[k].id, ruleClass: rules[k].action.ruleClass, dryRun: dryRun,
                                        location: rules[k].location, matched: matched, conditions: ct ?? [], problem: problem,
                                        effect: "did not match"))
            }
        }
        if trace {
            for k in rules.indices { consider(k) }  // a trace records every rule
        } else {
            // Only rules whose route and method conditions can hold (see `RulePrefilter`).
            policy.prefilter.forEachCandidate(route: route, method: method, consider)
        }
        let outcome = enforced.outcome(policy: policy, route: route)
        let decider = enforced.decidedBy(rules)
        if let k = sole, decider == nil || decider == rules[k].id {
            let lists = policy.soleRuleRecords[k]
            records = decider != nil ? lists.decided : outcome.isAllowed ? lists.thenAllow : lists.thenDeny
        } else {
            materialize()
            if let decider, let k = records.firstIndex(where: { $0.ruleID == decider && !$0.dryRun }) {
                records[k].decided = true
            } else if decider == nil {
                records.append(RuleRecord(ruleID: nil, action: outcome.isAllowed ? "allow" : "deny", detectors: [], dryRun: false, decided: true))
            }
        }
        // Without dry-run rules the shadow decision is the enforced one and is never reported.
        var dryRunReport: DryRunReport?
        if let shadow, !shadow.dryRunMatched.isEmpty || shadow.dryRunProblem {
            let shadowOutcome = shadow.outcome(policy: policy, route: route)
            dryRunReport = DryRunReport(matchedRules: shadow.dryRunMatched, outcome: shadowOutcome,
                                        wouldChangeOutcome: shadowOutcome != outcome,
                                        requestMasks: shadow.requestMasks, responseMasks: shadow.responseMasks)
        }
        if trace {
            let shadowDecider = (shadow ?? enforced).decidedBy(rules)
            for k in traces.indices {
                traces[k].effect = Self.effect(of: traces[k], enforced: decider, shadow: shadowDecider)
            }
        }
        routeAndMethodOnly = made == nil && !trace
        // The tally's lists are moved out, not copied (a copy retained each,
        // and destroying the tally released them again).
        return PolicyDecision(outcome: outcome, matchedRules: Self.take(&enforced.matched), auditRules: Self.take(&enforced.audits),
                              detections: made?.detectionCounts() ?? [], requestMasks: Self.take(&enforced.requestMasks),
                              responseMasks: Self.take(&enforced.responseMasks), dryRun: dryRunReport, records: records,
                              trace: trace ? traces : nil)
    }

    /// `value`, leaving an empty one in its place (a move out of a struct field).
    @inline(__always)
    static func take<T: RangeReplaceableCollection>(_ value: inout T) -> T {
        var out = T()
        swap(&out, &value)
        return out
    }

    @inline(__always)
    static func take(_ value: inout MaskSet) -> MaskSet {
        var out = MaskSet()
        swap(&out, &value)
        return out
    }

    /// Labels of `rule`'s detection conditions that found something (already scanned).
    static func fired(_ match: MatchBox, _ inspection: RequestInspection) -> [String] {
        if match.match.detected.isEmpty { return [] }
        var out: [String] = []
        for d in match.match.detected where !out.contains(d.label) {
            if case .success(let n) = inspection.count(d.kind, in: d.scopes), n > 0 { out.append(d.label) }
        }
        return out
    }

    /// What rule trace `t` did, given the rules that decided the enforced and the shadow outcome.
    static func effect(of t: RuleTrace, enforced: String?, shadow: String?) -> String {
        let decidedBy = t.dryRun ? shadow : enforced
        let prefix = t.dryRun ? "dry run: " : ""
        if let p = t.problem {
            return prefix + (decidedBy == t.ruleID ? "body not inspectable (\(p.code)): decides the outcome (fail closed)" : "body not inspectable (\(p.code))")
        }
        guard t.matched else { return "did not match" }
        switch t.ruleClass {
        case .mask: return prefix + "masks added"
        case .audit: return prefix + "recorded"
        default:
            if decidedBy == t.ruleID { return prefix + "decides the outcome" }
            return prefix + "not applied: rule \(decidedBy ?? "?") decided first"
        }
    }

    /// Accumulates matches of one view (enforced, or with dry-run rules).
    /// Rules are kept as indices into the policy's rules: a copy of a rule
    /// (its match holds a dozen arrays) per tally was most of its cost.
    struct Tally {
        var firstDeny: (rule: Int, response: LocalResponse)?
        var firstApproval: (rule: Int, response: LocalResponse)?
        var firstAllow: Int?
        var matched: [String] = []
        var audits: [String] = []
        var dryRunMatched: [String] = []
        var dryRunProblem = false
        var requestMasks = MaskSet()
        var responseMasks = MaskSet()

        /// Adds the matching rule `rules[k]`; `masks[k]` are its mask sets
        /// and `ids[k]` the list of its ID alone, precomputed by `CompiledPolicy`.
        mutating func add(_ k: Int, in rules: [PolicyRule], masks: [RuleMasks], ids: [[String]]) {
            Self.append(k, to: &matched, rules, ids)
            if rules[k].dryRun { Self.append(k, to: &dryRunMatched, rules, ids) }
            switch rules[k].action {
            case .deny(let status, let message):
                if firstDeny == nil { firstDeny = (k, LocalResponse(status: status, code: "policy_denied", message: message)) }
            case .requireApproval(let message):
                if firstApproval == nil {
                    firstApproval = (k, LocalResponse(status: 403, code: "approval_unavailable",
                                                      message: "\(message) (approvals are not available, so the request is refused)"))
                }
            case .allow:
                if firstAllow == nil { firstAllow = k }
            case .mask:
                if masks[k].request != nil { requestMasks.add(masks[k].request!) }
                if masks[k].response != nil { responseMasks.add(masks[k].response!) }
            case .audit:
                Self.append(k, to: &audits, rules, ids)
            }
        }

        /// Appends `rules[k].id` to `list`; an empty list becomes the
        /// shared `ids[k]` (one rule matching is the usual case: no allocation).
        @inline(__always)
        static func append(_ k: Int, to list: inout [String], _ rules: [PolicyRule], _ ids: [[String]]) {
            if list.isEmpty { list = ids[k] } else { list.append(rules[k].id) }
        }

        /// The rule `rules[k]` needed the body and could not read it: a deny
        /// in the class of the rule (an allow rule that cannot be checked
        /// cannot allow; any other rule refuses).
        mutating func problem(_ p: BodyProblem, rule k: Int, in rules: [PolicyRule], ids: [[String]]) {
            if rules[k].dryRun { dryRunProblem = true; Self.append(k, to: &dryRunMatched, rules, ids) }
            if case .allow = rules[k].action { return }
            if firstDeny == nil { firstDeny = (k, p.response) }
        }

        /// The ID of the rule that decided, nil for the route default.
        func decidedBy(_ rules: [PolicyRule]) -> String? {
            if let d = firstDeny { return rules[d.rule].id }
            if let a = firstApproval { return rules[a.rule].id }
            return firstAllow.map { rules[$0].id }
        }

        func outcome(policy: CompiledPolicy, route: String) -> PolicyOutcome {
            if let (k, response) = firstDeny { return .deny(response, ruleID: policy.rules[k].id) }
            if let (k, response) = firstApproval { return .deny(response, ruleID: policy.rules[k].id) }
            if let k = firstAllow { return .allow(ruleID: policy.rules[k].id) }
            switch policy.defaultAction(route: route) {
            case .allow: return .allow(ruleID: nil)
            case .deny(let status, let message):
                return .deny(LocalResponse(status: status, code: "policy_default_deny", message: message), ruleID: nil)
            }
        }
    }
}
