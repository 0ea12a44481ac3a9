#if canImport(Glibc)
import Glibc
#endif

/// Called on the writer thread (or, after a WAL flush, the syncer thread)
/// once a record's fate is known: `.success` after its transaction
/// committed, `.failure` otherwise. Must be quick and
/// must not block (typically it posts to an event loop's wakeup).
public typealias RecordCompletion = @Sendable (Result<Void, RecordingError>) -> Void

/// A record and its completion, as queued. A class: taking an item apart
/// on the writer thread (a pattern that binds an enum's payload copies it)
/// then retains one reference, instead of copying the record (every string,
/// array and header buffer in it, through the generic tuple witnesses)
/// twice per record and destroying the copies again: ~3,800 instructions
/// per record before, measured with Benchmarks/gateway-callgrind.sh. The
/// writer moves the record out (`take`) instead of reading it, which would
/// copy it once more.
///
/// `@unchecked Sendable`: `record` is set on the producing thread before the
/// queue's mutex hands the box over, and only the writer thread takes it.
final class QueuedRecord: @unchecked Sendable {
    private var record: AuditRecord?
    let completion: RecordCompletion?
    /// The record's durability, learned when it was queued.
    let durability: DurabilityMode

    init(_ record: consuming AuditRecord, _ completion: RecordCompletion?, durability: DurabilityMode) {
        self.record = record
        self.completion = completion
        self.durability = durability
    }

    /// Moves the record out (nil once taken).
    func take() -> AuditRecord? { record.take() }

    /// The record's request ID (tests), without taking it.
    var requestID: String? { record?.requestID }

    /// Roughly the memory the record holds (0 once taken).
    var approximateBytes: Int { record?.approximateBytes ?? 0 }
}

/// One unit of work for the writer thread.
enum QueueItem {
    case record(QueuedRecord)
    /// Runs on the writer thread between batches, outside any transaction
    /// (tests, maintenance requests).
    case control(@Sendable (RecordWriter) -> Void)

    var bytes: Int {
        if case .record(let r) = self { return r.approximateBytes }
        return 64
    }
}

/// The bounded hand-off between producers (event loops) and the writer
/// thread: a pthread mutex guarding a FIFO, and a condition the writer sleeps
/// on. Producers hold the mutex only to append (no I/O, no waiting); when the
/// queue is over its bound they are refused at once.
///
/// Strict records may use the whole bound; async records only the part
/// left after `strictReserve`, so an async flood cannot starve strict
/// traffic into 503s.
///
/// Async records are coalesced: a push wakes a sleeping writer for the
/// first record of a burst, for any strict record or control item, or once
/// `asyncWakeRecords` are queued; otherwise the writer gathers async records
/// for up to `asyncDelayMs` before it writes them. Without that, a writer
/// that keeps up is woken (a futex wake on the event loop, a context switch
/// on the writer) and commits a transaction for every record or two.
/// Strict records are gathered only when the writer asks (the group-commit
/// delay, `RecorderConfiguration.strictDelayUs`; see `take`).
final class RecordQueue: @unchecked Sendable {
    /// Deadlines on the monotonic clock: a step of the wall clock must not
    /// stretch the writer's waits.
    private let lock = ConditionLock()
    // Guarded by `lock`.
    /// The queued items, oldest first. When the writer takes them all (the
    /// usual case) the array itself is handed over, not its elements: an
    /// item is a few hundred bytes, and copying each out cost more than the
    /// rest of the hand-off.
    private var items: [QueueItem] = []
    /// Per item, parallel to `items`: the size it was counted with (so
    /// taking it does not measure it again) and whether it is urgent.
    private var sizes: [Int] = []
    private var urgency: [Bool] = []
    /// Strict records and control items queued (they end coalescing).
    private var urgentQueued = 0
    /// True while the writer gathers async records (see `take`).
    private var coalescing = false
    /// True while the writer gathers strict records (see `take`): only
    /// `strictWakeRecords` queued (or a control item) wakes it early.
    private var lingering = false
    /// Control items queued (they end any gathering).
    private var controlQueued = 0
    private var queuedBytes = 0
    private var writerWaiting = false
    private var closed = false

    let maxRecords: Int
    let maxBytes: Int
    let strictReserve: Int
    let asyncWakeRecords: Int
    let asyncDelayMs: Int
    let strictDelayUs: Int
    let strictWakeRecords: Int

    init(maxRecords: Int, maxBytes: Int, strictReserve: Int, asyncWakeRecords: Int = 1, asyncDelayMs: Int = 0,
         strictDelayUs: Int = 0, strictWakeRecords: Int = 64) {
        self.maxRecords = max(maxRecords, 1)
        self.maxBytes = max(maxBytes, 1)
        self.strictReserve = min(max(strictReserve, 0), self.maxRecords - 1)
        self.asyncWakeRecords = max(asyncWakeRecords, 1)
        self.asyncDelayMs = max(asyncDelayMs, 0)
        self.strictDelayUs = max(strictDelayUs, 0)
        self.strictWakeRecords = max(strictWakeRecords, 1)
    }

    /// Appends `item` unless the queue is closed or over its bound for this
    /// durability. Never blocks beyond the mutex. `bytes` is the item's
    /// size when the caller knows it (else it is measured).
    func push(_ item: consuming QueueItem, bytes: Int? = nil, durability: DurabilityMode) -> Bool {
        let size = bytes ?? item.bytes
        let limit = durability == .strict ? maxRecords : maxRecords - strictReserve
        let byteLimit = durability == .strict ? maxBytes : maxBytes - maxBytes / maxRecords * strictReserve
        lock.lock()
        let count = items.count
        if closed || count >= limit || (count > 0 && queuedBytes + size > byteLimit) {
            lock.unlock()
            return false
        }
        let urgent = durability == .strict
        items.append(item)
        sizes.append(size)
        urgency.append(urgent)
        queuedBytes += size
        if urgent { urgentQueued += 1 }
        let wake = lingering ? count + 1 >= strictWakeRecords
            : (urgent || !coalescing || count + 1 >= asyncWakeRecords)
        if writerWaiting && wake {
            writerWaiting = false
            lock.signal()
        }
        lock.unlock()
        return true
    }

    /// Control items bypass the bound (they are rare and tiny).
    func pushControl(_ item: QueueItem) -> Bool {
        lock.withLock {
            if closed { return false }
            items.append(item)
            sizes.append(0)
            urgency.append(true)
            urgentQueued += 1
            controlQueued += 1
            if writerWaiting { writerWaiting = false; lock.signal() }
            return true
        }
    }

    /// Takes up to `max` queued items, waiting up to `timeoutMs` for the
    /// first one (0: do not wait). When only async records are queued, and
    /// fewer than `asyncWakeRecords`, it then waits up to `asyncDelayMs` more
    /// for others to join them. When strict records are queued, fewer than
    /// `strictWakeRecords` and no control item, and `gatherStrict` is set (the
    /// writer sees enough exchanges in flight for others to follow), it waits
    /// up to `strictDelayUs` for more (group commit). Returns `closed` once
    /// shut down and empty.
    func take(max: Int, timeoutMs: Int, gatherStrict: Bool = false) -> (items: [QueueItem], closed: Bool) {
        lock.lock()
        defer { lock.unlock() }
        if items.isEmpty && !closed && timeoutMs > 0 {
            wait(until: Self.deadline(afterMs: timeoutMs)) { items.isEmpty }
        }
        if asyncDelayMs > 0 && !items.isEmpty && urgentQueued == 0 && items.count < asyncWakeRecords {
            coalescing = true
            wait(until: Self.deadline(afterMs: asyncDelayMs)) { urgentQueued == 0 && items.count < asyncWakeRecords }
            coalescing = false
        }
        if gatherStrict && strictDelayUs > 0 && urgentQueued > 0 && controlQueued == 0 && items.count < strictWakeRecords {
            lingering = true
            wait(until: Self.deadline(afterNs: strictDelayUs * 1000)) { controlQueued == 0 && items.count < strictWakeRecords }
            lingering = false
        }
        let n = min(items.count, max)
        if n == 0 { return ([], closed) }
        if n == items.count {
            // Everything: hand over the array and start a new one of the
            // same capacity (one allocation per batch, no element copies).
            var batch: [QueueItem] = []
            swap(&batch, &items)
            items.reserveCapacity(batch.count)
            sizes.removeAll(keepingCapacity: true)
            urgency.removeAll(keepingCapacity: true)
            queuedBytes = 0
            urgentQueued = 0
            controlQueued = 0
            return (batch, false)
        }
        let batch = Array(items[0..<n])
        for i in 0..<n {
            queuedBytes -= sizes[i]
            if urgency[i] { urgentQueued -= 1 }
            if case .control = items[i] { controlQueued -= 1 }
        }
        items.removeFirst(n)
        sizes.removeFirst(n)
        urgency.removeFirst(n)
        return (batch, false)
    }

    /// Sleeps on the condition (the mutex held) while `keepWaiting` holds
    /// and the queue is open, until `deadline`; pushes see `writerWaiting`.
    private func wait(until deadline: timespec, while keepWaiting: () -> Bool) {
        writerWaiting = true
        while keepWaiting() && !closed {
            if !lock.wait(until: deadline) { break }
        }
        writerWaiting = false
    }

    private static func deadline(afterMs ms: Int) -> timespec { ConditionLock.deadline(afterNs: ms * 1_000_000) }
    private static func deadline(afterNs ns: Int) -> timespec { ConditionLock.deadline(afterNs: ns) }

    /// Refuses further pushes and wakes the writer so it can drain and stop.
    func close() {
        lock.withLock {
            closed = true
            lock.signal()
        }
    }

    var count: Int { lock.withLock { items.count } }
}
