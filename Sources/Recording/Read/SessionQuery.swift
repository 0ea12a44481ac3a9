/// Filters for listing sessions (`gatehouse sessions list`). Every filter
/// is optional; times are Unix milliseconds.
public struct SessionQuery: Sendable, Equatable {
    /// Sessions active at or after this time (last seen ≥ since).
    public var since: Int64?
    /// Sessions that started at or before this time.
    public var until: Int64?
    public var subject: String?
    /// Sessions with at least one exchange on this route.
    public var route: String?
    /// Sessions with at least one decision with this action (`deny`, `mask`, …).
    public var action: String?
    /// Sessions with at least one exchange with this outcome.
    public var outcome: Outcome?
    /// Most sessions returned, newest first.
    public var limit: Int

    public init(since: Int64? = nil, until: Int64? = nil, subject: String? = nil, route: String? = nil,
                action: String? = nil, outcome: Outcome? = nil, limit: Int = 100) {
        self.since = since
        self.until = until
        self.subject = subject
        self.route = route
        self.action = action
        self.outcome = outcome
        self.limit = limit
    }
}

/// Filters for exporting exchanges (`gatehouse sessions export`), oldest
/// first. Times are Unix milliseconds, matched against the exchange's start.
public struct ExchangeQuery: Sendable, Equatable {
    public var since: Int64?
    public var until: Int64?
    public var subject: String?
    public var route: String?
    public var action: String?
    public var outcome: Outcome?
    public var sessionID: Int64?
    /// Most exchanges returned; nil for all.
    public var limit: Int?

    public init(since: Int64? = nil, until: Int64? = nil, subject: String? = nil, route: String? = nil,
                action: String? = nil, outcome: Outcome? = nil, sessionID: Int64? = nil, limit: Int? = nil) {
        self.since = since
        self.until = until
        self.subject = subject
        self.route = route
        self.action = action
        self.outcome = outcome
        self.sessionID = sessionID
        self.limit = limit
    }
}
