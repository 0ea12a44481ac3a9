internal import CSQLite
import GatehouseCore

/// The writer thread's state: the only connection that writes records, its prepared
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
    /// What the current batch changed in `inFlight`, undone on rollback.
    var undo = BatchUndo()
    /// The block ID the current batch started at, reused after a rollback.
    private var batchFirstBlockID: Int64 = 0
    /// Writes records as JSON into `block` (see `RecordEncoder`).
    let encoder: RecordEncoder
    /// The block the current batch fills (see `BlockBuilder`).
    let block: BlockBuilder
    /// Flushes the WAL after commits that hold strict records, off this
    /// thread (`synchronous = .full`; nil with `.normal`).
    let syncer: WALSyncer?
    var checkpointer: Checkpointer
    /// Runs the PASSIVE checkpoints due under load, beside the writer.
    let background: BackgroundCheckpoint
    /// Past this many checkpoints' worth of frames the writer waits for a
    /// running background checkpoint to end and catches up itself (see
    /// `BackgroundCheckpoint`). The WAL stays under
    /// `waitFactor × framesPerCheckpoint` frames plus a batch.
    static let waitFactor = 4
    var pruner: Pruner
    /// The WAL's size in frames after the last commit (tests read it).
    let walCounter = WALFrameCounter()
    /// True while the last batch failed; the next success logs a recovery.
    private var failing = false
    /// When the last batch was written: the WAL is truncated only once the
    /// writer has been quiet for a checkpoint interval.
    private var lastBatchAt: UInt64 = 0
    /// When a batch with strict records last committed (0: never). Within
    /// a checkpoint interval of it, checkpoints run on the writer, not in
    /// the background (see `maintain`).
    private var lastStrictBatchAt: UInt64 = 0
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
                // back to the file system a few at a time, and sets the
                // page size (`effectivePageSize`). Existing files keep theirs.
                try db.execute("PRAGMA page_size = \(config.effectivePageSize)")
                try db.execute("PRAGMA auto_vacuum = INCREMENTAL")
            }
            let mode = try db.scalarText("PRAGMA journal_mode = WAL")
            if mode?.lowercased() != "wal" {
                throw SQLiteError(extendedCode: SQLITE_ERROR, message: "journal_mode is \(mode ?? "unknown"), WAL required",
                                  sql: "PRAGMA journal_mode = WAL", operation: "configure")
            }
            // NORMAL in both modes: with `.full` the WAL is flushed by the
            // syncer after COMMIT and before any strict record is
            // acknowledged (see `WALSyncer`), instead of inside COMMIT.
            try db.execute("PRAGMA synchronous = NORMAL")
            try db.execute("PRAGMA foreign_keys = ON")
            // Temporary tables and statement journals (SQLite's, for the
            // few multi-row statements of maintenance) stay in memory
            // instead of spilling to files in /var/tmp.
            try db.execute("PRAGMA temp_store = MEMORY")
        } catch {
            throw .storage(error)
        }
        try Migrations.migrate(db)
        encoder = RecordEncoder(redactor: redactor, bodyCap: config.bodyCap)
        do {
            // Never an ID used before, even once retention emptied the
            // table: exchange IDs in earlier exports stay unique
            // (retention keeps the highest ID it deleted in `recording_state`).
            let lastBlock = try db.scalarInt("""
                SELECT max(coalesce((SELECT max(id) FROM exchange_blocks), 0),
                           coalesce((SELECT block_id_floor FROM recording_state WHERE id = 1), 0))
                """) ?? 0
            block = BlockBuilder(nextID: lastBlock + 1)
            statements = try WriterStatements(db)
            checkpointer = try Checkpointer(db: db, config: config.wal)
            background = try BackgroundCheckpoint(path: config.path)
            pruner = try Pruner(db: db, config: config.retention)
        } catch {
            throw .storage(error)
        }
        walCounter.install(on: db)
        if config.synchronous == .full {
            let wal = sqlite3_filename_wal(sqlite3_db_filename(db.handle, "main")).map { String(cString: $0) }
            syncer = WALSyncer(walPath: wal ?? config.path + "-wal", stats: stats, log: log)
        } else {
            syncer = nil
        }
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
            let (items, closed) = queue.take(max: config.maxBatchRecords, timeoutMs: waitMs,
                                             gatherStrict: inFlight.count >= config.strictDelayMinInFlight)
            if closed { break }
            process(items)
            if !items.isEmpty { lastBatchAt = MonotonicClock.now() }
            maintain(idle: queue.count == 0)
        }
        syncer?.close()
        background.close()
        if let r = background.takeResult() { checkpointFinished(r, background: true) }
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

    /// One group commit: every record in `batch` appended to one block (or
    /// a few, for large bodies) in a single `BEGIN IMMEDIATE … COMMIT`;
    /// completions run only after the commit, or with the failure if the
    /// batch as a whole could not be written.
    ///
    /// A record refused on its own (a start whose request ID is already in
    /// flight, an outcome for no exchange in flight) is refused before
    /// anything of it is written, so the rest of the batch goes on.
    func writeBatch(_ batch: ArraySlice<QueueItem>) {
        let results: [Result<Void, RecordingError>]
        let hasStrict: Bool
        do throws(SQLiteError) {
            (results, hasStrict) = try transaction(batch)
        } catch {
            rollbackAfterFailure()
            batchFailed(error, batch: batch)
            return
        }
        undo.removeAll()
        var committed = 0
        var rejected = 0
        var waiting: [WALSyncer.Pending] = []
        for (i, r) in zip(batch.indices, results) {
            if case .success = r { committed += 1 } else { rejected += 1 }
            if case .record(let queued) = batch[i], let completion = queued.completion { waiting.append((completion, r)) }
        }
        if hasStrict { lastStrictBatchAt = MonotonicClock.now() }
        if let syncer, hasStrict {
            syncer.enqueue(waiting)
        } else {
            for (completion, r) in waiting { completion(r) }
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

    /// Writes the batch; returns each record's result and whether any
    /// record is strict (its completions then wait for a WAL flush).
    private func transaction(_ batch: ArraySlice<QueueItem>) throws(SQLiteError)
        -> (results: [Result<Void, RecordingError>], hasStrict: Bool) {
        var results: [Result<Void, RecordingError>] = []
        results.reserveCapacity(batch.count)
        var hasStrict = false
        batchFirstBlockID = block.id
        try WriterStatements.run(statements.begin)
        for i in batch.indices {
            guard case .record(let queued) = batch[i] else { continue }
            if queued.durability == .strict { hasStrict = true }
            // Moved out, not copied: a batch is written once (a failed one
            // fails as a whole and is not retried).
            guard let record = queued.take() else {
                results.append(.failure(.invalidRecord("record \(i) of the batch was already written")))
                continue
            }
            results.append(try apply(record))
        }
        try flushBlock()
        try flushSessionDeltas()
        try WriterStatements.run(statements.commit)
        return (results, hasStrict)
    }

    private func rollbackAfterFailure() {
        if !db.isAutocommit {
            do { try WriterStatements.run(statements.rollback) } catch {
                alerts.alert("rollback_failed", "ROLLBACK after a failed batch failed: \(error)")
            }
        }
        // Sessions created or touched, and exchanges started or finished, in
        // the rolled-back batch did not happen: the session cache is
        // dropped (it refills from the table), the in-flight index is put
        // back as it was, and the block starts again at the same ID.
        sessions.removeAll()
        undo.revert(&inFlight)
        sessionDeltas.removeAll()
        block.reset(nextID: batchFirstBlockID)
    }

    private func batchFailed(_ error: SQLiteError, batch: ArraySlice<QueueItem>) {
        failing = true
        stats.update { $0.failedBatches += 1 }
        alerts.alert("store_failed", "recording store cannot write; strict exchanges are refused with 503 audit_unavailable",
                     fields: [("error", error.description), ("sqlite_code", String(error.extendedCode)),
                              ("records", String(batch.count))])
        for i in batch.indices {
            if case .record(let queued) = batch[i], let completion = queued.completion { completion(.failure(.storage(error))) }
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
        if let r = background.takeResult() { checkpointFinished(r, background: true) }
        let frames = walCounter.frames
        if checkpointer.isDue(now: now, walFrames: frames) {
            // Under load the checkpoint is PASSIVE and the WAL file keeps its
            // size: once fully checkpointed, SQLite writes it again from the
            // start, into blocks that are already allocated, so a commit's
            // fsync flushes data but no file-size change. Truncating at every
            // short pause in traffic made the next commits grow the file
            // again, block by block. TRUNCATE waits for real quiet.
            let quiet = idle && now &- lastBatchAt >= nanoseconds(ms: config.wal.checkpointIntervalMs)
            let overBound = frames >= checkpointer.framesPerCheckpoint * Self.waitFactor
            // With strict records flowing, the checkpoint stays on the
            // writer: beside it, its database fsync made the syncer's WAL
            // flushes (which strict commits wait for) wait too, and the
            // gateway's strict p99 rose by a fifth to a third.
            let strictRecently = lastStrictBatchAt != 0
                && now &- lastStrictBatchAt < nanoseconds(ms: config.wal.checkpointIntervalMs)
            if !quiet && !overBound && !strictRecently {
                // Started, or postponed by a period while one still runs.
                _ = background.start()
                checkpointer.began(walFrames: frames)
            } else {
                background.waitIdle()
                if let r = background.takeResult() { checkpointFinished(r, background: true) }
                do {
                    checkpointFinished(.success(try checkpointer.run(truncate: quiet, walFrames: walCounter.frames)),
                                       background: false)
                } catch {
                    checkpointFinished(.failure(error), background: false)
                }
            }
        }
        if pruner.isDue(now: now) {
            do {
                let r = try pruner.step(nowMillis: RecordingClock.nowMillis())
                if r.sessions > 0 { sessions.removeAll() }
                // Exchanges still in flight stay in `inFlight`: their
                // outcomes are written, and readers skip an outcome whose
                // start was pruned.
                if r.records > 0 || r.sessions > 0 {
                    stats.update { s in
                        s.prunedBlocks += r.blocks
                        s.prunedRecords += r.records
                        s.prunedSessions += r.sessions
                    }
                }
            } catch {
                sessions.removeAll()
                alerts.alert("prune_failed", "retention pruning failed", fields: [("error", error.description)])
            }
        }
    }

    /// Counts a finished checkpoint (the writer's own, or one that ran in
    /// the background) and raises the WAL-growth alert when it shows one.
    private func checkpointFinished(_ result: Result<Database.CheckpointResult, SQLiteError>, background: Bool) {
        let r: Database.CheckpointResult
        switch result {
        case .success(let value): r = value
        case .failure(let error):
            alerts.alert("checkpoint_failed", "WAL checkpoint failed", fields: [("error", error.description)])
            return
        }
        if background { checkpointer.backgroundFinished(r) }
        // Zero only when nothing was committed since the checkpoint looked:
        // the next commit then starts the WAL over.
        if r.isComplete && r.walFrames == walCounter.frames { walCounter.frames = 0 }
        stats.update { s in
            s.checkpoints += 1
            if background { s.backgroundCheckpoints += 1 }
            if r.busy { s.busyCheckpoints += 1 }
            s.walFrames = r.walFrames
        }
        if checkpointer.walKeepsGrowing(r, now: MonotonicClock.now()) {
            stats.update { $0.walGrowthAlerts += 1 }
            alerts.alert("wal_growing", "recording WAL keeps growing: a reader holds an old snapshot and blocks checkpoints",
                         level: "warn", fields: [("wal_bytes", String(Int64(r.walFrames) * checkpointer.pageSize))],
                         force: true)
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
