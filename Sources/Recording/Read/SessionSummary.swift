/// One session as listed: who, when, how many exchanges and how they ended.
/// Counts are kept as exchanges are recorded; retention may since have
/// deleted some of the session's older exchanges.
public struct SessionSummary: Sendable, Equatable {
    public var id: Int64
    /// What grouped it: `mcp`, `header`, `identity` or `address`.
    public var keyKind: String
    /// The grouping value (an MCP session ID, a subject, an IP address; a
    /// hash when the header it came from is configured as redacted).
    public var key: String
    public var startedAt: Int64
    public var lastSeen: Int64
    public var subject: String?
    public var clientID: String?
    public var clientAddress: String
    public var firstRoute: String
    public var exchangeCount: Int
    public var completedCount: Int
    public var deniedCount: Int
    public var failedCount: Int
    public var abandonedCount: Int
    public var bytesIn: Int64
    public var bytesOut: Int64

    /// Exchanges started but without a recorded outcome.
    public var inFlightCount: Int {
        max(exchangeCount - completedCount - deniedCount - failedCount - abandonedCount, 0)
    }

    /// `"3 completed, 1 denied"`: the non-zero outcome counts.
    public var outcomeSummary: String {
        let parts = [(completedCount, "completed"), (deniedCount, "denied"), (failedCount, "failed"),
                     (abandonedCount, "abandoned"), (inFlightCount, "in flight")]
            .filter { $0.0 > 0 }.map { "\($0.0) \($0.1)" }
        return parts.isEmpty ? "none" : parts.joined(separator: ", ")
    }
}
