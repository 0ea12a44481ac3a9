/// The response side of an exchange and its final accounting. Completes the
/// row its `ExchangeStart` created (matched by `requestID`). In strict mode
/// the proxy releases the response's last byte only after its completion
/// reports the commit.
public struct ExchangeOutcome: Sendable {
    public var requestID: String
    /// Wall-clock time the exchange ended, Unix milliseconds.
    public var finishedAt: Int64
    public var outcome: Outcome
    /// The status returned to the agent; nil if none was sent.
    public var responseStatus: Int?
    /// Response headers as returned to the agent (redacted by the recorder).
    public var responseHeaders: HeaderList
    /// The body as returned to the agent, after masking.
    public var responseBody: CapturedBody
    /// The request body as streamed to the upstream, when the start record
    /// could not hold it: a body that was not buffered before forwarding is
    /// forwarded piece by piece after the start was submitted. Nil when the
    /// start holds the body (or there was none). In a `.complete` record
    /// the start's body wins.
    public var requestBody: CapturedBody?
    /// Response-side decisions (inspection, masking).
    public var decisions: [RecordedDecision]
    public var timings: PhaseTimings
    /// Bytes received from the agent and sent to it.
    public var bytesIn: UInt64
    public var bytesOut: UInt64
    /// The upstream `ip:port` used, if one was.
    public var upstreamAddress: String?
    /// A stable error code (Docs/ERRORS.md) and a human reason, on failure.
    public var errorCode: String?
    public var errorReason: String?
    /// Selects the queue share this record may use (strict records may use
    /// the reserve that async ones may not).
    public var durability: DurabilityMode

    public init(requestID: String, finishedAt: Int64, outcome: Outcome, responseStatus: Int?,
                responseHeaders: HeaderList = [], responseBody: CapturedBody = CapturedBody(),
                decisions: [RecordedDecision] = [], timings: PhaseTimings = PhaseTimings(),
                bytesIn: UInt64 = 0, bytesOut: UInt64 = 0, upstreamAddress: String? = nil,
                errorCode: String? = nil, errorReason: String? = nil, durability: DurabilityMode = .strict,
                requestBody: CapturedBody? = nil) {
        self.requestID = requestID
        self.finishedAt = finishedAt
        self.outcome = outcome
        self.responseStatus = responseStatus
        self.responseHeaders = responseHeaders
        self.responseBody = responseBody
        self.decisions = decisions
        self.timings = timings
        self.bytesIn = bytesIn
        self.bytesOut = bytesOut
        self.upstreamAddress = upstreamAddress
        self.errorCode = errorCode
        self.errorReason = errorReason
        self.durability = durability
        self.requestBody = requestBody
    }
}
