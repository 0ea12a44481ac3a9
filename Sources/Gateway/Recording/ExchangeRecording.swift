import GatehouseCore
import HTTP1
import Policy
import Recording

/// Turns an exchange into the recorder's records. Runs on the loop thread;
/// the records are plain values handed to the writer thread.
enum ExchangeRecording {
    /// The fields as the recorder takes them: one copy of the bytes, no
    /// string per header.
    static func headerList(_ h: HTTPHeaders) -> HeaderList {
        HeaderList.copying(fields: h.count, bytes: h.fieldBytes) { add in h.forEachField(add) }
    }

    /// `h` without the fields whose name `skip` returns true for.
    static func headerList(_ h: HTTPHeaders, skipping skip: (UnsafeRawBufferPointer) -> Bool) -> HeaderList {
        HeaderList.copying(fields: h.count, bytes: h.fieldBytes) { add in
            h.forEachField { name, value in if !skip(name) { add(name, value) } }
        }
    }

    /// The identity the identity stage verified (`IdentityAttributes`), nil when none ran or it refused.
    static func identity(_ attributes: [String: String]) -> RecordedIdentity? {
        let id = RequestIdentity(attributes: attributes)
        guard id.isAuthenticated else { return nil }
        return RecordedIdentity(subject: id.subject, clientID: id.clientID, groups: id.groups)
    }

    /// What is about to be forwarded (or was answered locally) and why.
    static func start(_ ex: Exchange, clientAddress: String, durability: DurabilityMode, bodyCap: Int) -> ExchangeStart {
        var body = CapturedBody(cap: bodyCap)
        if let b = ex.bufferedBody { b.withUnsafeBytes { body.append($0) } }
        return ExchangeStart(requestID: ex.requestID, startedAt: ex.startedAtMs, route: ex.route.name,
                             clientAddress: clientAddress, identity: identity(ex.context.attributes),
                             method: ex.context.head.method,
                             target: TargetRedaction.redact(ex.context.head.target), requestHeaders: headerList(ex.context.head.headers),
                             requestBody: body,
                             decisions: requestDecisions(ex.context.decisions, masked: ex.context.requestMaskedLabels),
                             durability: durability)
    }

    /// The policy stage's rule records as the recorder stores them.
    /// Then, when request masks ran on the body, `request_masking` with the
    /// detectors and patterns they masked.
    static func requestDecisions(_ records: [RuleRecord], masked: [String]?) -> [RecordedDecision] {
        var out = records.map { RecordedDecision(stage: "policy", ruleID: $0.ruleID, action: $0.action, detectors: $0.detectors,
                                                 dryRun: $0.dryRun) }
        if let masked { out.append(RecordedDecision(stage: "request_masking", action: "mask", detectors: masked)) }
        return out
    }

    /// The response side's decision: masking ran (`mask`, with the
    /// detectors and patterns it masked, never the values), or refused the
    /// response (its code); nothing when the response was not masked.
    static func responseDecisions(_ ex: Exchange) -> [RecordedDecision] {
        guard ex.responseMasker != nil || ex.maskProblem != nil else { return [] }
        return [RecordedDecision(stage: "response_masking", action: ex.maskProblem?.code ?? "mask",
                                 detectors: ex.responseMasker?.maskedLabels.names ?? [])]
    }

    /// How the exchange ended, as the agent saw it.
    static func outcome(_ ex: Exchange, nowNs: UInt64, durability: DurabilityMode) -> ExchangeOutcome {
        var timings = PhaseTimings()
        timings.total = nowNs &- ex.startNs
        if ex.upstreamStartNs != 0 && ex.responseHeadNs != 0 { timings.firstByte = ex.responseHeadNs &- ex.upstreamStartNs }
        return ExchangeOutcome(requestID: ex.requestID, finishedAt: RecordingClock.nowMillis(),
                               outcome: recordedOutcome(ex.outcome), responseStatus: ex.status == 0 ? nil : ex.status,
                               responseHeaders: ex.responseHeaders, responseBody: ex.responseBody ?? CapturedBody(cap: 0),
                               decisions: responseDecisions(ex),
                               timings: timings, bytesIn: ex.bytesIn, bytesOut: ex.bytesOut,
                               upstreamAddress: ex.upstreamAddress, errorCode: ex.errorCode, errorReason: nil,
                               durability: durability, requestBody: streamedRequestBody(ex))
    }

    /// The request body as forwarded piece by piece, marked incomplete when
    /// the exchange ended before its last byte (stored as truncated).
    static func streamedRequestBody(_ ex: Exchange) -> CapturedBody? {
        guard var body = ex.streamedRequestBody else { return nil }
        if !ex.requestBodyDone { body.incomplete = true }
        return body
    }

    /// Maps the access-log outcome onto the recording's coarser one.
    static func recordedOutcome(_ outcome: String) -> Outcome {
        switch outcome {
        case "ok": return .completed
        case "denied", "hold_expired", "body_too_large", "no_route", "rejected": return .denied
        case "abandoned": return .abandoned
        default: return .failed
        }
    }
}
