import GatehouseCore

/// Retention by age and by size, done incrementally: each `step` is one
/// short transaction deleting at most `pruneBatch` exchanges (their
/// outcomes, decisions and approval events cascade), then the sessions left empty,
/// then hands a bounded number of free pages back to the file system
/// (`auto_vacuum = INCREMENTAL`). The writer runs one step between write
/// batches, so pruning never stalls recording for long.
struct Pruner {
    struct StepResult {
        var exchanges = 0
        var sessions = 0
    }

    let db: Database
    let config: RecorderConfiguration.Retention
    private let begin, commit, rollback: Statement
    private let deleteOld, deleteOldest, deleteEmptySession, pageCount, freelistCount: Statement
    private let pageSize: Int64
    private var nextCheck: UInt64 = 0
    private var moreWork = false

    /// Free pages released per step, at most.
    static let vacuumPages = 512

    var enabled: Bool { config.maxAgeMs != nil || config.maxBytes != nil }

    init(db: Database, config: RecorderConfiguration.Retention) throws(SQLiteError) {
        self.db = db
        self.config = config
        begin = try db.prepare("BEGIN IMMEDIATE", persistent: true)
        commit = try db.prepare("COMMIT", persistent: true)
        rollback = try db.prepare("ROLLBACK", persistent: true)
        deleteOld = try db.prepare("""
            DELETE FROM exchange_starts WHERE id IN
                (SELECT id FROM exchange_starts WHERE started_at < ?1 ORDER BY started_at LIMIT ?2)
            RETURNING session_id
            """, persistent: true)
        deleteOldest = try db.prepare("""
            DELETE FROM exchange_starts WHERE id IN (SELECT id FROM exchange_starts ORDER BY id LIMIT ?1)
            RETURNING session_id
            """, persistent: true)
        deleteEmptySession = try db.prepare("""
            DELETE FROM sessions WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM exchange_starts WHERE session_id = ?1)
            """, persistent: true)
        pageCount = try db.prepare("PRAGMA page_count", persistent: true)
        freelistCount = try db.prepare("PRAGMA freelist_count", persistent: true)
        pageSize = try db.scalarInt("PRAGMA page_size") ?? 4096
    }

    func isDue(now: UInt64) -> Bool { enabled && (moreWork || now >= nextCheck) }

    func msUntilDue(now: UInt64) -> Int {
        guard enabled else { return Int.max }
        if isDue(now: now) { return 0 }
        return Int((nextCheck - now) / 1_000_000) + 1
    }

    /// Bytes in pages holding data (the file minus its free pages).
    func liveBytes() throws(SQLiteError) -> Int64 {
        let pages = try pragma(pageCount)
        let free = try pragma(freelistCount)
        return (pages - free) * pageSize
    }

    private func pragma(_ st: Statement) throws(SQLiteError) -> Int64 {
        defer { st.reset() }
        return try st.step() ? st.int64(0) : 0
    }

    /// One pruning transaction. `nowMillis` is the wall clock that ages are
    /// measured against.
    mutating func step(nowMillis: Int64) throws(SQLiteError) -> StepResult {
        nextCheck = MonotonicClock.now() &+ nanoseconds(ms: config.checkIntervalMs)
        moreWork = false
        let batch = max(config.pruneBatch, 1)
        var result = StepResult()
        var touched = Set<Int64>()
        var overSize = false
        try WriterStatements.run(begin)
        do {
            if let maxAge = config.maxAgeMs {
                try deleteOld.bind(1, nowMillis - maxAge)
                try deleteOld.bind(2, batch)
                result.exchanges += try collect(deleteOld, into: &touched)
            }
            if result.exchanges < batch, let maxBytes = config.maxBytes, try liveBytes() > maxBytes {
                overSize = true
                try deleteOldest.bind(1, batch - result.exchanges)
                result.exchanges += try collect(deleteOldest, into: &touched)
            }
            for id in touched {
                defer { deleteEmptySession.reset() }
                try deleteEmptySession.bind(1, id)
                try deleteEmptySession.step()
                result.sessions += db.changes
            }
            let free = try pragma(freelistCount)
            if free > 0 {
                try db.execute("PRAGMA incremental_vacuum(\(min(Int(free), Self.vacuumPages)))")
            }
            try WriterStatements.run(commit)
        } catch {
            if !db.isAutocommit { try? WriterStatements.run(rollback) }
            throw error
        }
        moreWork = result.exchanges >= batch || (overSize && result.exchanges > 0)
        return result
    }

    private func collect(_ st: Statement, into sessions: inout Set<Int64>) throws(SQLiteError) -> Int {
        defer { st.reset() }
        var n = 0
        while try st.step() {
            sessions.insert(st.int64(0))
            n += 1
        }
        return n
    }
}
