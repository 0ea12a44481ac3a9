import GatehouseCore

/// Retention by age and by size, done incrementally: each `step` is one
/// short transaction deleting the oldest blocks, up to about `pruneBatch`
/// records (always at least one block), then the sessions left without a
/// block, then hands a bounded number of free pages back to the file system
/// (`auto_vacuum = INCREMENTAL`). The writer runs one step between write
/// batches, so pruning never stalls recording for long.
///
/// The unit is a block (one write batch, see `BlockBuilder`): by age, a
/// block goes once its newest record is older than the limit; by size, the
/// oldest blocks go first until the live size is under the limit. An
/// outcome whose start was pruned stays until its own block goes; readers
/// skip it.
struct Pruner {
    struct StepResult {
        var blocks = 0
        var records = 0
        var sessions = 0
    }

    let db: Database
    let config: RecorderConfiguration.Retention
    private let begin, commit, rollback: Statement
    private let oldBlocks, oldestBlocks, deleteBlock, deleteBlockSessions, deleteEmptySession: Statement
    private let pageCount, freelistCount: Statement
    private let pageSize: Int64
    private var nextCheck: UInt64 = 0
    private var moreWork = false

    /// Free pages handed back per step.
    static let vacuumPages = 512

    var enabled: Bool { config.maxAgeMs != nil || config.maxBytes != nil }

    init(db: Database, config: RecorderConfiguration.Retention) throws(SQLiteError) {
        self.db = db
        self.config = config
        begin = try db.prepare("BEGIN IMMEDIATE", persistent: true)
        commit = try db.prepare("COMMIT", persistent: true)
        rollback = try db.prepare("ROLLBACK", persistent: true)
        oldBlocks = try db.prepare("""
            SELECT id, record_count FROM exchange_blocks WHERE last_at < ?1 ORDER BY id LIMIT ?2
            """, persistent: true)
        oldestBlocks = try db.prepare("SELECT id, record_count FROM exchange_blocks ORDER BY id LIMIT ?1", persistent: true)
        deleteBlock = try db.prepare("DELETE FROM exchange_blocks WHERE id = ?1", persistent: true)
        deleteBlockSessions = try db.prepare("DELETE FROM block_sessions WHERE block_id = ?1 RETURNING session_id",
                                             persistent: true)
        deleteEmptySession = try db.prepare("""
            DELETE FROM sessions WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM block_sessions WHERE session_id = ?1)
            """, persistent: true)
        pageCount = try db.prepare("PRAGMA page_count", persistent: true)
        freelistCount = try db.prepare("PRAGMA freelist_count", persistent: true)
        pageSize = try db.scalarInt("PRAGMA page_size") ?? 4096
    }

    func isDue(now: UInt64) -> Bool { enabled && (moreWork || now >= nextCheck) }

    /// Milliseconds until the next step is due (for the writer's wait).
    func msUntilDue(now: UInt64) -> Int {
        guard enabled else { return Int.max }
        if isDue(now: now) { return 0 }
        return Int((nextCheck - now) / 1_000_000) + 1
    }

    /// Bytes in use: pages minus free pages.
    func liveBytes() throws(SQLiteError) -> Int64 {
        let pages = try pragma(pageCount)
        let free = try pragma(freelistCount)
        return (pages - free) * pageSize
    }

    private func pragma(_ st: Statement) throws(SQLiteError) -> Int64 {
        defer { st.reset() }
        return try st.step() ? st.int64(0) : 0
    }

    /// One bounded pruning transaction.
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
                try oldBlocks.bind(1, nowMillis - maxAge)
                try oldBlocks.bind(2, batch)
                try delete(choose(oldBlocks, records: batch), into: &result, touched: &touched)
            }
            if result.records < batch, let maxBytes = config.maxBytes, try liveBytes() > maxBytes {
                overSize = true
                try oldestBlocks.bind(1, batch)
                try delete(choose(oldestBlocks, records: batch - result.records), into: &result, touched: &touched)
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
        moreWork = result.records >= batch || (overSize && result.blocks > 0)
        return result
    }

    /// The first blocks `st` lists, up to about `records` records (at
    /// least one block).
    private func choose(_ st: Statement, records: Int) throws(SQLiteError) -> [(id: Int64, records: Int)] {
        defer { st.reset() }
        var chosen: [(id: Int64, records: Int)] = []
        var total = 0
        while total < max(records, 1), try st.step() {
            chosen.append((st.int64(0), st.int(1)))
            total += st.int(1)
        }
        return chosen
    }

    private func delete(_ blocks: [(id: Int64, records: Int)], into result: inout StepResult,
                        touched: inout Set<Int64>) throws(SQLiteError) {
        for b in blocks {
            defer {
                deleteBlockSessions.reset()
                deleteBlock.reset()
            }
            try deleteBlockSessions.bind(1, b.id)
            while try deleteBlockSessions.step() { touched.insert(deleteBlockSessions.int64(0)) }
            try deleteBlock.bind(1, b.id)
            try deleteBlock.step()
            result.blocks += 1
            result.records += b.records
        }
    }
}
