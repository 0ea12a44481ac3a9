import GatehouseCore

/// Runs PASSIVE WAL checkpoints on a thread and connection of their own, so
/// the writer does not copy the WAL's pages into the database file (a
/// `pread` and a `pwrite` per page, then an `fsync` of each file) between
/// its batches. While a checkpoint runs the writer goes on committing, so
/// under async load the copying overlaps the writing.
///
/// Only while no strict record was committed within a checkpoint interval:
/// beside strict traffic, the checkpoint's database `fsync` made the
/// syncer's WAL flushes (which strict commits wait for) wait as well, and
/// the gateway's strict p99 rose by a fifth to a third on the development
/// machine; with strict records flowing the writer checkpoints itself, as
/// before. Async-only traffic is what gains: the writer alone wrote 25–30%
/// more exchanges per second (Docs/BENCHMARKS.md).
///
/// The writer decides when (`Checkpointer` keeps the schedule) and hands the
/// checkpoint over with `start()`; it reads the result later with
/// `takeResult()`. It still runs these itself, after `waitIdle()`:
/// - every checkpoint while strict records flow (above);
/// - the TRUNCATE once it has been quiet (it is idle then anyway);
/// - the catch-up PASSIVE, past `RecordWriter.waitFactor` checkpoints'
///   worth of frames. A checkpoint that runs beside the writer copies the
///   frames it saw when it began; the writer has appended more by then, so
///   the WAL is never completely copied when the writer begins its next
///   transaction, and SQLite starts the WAL file over only then. Under
///   sustained load the WAL would grow without bound. The writer waits for
///   a running background checkpoint to end, copies the rest (what the
///   background checkpoints have not) with nothing committed meanwhile, and
///   the next commit starts the WAL over.
///
/// (Catching up as soon as each background checkpoint ends, while little
/// is left to copy, measured worse: the catch-up's two `fsync`s on the
/// writer thread then come with every checkpoint, and strict commits' p99
/// doubled.)
///
/// Only one checkpoint runs at a time: the writer never runs its own while
/// this one is running (`waitIdle`), so the two never meet as SQLITE_BUSY.
final class BackgroundCheckpoint: @unchecked Sendable {
    private let lock = ConditionLock()
    // Guarded by `lock`.
    private var requested = false
    private var running = false
    private var closed = false
    private var result: Result<Database.CheckpointResult, SQLiteError>?
    private let done = Latch()
    // The checkpoint thread's own (opened on the caller's thread, then
    // used only there until `close`).
    private var db: Database?

    /// Opens a second read-write connection on `path` (the writer's file,
    /// already in WAL mode) and starts the thread.
    init(path: String) throws(SQLiteError) {
        let db = try Database(path: path, mode: .readWriteCreate)
        db.setBusyTimeout(ms: 0)
        // As on the writer's connection: the WAL is flushed before a
        // checkpoint copies it and the database after (SQLite's rule for
        // WAL mode with NORMAL or FULL).
        try db.execute("PRAGMA synchronous = NORMAL")
        self.db = db
        OSThread.spawn(name: "gh-recorder-ckpt") { [self] in
            run()
            done.open()
        }
    }

    /// Starts a PASSIVE checkpoint unless one is running or its result was
    /// not taken yet; returns whether it started. Writer thread.
    func start() -> Bool {
        lock.withLock {
            guard !closed, !requested, !running, result == nil else { return false }
            requested = true
            lock.broadcast()
            return true
        }
    }

    /// True while a checkpoint is asked for or running.
    var isBusy: Bool {
        lock.withLock { requested || running }
    }

    /// The finished checkpoint's result, once; nil if none finished since
    /// the last call. Writer thread.
    func takeResult() -> Result<Database.CheckpointResult, SQLiteError>? {
        lock.withLock {
            let r = result
            result = nil
            return r
        }
    }

    /// Waits until no checkpoint is asked for or running, so that the
    /// writer may run one on its own connection. Writer thread.
    func waitIdle() {
        lock.withLock { lock.wait { requested || running } }
    }

    /// Lets a running checkpoint finish, stops the thread and closes its
    /// connection. Writer thread, after its last commit.
    func close() {
        lock.withLock {
            closed = true
            lock.broadcast()
        }
        _ = done.wait(timeoutMs: 60_000)
    }

    private func run() {
        while true {
            let stop = lock.withLock {
                lock.wait { !requested && !closed }
                if closed && !requested { return true }
                requested = false
                running = true
                return false
            }
            if stop {
                db = nil
                return
            }
            let r: Result<Database.CheckpointResult, SQLiteError>
            do throws(SQLiteError) {
                r = .success(try db!.checkpoint(.passive))
            } catch {
                r = .failure(error)
            }
            lock.withLock {
                running = false
                result = r
                lock.broadcast()
            }
        }
    }
}
