import Foundation
@testable import Recording
import XCTest

/// Async records are gathered before the writer takes them; strict records
/// and control items are taken at once.
final class RecordQueueTests: XCTestCase {
    private func record(_ id: String, _ durability: DurabilityMode) -> QueueItem {
        .record(QueuedRecord(.start(makeStart(id, durability: durability)), nil, durability: durability))
    }

    /// Takes from `queue` on another thread; returns what it got and how
    /// long the take took.
    private func takeAsync(_ queue: RecordQueue, timeoutMs: Int,
                           gatherStrict: Bool = false) -> () -> (count: Int, seconds: Double) {
        let result = Completions()
        let box = ResultBox()
        Thread.detachNewThread {
            let start = Date()
            let (items, _) = queue.take(max: 100, timeoutMs: timeoutMs, gatherStrict: gatherStrict)
            box.set(items.count, Date().timeIntervalSince(start))
            result.callback("done")(.success(()))
        }
        return {
            result.wait(for: 1)
            return box.get()
        }
    }

    /// A take of fewer than are queued returns the oldest, in order, and
    /// frees their share of the bounds; taking the rest empties the queue.
    func testPartialTakeKeepsOrderAndAccounting() {
        let queue = RecordQueue(maxRecords: 5, maxBytes: 1 << 20, strictReserve: 1)
        for i in 0..<4 { XCTAssertTrue(queue.push(record("a\(i)", .async), durability: .async)) }
        XCTAssertFalse(queue.push(record("a4", .async), durability: .async), "async records may not use the strict reserve")
        XCTAssertTrue(queue.push(record("s", .strict), durability: .strict))
        func ids(_ items: [QueueItem]) -> [String] {
            items.map { if case .record(let r) = $0 { return r.requestID ?? "taken" } else { return "control" } }
        }
        XCTAssertEqual(ids(queue.take(max: 2, timeoutMs: 0).items), ["a0", "a1"])
        XCTAssertEqual(queue.count, 3)
        XCTAssertTrue(queue.push(record("a5", .async), durability: .async), "the taken records freed their slots")
        XCTAssertEqual(ids(queue.take(max: 100, timeoutMs: 0).items), ["a2", "a3", "s", "a5"])
        XCTAssertEqual(queue.count, 0)
        for i in 0..<4 { XCTAssertTrue(queue.push(record("b\(i)", .async), durability: .async)) }
        XCTAssertEqual(ids(queue.take(max: 100, timeoutMs: 0).items), ["b0", "b1", "b2", "b3"])
    }

    func testAsyncRecordsWaitForTheDelayOrTheThreshold() {
        let queue = RecordQueue(maxRecords: 100, maxBytes: 1 << 20, strictReserve: 10,
                                asyncWakeRecords: 3, asyncDelayMs: 300)
        XCTAssertTrue(queue.push(record("a1", .async), durability: .async))
        let slow = takeAsync(queue, timeoutMs: 5_000)()
        XCTAssertEqual(slow.count, 1)
        XCTAssertGreaterThanOrEqual(slow.seconds, 0.25, "a lone async record waits for others to join it")

        let pending = takeAsync(queue, timeoutMs: 5_000)
        usleep(50_000)
        for i in 0..<3 { XCTAssertTrue(queue.push(record("b\(i)", .async), durability: .async)) }
        let full = pending()
        XCTAssertEqual(full.count, 3, "the threshold ends the wait")
        XCTAssertLessThan(full.seconds, 0.25 + 0.05 + 0.2)
    }

    func testStrictRecordsAreTakenAtOnce() {
        let queue = RecordQueue(maxRecords: 100, maxBytes: 1 << 20, strictReserve: 10,
                                asyncWakeRecords: 100, asyncDelayMs: 2_000)
        XCTAssertTrue(queue.push(record("a", .async), durability: .async))
        let pending = takeAsync(queue, timeoutMs: 5_000)
        usleep(50_000)
        XCTAssertTrue(queue.push(record("s", .strict), durability: .strict))
        let got = pending()
        XCTAssertEqual(got.count, 2, "the strict record ends the gathering, and takes the async one with it")
        XCTAssertLessThan(got.seconds, 1.5, "not held for the async delay")
    }

    /// Group commit: with `gatherStrict` (enough exchanges in flight), a
    /// strict record waits up to the strict delay for others; the wake
    /// threshold or a control item ends the wait early.
    func testStrictRecordsAreGatheredOnlyWhenAsked() {
        let queue = RecordQueue(maxRecords: 100, maxBytes: 1 << 20, strictReserve: 10,
                                strictDelayUs: 300_000, strictWakeRecords: 3)
        XCTAssertTrue(queue.push(record("s1", .strict), durability: .strict))
        let alone = takeAsync(queue, timeoutMs: 5_000, gatherStrict: true)()
        XCTAssertEqual(alone.count, 1)
        XCTAssertGreaterThanOrEqual(alone.seconds, 0.25, "a lone strict record waits for the group-commit delay")

        XCTAssertTrue(queue.push(record("s2", .strict), durability: .strict))
        let notAsked = takeAsync(queue, timeoutMs: 5_000, gatherStrict: false)()
        XCTAssertEqual(notAsked.count, 1)
        XCTAssertLessThan(notAsked.seconds, 0.2, "without gatherStrict (few in flight) it is taken at once")

        let pending = takeAsync(queue, timeoutMs: 5_000, gatherStrict: true)
        usleep(20_000)
        for i in 0..<3 { XCTAssertTrue(queue.push(record("t\(i)", .strict), durability: .strict)) }
        let full = pending()
        XCTAssertEqual(full.count, 3, "the wake threshold ends the wait")
        XCTAssertLessThan(full.seconds, 0.25)

        XCTAssertTrue(queue.push(record("u", .strict), durability: .strict))
        let control = takeAsync(queue, timeoutMs: 5_000, gatherStrict: true)
        usleep(20_000)
        XCTAssertTrue(queue.pushControl(.control { _ in }))
        let ended = control()
        XCTAssertEqual(ended.count, 2, "a control item ends the wait and is taken with the record")
        XCTAssertLessThan(ended.seconds, 0.25)
    }
}

private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    private var seconds = 0.0
    func set(_ c: Int, _ s: Double) { lock.lock(); count = c; seconds = s; lock.unlock() }
    func get() -> (count: Int, seconds: Double) { lock.lock(); defer { lock.unlock() }; return (count, seconds) }
}
