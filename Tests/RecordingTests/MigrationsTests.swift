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
        for table in ["sessions", "exchanges", "decisions", "approval_events"] {
            XCTAssertEqual(try db.scalarInt("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = '\(table)'"), 1, table)
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
