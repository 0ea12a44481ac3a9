#if canImport(Glibc)
import Glibc
#endif
import GatehouseCore

/// Makes committed batches durable off the writer thread, so the writer
/// can write the next batch while the disk flushes the last one (pipelined
/// group commit).
///
/// With `synchronous = .full` the connection runs SQLite's
/// `synchronous=NORMAL`: a WAL commit is written but not flushed. Each
/// batch that holds a strict record hands its completions here after
/// `COMMIT`; this thread `fdatasync`s the WAL file and only then runs them.
/// An acknowledged record is therefore on disk, as with SQLite's `FULL`
/// (which flushes inside `COMMIT`, on the writer thread), and one flush
/// covers every batch committed before it started. In NORMAL mode SQLite
/// itself still flushes the WAL before every checkpoint and the database
/// after it, so nothing checkpointed is less durable than the WAL was.
///
/// If a flush fails, the batch's records fail with `.walSyncFailed`: a
/// strict exchange is then refused (or its response cut short) exactly as
/// when its commit fails. The failure is sticky: Linux reports a failed
/// write-back once and then marks the pages clean, so a later flush that
/// "succeeds" proves nothing about the frames before it (and WAL recovery
/// stops at the first frame that did not reach the disk). Every later
/// completion therefore fails too, with a `wal_sync_failed` alert, until
/// the recorder is reopened (a restart of the daemon).
///
/// When it first opens the WAL file it also flushes the directory, so the
/// file's entry (the WAL is created anew after a clean close) is on disk
/// before anything in it is acknowledged.
final class WALSyncer: @unchecked Sendable {
    typealias Pending = (RecordCompletion, Result<Void, RecordingError>)

    private let lock = ConditionLock()
    // Guarded by `lock`.
    private var pending: [Pending] = []
    private var closed = false
    private let done = Latch()
    private let walPath: String
    private let stats: StatisticsBox
    // The syncer thread's own.
    private var fd: Int32 = -1
    /// The first flush failure; from then on nothing is acknowledged.
    private var failed: RecordingError?
    private var alerts: AlertLog

    init(walPath: String, stats: StatisticsBox, log: LogSink) {
        self.walPath = walPath
        self.stats = stats
        self.alerts = AlertLog(sink: log)
        OSThread.spawn(name: "gh-recorder-sync") { [self] in
            run()
            done.open()
        }
    }

    deinit {
        if fd >= 0 { Glibc.close(fd) }
    }

    /// Queues completions of a committed batch; they run after the next
    /// flush of the WAL. Called on the writer thread.
    func enqueue(_ items: [Pending]) {
        guard !items.isEmpty else { return }
        lock.withLock {
            pending.append(contentsOf: items)
            lock.broadcast()
        }
    }

    /// Flushes what is queued, runs its completions and stops the thread.
    func close() {
        lock.withLock {
            closed = true
            lock.broadcast()
        }
        _ = done.wait(timeoutMs: 20_000)
    }

    private func run() {
        while true {
            let (batch, stop) = lock.withLock {
                lock.wait { pending.isEmpty && !closed }
                let batch = pending
                pending.removeAll(keepingCapacity: true)
                return (batch, closed && batch.isEmpty)
            }
            if stop { return }
            let failure = failed ?? sync()
            if failure != nil && failed == nil { failed = failure }
            stats.update { s in
                s.walSyncs += 1
                if failure != nil { s.failedWALSyncs += 1 }
            }
            if let failure {
                alerts.alert("wal_sync_failed",
                             "recording WAL cannot be flushed to disk; strict exchanges are refused until the daemon restarts",
                             fields: [("error", failure.description), ("records", String(batch.count))])
            }
            for (completion, result) in batch {
                if let failure, case .success = result { completion(.failure(failure)) } else { completion(result) }
            }
        }
    }

    /// `fdatasync` of the WAL file; nil when it succeeded.
    private func sync() -> RecordingError? {
        if fd < 0 {
            fd = open(walPath, O_RDONLY | O_CLOEXEC)
            if fd < 0 { return .walSyncFailed(SystemError("open", note: walPath)) }
            if let failure = syncDirectory() { return failure }
        }
        if fdatasync(fd) != 0 { return .walSyncFailed(SystemError("fdatasync", note: walPath)) }
        return nil
    }

    /// `fsync` of the directory holding the WAL file.
    private func syncDirectory() -> RecordingError? {
        let dir: String
        if let slash = walPath.lastIndex(of: "/") {
            dir = slash == walPath.startIndex ? "/" : String(walPath[..<slash])
        } else {
            dir = "."
        }
        let dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd < 0 { return .walSyncFailed(SystemError("open", note: dir)) }
        defer { Glibc.close(dfd) }
        if fsync(dfd) != 0 { return .walSyncFailed(SystemError("fsync", note: dir)) }
        return nil
    }
}
