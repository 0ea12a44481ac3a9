@testable import Recording
import XCTest

/// Schema v3: decisions inline as JSON, the gateway's hex request IDs as
/// 16-byte BLOBs, and the upgrade of a v2 file in place.
final class SchemaV3Tests: XCTestCase {
    static let hexA = "0123456789abcdef0123456789abcdef"
    static let hexB = "fedcba9876543210fedcba9876543210"

    /// Every form of request ID reads back exactly as submitted; only
    /// 32 lower-case hex digits are packed. Outcomes find their start from
    /// the table after a reopen (no in-flight index), and a repeated ID is
    /// refused in either form.
    func testRequestIDFormsRoundTrip() throws {
        let dir = TempDir()
        defer { dir.remove() }
        let ids = [Self.hexA, Self.hexA.uppercased(), "client-supplied-id", "0123456789abcdef",
                   "0123456789abcdeg0123456789abcdef"]
        let r1 = try openRecorder(dir)
        for id in ids { XCTAssertTrue(r1.submit(.start(makeStart(id)))) }
        XCTAssertTrue(r1.flush())
        XCTAssertTrue(r1.close())

        let r2 = try openRecorder(dir)
        let done = Completions()
        for id in ids { XCTAssertTrue(r2.submit(.outcome(makeOutcome(id)), completion: done.callback("o" + id))) }
        for id in [Self.hexA, "client-supplied-id"] {
            XCTAssertTrue(r2.submit(.start(makeStart(id)), completion: done.callback("s" + id)))
        }
        done.wait(for: ids.count + 2)
        for id in ids { XCTAssertTrue(done.result("o" + id)!.isSuccess, id) }
        for id in [Self.hexA, "client-supplied-id"] { XCTAssertFalse(done.result("s" + id)!.isSuccess, "repeated \(id)") }
        XCTAssertTrue(r2.close())

        let p = dir.dbPath
        XCTAssertEqual(try count(p, "SELECT count(*) FROM exchange_starts WHERE typeof(request_id) = 'blob'"), 1)
        XCTAssertEqual(try count(p, "SELECT length(request_id) FROM exchange_starts WHERE typeof(request_id) = 'blob'"), 16)
        let reader = try RecordingReader(path: p)
        var seen: [String] = []
        try reader.forEachExchange(ExchangeQuery()) { e in
            seen.append(e.requestID)
            XCTAssertEqual(e.outcome, "completed", e.requestID)
        }
        XCTAssertEqual(seen, ids)
    }

    /// Decisions of both phases, with escaping, a missing rule and dry run,
    /// read back in order through the reader and the `decisions` view, and
    /// the `--decision` filter finds them.
    func testInlineDecisionsRoundTrip() throws {
        let dir = TempDir()
        defer { dir.remove() }
        let reqDecisions = [RecordedDecision(stage: "inspection", ruleID: "pii \"q\"\n", action: "mask", detectors: ["email", "iban"]),
                            RecordedDecision(stage: "policy", action: "allow", dryRun: true)]
        let respDecisions = [RecordedDecision(stage: "response_masking", ruleID: "keys", action: "redact", detectors: ["aws_key"])]
        var outcome = makeOutcome(Self.hexB)
        outcome.decisions = respDecisions
        let r = try openRecorder(dir)
        XCTAssertTrue(r.submit(.start(makeStart(Self.hexB, subject: "carol", decisions: reqDecisions))))
        XCTAssertTrue(r.submit(.outcome(outcome)))
        XCTAssertTrue(r.submit(.complete(makeStart("plain", subject: "dave"), makeOutcome("plain"))))
        XCTAssertTrue(r.close())

        let p = dir.dbPath
        XCTAssertEqual(try count(p, "SELECT count(*) FROM decision_rows"), 0, "new decisions are inline")
        XCTAssertEqual(try count(p, "SELECT count(*) FROM decisions"), 3)
        XCTAssertEqual(try count(p, "SELECT count(*) FROM decisions WHERE action = 'mask' AND detectors_json = '[\"email\",\"iban\"]'"), 1)
        XCTAssertEqual(try count(p, "SELECT dry_run FROM decisions WHERE stage = 'policy'"), 1)
        let reader = try RecordingReader(path: p)
        let all = try reader.exchangePage(ExchangeQuery(), after: 0, count: 10)
        XCTAssertEqual(all.map(\.decisions), [
            reqDecisions.map { StoredDecision(phase: "request", decision: $0) }
                + respDecisions.map { StoredDecision(phase: "response", decision: $0) },
            []])
        XCTAssertEqual(try reader.exchangePage(ExchangeQuery(action: "redact"), after: 0, count: 10).map(\.requestID), [Self.hexB])
        XCTAssertEqual(try reader.exchangePage(ExchangeQuery(action: "allow"), after: 0, count: 10).count, 1)
        XCTAssertEqual(try reader.exchangePage(ExchangeQuery(action: "deny"), after: 0, count: 10).count, 0)
        XCTAssertEqual(try reader.listSessions(SessionQuery(action: "mask")).map(\.subject), ["carol"])
        XCTAssertEqual(try reader.listSessions(SessionQuery(action: "redact")).map(\.subject), ["carol"])
        XCTAssertEqual(try reader.listSessions(SessionQuery(action: "deny")).count, 0)
    }

    /// A v2 file is upgraded in place: its hex request IDs are packed (and
    /// still read back as text), its decision rows stay readable and
    /// filterable, an exchange left in flight gets its outcome, and a
    /// repeated hex ID is refused across the upgrade.
    func testMigratesVersion2FileInPlace() throws {
        let dir = TempDir()
        defer { dir.remove() }
        do {
            let db = try Database(path: dir.dbPath, mode: .readWriteCreate)
            try db.execute("PRAGMA auto_vacuum = INCREMENTAL")
            try db.execute("PRAGMA journal_mode = WAL")
            try db.execute("PRAGMA foreign_keys = ON")
            try db.execute("BEGIN")
            try db.execute(Migrations.v1)
            try db.execute(Migrations.v2)
            try db.execute("PRAGMA user_version = 2")
            try db.execute("""
                INSERT INTO sessions (id, key_kind, key, started_at, last_seen, client_address, first_route, exchange_count)
                    VALUES (1, 'identity', 'alice', 1000, 2000, '10.0.0.7:1', 'api', 3);
                INSERT INTO exchange_starts (id, request_id, session_id, started_at, route, client_address, method, target,
                    request_headers_json, durability)
                    VALUES (7, '\(Self.hexA)', 1, 1000, 'api', '10.0.0.7:1', 'GET', '/a', '[]', 'strict'),
                           (8, 'Client-ID', 1, 1500, 'api', '10.0.0.7:1', 'GET', '/b', '[]', 'strict'),
                           (9, '\(Self.hexB)', 1, 2000, 'api', '10.0.0.7:1', 'POST', '/c', '[]', 'async');
                INSERT INTO exchange_outcomes (exchange_id, finished_at, outcome, response_status)
                    VALUES (7, 1100, 'completed', 200), (8, 1600, 'denied', 403);
                INSERT INTO decisions (exchange_id, phase, seq, stage, rule_id, action, detectors_json)
                    VALUES (8, 'request', 0, 'deny_list', 'no-admin', 'deny', '[]');
                COMMIT;
                """)
        }
        let r = try openRecorder(dir)
        let done = Completions()
        XCTAssertTrue(r.submit(.outcome(makeOutcome(Self.hexB, status: 201)), completion: done.callback("open")))
        XCTAssertTrue(r.submit(.start(makeStart(Self.hexA)), completion: done.callback("again")))
        done.wait(for: 2)
        XCTAssertTrue(done.result("open")!.isSuccess)
        XCTAssertFalse(done.result("again")!.isSuccess, "a repeated ID is refused across the upgrade")
        XCTAssertTrue(r.close())

        let p = dir.dbPath
        XCTAssertEqual(try count(p, "PRAGMA user_version"), Int64(Migrations.latestVersion))
        XCTAssertEqual(try count(p, "SELECT count(*) FROM exchange_starts WHERE typeof(request_id) = 'blob'"), 2)
        XCTAssertEqual(try count(p, "SELECT count(*) FROM sqlite_schema WHERE name = 'exchanges_route'"), 0)
        let reader = try RecordingReader(path: p)
        let rows = try reader.exchangePage(ExchangeQuery(), after: 0, count: 10)
        XCTAssertEqual(rows.map(\.requestID), [Self.hexA, "Client-ID", Self.hexB])
        XCTAssertEqual(rows.map(\.responseStatus), [200, 403, 201])
        XCTAssertEqual(rows[1].decisions, [StoredDecision(phase: "request", decision: RecordedDecision(
            stage: "deny_list", ruleID: "no-admin", action: "deny"))])
        XCTAssertEqual(try reader.exchangePage(ExchangeQuery(action: "deny"), after: 0, count: 10).map(\.id), [8])
        XCTAssertEqual(try reader.listSessions(SessionQuery(action: "deny")).count, 1)
        let db = try Database(path: p, mode: .readOnly)
        XCTAssertEqual(try db.scalarText("PRAGMA integrity_check"), "ok")
        XCTAssertNil(try db.scalarText("PRAGMA foreign_key_check"))
    }

    /// New files get 8 KiB pages; an existing file keeps its page size.
    func testNewFilesUse8KiBPages() throws {
        let dir = TempDir()
        defer { dir.remove() }
        try openRecorder(dir).close()
        XCTAssertEqual(try count(dir.dbPath, "PRAGMA page_size"), 8192)

        let old = TempDir()
        defer { old.remove() }
        do {
            let db = try Database(path: old.dbPath, mode: .readWriteCreate)
            try db.execute("PRAGMA page_size = 4096")
            try db.execute("CREATE TABLE t (x)")
        }
        let r = try openRecorder(old)
        XCTAssertTrue(r.submit(.start(makeStart("a"))))
        XCTAssertTrue(r.close())
        XCTAssertEqual(try count(old.dbPath, "PRAGMA page_size"), 4096)
        XCTAssertEqual(try count(old.dbPath, "SELECT count(*) FROM exchanges"), 1)
    }
}
