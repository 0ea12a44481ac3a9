import Foundation
@testable import Recording
import XCTest

final class BatchingTests: XCTestCase {
    /// Several producer threads submit at once; every record commits, and
    /// group commit uses far fewer transactions than records.
    func testConcurrentSubmitsAreGroupCommitted() throws {
        let dir = TempDir()
        defer { dir.remove() }
        let r = try openRecorder(dir)
        let done = Completions()
        let threads = 4
        let perThread = 500
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            for i in 0..<perThread {
                let id = "t\(t)-\(i)"
                var start = makeStart(id, subject: "agent-\(t)")
                start.durability = i % 2 == 0 ? .strict : .async
                while !r.submit(.start(start), completion: done.callback(id)) { usleep(100) }
            }
        }
        done.wait(for: threads * perThread)
        XCTAssertTrue(done.all.values.allSatisfy(\.isSuccess))
        let stats = r.statistics
        XCTAssertEqual(stats.committedRecords, threads * perThread)
        XCTAssertLessThan(stats.transactions, threads * perThread, "no group commit happened")
        r.close()
        XCTAssertEqual(try count(dir.dbPath, "SELECT count(*) FROM exchanges"), Int64(threads * perThread))
        XCTAssertEqual(try count(dir.dbPath, "SELECT count(*) FROM sessions"), Int64(threads))
    }

    /// While the writer is busy, the queue fills to its bound and `submit`
    /// returns false at once; async records stop short of the strict reserve.
    func testSubmitReturnsFalseWhenQueueIsFull() throws {
        let dir = TempDir()
        defer { dir.remove() }
        let r = try openRecorder(dir) { c in
            c.maxQueuedRecords = 6
            c.strictReserve = 2
        }
        defer { r.close() }
        let entered = Latch()
        let gate = Latch()
        Thread.detachNewThread {
            _ = r.onWriter(timeoutMs: 20_000) { _ in
                entered.open()
                _ = gate.wait(timeoutMs: 20_000)
            }
        }
        XCTAssertTrue(entered.wait(timeoutMs: 10_000), "writer never ran the blocking item")

        var start = makeStart("a0", durability: .async)
        var accepted = 0
        for i in 0..<4 {
            start.requestID = "a\(i)"
            if r.submit(.start(start)) { accepted += 1 }
        }
        start.requestID = "a4"
        XCTAssertFalse(r.submit(.start(start)), "async record took the strict reserve")
        XCTAssertEqual(accepted, 4)

        let t0 = Date()
        XCTAssertTrue(r.submit(.start(makeStart("s0"))))
        XCTAssertTrue(r.submit(.start(makeStart("s1"))))
        XCTAssertFalse(r.submit(.start(makeStart("s2"))), "queue accepted beyond its bound")
        XCTAssertLessThan(Date().timeIntervalSince(t0), 0.5, "submit blocked")
        XCTAssertEqual(r.statistics.refusedSubmits, 2)

        gate.open()
        XCTAssertTrue(r.flush())
        XCTAssertEqual(r.statistics.committedRecords, 6)
    }
}
