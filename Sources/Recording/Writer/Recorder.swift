import GatehouseCore

/// The session store's write side. One recorder per daemon: it owns the
/// connection that writes records, used solely by its writer thread (a
/// second one, on the background checkpoint thread, only copies the WAL
/// into the database file and never runs a transaction).
///
/// Event loops call `submit`, which only appends to a bounded queue and never
/// blocks or touches SQLite. The writer takes everything queued, writes it in
/// one transaction (group commit), and only after the commit calls each
/// record's completion. In strict mode the proxy forwards a request (and
/// releases a response's last byte) only from that completion.
public final class Recorder: Sendable {
    private let queue: RecordQueue
    private let stats = StatisticsBox()
    private let stopped = Latch()

    /// The configuration the recorder was opened with.
    public let configuration: RecorderConfiguration

    /// Opens (creating if needed) the database at `configuration.path`,
    /// applies pending schema migrations and starts the writer thread.
    /// Throws if the file cannot be opened for writing, is read-only, or has
    /// a newer schema. Alerts go to `log` as JSON lines on stderr.
    public init(configuration: RecorderConfiguration, log: LogSink = .shared) throws(RecordingError) {
        self.configuration = configuration
        queue = RecordQueue(maxRecords: configuration.maxQueuedRecords, maxBytes: configuration.maxQueuedBytes,
                            strictReserve: configuration.strictReserve,
                            asyncWakeRecords: configuration.asyncWakeRecords, asyncDelayMs: configuration.asyncDelayMs,
                            strictDelayUs: configuration.strictDelayUs,
                            strictWakeRecords: configuration.strictWakeRecords)
        let handoff = Handoff(try RecordWriter(config: configuration, stats: stats, log: log))
        let queue = self.queue
        let stopped = self.stopped
        OSThread.spawn(name: "gh-recorder") {
            handoff.take().run(queue: queue)
            stopped.open()
        }
    }

    /// A recorder dropped without `close()` still drains its queue and
    /// closes the file; it just is not waited for.
    deinit {
        queue.close()
    }

    /// Queues `record` for the writer. Returns false at once, queuing
    /// nothing, when the queue is over its bound (for async records, over
    /// the bound minus the strict reserve) or the recorder is closed: a
    /// strict caller then refuses the exchange with 503 `audit_unavailable`.
    ///
    /// When it returns true, `completion` (if given) is called exactly once:
    /// `.success` after the record's transaction committed (and, for a
    /// batch with strict records, after the WAL was flushed; then on the
    /// syncer thread, else on the writer thread), or the failure.
    public func submit(_ record: consuming AuditRecord, completion: RecordCompletion? = nil) -> Bool {
        // Moved, not copied, into the queue: a copy would retain (and the
        // caller's copy later release) every string and array of the record.
        let (moved, durability, bytes) = AuditRecord.withQueueAttributes(record)
        let ok = queue.push(.record(QueuedRecord(moved, completion, durability: durability)), bytes: bytes, durability: durability)
        if !ok { stats.update { $0.refusedSubmits += 1 } }
        return ok
    }

    /// Counters since start.
    public var statistics: RecorderStatistics { stats.snapshot }

    /// Records waiting for the writer.
    public var queuedRecords: Int { queue.count }

    /// Blocks until the writer processed everything submitted before this
    /// call (committed or failed; strict completions may still wait for
    /// their WAL flush). For shutdown paths and tests, never for an
    /// event loop. Returns false on timeout or if the recorder is closed.
    @discardableResult
    public func flush(timeoutMs: Int = 10_000) -> Bool {
        let latch = Latch()
        guard queue.pushControl(.control { _ in latch.open() }) else { return false }
        return latch.wait(timeoutMs: timeoutMs)
    }

    /// Stops accepting records, writes everything already queued, runs a
    /// final checkpoint and closes the database. Blocks until done (or the
    /// timeout). Idempotent.
    @discardableResult
    public func close(timeoutMs: Int = 30_000) -> Bool {
        queue.close()
        return stopped.wait(timeoutMs: timeoutMs)
    }

    /// Runs `body` on the writer thread between batches, outside any
    /// transaction, and waits for it. For tests (e.g. changing
    /// `max_page_count`, which is per connection).
    func onWriter(timeoutMs: Int = 10_000, _ body: @escaping @Sendable (RecordWriter) -> Void) -> Bool {
        let latch = Latch()
        guard queue.pushControl(.control { w in body(w); latch.open() }) else { return false }
        return latch.wait(timeoutMs: timeoutMs)
    }
}

/// Carries the writer from the opening thread to the writer thread, which
/// takes the only reference; the connection then closes when `run` returns.
private final class Handoff: @unchecked Sendable {
    private var writer: RecordWriter?
    init(_ writer: RecordWriter) { self.writer = writer }
    func take() -> RecordWriter {
        defer { writer = nil }
        return writer!
    }
}
