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
