import Foundation
@testable import Recording
import XCTest

final class RetentionTests: XCTestCase {
    func testPrunesByAgeInSmallSteps() throws {
        let dir = TempDir()
        defer { dir.remove() }
        let day: Int64 = 86_400_000
        let r = try openRecorder(dir) { c in
            c.retention.maxAgeMs = day
            c.retention.pruneBatch = 10
            c.retention.checkIntervalMs = 20
        }
        defer { r.close() }
        // The old exchanges go in one write batch (one block), the new ones
        // in a later one: retention deletes whole blocks.
        let entered = Latch()
        let gate = Latch()
        Thread.detachNewThread {
            _ = r.onWriter(timeoutMs: 20_000) { _ in
                entered.open()
                _ = gate.wait(timeoutMs: 20_000)
            }
        }
        XCTAssertTrue(entered.wait(timeoutMs: 10_000))
        let now = RecordingClock.nowMillis()
        for i in 0..<55 {
            XCTAssertTrue(r.submit(.complete(makeStart("old-\(i)", at: now - 2 * day, subject: "old-\(i % 5)"),
                                             makeOutcome("old-\(i)", at: now - 2 * day))))
        }
        gate.open()
        XCTAssertTrue(waitUntil { r.statistics.prunedRecords >= 55 })
        for i in 0..<5 { XCTAssertTrue(r.submit(.start(makeStart("new-\(i)", at: now, subject: "new")))) }
        XCTAssertTrue(r.flush())
        let p = dir.dbPath
        XCTAssertEqual(try count(p, "SELECT count(*) FROM exchanges WHERE request_id LIKE 'old-%'"), 0)
        XCTAssertEqual(try count(p, "SELECT count(*) FROM exchanges WHERE request_id LIKE 'new-%'"), 5)
        XCTAssertEqual(try count(p, "SELECT count(*) FROM sessions"), 1, "emptied sessions are deleted")
        XCTAssertEqual(try count(p, "SELECT count(*) FROM block_sessions bs LEFT JOIN sessions s ON s.id = bs.session_id WHERE s.id IS NULL"), 0)
        XCTAssertEqual(r.statistics.prunedSessions, 5)
        XCTAssertEqual(r.statistics.prunedRecords, 55)
        XCTAssertEqual(r.statistics.prunedBlocks, 1)
    }

    func testPrunesBySizeOldestFirst() throws {
        let dir = TempDir()
        defer { dir.remove() }
        let limit: Int64 = 512 * 1024
        let r = try openRecorder(dir) { c in
            c.retention.maxBytes = limit
            c.retention.pruneBatch = 16
            c.retention.checkIntervalMs = 20
        }
        defer { r.close() }
        let body = [UInt8](repeating: 0x5A, count: 8 * 1024)
        for i in 0..<300 {
            XCTAssertTrue(r.submit(.start(makeStart(String(format: "ex-%04d", i), body: body))))
            if i % 10 == 9 { XCTAssertTrue(r.flush()) }  // blocks of ~80 KiB: retention deletes whole blocks
        }
        XCTAssertTrue(r.flush())
        let p = dir.dbPath
        func live() throws -> Int64 {
            try count(p, "SELECT (SELECT page_count FROM pragma_page_count) - (SELECT freelist_count FROM pragma_freelist_count)")
                * count(p, "PRAGMA page_size")
        }
        XCTAssertTrue(waitUntil { ((try? live()) ?? .max) <= limit }, "live bytes \((try? live()) ?? -1) over \(limit)")
        XCTAssertTrue(r.flush())
        XCTAssertEqual(try count(p, "SELECT count(*) FROM exchanges WHERE request_id = 'ex-0299'"), 1, "newest kept")
        XCTAssertEqual(try count(p, "SELECT count(*) FROM exchanges WHERE request_id = 'ex-0000'"), 0, "oldest pruned")
        let kept = try count(p, "SELECT count(*) FROM exchanges")
        XCTAssertGreaterThan(kept, 10)
        XCTAssertLessThan(kept, 300)
        let oldestKept = try count(p, "SELECT min(CAST(substr(request_id, 4) AS INTEGER)) FROM exchanges")
        XCTAssertEqual(oldestKept + kept - 1, 299, "what remains is a contiguous newest range")
    }
}
