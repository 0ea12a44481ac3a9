import HTTP1

/// What a request stage sees of one exchange. Stages may edit the request
/// head (add or remove headers) and read the body once they asked for it.
public struct ExchangeContext: Sendable {
    public let requestID: String
    public let routeName: String
    /// The agent's address, `ip:port`.
    public let clientAddress: String
    public var head: RequestHead
    /// The whole request body, present only after a stage returned
    /// `.needBody` and the driver buffered it.
    ///
    /// Initialised here, not from an `init` parameter: with an optional
    /// array parameter the compiler built the context twice and copied one
    /// into the other (a retain and a release of every field, ≈ 700
    /// instructions per request, measured with callgrind).
    public var body: [UInt8]? = nil
    /// Facts earlier stages established for later ones and for recording
    /// (for example the verified subject). Keys are stage-defined.
    public var attributes: [String: String]
    /// Set by `PolicyStage` when the response must be masked; nil (pass
    /// through untouched) otherwise.
    public var responseMasking: ResponseMaskingPlan?
    /// The policy's rule records (matched rules, dry-run ones included, and
    /// the route default when it decided), in the order stages made them:
    /// what the recorder stores as the exchange's request-side decisions.
    /// Names only, never matched values.
    public var decisions: [RuleRecord] = []
    /// The detectors and named patterns `PolicyStage` masked in the request
    /// body, sorted (empty when the masks found nothing to change); nil when
    /// no request mask ran. Names only, never values: the recorder stores
    /// them as the `request_masking` decision.
    public var requestMaskedLabels: [String]?
    /// What `PolicyStage` decided; nil before it ran (or without a policy).
    /// Its summary under the `PolicyAttributes` keys is built from this only
    /// when asked (`policyAttributes`): no production path reads it, and
    /// writing it into `attributes` cost every request a dictionary.
    public var policyDecision: PolicyDecision? { policyDecisionBox?.decision }
    /// Set with the decision when it allowed the request but its request
    /// masks could not rewrite the body: the refusal's code
    /// (`body_malformed`, …), the exchange's outcome instead of `allow`.
    public var policyRefusal: String? { policyDecisionBox?.refusal }
    /// The decision and refusal behind one reference, nil without a policy:
    /// inline, they made every context (and the exchange object holding
    /// it) several hundred bytes larger, pass-through exchanges' too.
    private var policyDecisionBox: PolicyDecisionBox?

    /// Keeps what `PolicyStage` decided (see `policyDecision`, `policyRefusal`).
    mutating func keepPolicyDecision(_ decision: consuming PolicyDecision, refusal: String?) {
        policyDecisionBox = PolicyDecisionBox(decision, refusal: refusal)
    }

    /// Keeps a decision already boxed (shared with other exchanges: `DecisionCache`).
    mutating func keepPolicyDecision(_ box: PolicyDecisionBox) {
        policyDecisionBox = box
    }

    public init(requestID: String, routeName: String, clientAddress: String, head: RequestHead,
                attributes: [String: String] = [:]) {
        self.requestID = requestID
        self.routeName = routeName
        self.clientAddress = clientAddress
        self.head = head
        self.attributes = attributes
    }
}

/// An immutable holder of one decision (see `ExchangeContext.policyDecision`).
final class PolicyDecisionBox: Sendable {
    let decision: PolicyDecision
    let refusal: String?
    init(_ decision: consuming PolicyDecision, refusal: String?) {
        self.decision = decision
        self.refusal = refusal
    }
}

/// One request-side policy stage. Stages are shared by all loops, so they
/// must be immutable or internally synchronised (`Sendable`), and must not
/// block: anything slow returns `.hold` and resolves the ticket later.
public protocol RequestStage: Sendable {
    /// A short stable name for logs and recordings.
    var name: String { get }
    /// Decides about the exchange. Called again after `.needBody` with
    /// `context.body` set, and never again after `.hold` (the ticket carries
    /// the decision).
    func evaluate(_ context: inout ExchangeContext) -> StageVerdict
}
