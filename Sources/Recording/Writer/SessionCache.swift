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
        // One hash of the key in the common case (the count test first).
        if byKey.count >= limit && byKey[u.key] == nil { removeAll() }
        if let old = byKey.updateValue(u.candidate, forKey: u.key), old.id != u.candidate.id { keyByID[old.id] = nil }
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
    /// What the record adds to its session's counters (a start that joins
    /// a session, an outcome).
    var delta1: (session: Int64, delta: SessionDeltas.Delta)?
    var delta2: (session: Int64, delta: SessionDeltas.Delta)?

    mutating func add(_ u: SessionCache.Update) {
        if session1 == nil { session1 = u } else { session2 = u }
    }

    mutating func add(session: Int64, _ d: SessionDeltas.Delta) {
        if delta1 == nil { delta1 = (session, d) } else { delta2 = (session, d) }
    }
}

/// The changes a batch makes to session counters, summed per session and
/// written with one UPDATE per session just before the batch's COMMIT, in
/// the same transaction: what commits is exactly what one UPDATE per record
/// would have written. Discarded when the batch rolls back.
struct SessionDeltas {
    struct Delta {
        var exchanges: Int64 = 0
        var lastSeen: Int64 = .min
        var completed: Int64 = 0
        var denied: Int64 = 0
        var failed: Int64 = 0
        var abandoned: Int64 = 0
        var bytesIn: Int64 = 0
        var bytesOut: Int64 = 0

        mutating func merge(_ d: Delta) {
            exchanges += d.exchanges
            lastSeen = max(lastSeen, d.lastSeen)
            completed += d.completed
            denied += d.denied
            failed += d.failed
            abandoned += d.abandoned
            bytesIn &+= d.bytesIn
            bytesOut &+= d.bytesOut
        }
    }

    private(set) var bySession: [Int64: Delta] = [:]

    var isEmpty: Bool { bySession.isEmpty }

    mutating func add(_ session: Int64, _ d: Delta) {
        bySession[session, default: Delta()].merge(d)
    }

    /// The latest activity pending for `session` in this batch, if any.
    func lastSeen(_ session: Int64) -> Int64? { bySession[session]?.lastSeen }

    mutating func removeAll() { bySession.removeAll(keepingCapacity: true) }
}
