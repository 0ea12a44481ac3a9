/// One exchange as stored, for `sessions show`, export and replay. Headers
/// are as recorded (credentials already redacted); bodies are the stored
/// prefix, with their full size and truncation flag.
public struct RecordedExchange: Sendable {
    public var id: Int64
    public var requestID: String
    public var sessionID: Int64
    public var startedAt: Int64
    public var finishedAt: Int64?
    public var route: String
    public var clientAddress: String
    public var identity: RecordedIdentity?
    public var method: String
    public var target: String
    public var requestHeaders: [HeaderField]
    public var requestBody: [UInt8]
    public var requestBodySize: Int
    public var requestBodyTruncated: Bool
    public var responseStatus: Int?
    public var responseHeaders: [HeaderField]
    public var responseBody: [UInt8]
    public var responseBodySize: Int
    public var responseBodyTruncated: Bool
    /// Stored with microsecond precision; given here in nanoseconds.
    public var timings: PhaseTimings
    public var bytesIn: Int64
    public var bytesOut: Int64
    public var upstreamAddress: String?
    public var errorCode: String?
    public var errorReason: String?
    /// `Outcome` raw value: `in_flight`, `completed`, `denied`, `failed`, `abandoned`.
    public var outcome: String
    /// `strict` or `async`.
    public var durability: String
    /// Request-side decisions first, each phase in decision order.
    public var decisions: [StoredDecision]
}

/// A decision and the side of the exchange it was made on.
public struct StoredDecision: Sendable, Equatable {
    /// `request` or `response`.
    public var phase: String
    public var decision: RecordedDecision

    public init(phase: String, decision: RecordedDecision) {
        self.phase = phase
        self.decision = decision
    }
}
