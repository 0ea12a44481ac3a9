import HTTP1
import Inspection

/// What `gatehouse explain` prints for one sample request: every rule
/// considered with each condition and why, the final decision, the dry-run
/// decision, and the request body after request masks. Text only; never
/// prints detected values (the masked body shows them masked).
public struct PolicyExplanation: Sendable {
    public let decision: PolicyDecision
    /// The request body after request masks (nil when there is no body or it could not be masked).
    public let maskedBody: [UInt8]?
    /// Why masking failed, if it did.
    public let maskProblem: BodyProblem?

    /// Evaluates `request` with a trace and applies the request masks.
    public init(policy: CompiledPolicy, request: PolicyRequest, bodyLimit: Int = PolicyEvaluator.defaultBodyLimit,
                hashKey: MaskKey) throws(PatternEngineError) {
        let evaluator = PolicyEvaluator(policy: policy, bodyLimit: bodyLimit)
        let scratch = try evaluator.makeScratch()
        decision = evaluator.evaluate(request, scratch: scratch, trace: true)
        var masked: [UInt8]?
        var problem: BodyProblem?
        if case .bytes(let body) = request.body {
            switch PolicyMasking.mask(body, headers: request.headers, masks: decision.requestMasks, policy: policy,
                                      scratch: scratch, hashKey: hashKey) {
            case .success(let m): masked = m ?? body
            case .failure(let p): problem = p
            }
        }
        maskedBody = masked
        maskProblem = problem
    }

    /// The report, one item per line.
    public var rendered: String {
        var lines: [String] = []
        for t in decision.trace ?? [] { lines.append(t.rendered) }
        lines.append("decision: \(Self.describe(decision.outcome))")
        if !decision.auditRules.isEmpty { lines.append("audit: \(decision.auditRules.joined(separator: ", "))") }
        if !decision.detections.isEmpty { lines.append("detected: \(decision.detections.map(\.description).joined(separator: ", "))") }
        lines.append(contentsOf: Self.describe(decision.requestMasks, "request"))
        lines.append(contentsOf: Self.describe(decision.responseMasks, "response"))
        if let d = decision.dryRun {
            lines.append("dry run: \(Self.describe(d.outcome)) (rules \(d.matchedRules.joined(separator: ", ")); \(d.wouldChangeOutcome ? "would change" : "would not change") the outcome)")
        }
        if let maskProblem { lines.append("masked body: not available: \(maskProblem.code): \(maskProblem)") }
        if let maskedBody { lines.append("masked body: \(String(decoding: maskedBody, as: UTF8.self))") }
        return lines.joined(separator: "\n")
    }

    static func describe(_ o: PolicyOutcome) -> String {
        switch o {
        case .allow(let id): "allow (\(id.map { "rule \($0)" } ?? "route default"))"
        case .deny(let r, let id): "\(r.status) \(r.code) (\(id.map { "rule \($0)" } ?? "route default")): \(r.message)"
        }
    }

    static func describe(_ m: MaskSet, _ direction: String) -> [String] {
        if m.isEmpty { return [] }
        let labels = m.labels.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.name)" }
        let fields = m.fields.map { "\($0.path) \($0.strategy.name)" }
        return ["\(direction) masks: \((labels + fields).joined(separator: ", ")) (rules \(m.ruleIDs.joined(separator: ", ")))"]
    }
}
