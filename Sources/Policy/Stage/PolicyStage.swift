import Inspection

/// The request stage that enforces a compiled policy.
///
/// When it runs: after identity and routing, before credential injection.
/// What it does, in one call or two:
/// 1. If some rule that reads the body could apply (its route, method,
///    path, identity, header and query conditions hold) and the body is not
///    buffered yet, it returns `.needBody(limit)`; the driver buffers the
///    body (413 above the bound) and calls it again.
/// 2. It evaluates the policy (`PolicyEvaluator`) and keeps the decision
///    in `context.policyDecision` (its `PolicyAttributes` summary is built
///    from it on demand: `context.policyAttributes`). A decision that
///    depended on the route and method alone is kept and shared by later
///    requests with the same route and method (`DecisionCache`).
/// 3. A deny (including require_approval, which fails closed, and bodies
///    that cannot be inspected) becomes `.respond`.
/// 4. An allow applies the request masks to the buffered body, dropping
///    `Content-MD5`/`Digest`-style headers when the body changes, and
///    proceeds. The driver frames the forwarded body from `context.body`.
/// 5. An allow with response masks sets `context.responseMasking` (the
///    response phase masks the body with `ResponseBodyMasker`) and asks the
///    upstream for `Accept-Encoding: identity`.
public struct PolicyStage: RequestStage {
    public let name = "policy"
    public let evaluator: PolicyEvaluator
    public let hashKey: MaskKey
    private let scratches: ScratchPool
    private let responsePlans = ResponsePlanCache()
    private let decisions = DecisionCache()

    /// Window and hold bounds for streamed responses.
    public let streamLimits: StreamMasker.Limits

    public init(policy: CompiledPolicy, bodyLimit: Int = PolicyEvaluator.defaultBodyLimit,
                hashKey: MaskKey, streamLimits: StreamMasker.Limits = StreamMasker.Limits()) throws(PatternEngineError) {
        evaluator = PolicyEvaluator(policy: policy, bodyLimit: bodyLimit)
        self.hashKey = hashKey
        self.streamLimits = streamLimits
        scratches = try ScratchPool(inspector: policy.inspector)
    }

    /// `Accept-Encoding`, `Range` and `If-Range`, in any case: the request
    /// fields response masking replaces or drops.
    static func isReplacedForResponseMasking(_ name: UnsafeRawBufferPointer) -> Bool {
        switch name.count {
        case 15: HeaderNameMatch.equals(name, "accept-encoding")
        case 5: HeaderNameMatch.equals(name, "range")
        case 8: HeaderNameMatch.equals(name, "if-range")
        default: false
        }
    }

    /// Headers that describe the exact body bytes and become wrong when a mask changes them.
    static let bodyDigestHeaders = ["content-md5", "digest", "content-digest", "repr-digest"]

    public func evaluate(_ context: inout ExchangeContext) -> StageVerdict {
        guard let scratch = scratches.take() else {
            return .respond(BodyProblem.uninspectable("no pattern-engine scratch could be allocated").response)
        }
        defer { scratches.give(scratch) }
        // A body that is framed but not buffered yet (`RequestBody.unavailable`).
        if context.body == nil, context.head.framing != .none,
           evaluator.needsBody(PolicyRequest(reading: context), scratch: scratch) {
            return .needBody(limit: evaluator.bodyLimit)
        }
        let kept = decision(for: &context, scratch: scratch)
        var refusal: String?
        let verdict = apply(kept, to: &context, scratch: scratch, refusal: &refusal)
        if let refusal {
            context.keepPolicyDecision(kept.box.decision, refusal: refusal)
        } else {
            context.keepPolicyDecision(kept.box)
        }
        return verdict
    }

    /// The policy's decision for the exchange, boxed, with its response
    /// plan: the one kept for its route and method (`DecisionCache`), or
    /// evaluated, and kept when it depended on nothing else.
    private func decision(for context: inout ExchangeContext, scratch: PatternScratch) -> DecisionCache.Kept {
        if let kept = decisions.decision(route: context.routeName, method: context.head.method) { return kept }
        var routeAndMethodOnly = false
        // The whole request is built from the context only if a rule needs more than the route and method.
        let decision = evaluator.evaluate(route: context.routeName, method: context.head.method, scratch: scratch,
                                          routeAndMethodOnly: &routeAndMethodOnly) {
            PolicyRequest(reading: context)
        }
        // Moved, not copied (a copy retained each of its arrays).
        let box = PolicyDecisionBox(consume decision, refusal: nil)
        var plan: ResponseMaskingPlan?
        if box.decision.outcome.isAllowed && !box.decision.responseMasks.isEmpty {
            plan = responsePlans.plan(for: box.decision.responseMasks) {
                ResponseMaskingPlan(masks: box.decision.responseMasks, policy: evaluator.policy, hashKey: hashKey,
                                    scratches: scratches, bodyLimit: evaluator.bodyLimit, streamLimits: streamLimits)
            }
        }
        let kept = DecisionCache.Kept(box: box, plan: plan)
        if routeAndMethodOnly { decisions.keep(kept, route: context.routeName, method: context.head.method) }
        return kept
    }

    /// Acts on the decision in `kept`: the verdict, the records, the response plan and
    /// the request masks; `refusal` gets the code of a body the masks could not rewrite.
    /// The fields are read through the box in place: passing `box.decision`
    /// as an argument copied the whole decision and destroyed the copy.
    private func apply(_ kept: DecisionCache.Kept, to context: inout ExchangeContext,
                       scratch: PatternScratch, refusal: inout String?) -> StageVerdict {
        // Shared, not copied, in the usual case (no decisions yet).
        if context.decisions.isEmpty { context.decisions = kept.box.decision.records } else { context.decisions += kept.box.decision.records }
        switch kept.box.decision.outcome {
        case .deny(let response, _):
            return .respond(response)
        case .allow:
            if let plan = kept.plan {
                // Masking needs the body as sent: ask for no content coding
                // (a coded response is refused, never passed unmasked).
                // A part of a body can cut a secret in two: ask for all of it
                // (no `Range`, `If-Range`). One pass over the fields.
                context.head.headers.removeAll(whereNameBytes: Self.isReplacedForResponseMasking)
                context.head.headers.append(literalName: "Accept-Encoding", value: "identity")
                context.responseMasking = plan
            }
            guard !kept.box.decision.requestMasks.isEmpty, let body = context.body else { return .proceed }
            var labels = MaskedLabels()
            let result = PolicyMasking.mask(body, headers: context.head.headers, masks: kept.box.decision.requestMasks,
                                            policy: evaluator.policy, scratch: scratch, hashKey: hashKey, noting: &labels)
            if case .success = result { context.requestMaskedLabels = labels.names }
            switch result {
            case .failure(let problem):
                refusal = problem.code
                context.decisions.append(RuleRecord(ruleID: nil, action: problem.code, detectors: [], dryRun: false,
                                                    decided: true))
                return .respond(problem.response)
            case .success(nil):
                return .proceed
            case .success(let masked?):
                context.body = masked
                for name in Self.bodyDigestHeaders { context.head.headers.removeAll(name) }
                return .proceed
            }
        }
    }
}
