/// The writer's memory of the latest session per grouping key, so that most
/// exchanges join their session without a lookup. It mirrors committed and
/// in-transaction state; the writer clears it whenever a transaction rolls
/// back or retention deletes sessions, and then falls back to the database.
struct SessionCache {
    struct Update {
        var key: SessionGrouping.Key
        var candidate: SessionGrouping.Candidate
    }

    private var byKey: [SessionGrouping.Key: SessionGrouping.Candidate] = [:]
    private var keyByID: [Int64: SessionGrouping.Key] = [:]
    /// Bound on remembered keys; past it the cache starts over.
    let limit: Int

    init(limit: Int = 16_384) { self.limit = limit }

    func lookup(_ key: SessionGrouping.Key) -> SessionGrouping.Candidate? { byKey[key] }

    mutating func apply(_ u: Update) {
        if byKey[u.key] == nil && byKey.count >= limit { removeAll() }
        if let old = byKey[u.key], old.id != u.candidate.id { keyByID[old.id] = nil }
        byKey[u.key] = u.candidate
        keyByID[u.candidate.id] = u.key
    }

    /// The update that moves session `id`'s last activity to `time`, if the
    /// session is cached.
    func touching(id: Int64, at time: Int64) -> Update? {
        guard let key = keyByID[id], let c = byKey[key], c.id == id else { return nil }
        return Update(key: key, candidate: .init(id: id, lastSeen: max(c.lastSeen, time)))
    }

    mutating func removeAll() {
        byKey.removeAll(keepingCapacity: true)
        keyByID.removeAll(keepingCapacity: true)
    }
}

/// The writer's index of exchanges still in flight: request ID → row, so
/// that an outcome updates its row by rowid without searching the
/// `request_id` index. Like `SessionCache` it only ever points at rows the
/// connection has written; the writer clears it whenever a transaction rolls
/// back, and a miss (or an entry whose row is gone) falls back to the table.
/// Exchanges whose outcome never comes (lost async records, a crash) would
/// accumulate, so past `limit` entries it starts over.
struct InFlightIndex {
    struct Row: Equatable {
        var exchangeID: Int64
        var sessionID: Int64
    }

    private var rows: [String: Row] = [:]
    let limit: Int

    init(limit: Int = 65_536) { self.limit = limit }

    func lookup(_ requestID: String) -> Row? { rows[requestID] }

    mutating func insert(_ requestID: String, _ row: Row) {
        if rows.count >= limit { rows.removeAll(keepingCapacity: true) }
        rows[requestID] = row
    }

    mutating func remove(_ requestID: String) { rows[requestID] = nil }

    mutating func removeAll() { rows.removeAll(keepingCapacity: true) }

    var count: Int { rows.count }
}

/// What one record would change in the writer's caches, applied only once
/// the record is known to be written (a failed record changes nothing).
/// Fixed-size, so collecting it allocates nothing.
struct PendingCacheUpdates {
    var session1: SessionCache.Update?
    var session2: SessionCache.Update?
    var started: (requestID: String, row: InFlightIndex.Row)?
    var finished: String?

    mutating func add(_ u: SessionCache.Update) {
        if session1 == nil { session1 = u } else { session2 = u }
    }
}
