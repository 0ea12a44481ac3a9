/// How an exchange ended, as stored in `exchanges.outcome`.
public enum Outcome: String, Sendable, CaseIterable {
    /// Only the start is committed: forwarded, outcome not (yet) recorded.
    /// After a crash this marks exchanges whose result is unknown.
    case inFlight = "in_flight"
    /// The upstream's response was relayed to the agent in full.
    case completed
    /// Policy answered locally (deny, 401, 429, approval refused or timed out).
    case denied
    /// The gateway or the upstream failed (timeouts, 5xx produced locally,
    /// store failures).
    case failed
    /// The agent hung up before the exchange finished (including while held).
    case abandoned
}
