import GatehouseCore

/// Retention by age and by size, done incrementally: each `step` is one
/// short transaction deleting the oldest blocks, up to about `pruneBatch`
/// records (always at least one block), then the sessions left without a
/// block, then hands a bounded number of free pages back to the file system
/// (`auto_vacuum = INCREMENTAL`). The writer runs one step between write
/// batches, so pruning never stalls recording for long.
///
/// The unit is a block (one write batch, see `BlockBuilder`), taken in ID
/// (write) order: by age, blocks go while their newest record is older than
/// the limit; by size, the oldest blocks go first until the live size is
/// under the limit. The highest ID deleted is kept
/// (`recording_state.block_id_floor`) so no block ID is ever used twice. An
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
    private let oldestBlocks, deleteBlock, deleteBlockSessions, deleteEmptySession, raiseFloor, raiseSessionFloor: Statement
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
        // Oldest first by ID, which is write order: no index on `last_at`
        // (it would cost every write batch a page).
        oldestBlocks = try db.prepare("""
            SELECT id, record_count, last_at, sessions FROM exchange_blocks ORDER BY id LIMIT ?1
            """, persistent: true)
        deleteBlock = try db.prepare("DELETE FROM exchange_blocks WHERE id = ?1", persistent: true)
        // By primary key (session_id, block_id), from the block's own list.
        deleteBlockSessions = try db.prepare("""
            DELETE FROM block_sessions WHERE block_id = ?1 AND session_id IN (SELECT value FROM json_each(?2))
            RETURNING session_id
            """, persistent: true)
        raiseFloor = try db.prepare(
            "UPDATE recording_state SET block_id_floor = max(block_id_floor, ?1) WHERE id = 1", persistent: true)
        raiseSessionFloor = try db.prepare(
            "UPDATE recording_state SET session_id_floor = max(session_id_floor, ?1) WHERE id = 1", persistent: true)
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
                // Blocks in ID order up to the first one not old enough (a
                // block's newest record can be a little younger than the
                // next block's: that block then waits for the next step).
                let cutoff = nowMillis - maxAge
                try delete(choose(records: batch) { $0 < cutoff }, into: &result, touched: &touched)
            }
            if result.records < batch, let maxBytes = config.maxBytes, try liveBytes() > maxBytes {
                overSize = true
                try delete(choose(records: batch - result.records) { _ in true }, into: &result, touched: &touched)
            }
            var highestDeletedSession: Int64 = 0
            for id in touched {
                defer { deleteEmptySession.reset() }
                try deleteEmptySession.bind(1, id)
                try deleteEmptySession.step()
                if db.changes > 0 { highestDeletedSession = max(highestDeletedSession, id) }
                result.sessions += db.changes
            }
            if highestDeletedSession > 0 {
                defer { raiseSessionFloor.reset() }
                try raiseSessionFloor.bind(1, highestDeletedSession)
                try raiseSessionFloor.step()
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

    private struct Candidate {
        var id: Int64
        var records: Int
        var sessions: String
    }

    /// The oldest blocks, up to about `records` records (at least one
    /// block), stopping at the first whose newest record time (`last_at`)
    /// fails `eligible`.
    private func choose(records: Int, eligible: (Int64) -> Bool) throws(SQLiteError) -> [Candidate] {
        let st = oldestBlocks
        defer { st.reset() }
        try st.bind(1, max(records, 1))
        var chosen: [Candidate] = []
        var total = 0
        while total < max(records, 1), try st.step() {
            guard eligible(st.int64(2)) else { break }
            chosen.append(Candidate(id: st.int64(0), records: st.int(1), sessions: st.text(3) ?? "[]"))
            total += st.int(1)
        }
        return chosen
    }

    /// Deletes `blocks` and their `block_sessions` rows, noting the
    /// sessions touched, and raises the floor under future block IDs.
    private func delete(_ blocks: [Candidate], into result: inout StepResult,
                        touched: inout Set<Int64>) throws(SQLiteError) {
        guard let highest = blocks.last?.id else { return }
        for b in blocks {
            defer {
                deleteBlockSessions.reset()
                deleteBlock.reset()
            }
            try deleteBlockSessions.bind(1, b.id)
            try deleteBlockSessions.bind(2, b.sessions)
            while try deleteBlockSessions.step() { touched.insert(deleteBlockSessions.int64(0)) }
            try deleteBlock.bind(1, b.id)
            try deleteBlock.step()
            result.blocks += 1
            result.records += b.records
        }
        defer { raiseFloor.reset() }
        try raiseFloor.bind(1, highest)
        try raiseFloor.step()
    }
}
