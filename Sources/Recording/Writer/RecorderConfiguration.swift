/// Everything the recorder needs to know, with the documented defaults.
public struct RecorderConfiguration: Sendable {
    /// `synchronous` for the write connection. One connection serves every
    /// route, so it is `full` whenever any route records in strict mode.
    public enum Synchronous: String, Sendable {
        /// fsync on every commit: acknowledged records survive power loss.
        case full
        /// fsync only at checkpoints: survives process crashes, but the last
        /// commits before a power loss or kernel crash may be lost. Allowed
        /// only when every route records in async mode.
        case normal
    }

    /// Path of the database file (its `-wal` and `-shm` files sit beside it).
    public var path: String
    public var synchronous: Synchronous = .full

    /// Queue bound, in records and in bytes. Submits over it are refused.
    public var maxQueuedRecords: Int = 8192
    public var maxQueuedBytes: Int = 64 << 20
    /// Queue slots async records may not take, kept for strict ones.
    public var strictReserve: Int = 1024
    /// Most records written in one transaction.
    public var maxBatchRecords: Int = 1024
    /// Async records are gathered for up to `asyncDelayMs` (or until
    /// `asyncWakeRecords` are queued) before the writer wakes for them, so
    /// it commits them in batches instead of one transaction per record.
    /// The delay bounds how much longer an async record stays in memory
    /// only (what a crash can lose; Docs/RECORDING.md). Strict records
    /// always wake the writer at once.
    public var asyncDelayMs: Int = 5
    public var asyncWakeRecords: Int = 256
    /// Group commit for strict records: when at least
    /// `strictDelayMinInFlight` exchanges are in flight (started and not
    /// yet ended), the writer gathers strict records for up to
    /// `strictDelayUs` (or until `strictWakeRecords` are queued) before it
    /// commits them, as PostgreSQL's `commit_delay` does. Each strict commit
    /// then costs one transaction, one WAL flush and one wake-up per loop
    /// for many records instead of a few, at the price of up to
    /// `strictDelayUs` more latency per commit under load. A lone client
    /// (fewer exchanges in flight) never waits. 0 (the default, as in
    /// PostgreSQL): commit at once; the WAL flush in progress already
    /// gathers what arrives meanwhile.
    /// Docs/RECORDING.md, "Durability modes" (group-commit delay).
    public var strictDelayUs: Int = 0
    public var strictDelayMinInFlight: Int = 8
    public var strictWakeRecords: Int = 64

    /// The page size of a new database file, in bytes (a power of two from
    /// 512 to 65536); an existing file keeps the one it was created with.
    /// Nil: `defaultPageSize`.
    ///
    /// Every page a transaction touches is written to the WAL whole (then
    /// checksummed, flushed and checkpointed). A small batch (a strict
    /// commit of a record or two, or an async batch at moderate traffic)
    /// touches about three pages, so small pages keep what it writes small;
    /// large batches of a busy async-only deployment write fewer frames,
    /// system calls and checksums per byte with large pages (the writer
    /// alone: ~1.4x the exchanges/s with 32 KiB pages), at the price of
    /// ~8x more WAL bytes per small batch. Docs/RECORDING.md, "Page size".
    public var pageSize: Int? = nil

    /// 4 KiB: the balanced default (see `pageSize`).
    public static let defaultPageSize = 4096

    /// `pageSize`, or `defaultPageSize`.
    public var effectivePageSize: Int { pageSize ?? Self.defaultPageSize }

    /// Bodies are stored up to this many bytes, with a truncation flag.
    public var bodyCap: Int = CapturedBody.defaultCap
    /// Headers redacted in addition to `HeaderRedactor.alwaysRedacted`.
    public var redactedHeaders: [String] = []
    /// A client-supplied session header used for grouping when no
    /// `Mcp-Session-Id` is present (e.g. `X-Agent-Session`).
    public var sessionHeader: String? = nil
    /// Identity-based sessions end after this much inactivity.
    public var sessionIdleGapMs: Int64 = 5 * 60 * 1000

    public var retention = Retention()
    public var wal = WAL()

    /// Retention: both limits may be set; whole blocks (write batches) are
    /// pruned oldest first, about `pruneBatch` records per transaction,
    /// between write batches.
    public struct Retention: Sendable {
        /// Blocks whose newest record is older than this are deleted. Nil:
        /// no age limit.
        public var maxAgeMs: Int64? = nil
        /// Live data (pages in use) above this is pruned. Nil: no size limit.
        public var maxBytes: Int64? = nil
        /// Records deleted per pruning transaction (at least one block);
        /// keeps each one short.
        public var pruneBatch: Int = 256
        /// How often the limits are checked while nothing needs pruning.
        public var checkIntervalMs: Int = 1000
        public init() {}
    }

    /// WAL upkeep.
    public struct WAL: Sendable {
        /// Checkpoint (PASSIVE) once the WAL holds this many new frames;
        /// nil: `checkpointBytes` worth of pages.
        public var checkpointFrames: Int? = nil
        /// The default's size: 4 MiB of pages (1,024 frames of 4 KiB, about
        /// SQLite's own default), whatever the page size, so the WAL stays
        /// under about 16 MiB at sustained load (the writer catches up at
        /// four checkpoints' worth). Larger checkpoints (16 MiB) halved the
        /// p99 of strict commits in `recording-bench`, but in the gateway
        /// they made the writer's catch-up wait longer, and strict
        /// requests' p99 rose by a third (Docs/BENCHMARKS.md).
        public static let checkpointBytes = 4 << 20
        /// Checkpoint at least this often when the WAL is not empty; when the
        /// queue is idle the checkpoint is TRUNCATE (shrinks the file).
        public var checkpointIntervalMs: Int = 1000
        /// Alert when the WAL stays above this size and is still growing: a
        /// reader is holding an old snapshot and blocks checkpoints.
        public var alertBytes: Int64 = 256 << 20
        /// Minimum time between two such alerts.
        public var alertIntervalMs: Int = 60_000
        public init() {}
    }

    public init(path: String) {
        self.path = path
    }
}
