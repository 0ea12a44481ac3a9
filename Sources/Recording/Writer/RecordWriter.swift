internal import CSQLite
import GatehouseCore

/// The writer thread's state: the only read-write connection, its prepared
/// statements, the session cache and the maintenance schedule.
///
/// Built on the thread that opens the recorder (so open errors are thrown
/// to it), then handed to the writer thread, which alone uses it from then
/// on; that hand-off is why it is `@unchecked Sendable`.
final class RecordWriter: @unchecked Sendable {
    let db: Database
    let config: RecorderConfiguration
    let statements: WriterStatements
    let redactor: HeaderRedactor
    let stats: StatisticsBox
    var alerts: AlertLog
    var sessions = SessionCache()
    var inFlight = InFlightIndex()
    var sessionDeltas = SessionDeltas()
    /// Reused for every record: JSON documents and bodies are built here and
    /// bound without a copy (see `ScratchBuffer`).
    let groupsScratch = ScratchBuffer(capacity: 256)
    let headersScratch = ScratchBuffer(capacity: 2048)
    let bodyScratch = ScratchBuffer(capacity: 4096)
    let decisionsScratch = ScratchBuffer(capacity: 256)
    /// The current record's text values (see `TextArena`); reset before
    /// each record.
    let textArena = TextArena()
    /// A request ID's 16 bytes (see `RequestIDKey`).
    let idScratch = ScratchBuffer(capacity: 16)
    var checkpointer: Checkpointer
    var pruner: Pruner
    private let walCounter = WALFrameCounter()
    /// The page size of files this writer creates.
    static let newFilePageSize = 8192
    /// True while the last batch failed; the next success logs a recovery.
    private var failing = false
    /// When the last batch was written: the WAL is truncated only once the
    /// writer has been quiet for a checkpoint interval.
    private var lastBatchAt: UInt64 = 0
    /// `refusedSubmits` when last looked at, to alert on new refusals.
    private var refusedSeen = 0

    init(config: RecorderConfiguration, stats: StatisticsBox, log: LogSink) throws(RecordingError) {
        self.config = config
        self.stats = stats
        self.redactor = HeaderRedactor(extra: config.redactedHeaders)
        self.alerts = AlertLog(sink: log)
        do {
            db = try Database(path: config.path, mode: .readWriteCreate)
        } catch {
            throw .storage(error)
        }
        if db.isReadOnly { throw .readOnly(path: config.path) }
        do throws(SQLiteError) {
            db.setBusyTimeout(ms: 5000)
            if try db.scalarInt("SELECT count(*) FROM sqlite_schema") == 0 {
                // Only possible while the file is still empty (before WAL
                // mode writes its header): lets retention hand freed pages
                // back to the file system a few at a time, and uses 8 KiB
                // pages (a page holds more rows of ~2 KiB, and the index
                // trees are shallower). Existing files keep their page size.
                try db.execute("PRAGMA page_size = \(Self.newFilePageSize)")
                try db.execute("PRAGMA auto_vacuum = INCREMENTAL")
            }
            let mode = try db.scalarText("PRAGMA journal_mode = WAL")
            if mode?.lowercased() != "wal" {
                throw SQLiteError(extendedCode: SQLITE_ERROR, message: "journal_mode is \(mode ?? "unknown"), WAL required",
                                  sql: "PRAGMA journal_mode = WAL", operation: "configure")
            }
            try db.execute("PRAGMA synchronous = \(config.synchronous == .full ? "FULL" : "NORMAL")")
            try db.execute("PRAGMA foreign_keys = ON")
            // Statement journals (one per record savepoint) stay in memory
            // instead of spilling to files in /var/tmp.
            try db.execute("PRAGMA temp_store = MEMORY")
        } catch {
            throw .storage(error)
        }
        try Migrations.migrate(db)
        do {
            statements = try WriterStatements(db)
            checkpointer = try Checkpointer(db: db, config: config.wal)
            pruner = try Pruner(db: db, config: config.retention)
        } catch {
            throw .storage(error)
        }
        walCounter.install(on: db)
    }

    deinit {
        walCounter.uninstall(from: db)
    }

    /// The writer thread's loop: take whatever is queued (up to a batch),
    /// write it in one transaction, run a little maintenance, repeat. Returns
    /// once the queue is closed and drained.
    func run(queue: RecordQueue) {
        while true {
            let now = MonotonicClock.now()
            let waitMs = min(checkpointer.msUntilDue(now: now, walFrames: walCounter.frames),
                             pruner.msUntilDue(now: now))
            let (items, closed) = queue.take(max: config.maxBatchRecords, timeoutMs: waitMs)
            if closed { break }
            process(items)
            if !items.isEmpty { lastBatchAt = MonotonicClock.now() }
            maintain(idle: queue.count == 0)
        }
        _ = try? checkpointer.run(truncate: true, walFrames: walCounter.frames)
    }

    /// Writes runs of records as batches; control items run between them.
    /// Runs are slices of `items`: records are not copied out of the queue's
    /// array on their way to SQLite.
    func process(_ items: [QueueItem]) {
        var runStart = items.startIndex
        for i in items.indices {
            guard case .control(let body) = items[i] else { continue }
            if runStart < i { writeBatch(items[runStart..<i]) }
            body(self)
            runStart = i + 1
        }
        if runStart < items.endIndex { writeBatch(items[runStart...]) }
    }

    /// One group commit: every record in `batch` in a single `BEGIN
    /// IMMEDIATE … COMMIT`; completions run only after the commit (or with
    /// the failure, if the batch as a whole could not be written).
    ///
    /// The batch is first written plainly. If one record fails on its own
    /// (a duplicate request ID), the transaction is rolled back and the batch
    /// written again with each record in its own savepoint, so that record
    /// alone is rejected. Savepoints cost a page copy per modified page, so
    /// they are used only when needed.
    func writeBatch(_ batch: ArraySlice<QueueItem>) {
        let results: [Result<Void, RecordingError>]
        do {
            do throws(BatchAbort) {
                results = try transaction(batch, isolated: false)
            } catch .needsIsolation {
                rollbackAfterFailure()
                results = try transaction(batch, isolated: true)
            }
        } catch {
            rollbackAfterFailure()
            guard case .storage(let e) = error else { return }
            batchFailed(e, batch: batch)
            return
        }
        var committed = 0
        var rejected = 0
        for (i, r) in zip(batch.indices, results) {
            if case .success = r { committed += 1 } else { rejected += 1 }
            if case .record(_, let completion?) = batch[i] { completion(r) }
        }
        stats.update { s in
            s.committedRecords += committed
            s.rejectedRecords += rejected
            s.transactions += 1
        }
        if failing {
            failing = false
            alerts.reset("store_failed")
            alerts.alert("store_recovered", "recording store is writable again", level: "info", force: true)
        }
    }

    /// Why a batch transaction stopped.
    enum BatchAbort: Error {
        /// The store failed: the batch fails as a whole.
        case storage(SQLiteError)
        /// One record failed on its own: write again with savepoints.
        case needsIsolation
    }

    private func transaction(_ batch: ArraySlice<QueueItem>, isolated: Bool) throws(BatchAbort) -> [Result<Void, RecordingError>] {
        var results: [Result<Void, RecordingError>] = []
        results.reserveCapacity(batch.count)
        var needsIsolation = false
        do throws(SQLiteError) {
            try WriterStatements.run(statements.begin)
            records: for i in batch.indices {
                guard case .record(let record, _) = batch[i] else { continue }
                if isolated {
                    results.append(try applyInSavepoint(record))
                    continue
                }
                var pending = PendingCacheUpdates()
                let r: Result<Void, RecordingError>
                do throws(SQLiteError) {
                    r = try apply(record, pending: &pending)
                } catch {
                    if error.isStorageFailure { throw error }
                    needsIsolation = true
                    break records
                }
                if case .success = r { applyPending(pending) }
                results.append(r)
            }
            if !needsIsolation {
                try flushSessionDeltas()
                try WriterStatements.run(statements.commit)
            }
        } catch {
            throw .storage(error)
        }
        if needsIsolation { throw .needsIsolation }
        return results
    }

    /// Writes one record's rows. A `.failure` result means nothing was
    /// written for it (checked before any write, or found by a statement
    /// that changed nothing); a thrown error may leave partial rows, which
    /// the caller undoes.
    private func apply(_ record: AuditRecord, pending: inout PendingCacheUpdates) throws(SQLiteError) -> Result<Void, RecordingError> {
        // The previous record's statements were all reset: its copies are free.
        textArena.reset()
        switch record {
        case .start(let s):
            let row = try applyStart(s, pending: &pending)
            pending.started = (s.requestID, row)
            return .success(())
        case .outcome(let o):
            return try applyOutcome(o, known: nil, pending: &pending)
        case .complete(let s, let o):
            if o.outcome == .inFlight {
                return .failure(.invalidRecord("complete record for \(o.requestID) has outcome in_flight"))
            }
            let row = try applyStart(s, pending: &pending)
            return try applyOutcome(o, known: row, pending: &pending)
        }
    }

    /// Records a written record's effect on the caches.
    private func applyPending(_ p: PendingCacheUpdates) {
        if let u = p.session1 { sessions.apply(u) }
        if let u = p.session2 { sessions.apply(u) }
        if let s = p.started { inFlight.insert(s.requestID, s.row) }
        if let f = p.finished { inFlight.remove(f) }
        if let d = p.delta1 { sessionDeltas.add(d.session, d.delta) }
        if let d = p.delta2 { sessionDeltas.add(d.session, d.delta) }
    }

    /// Applies one record inside `SAVEPOINT record`: a record-level failure
    /// (duplicate request ID, unknown exchange) undoes just that record.
    /// Storage failures propagate and fail the whole batch.
    private func applyInSavepoint(_ record: AuditRecord) throws(SQLiteError) -> Result<Void, RecordingError> {
        try WriterStatements.run(statements.savepoint)
        var pending = PendingCacheUpdates()
        let result: Result<Void, RecordingError>
        do throws(SQLiteError) {
            result = try apply(record, pending: &pending)
        } catch {
            if error.isStorageFailure { throw error }
            try WriterStatements.run(statements.rollbackToSavepoint)
            try WriterStatements.run(statements.release)
            return .failure(.rejected(error))
        }
        if case .failure = result {
            try WriterStatements.run(statements.rollbackToSavepoint)
        } else {
            applyPending(pending)
        }
        try WriterStatements.run(statements.release)
        return result
    }

    private func rollbackAfterFailure() {
        if !db.isAutocommit {
            do { try WriterStatements.run(statements.rollback) } catch {
                alerts.alert("rollback_failed", "ROLLBACK after a failed batch failed: \(error)")
            }
        }
        // Sessions created or touched, and exchanges started, in the
        // rolled-back batch do not exist.
        sessions.removeAll()
        inFlight.removeAll()
        sessionDeltas.removeAll()
    }

    private func batchFailed(_ error: SQLiteError, batch: ArraySlice<QueueItem>) {
        failing = true
        stats.update { $0.failedBatches += 1 }
        alerts.alert("store_failed", "recording store cannot write; strict exchanges are refused with 503 audit_unavailable",
                     fields: [("error", error.description), ("sqlite_code", String(error.extendedCode)),
                              ("records", String(batch.count))])
        for i in batch.indices {
            if case .record(_, let completion?) = batch[i] { completion(.failure(.storage(error))) }
        }
    }

    /// Checkpoints and prunes between batches, a bounded amount each time.
    func maintain(idle: Bool) {
        let now = MonotonicClock.now()
        let refused = stats.snapshot.refusedSubmits
        if refused > refusedSeen {
            // Producers only count refusals; the alert is raised here so an
            // event loop never formats or logs on that path.
            if alerts.alert("queue_full", "recording queue is over its bound; strict exchanges are refused with 503 audit_unavailable",
                            fields: [("refused_since_last_alert", String(refused - refusedSeen))]) {
                refusedSeen = refused
            }
        }
        let frames = walCounter.frames
        if checkpointer.isDue(now: now, walFrames: frames) {
            // Under load the checkpoint is PASSIVE and the WAL file keeps its
            // size: once fully checkpointed, SQLite writes it again from the
            // start, into blocks that are already allocated, so a commit's
            // fsync flushes data but no file-size change. Truncating at every
            // short pause in traffic made the next commits grow the file
            // again, block by block. TRUNCATE waits for real quiet.
            let quiet = idle && now &- lastBatchAt >= nanoseconds(ms: config.wal.checkpointIntervalMs)
            do {
                let r = try checkpointer.run(truncate: quiet, walFrames: frames)
                walCounter.frames = r.walFrames > r.checkpointedFrames ? r.walFrames : 0
                stats.update { s in
                    s.checkpoints += 1
                    if r.busy { s.busyCheckpoints += 1 }
                    s.walFrames = r.walFrames
                }
                if checkpointer.walKeepsGrowing(r, now: now) {
                    stats.update { $0.walGrowthAlerts += 1 }
                    alerts.alert("wal_growing", "recording WAL keeps growing: a reader holds an old snapshot and blocks checkpoints",
                                 level: "warn", fields: [("wal_bytes", String(Int64(r.walFrames) * checkpointer.pageSize))],
                                 force: true)
                }
            } catch {
                alerts.alert("checkpoint_failed", "WAL checkpoint failed", fields: [("error", error.description)])
            }
        }
        if pruner.isDue(now: now) {
            do {
                let r = try pruner.step(nowMillis: RecordingClock.nowMillis())
                if r.sessions > 0 { sessions.removeAll() }
                // Pruned exchanges may have been in flight.
                if r.exchanges > 0 { inFlight.removeAll() }
                if r.exchanges > 0 || r.sessions > 0 {
                    stats.update { s in
                        s.prunedExchanges += r.exchanges
                        s.prunedSessions += r.sessions
                    }
                }
            } catch {
                sessions.removeAll()
                inFlight.removeAll()
                alerts.alert("prune_failed", "retention pruning failed", fields: [("error", error.description)])
            }
        }
    }
}

/// Receives SQLite's WAL hook: the WAL's size in frames after each commit.
/// Installing it also turns off SQLite's own auto-checkpoint; the writer
/// checkpoints on its own schedule instead.
final class WALFrameCounter {
    var frames = 0

    func install(on db: Database) {
        sqlite3_wal_hook(db.handle, { ctx, _, _, pages in
            Unmanaged<WALFrameCounter>.fromOpaque(ctx!).takeUnretainedValue().frames = Int(pages)
            return SQLITE_OK
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    func uninstall(from db: Database) {
        sqlite3_wal_hook(db.handle, nil, nil)
    }
}
