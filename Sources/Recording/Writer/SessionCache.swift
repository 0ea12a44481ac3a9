/// The writer's memory of the latest session per grouping key, so that most
/// exchanges join their session without a lookup. It mirrors committed and
/// in-transaction state; the writer clears it whenever a transaction rolls
/// back or retention deletes sessions, and then falls back to the database.
struct SessionCache {
    /// One cached session, shared by both maps and updated in place: an
    /// exchange joining it, or an outcome touching it, costs no second
    /// hash of its key (a string: ≈ 570 instructions a hash, four per
    /// exchange when the candidate was a value in the key map).
    final class Entry {
        let key: SessionGrouping.Key
        let id: Int64
        var lastSeen: Int64

        init(key: SessionGrouping.Key, id: Int64, lastSeen: Int64) {
            self.key = key
            self.id = id
            self.lastSeen = lastSeen
        }

        var candidate: SessionGrouping.Candidate { .init(id: id, lastSeen: lastSeen) }
    }

    /// A route or decision action stored in a session's `routes_json` or
    /// `actions_json`.
    struct Label: Hashable {
        var session: Int64
        var isAction: Bool
        var name: String
    }

    private var byKey: [SessionGrouping.Key: Entry] = [:]
    private var byID: [Int64: Entry] = [:]
    /// Labels known to be stored (or written in the open transaction), so a
    /// batch runs no statement to add what a session already has.
    private var labels = Set<Label>()
    /// Bound on remembered keys; past it the cache starts over.
    let limit: Int

    init(limit: Int = 16_384) { self.limit = limit }

    /// The latest session cached for `key`.
    func lookup(_ key: SessionGrouping.Key) -> Entry? { byKey[key] }

    /// Session `id` is now the latest for `key`, last seen at `lastSeen`.
    /// Callers that hold the key's entry for the same session update it in
    /// place instead (`Entry.lastSeen`).
    mutating func remember(_ key: SessionGrouping.Key, id: Int64, lastSeen: Int64) {
        let entry = Entry(key: key, id: id, lastSeen: lastSeen)
        // One hash of the key in the common case (the count test first).
        if byKey.count >= limit && byKey[key] == nil { removeAll() }
        if let old = byKey.updateValue(entry, forKey: key), old.id != id, byID[old.id] === old {
            byID[old.id] = nil
        }
        byID[id] = entry
    }

    /// Moves session `id`'s last activity to `time`, if it is cached (by
    /// its ID: no hash of its key).
    func touch(id: Int64, at time: Int64) {
        guard let entry = byID[id] else { return }
        entry.lastSeen = max(entry.lastSeen, time)
    }

    func has(_ label: Label) -> Bool { labels.contains(label) }

    mutating func noteStored(_ label: Label) {
        if labels.count >= limit * 4 { labels.removeAll(keepingCapacity: true) }
        labels.insert(label)
    }

    mutating func removeAll() {
        byKey.removeAll(keepingCapacity: true)
        byID.removeAll(keepingCapacity: true)
        labels.removeAll(keepingCapacity: true)
    }
}

/// The exchanges whose start is recorded and whose outcome is not yet:
/// request ID → where the start is and its session. Authoritative, not a
/// cache (schema v4 keeps no per-exchange row to look an exchange up in):
/// an outcome whose exchange is not here is refused as unknown. It holds
/// what the gateway has in flight, which its connection limits bound;
/// `limit` is a safety bound past which new starts are refused.
struct InFlightIndex {
    struct Row: Equatable {
        var exchangeID: Int64
        var sessionID: Int64
    }

    private var rows: [String: Row] = [:]
    let limit: Int

    init(limit: Int = 1 << 20) { self.limit = limit }

    func lookup(_ requestID: String) -> Row? { rows[requestID] }

    var isFull: Bool { rows.count >= limit }

    mutating func insert(_ requestID: String, _ row: Row) { rows[requestID] = row }

    mutating func remove(_ requestID: String) { rows[requestID] = nil }

    /// Removes and returns the exchange's row, nil if it is not in flight.
    mutating func take(_ requestID: String) -> Row? { rows.removeValue(forKey: requestID) }

    mutating func removeAll() { rows.removeAll(keepingCapacity: true) }

    var count: Int { rows.count }
}

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
    /// Routes and decision actions seen per session in this batch, each
    /// once; written only if the session does not have them yet.
    private(set) var routes: [Int64: [String]] = [:]
    private(set) var actions: [Int64: [String]] = [:]

    mutating func addRoute(_ session: Int64, _ route: String) {
        if routes[session]?.contains(route) != true { routes[session, default: []].append(route) }
    }

    mutating func addAction(_ session: Int64, _ action: String) {
        if actions[session]?.contains(action) != true { actions[session, default: []].append(action) }
    }

    var isEmpty: Bool { bySession.isEmpty }

    mutating func add(_ session: Int64, _ d: Delta) {
        bySession[session, default: Delta()].merge(d)
    }

    /// The latest activity pending for `session` in this batch, if any.
    func lastSeen(_ session: Int64) -> Int64? { bySession[session]?.lastSeen }

    mutating func removeAll() {
        bySession.removeAll(keepingCapacity: true)
        routes.removeAll(keepingCapacity: true)
        actions.removeAll(keepingCapacity: true)
    }
}
