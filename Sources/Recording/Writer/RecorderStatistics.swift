import Synchronization

/// Counters since the recorder started, for the admin API, alerts and tests.
public struct RecorderStatistics: Sendable, Equatable {
    /// Records committed.
    public var committedRecords: Int = 0
    /// Write transactions committed (group commits).
    public var transactions: Int = 0
    /// Batches that failed as a whole (storage failures).
    public var failedBatches: Int = 0
    /// Records rejected individually (a request ID already in flight, an
    /// outcome for no exchange in flight).
    public var rejectedRecords: Int = 0
    /// Submits refused because the queue was over its bound or closed.
    public var refusedSubmits: Int = 0
    /// Blocks, the records they held, and sessions deleted by retention.
    public var prunedBlocks: Int = 0
    public var prunedRecords: Int = 0
    public var prunedSessions: Int = 0
    /// Flushes of the WAL by the syncer (`synchronous = .full`), and those
    /// that failed.
    public var walSyncs: Int = 0
    public var failedWALSyncs: Int = 0
    /// Checkpoints run, and those stopped short by readers.
    public var checkpoints: Int = 0
    /// Of `checkpoints`, those that ran on the background checkpoint
    /// thread (the rest ran on the writer: TRUNCATE when quiet, catch-ups).
    public var backgroundCheckpoints: Int = 0
    public var busyCheckpoints: Int = 0
    /// Alerts raised because the WAL kept growing.
    public var walGrowthAlerts: Int = 0
    /// The WAL's size in frames after the last checkpoint.
    public var walFrames: Int = 0
}

/// The shared, locked copy of the counters.
final class StatisticsBox: Sendable {
    private let value = Mutex(RecorderStatistics())
    func update(_ body: (inout RecorderStatistics) -> Void) { value.withLock { body(&$0) } }
    var snapshot: RecorderStatistics { value.withLock { $0 } }
}
