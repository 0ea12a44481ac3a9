import Foundation
@testable import Recording
import XCTest

final class ReaderTests: XCTestCase {
    /// A reader holding a snapshot open does not block the writer; the WAL
    /// grows meanwhile and is reported; once the reader lets go, the WAL is
    /// checkpointed and truncated.
    func testOpenReaderDoesNotBlockWriterAndWALGrowthIsReported() throws {
        let dir = TempDir()
        defer { dir.remove() }
        let r = try openRecorder(dir) { c in
            c.wal.checkpointFrames = 50
            c.wal.checkpointIntervalMs = 20
            c.wal.alertBytes = 256 * 1024
            c.wal.alertIntervalMs = 0
        }
        defer { r.close() }
        XCTAssertTrue(r.submit(.start(makeStart("seed"))))
        XCTAssertTrue(r.flush())

        let reader = try Database(path: dir.dbPath, mode: .readOnly)
        try reader.execute("BEGIN")
        XCTAssertEqual(try reader.scalarInt("SELECT count(*) FROM exchanges"), 1)  // snapshot taken

        let done = Completions()
        let body = [UInt8](repeating: 0x41, count: 4096)
        let t0 = Date()
        for i in 0..<400 {
            XCTAssertTrue(r.submit(.start(makeStart("w-\(i)", body: body)), completion: done.callback("w-\(i)")))
            if i % 40 == 39 { XCTAssertTrue(r.flush()) }
        }
        done.wait(for: 400)
        XCTAssertLessThan(Date().timeIntervalSince(t0), 15)
        XCTAssertTrue(done.all.values.allSatisfy(\.isSuccess))
        XCTAssertEqual(try reader.scalarInt("SELECT count(*) FROM exchanges"), 1, "reader keeps its snapshot")
        XCTAssertTrue(waitUntil(timeout: 5) { r.statistics.walGrowthAlerts > 0 }, "\(r.statistics)")

        try reader.execute("COMMIT")
        XCTAssertEqual(try reader.scalarInt("SELECT count(*) FROM exchanges"), 401)
        let walPath = dir.dbPath + "-wal"
        XCTAssertTrue(waitUntil(timeout: 10) {
            let size = (try? FileManager.default.attributesOfItem(atPath: walPath)[.size] as? Int) ?? -1
            return size == 0
        }, "WAL was not truncated once the reader let go")
    }

    func testListFiltersShowAndTranscript() throws {
        let dir = TempDir()
        defer { dir.remove() }
        let r = try openRecorder(dir)
        let t0: Int64 = 1_700_000_000_000
        let deny = RecordedDecision(stage: "deny_list", ruleID: "no-admin", action: "deny")
        XCTAssertTrue(r.submit(.complete(makeStart("a1", at: t0, subject: "alice", route: "crm"),
                                         makeOutcome("a1", at: t0 + 5))))
        XCTAssertTrue(r.submit(.complete(makeStart("a2", at: t0 + 10, subject: "alice", route: "crm", decisions: [deny]),
                                         makeOutcome("a2", at: t0 + 12, outcome: .denied, status: 403))))
        XCTAssertTrue(r.submit(.complete(makeStart("b1", at: t0 + 3_600_000, subject: "bob", route: "wiki"),
                                         makeOutcome("b1", at: t0 + 3_600_005))))
        r.close()

        let reader = try RecordingReader(path: dir.dbPath)
        XCTAssertEqual(try reader.listSessions().map(\.subject), ["bob", "alice"])
        XCTAssertEqual(try reader.listSessions(SessionQuery(subject: "alice")).count, 1)
        XCTAssertEqual(try reader.listSessions(SessionQuery(route: "wiki")).map(\.subject), ["bob"])
        XCTAssertEqual(try reader.listSessions(SessionQuery(action: "deny")).map(\.subject), ["alice"])
        XCTAssertEqual(try reader.listSessions(SessionQuery(outcome: .denied)).map(\.subject), ["alice"])
        XCTAssertEqual(try reader.listSessions(SessionQuery(since: t0 + 1_000_000)).map(\.subject), ["bob"])
        XCTAssertEqual(try reader.listSessions(SessionQuery(until: t0 + 1_000)).map(\.subject), ["alice"])
        XCTAssertEqual(try reader.listSessions(SessionQuery(limit: 1)).count, 1)

        let alice = try XCTUnwrap(reader.listSessions(SessionQuery(subject: "alice")).first)
        let exchanges = try reader.exchanges(sessionID: alice.id)
        XCTAssertEqual(exchanges.map(\.requestID), ["a1", "a2"])
        XCTAssertEqual(exchanges[1].decisions, [StoredDecision(phase: "request", decision: deny)])
        XCTAssertEqual(exchanges[1].responseStatus, 403)
        XCTAssertEqual(exchanges[0].timings.total, 1_500_000)

        let text = SessionRendering.transcript(alice, exchanges)
        XCTAssertTrue(text.contains("> POST /v1/items"), text)
        XCTAssertTrue(text.contains("* request deny_list: deny rule no-admin"), text)
        XCTAssertTrue(text.contains("< 403"), text)
        let table = SessionRendering.table(try reader.listSessions())
        XCTAssertEqual(table.split(separator: "\n").count, 3)
        let json = try JSONSerialization.jsonObject(with: Data(SessionRendering.json(try reader.listSessions()).utf8))
        XCTAssertEqual((json as? [[String: Any]])?.count, 2)
    }

    func testJSONLExportParses() throws {
        let dir = TempDir()
        defer { dir.remove() }
        let r = try openRecorder(dir)
        let decision = RecordedDecision(stage: "inspection", ruleID: "pii", action: "mask", detectors: ["email", "phone"], dryRun: true)
        for i in 0..<1203 {
            let body: [UInt8] = i == 7 ? [0xFF, 0xFE, 0x00, 0x41] : Array("{\"n\":\(i),\"s\":\"quote\\\" \\n\"}".utf8)
            XCTAssertTrue(r.submit(.complete(makeStart("e-\(i)", body: body, decisions: [decision]),
                                             makeOutcome("e-\(i)"))))
        }
        XCTAssertTrue(r.submit(.start(makeStart("inflight", subject: nil))))
        r.close()

        let reader = try RecordingReader(path: dir.dbPath)
        let text = try reader.exportJSONL()
        let lines = text.split(separator: "\n")
        XCTAssertEqual(lines.count, 1204)
        var ids: [String] = []
        for line in lines {
            let obj = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            ids.append(obj["request_id"] as! String)
            XCTAssertNotNil(obj["time"] as? String)
            XCTAssertNotNil(obj["request"] as? [String: Any])
        }
        XCTAssertEqual(ids.first, "e-0")
        XCTAssertEqual(ids.last, "inflight")
        XCTAssertEqual(Set(ids).count, 1204)

        let binary = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(lines[7].utf8)) as? [String: Any])
        let req = try XCTUnwrap(binary["request"] as? [String: Any])
        XCTAssertEqual(req["body_base64"] as? String, "//4AQQ==")
        let dec = try XCTUnwrap((binary["decisions"] as? [[String: Any]])?.first)
        XCTAssertEqual(dec["detectors"] as? [String], ["email", "phone"])
        XCTAssertEqual(dec["dry_run"] as? Bool, true)
        let first = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        XCTAssertEqual((first["request"] as? [String: Any])?["body"] as? String, "{\"n\":0,\"s\":\"quote\\\" \\n\"}")
        XCTAssertEqual((first["response"] as? [String: Any])?["status"] as? Int, 200)
        XCTAssertEqual((first["timings_us"] as? [String: Any])?["total"] as? Int, 1500)
        let last = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(lines.last!.utf8)) as? [String: Any])
        XCTAssertEqual(last["outcome"] as? String, "in_flight")
        XCTAssertTrue(last["identity"] is NSNull)

        XCTAssertEqual(try reader.exportJSONL(ExchangeQuery(limit: 10)).split(separator: "\n").count, 10)
        XCTAssertEqual(try reader.exportJSONL(ExchangeQuery(outcome: .inFlight)).split(separator: "\n").count, 1)
    }
}
