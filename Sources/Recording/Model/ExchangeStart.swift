/// The request side of an exchange: what is about to be forwarded and why.
/// In strict mode the proxy submits it and forwards only once its
/// completion reports the commit. Headers are given as received (the
/// recorder redacts credentials before writing); the body is the one that
/// will be forwarded, after masking.
public struct ExchangeStart: Sendable {
    /// Unique per exchange; the outcome record refers to it.
    public var requestID: String
    /// Wall-clock time the request arrived, Unix milliseconds
    /// (see `RecordingClock.nowMillis()`).
    public var startedAt: Int64
    public var route: String
    /// The agent's address, `ip:port`.
    public var clientAddress: String
    /// Nil when the route requires no identity.
    public var identity: RecordedIdentity?
    public var method: String
    /// The request target as forwarded (origin form).
    public var target: String
    public var requestHeaders: HeaderList
    public var requestBody: CapturedBody
    /// Request-side decisions, in the order the stages made them.
    public var decisions: [RecordedDecision]
    public var durability: DurabilityMode

    public init(requestID: String, startedAt: Int64, route: String, clientAddress: String,
                identity: RecordedIdentity?, method: String, target: String,
                requestHeaders: HeaderList, requestBody: CapturedBody = CapturedBody(),
                decisions: [RecordedDecision] = [], durability: DurabilityMode = .strict) {
        self.requestID = requestID
        self.startedAt = startedAt
        self.route = route
        self.clientAddress = clientAddress
        self.identity = identity
        self.method = method
        self.target = target
        self.requestHeaders = requestHeaders
        self.requestBody = requestBody
        self.decisions = decisions
        self.durability = durability
    }
}
