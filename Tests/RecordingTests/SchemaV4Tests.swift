import GatehouseCore
@testable import Recording
import XCTest

/// Schema v4: records in blocks (one JSON document and one bodies BLOB per
/// write batch), read back through the reader and the compatibility views,
/// and the upgrade of an older file in place.
final class SchemaV4Tests: XCTestCase {
    static let hexA = "0123456789abcdef0123456789abcdef"
    static let hexB = "fedcba9876543210fedcba9876543210"

    /// Every form of request ID reads back exactly as submitted. A repeated
    /// ID is refused while the first exchange is in flight; an outcome for
    /// an exchange started before the recorder opened is refused as
    /// unknown (the process that would have finished it is gone).
    func testRequestIDFormsRoundTrip() throws {
        let dir = TempDir()
        defer { dir.remove() }
        let ids = [Self.hexA, Self.hexA.uppercased(), "client-supplied-id", "0123456789abcdef",
                   "0123456789abcdeg0123456789abcdef", "ünïcode \"quoted\"\n"]
        let r1 = try openRecorder(dir)
        let done = Completions()
        for id in ids { XCTAssertTrue(r1.submit(.start(makeStart(id)), completion: done.callback("s" + id))) }
        XCTAssertTrue(r1.submit(.start(makeStart(Self.hexA)), completion: done.callback("again")))
        for id in ids.dropLast() { XCTAssertTrue(r1.submit(.outcome(makeOutcome(id)), completion: done.callback("o" + id))) }
        done.wait(for: ids.count * 2)
        for id in ids { XCTAssertTrue(done.result("s" + id)!.isSuccess, id) }
        for id in ids.dropLast() { XCTAssertTrue(done.result("o" + id)!.isSuccess, id) }
        guard case .duplicateStart? = done.result("again")!.failure else { return XCTFail("repeated in-flight ID accepted") }
        XCTAssertTrue(r1.close())

        let r2 = try openRecorder(dir)
        let late = Completions()
        XCTAssertTrue(r2.submit(.outcome(makeOutcome(ids.last!)), completion: late.callback("late")))
        late.wait(for: 1)
        guard case .unknownExchange? = late.result("late")!.failure else { return XCTFail("outcome from before the reopen accepted") }
        XCTAssertTrue(r2.close())

        let reader = try RecordingReader(path: dir.dbPath)
        var seen: [String: String] = [:]
        try reader.forEachExchange(ExchangeQuery()) { seen[$0.requestID] = $0.outcome }
        XCTAssertEqual(seen.count, ids.count)
        for id in ids.dropLast() { XCTAssertEqual(seen[id], "completed", id) }
        XCTAssertEqual(seen[ids.last!], "in_flight")
        XCTAssertEqual(try count(dir.dbPath, "SELECT count(*) FROM exchanges WHERE outcome = 'completed'"), Int64(ids.count - 1))
    }

    /// Decisions of both phases, with escaping, a missing rule and dry run,
    /// read back in order through the reader and the `decisions` view, and
    /// the `--decision` filters find them.
    func testDecisionsRoundTrip() throws {
        let dir = TempDir()
        defer { dir.remove() }
        let reqDecisions = [RecordedDecision(stage: "inspection", ruleID: "pii \"q\"\n", action: "mask", detectors: ["email", "iban"]),
                            RecordedDecision(stage: "policy", action: "allow", dryRun: true)]
        let respDecisions = [RecordedDecision(stage: "response_masking", ruleID: "keys", action: "redact", detectors: ["aws_key"])]
        var outcome = makeOutcome(Self.hexB)
        outcome.decisions = respDecisions
        let r = try openRecorder(dir)
        XCTAssertTrue(r.submit(.start(makeStart(Self.hexB, subject: "carol", decisions: reqDecisions))))
        XCTAssertTrue(r.flush())
        XCTAssertTrue(r.submit(.outcome(outcome)))
        XCTAssertTrue(r.submit(.complete(makeStart("plain", subject: "dave"), makeOutcome("plain"))))
        XCTAssertTrue(r.close())

        let p = dir.dbPath
        XCTAssertGreaterThanOrEqual(try count(p, "SELECT count(*) FROM exchange_blocks"), 2, "the start and its outcome in two batches")
        XCTAssertEqual(try count(p, "SELECT count(*) FROM decisions"), 3)
        XCTAssertEqual(try count(p, "SELECT count(*) FROM decisions WHERE action = 'mask' AND detectors_json = '[\"email\",\"iban\"]'"), 1)
        XCTAssertEqual(try count(p, "SELECT dry_run FROM decisions WHERE stage = 'policy'"), 1)
        let reader = try RecordingReader(path: p)
        var all: [RecordedExchange] = []
        try reader.forEachExchange(ExchangeQuery()) { all.append($0) }
        all.sort { $0.id < $1.id }
        XCTAssertEqual(all.map(\.decisions), [
            reqDecisions.map { StoredDecision(phase: "request", decision: $0) }
                + respDecisions.map { StoredDecision(phase: "response", decision: $0) },
            []])
        func ids(_ q: ExchangeQuery) throws -> [String] {
            var out: [String] = []
            try reader.forEachExchange(q) { out.append($0.requestID) }
            return out
        }
        XCTAssertEqual(try ids(ExchangeQuery(action: "redact")), [Self.hexB])
        XCTAssertEqual(try ids(ExchangeQuery(action: "allow")).count, 1)
        XCTAssertEqual(try ids(ExchangeQuery(action: "deny")).count, 0)
        XCTAssertEqual(try reader.listSessions(SessionQuery(action: "mask")).map(\.subject), ["carol"])
        XCTAssertEqual(try reader.listSessions(SessionQuery(action: "redact")).map(\.subject), ["carol"])
        XCTAssertEqual(try reader.listSessions(SessionQuery(action: "deny")).count, 0)
        XCTAssertEqual(try reader.listSessions(SessionQuery(route: "api")).count, 2)
        XCTAssertEqual(try reader.listSessions(SessionQuery(route: "other")).count, 0)
    }

    /// Bodies are stored byte for byte (binary, invalid UTF-8, NUL and
    /// quotes included) in the block's `bodies`, and read back exactly;
    /// the views give them as BLOBs.
    func testBodiesAreStoredExactly() throws {
        let dir = TempDir()
        defer { dir.remove() }
        let binary: [UInt8] = [0x00, 0xFF, 0xC3, 0x28, 0x22, 0x5C, 0x0A] + Array("tail".utf8)
        let text = Array("{\"q\":\"ünï \\\"x\\\"\"}".utf8)
        // A header value with obs-text that is not UTF-8 (the parser lets
        // it through): stored with U+FFFD, and the block stays valid JSON.
        var start = makeStart("bin", body: binary)
        let raw: [UInt8] = [0xFF, 0x41, 0x22]
        Array("X-Odd".utf8).withUnsafeBytes { n in raw.withUnsafeBytes { v in start.requestHeaders.append(name: n, value: v) } }
        let r = try openRecorder(dir)
        XCTAssertTrue(r.submit(.complete(start, makeOutcome("bin", body: text))))
        XCTAssertTrue(r.close())
        let reader = try RecordingReader(path: dir.dbPath)
        var got: [RecordedExchange] = []
        try reader.forEachExchange(ExchangeQuery()) { got.append($0) }
        XCTAssertEqual(got.first?.requestBody, binary)
        XCTAssertEqual(got.first?.requestHeaders.last, HeaderField("X-Odd", "\u{FFFD}A\""))
        XCTAssertEqual(got.first?.responseBody, text)
        let db = try Database(path: dir.dbPath, mode: .readOnly)
        XCTAssertEqual(try db.scalarText("SELECT hex(request_body) FROM exchanges"), binary.map { String(format: "%02X", $0) }.joined())
        XCTAssertEqual(try db.scalarInt("SELECT length(response_body) FROM exchanges"), Int64(text.count))
    }

    /// A v2 file is upgraded in place to blocks: every exchange reads back
    /// (hex IDs as text), its decisions stay readable and filterable, the
    /// one left in flight stays in flight, and the old tables are gone.
    func testMigratesVersion2FileInPlace() throws {
        let dir = TempDir()
        defer { dir.remove() }
        try writeLegacyFile(dir.dbPath, version: 2, data: """
            INSERT INTO sessions (id, key_kind, key, started_at, last_seen, client_address, first_route, exchange_count)
                VALUES (1, 'identity', 'alice', 1000, 2000, '10.0.0.7:1', 'api', 3);
            INSERT INTO exchange_starts (id, request_id, session_id, started_at, route, client_address, method, target,
                request_headers_json, request_body, request_body_size, durability)
                VALUES (7, '\(Self.hexA)', 1, 1000, 'api', '10.0.0.7:1', 'GET', '/a', '[["Host","h"]]', x'00ff', 2, 'strict'),
                       (8, 'Client-ID', 1, 1500, 'api', '10.0.0.7:1', 'GET', '/b', '[]', NULL, 0, 'strict'),
                       (9, '\(Self.hexB)', 1, 2000, 'api', '10.0.0.7:1', 'POST', '/c', '[]', NULL, 0, 'async');
            INSERT INTO exchange_outcomes (exchange_id, finished_at, outcome, response_status, response_body,
                response_body_size, response_body_truncated)
                VALUES (7, 1100, 'completed', 200, x'6f6b', 10, 1), (8, 1600, 'denied', 403, NULL, 0, 0);
            INSERT INTO decisions (exchange_id, phase, seq, stage, rule_id, action, detectors_json)
                VALUES (8, 'request', 0, 'deny_list', 'no-admin', 'deny', '[]');
            COMMIT;
            """)
        XCTAssertTrue(try openRecorder(dir).close())

        let p = dir.dbPath
        XCTAssertEqual(try count(p, "PRAGMA user_version"), Int64(Migrations.latestVersion))
        for gone in ["exchange_starts", "exchange_outcomes", "decision_rows"] {
            XCTAssertEqual(try count(p, "SELECT count(*) FROM sqlite_schema WHERE name = '\(gone)'"), 0, gone)
        }
        let reader = try RecordingReader(path: p)
        let rows = try reader.exchanges(sessionID: 1)
        XCTAssertEqual(rows.map(\.requestID), [Self.hexA, "Client-ID", Self.hexB])
        XCTAssertEqual(rows.map(\.responseStatus), [200, 403, nil])
        XCTAssertEqual(rows.map(\.outcome), ["completed", "denied", "in_flight"])
        XCTAssertEqual(rows[0].requestBody, [0x00, 0xFF])
        XCTAssertEqual(rows[0].requestHeaders, [HeaderField("Host", "h")])
        XCTAssertEqual(rows[0].responseBody, Array("ok".utf8))
        XCTAssertEqual(rows[0].responseBodySize, 10)
        XCTAssertTrue(rows[0].responseBodyTruncated)
        XCTAssertEqual(rows[1].decisions, [StoredDecision(phase: "request", decision: RecordedDecision(
            stage: "deny_list", ruleID: "no-admin", action: "deny"))])
        var denied: [String] = []
        try reader.forEachExchange(ExchangeQuery(action: "deny")) { denied.append($0.requestID) }
        XCTAssertEqual(denied, ["Client-ID"])
        XCTAssertEqual(try reader.listSessions(SessionQuery(action: "deny")).count, 1)
        XCTAssertEqual(try reader.listSessions(SessionQuery(route: "api")).count, 1)
        let db = try Database(path: p, mode: .readOnly)
        XCTAssertEqual(try db.scalarText("PRAGMA integrity_check"), "ok")
        XCTAssertNil(try db.scalarText("PRAGMA foreign_key_check"))
    }
}
