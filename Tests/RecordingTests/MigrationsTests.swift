@testable import Recording
import XCTest

final class MigrationsTests: XCTestCase {
    func testMigratesEmptyFileToLatestSchema() throws {
        let dir = TempDir()
        defer { dir.remove() }
        let r = try openRecorder(dir)
        XCTAssertTrue(r.close())

        let db = try Database(path: dir.dbPath, mode: .readOnly)
        XCTAssertEqual(try db.scalarInt("PRAGMA user_version"), Int64(Migrations.latestVersion))
        XCTAssertEqual(try db.scalarText("PRAGMA journal_mode"), "wal")
        XCTAssertEqual(try db.scalarInt("PRAGMA auto_vacuum"), 2, "incremental auto-vacuum")
        for table in ["sessions", "exchange_blocks", "block_sessions", "approval_events"] {
            XCTAssertEqual(try db.scalarInt("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = '\(table)'"), 1, table)
        }
        for view in ["exchange_records", "exchanges", "decisions"] {
            XCTAssertEqual(try db.scalarInt("SELECT count(*) FROM sqlite_schema WHERE type = 'view' AND name = '\(view)'"), 1, view)
        }
        XCTAssertEqual(try db.scalarText("PRAGMA integrity_check"), "ok")
    }

    func testReopeningIsIdempotentAndKeepsData() throws {
        let dir = TempDir()
        defer { dir.remove() }
        let r1 = try openRecorder(dir)
        XCTAssertTrue(r1.submit(.start(makeStart("a"))))
        XCTAssertTrue(r1.flush())
        r1.close()
        let r2 = try openRecorder(dir)
        r2.close()
        XCTAssertEqual(try count(dir.dbPath, "SELECT count(*) FROM exchanges"), 1)
    }

    /// A file written with schema 1 (outcome columns on `exchanges`) is
    /// migrated in place through every version to blocks: `exchanges` reads
    /// the same through its view, decisions keep their exchange, and an
    /// exchange left in flight stays in flight (an outcome for it from the
    /// new process is refused as unknown).
    func testMigratesVersion1DataToAppendOnlyOutcomes() throws {
        let dir = TempDir()
        defer { dir.remove() }
        try writeLegacyFile(dir.dbPath, version: 1, data: """
            INSERT INTO sessions (id, key_kind, key, started_at, last_seen, client_address, first_route, exchange_count)
                VALUES (1, 'identity', 'alice', 1000, 2000, '10.0.0.7:1', 'api', 2);
            INSERT INTO exchanges (id, request_id, session_id, started_at, finished_at, route, client_address, method,
                target, request_headers_json, request_body, request_body_size, response_status, response_body,
                response_body_size, t_total_us, bytes_in, bytes_out, outcome, durability)
                VALUES (7, 'done', 1, 1000, 1500, 'api', '10.0.0.7:1', 'GET', '/a', '[]', x'01', 1, 200, x'0203', 2,
                        1500, 10, 20, 'completed', 'strict');
            INSERT INTO exchanges (id, request_id, session_id, started_at, route, client_address, method, target,
                request_headers_json, outcome, durability)
                VALUES (8, 'open', 1, 2000, 'api', '10.0.0.7:1', 'POST', '/b', '[]', 'in_flight', 'async');
            INSERT INTO decisions (exchange_id, phase, seq, stage, action) VALUES (7, 'request', 0, 'policy', 'allow');
            COMMIT;
            """)
        let r = try openRecorder(dir)
        let done = Completions()
        XCTAssertTrue(r.submit(.outcome(makeOutcome("open", status: 201)), completion: done.callback("open")))
        XCTAssertTrue(r.submit(.outcome(makeOutcome("done")), completion: done.callback("again")))
        done.wait(for: 2)
        guard case .unknownExchange? = done.result("open")!.failure else { return XCTFail("outcome from before the upgrade accepted") }
        guard case .unknownExchange? = done.result("again")!.failure else { return XCTFail("second outcome accepted") }
        XCTAssertTrue(r.close())

        let p = dir.dbPath
        XCTAssertEqual(try count(p, "PRAGMA user_version"), Int64(Migrations.latestVersion))
        XCTAssertEqual(try count(p, "SELECT count(*) FROM exchanges"), 2)
        XCTAssertEqual(try count(p, "SELECT response_status FROM exchanges WHERE request_id = 'done'"), 200)
        XCTAssertEqual(try count(p, "SELECT length(response_body) FROM exchanges WHERE request_id = 'done'"), 2)
        XCTAssertEqual(try count(p, "SELECT bytes_out FROM exchanges WHERE request_id = 'done'"), 20)
        XCTAssertEqual(try count(p, "SELECT outcome = 'in_flight' FROM exchanges WHERE request_id = 'open'"), 1)
        XCTAssertEqual(try count(p, "SELECT count(*) FROM exchanges WHERE outcome = 'completed'"), 1)
        XCTAssertEqual(try count(p, "SELECT count(*) FROM decisions d JOIN exchanges e ON e.id = d.exchange_id WHERE e.request_id = 'done'"), 1)
        XCTAssertEqual(try count(p, "SELECT completed_count FROM sessions WHERE id = 1"), 0, "counters are carried over as they were")
        let db = try Database(path: p, mode: .readOnly)
        XCTAssertEqual(try db.scalarText("PRAGMA integrity_check"), "ok")
        XCTAssertNil(try db.scalarText("PRAGMA foreign_key_check"), "a foreign key points nowhere")
        XCTAssertEqual(try db.scalarInt("SELECT count(*) FROM sqlite_schema WHERE sql LIKE '%REFERENCES exchanges %'"), 0)
    }

    func testRefusesNewerSchema() throws {
        let dir = TempDir()
        defer { dir.remove() }
        try openRecorder(dir).close()
        do {
            let db = try Database(path: dir.dbPath, mode: .readWriteCreate)
            try db.execute("PRAGMA user_version = 99")
        }
        XCTAssertThrowsError(try openRecorder(dir)) { error in
            guard case RecordingError.schemaTooNew(let found, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(found, 99)
        }
        XCTAssertThrowsError(try RecordingReader(path: dir.dbPath))
    }

    func testSQLiteErrorCarriesCodeMessageAndSQL() throws {
        let dir = TempDir()
        defer { dir.remove() }
        let db = try Database(path: dir.dbPath, mode: .readWriteCreate)
        XCTAssertThrowsError(try db.execute("SELEC nonsense")) { error in
            let e = error as! SQLiteError
            XCTAssertEqual(e.primaryCode, 1)
            XCTAssertEqual(e.sql, "SELEC nonsense")
            XCTAssertTrue(e.message.contains("syntax error"), e.message)
            XCTAssertTrue(e.description.contains("SELEC nonsense"))
        }
    }
}
