import GatehouseCore

/// Keeps the WAL small: the schedule, and the checkpoints the writer runs
/// itself. SQLite's auto-checkpoint is off (the writer installs a WAL hook
/// instead), so the writer decides between batches:
/// - PASSIVE once `framesPerCheckpoint` new frames accumulated, or after
///   `checkpointIntervalMs` if the WAL is not empty; never waits for readers.
///   These run on `BackgroundCheckpoint`'s thread (`began`,
///   `backgroundFinished`), except the writer's catch-ups (`run`);
/// - TRUNCATE instead once the writer has been quiet (queue empty, no batch)
///   for `checkpointIntervalMs`, which also shrinks the file to zero when no
///   reader is in the way (with the busy timeout at 0, so a reader makes it
///   fall back to passive rather than stall the writer). Under load the WAL
///   file is reused in place instead.
///
/// A reader holding an old snapshot stops checkpoints short of the WAL's
/// end, and the WAL then grows; past `alertBytes`, and still growing, that is
/// reported (at most once per `alertIntervalMs`).
struct Checkpointer {
    let db: Database
    let config: RecorderConfiguration.WAL
    let pageSize: Int64
    private var lastRun: UInt64
    private var framesAtLastRun = 0
    private var lastObservedFrames = 0
    private var lastAlert: UInt64?
    /// True after a passive checkpoint: the WAL's content is in the
    /// database, but the file keeps its size until a TRUNCATE.
    private var walFileMayHoldFrames = false

    /// How long the writer sleeps at most when the WAL is empty and
    /// nothing else is due.
    static let idleWakeMs = 1000

    /// New frames that make a checkpoint due (`checkpointFrames`, or
    /// `checkpointBytes` of pages).
    let framesPerCheckpoint: Int

    init(db: Database, config: RecorderConfiguration.WAL) throws(SQLiteError) {
        self.db = db
        self.config = config
        self.pageSize = try db.scalarInt("PRAGMA page_size") ?? 4096
        framesPerCheckpoint = max(config.checkpointFrames ?? RecorderConfiguration.WAL.checkpointBytes / Int(max(pageSize, 512)), 1)
        self.lastRun = MonotonicClock.now()
    }

    private var intervalNs: UInt64 { nanoseconds(ms: config.checkpointIntervalMs) }

    private func framesSinceLastRun(_ walFrames: Int) -> Int {
        walFrames >= framesAtLastRun ? walFrames - framesAtLastRun : walFrames
    }

    func isDue(now: UInt64, walFrames: Int) -> Bool {
        if walFrames == 0 { return walFileMayHoldFrames && now &- lastRun >= intervalNs }
        return framesSinceLastRun(walFrames) >= framesPerCheckpoint || now &- lastRun >= intervalNs
    }

    func msUntilDue(now: UInt64, walFrames: Int) -> Int {
        if walFrames == 0 && !walFileMayHoldFrames { return Self.idleWakeMs }
        if isDue(now: now, walFrames: walFrames) { return 0 }
        return Int((intervalNs - (now &- lastRun)) / 1_000_000) + 1
    }

    /// Runs one checkpoint now, on the writer's connection.
    mutating func run(truncate: Bool, walFrames: Int) throws(SQLiteError) -> Database.CheckpointResult {
        lastRun = MonotonicClock.now()
        let r: Database.CheckpointResult
        if truncate {
            db.setBusyTimeout(ms: 0)
            defer { db.setBusyTimeout(ms: 5000) }
            r = try db.checkpoint(.truncate)
        } else {
            r = try db.checkpoint(.passive)
        }
        let complete = r.isComplete
        walFileMayHoldFrames = !(truncate && complete)
        framesAtLastRun = complete ? 0 : max(r.walFrames, 0)
        return r
    }

    /// A checkpoint handed to `BackgroundCheckpoint` now, at `walFrames`:
    /// the next is due `framesPerCheckpoint` frames later, or an interval.
    mutating func began(walFrames: Int) {
        lastRun = MonotonicClock.now()
        framesAtLastRun = walFrames
    }

    /// The result of a background checkpoint. The writer kept appending
    /// while it ran, so even a checkpoint that copied all it saw leaves
    /// the frames after it: the count goes on from what it saw.
    mutating func backgroundFinished(_ r: Database.CheckpointResult) {
        walFileMayHoldFrames = true
        if r.walFrames >= 0 { framesAtLastRun = r.walFrames }
    }

    /// True when this checkpoint shows the WAL over `alertBytes`, larger
    /// than at the previous checkpoint, not fully checkpointed, and no alert
    /// was raised within `alertIntervalMs`.
    mutating func walKeepsGrowing(_ r: Database.CheckpointResult, now: UInt64) -> Bool {
        defer { lastObservedFrames = r.walFrames }
        let bytes = Int64(r.walFrames) * pageSize
        guard bytes > config.alertBytes, r.walFrames > lastObservedFrames,
              r.checkpointedFrames < r.walFrames else { return false }
        if let last = lastAlert, now &- last < nanoseconds(ms: config.alertIntervalMs) { return false }
        lastAlert = now
        return true
    }
}
