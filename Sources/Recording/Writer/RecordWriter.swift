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
    var checkpointer: Checkpointer
    var pruner: Pruner
    private let walCounter = WALFrameCounter()
    /// True while the last batch failed; the next success logs a recovery.
    private var failing = false

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
                // back to the file system a few at a time.
                try db.execute("PRAGMA auto_vacuum = INCREMENTAL")
            }
            let mode = try db.scalarText("PRAGMA journal_mode = WAL")
            if mode?.lowercased() != "wal" {
                throw SQLiteError(extendedCode: SQLITE_ERROR, message: "journal_mode is \(mode ?? "unknown"), WAL required",
                                  sql: "PRAGMA journal_mode = WAL", operation: "configure")
            }
            try db.execute("PRAGMA synchronous = \(config.synchronous == .full ? "FULL" : "NORMAL")")
            try db.execute("PRAGMA foreign_keys = ON")
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
            maintain(idle: queue.count == 0)
        }
        _ = try? checkpointer.run(truncate: true, walFrames: walCounter.frames)
    }

    /// Writes runs of records as batches; control items run between them.
    func process(_ items: [QueueItem]) {
        var run: [(AuditRecord, RecordCompletion?)] = []
        for item in items {
            switch item {
            case .record(let r, let c):
                run.append((r, c))
            case .control(let body):
                if !run.isEmpty { writeBatch(run); run.removeAll() }
                body(self)
            }
        }
        if !run.isEmpty { writeBatch(run) }
    }

    /// One group commit: every record in `batch` in a single `BEGIN
    /// IMMEDIATE … COMMIT`; completions run only after the commit (or with
    /// the failure, if the batch as a whole could not be written).
    func writeBatch(_ batch: [(AuditRecord, RecordCompletion?)]) {
        var results: [Result<Void, RecordingError>] = []
        results.reserveCapacity(batch.count)
        do {
            try WriterStatements.run(statements.begin)
            for (record, _) in batch {
                results.append(try applyInSavepoint(record))
            }
            try WriterStatements.run(statements.commit)
        } catch {
            rollbackAfterFailure()
            batchFailed(error, batch: batch)
            return
        }
        var committed = 0
        var rejected = 0
        for (i, (_, completion)) in batch.enumerated() {
            if case .success = results[i] { committed += 1 } else { rejected += 1 }
            completion?(results[i])
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

    /// Applies one record inside `SAVEPOINT record`: a record-level failure
    /// (duplicate request ID, unknown exchange) undoes just that record.
    /// Storage failures propagate and fail the whole batch.
    private func applyInSavepoint(_ record: AuditRecord) throws(SQLiteError) -> Result<Void, RecordingError> {
        try WriterStatements.run(statements.savepoint)
        let result: Result<Void, RecordingError>
        var cacheUpdates: [SessionCache.Update] = []
        do {
            switch record {
            case .start(let s):
                try applyStart(s, cacheUpdates: &cacheUpdates)
                result = .success(())
            case .outcome(let o):
                result = try applyOutcome(o, cacheUpdates: &cacheUpdates)
            case .complete(let s, let o):
                try applyStart(s, cacheUpdates: &cacheUpdates)
                result = try applyOutcome(o, cacheUpdates: &cacheUpdates)
            }
        } catch {
            if error.isStorageFailure { throw error }
            try WriterStatements.run(statements.rollbackToSavepoint)
            try WriterStatements.run(statements.release)
            return .failure(.rejected(error))
        }
        if case .failure = result {
            try WriterStatements.run(statements.rollbackToSavepoint)
        } else {
            for u in cacheUpdates { sessions.apply(u) }
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
        // Sessions created or touched in the rolled-back batch do not exist.
        sessions.removeAll()
    }

    private func batchFailed(_ error: SQLiteError, batch: [(AuditRecord, RecordCompletion?)]) {
        failing = true
        stats.update { $0.failedBatches += 1 }
        alerts.alert("store_failed", "recording store cannot write; strict exchanges are refused with 503 audit_unavailable",
                     fields: [("error", error.description), ("sqlite_code", String(error.extendedCode)),
                              ("records", String(batch.count))])
        for (_, completion) in batch { completion?(.failure(.storage(error))) }
    }

    /// Checkpoints and prunes between batches, a bounded amount each time.
    func maintain(idle: Bool) {
        let now = MonotonicClock.now()
        let frames = walCounter.frames
        if checkpointer.isDue(now: now, walFrames: frames) {
            do {
                let r = try checkpointer.run(truncate: idle, walFrames: frames)
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
                if r.exchanges > 0 || r.sessions > 0 {
                    stats.update { s in
                        s.prunedExchanges += r.exchanges
                        s.prunedSessions += r.sessions
                    }
                }
            } catch {
                sessions.removeAll()
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
