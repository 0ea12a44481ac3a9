import Foundation
import GatehouseCore
@testable import Recording
import XCTest

/// Schema v5: fewer pages per write batch (no `AUTOINCREMENT`, no
/// `last_at` or `block_id` index, `sessions_key` without `last_seen`),
/// 4 KiB pages for new files, and the upgrade of a v4 file.
final class SchemaV5Tests: XCTestCase {
    /// A batch of one record into an existing block leaf writes three pages
    /// to the WAL: the block row's leaf, its `block_sessions` row, the
    /// session row. (Schema v4 wrote seven.)
    func testOneRecordBatchWritesThreePages() throws {
        let dir = TempDir()
        defer { dir.remove() }
        let r = try openRecorder(dir)
        defer { r.close() }
        func walFrames() -> Int {
            var frames = -1
            let box = FramesBox()
            XCTAssertTrue(r.onWriter { w in box.set(w.walCounter.frames) })
            frames = box.get()
            return frames
        }
        XCTAssertTrue(r.submit(.start(makeStart("first"))))  // creates the session
        XCTAssertTrue(r.flush())
        let before = walFrames()
        XCTAssertTrue(r.submit(.start(makeStart("second"))))
        XCTAssertTrue(r.flush())
        let afterStart = walFrames()
        XCTAssertTrue(r.submit(.outcome(makeOutcome("second"))))
        XCTAssertTrue(r.flush())
        let afterOutcome = walFrames()
        XCTAssertGreaterThan(before, 0)
        XCTAssertEqual(afterStart - before, 3, "pages written by a one-start batch")
        XCTAssertEqual(afterOutcome - afterStart, 3, "pages written by a one-outcome batch")
    }

    /// New files get 4 KiB pages, or the configured size; an existing file
    /// keeps its page size.
    func testPageSizeOfNewFiles() throws {
        for (synchronous, configured, expected) in [(RecorderConfiguration.Synchronous.full, nil, 4096),
                                                    (.normal, nil, 4096), (.normal, 32768, 32768),
                                                    (.full, 16384, 16384)] {
            let dir = TempDir()
            defer { dir.remove() }
            let r = try openRecorder(dir) { c in
                c.synchronous = synchronous
                c.pageSize = configured
            }
            XCTAssertTrue(r.submit(.start(makeStart("a"))))
            XCTAssertTrue(r.close())
            XCTAssertEqual(try count(dir.dbPath, "PRAGMA page_size"), Int64(expected), "\(synchronous) \(String(describing: configured))")
            XCTAssertEqual(try count(dir.dbPath, "SELECT count(*) FROM exchanges"), 1)
        }

        let old = TempDir()
        defer { old.remove() }
        do {
            let db = try Database(path: old.dbPath, mode: .readWriteCreate)
            try db.execute("PRAGMA page_size = 8192")
            try db.execute("CREATE TABLE t (x)")
        }
        let r = try openRecorder(old)
        XCTAssertTrue(r.submit(.start(makeStart("a"))))
        XCTAssertTrue(r.close())
        XCTAssertEqual(try count(old.dbPath, "PRAGMA page_size"), 8192)
        XCTAssertEqual(try count(old.dbPath, "SELECT count(*) FROM exchanges"), 1)
    }

    /// A v4 file: its blocks keep their IDs and records, each gains its
    /// session list, the dropped indexes are gone, and the highest ID v4
    /// ever used (in `sqlite_sequence`, here a block already pruned) is
    /// never used again.
    func testMigratesVersion4File() throws {
        let dir = TempDir()
        defer { dir.remove() }
        let a = #"{"k":"start","request_id":"a","session_id":1,"started_at":1000,"route":"api","client_address":"10.0.0.7:1","method":"GET","target":"/a","request_headers":[],"durability":"strict"}"#
        let b = #"{"k":"complete","request_id":"b","session_id":2,"started_at":2000,"route":"api","client_address":"10.0.0.8:1","method":"GET","target":"/b","request_headers":[],"durability":"strict","finished_at":2100,"outcome":"denied","response_status":403,"response_headers":[]}"#
        let c = #"{"k":"outcome","request_id":"a","session_id":1,"finished_at":2200,"outcome":"completed","response_status":200,"response_headers":[]}"#
        try writeLegacyFile(dir.dbPath, version: 4, data: """
            INSERT INTO sessions (id, key_kind, key, started_at, last_seen, client_address, first_route, exchange_count)
                VALUES (1, 'identity', 'alice', 1000, 2200, '10.0.0.7:1', 'api', 1),
                       (2, 'identity', 'bob', 2000, 2100, '10.0.0.8:1', 'api', 1);
            INSERT INTO exchange_blocks (id, first_at, last_at, record_count, records, bodies)
                VALUES (3, 1000, 2000, 2, '[\(a),\n\(b)]', x''), (5, 2200, 2200, 1, '[\(c)]', x''),
                       (9, 3000, 3000, 0, '[]', x'');
            DELETE FROM exchange_blocks WHERE id = 9;
            INSERT INTO block_sessions (session_id, block_id) VALUES (1, 3), (2, 3), (1, 5);
            COMMIT;
            """)
        let r = try openRecorder(dir)
        XCTAssertTrue(r.submit(.start(makeStart("new"))))
        XCTAssertTrue(r.close())

        let p = dir.dbPath
        XCTAssertEqual(try count(p, "PRAGMA user_version"), Int64(Migrations.latestVersion))
        for gone in ["block_sessions_block", "exchange_blocks_last", "exchange_blocks_v5"] {
            XCTAssertEqual(try count(p, "SELECT count(*) FROM sqlite_schema WHERE name = '\(gone)'"), 0, gone)
        }
        XCTAssertEqual(try count(p, "SELECT count(*) FROM sqlite_sequence WHERE name = 'exchange_blocks'"), 0)
        XCTAssertEqual(try count(p, "SELECT count(*) FROM exchange_blocks WHERE id = 3 AND sessions = '[1,2]'"), 1)
        XCTAssertEqual(try count(p, "SELECT count(*) FROM exchange_blocks WHERE id = 5 AND sessions = '[1]'"), 1)
        XCTAssertEqual(try count(p, "SELECT block_id_floor FROM recording_state"), 9)
        XCTAssertEqual(try count(p, "SELECT session_id_floor FROM recording_state"), 2)
        XCTAssertEqual(try count(p, "SELECT min(id) FROM exchange_blocks WHERE id > 5"), 10,
                       "the first new block comes after the highest ID v4 used")
        let reader = try RecordingReader(path: p)
        let alice = try reader.exchanges(sessionID: 1)
        XCTAssertEqual(alice.map(\.requestID), ["a"])
        XCTAssertEqual(alice.first?.outcome, "completed")
        XCTAssertEqual(try reader.exchanges(sessionID: 2).map(\.outcome), ["denied"])
        let db = try Database(path: p, mode: .readOnly)
        XCTAssertEqual(try db.scalarText("PRAGMA integrity_check"), "ok")
        // The views came back.
        XCTAssertEqual(try db.scalarInt("SELECT count(*) FROM exchanges"), 3)
    }

    /// Retention that empties the tables raises the floors: the next block
    /// and the next session after a restart do not reuse an ID.
    func testBlockIDsAreNotReusedAfterRetentionEmptiedTheTable() throws {
        let dir = TempDir()
        defer { dir.remove() }
        let day: Int64 = 86_400_000
        let old = RecordingClock.nowMillis() - 2 * day
        do {
            let r = try openRecorder(dir)
            for i in 0..<3 {
                XCTAssertTrue(r.submit(.complete(makeStart("old-\(i)", at: old), makeOutcome("old-\(i)", at: old))))
                XCTAssertTrue(r.flush())
            }
            XCTAssertTrue(r.close())
        }
        let highest = try count(dir.dbPath, "SELECT max(id) FROM exchange_blocks")
        XCTAssertGreaterThan(highest, 0)
        let highestSession = try count(dir.dbPath, "SELECT max(id) FROM sessions")
        XCTAssertGreaterThan(highestSession, 0)
        do {
            let r = try openRecorder(dir) { c in
                c.retention.maxAgeMs = day
                c.retention.checkIntervalMs = 20
            }
            XCTAssertTrue(waitUntil { r.statistics.prunedRecords >= 3 })
            XCTAssertTrue(r.close())
        }
        XCTAssertEqual(try count(dir.dbPath, "SELECT count(*) FROM exchange_blocks"), 0)
        XCTAssertEqual(try count(dir.dbPath, "SELECT count(*) FROM block_sessions"), 0)
        XCTAssertEqual(try count(dir.dbPath, "SELECT count(*) FROM sessions"), 0)
        XCTAssertEqual(try count(dir.dbPath, "SELECT block_id_floor FROM recording_state"), highest)
        XCTAssertEqual(try count(dir.dbPath, "SELECT session_id_floor FROM recording_state"), highestSession)
        let r = try openRecorder(dir)
        XCTAssertTrue(r.submit(.start(makeStart("new"))))
        XCTAssertTrue(r.close())
        XCTAssertEqual(try count(dir.dbPath, "SELECT min(id) FROM exchange_blocks"), highest + 1)
        XCTAssertEqual(try count(dir.dbPath, "SELECT min(id) FROM sessions"), highestSession + 1,
                       "a session ID is not given twice either")
    }
}

/// Carries a count out of the writer thread.
private final class FramesBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value = -1
    func set(_ v: Int) { lock.lock(); value = v; lock.unlock() }
    func get() -> Int { lock.lock(); defer { lock.unlock() }; return value }
}
