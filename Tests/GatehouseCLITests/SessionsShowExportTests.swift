import Foundation
@testable import gatehouse
import XCTest

/// `gatehouse sessions show` and `gatehouse sessions export`.
final class SessionsShowExportTests: XCTestCase {
    func testTranscript() throws {
        let fixture = try RecordingFixture()
        let out = try runSessions(SessionsShow.self, ["--db", fixture.dbPath, "1"])
        XCTAssertEqual(out, """
            Session 1 (identity alice)
              identity: alice client agent-1 from 10.0.0.7:40000
              2026-01-01T00:00:01.000Z .. 2026-01-01T00:00:02.020Z
              2 exchanges: 2 completed; bytes in 280, out 210

            [1] 2026-01-01T00:00:01.000Z  req-a1  route crm  completed  (strict)
              > GET /v1/items?limit=2
              > Host: crm.internal
              > Accept: application/json
              < 200
              < Content-Type: application/json
              <\u{20}
              < [1,2]
              timings: policy 0.020 ms, connect 0.100 ms, first byte 0.900 ms, total 1.500 ms; bytes in 80, out 120; upstream 10.1.0.2:8080

            [2] 2026-01-01T00:00:02.000Z  req-a2  route crm  completed  (strict)
              > POST /v1/items
              > Host: crm.internal
              > Authorization: Bearer [REDACTED]
              > Cookie: sid=[REDACTED]
              > Content-Type: application/json
              > Content-Length: 15
              >\u{20}
              > {"name":"[EMAIL]"}
              * request inspection: mask rule pii detectors email
              < 201
              <\u{20}
              < {"id":7}
              timings: total 2.000 ms; bytes in 200, out 90

            """)
        XCTAssertFalse(out.contains("SECRET"))
    }

    func testDeniedExchangeShowsDecisionAndError() throws {
        let fixture = try RecordingFixture()
        let out = try runSessions(SessionsShow.self, ["--config", try fixture.writeConfig(), "2"])
        XCTAssertTrue(out.hasPrefix("Session 2 (mcp mcp-1)\n"), out)
        XCTAssertTrue(out.contains("  * request deny_list: deny rule no-delete\n"), out)
        XCTAssertTrue(out.contains("  < 403\n"), out)
        XCTAssertTrue(out.contains("  ! policy_denied: rule no-delete\n"), out)
    }

    func testExportWritesOneJSONObjectPerExchange() throws {
        let fixture = try RecordingFixture()
        let out = try runSessions(SessionsExport.self, ["--db", fixture.dbPath, "--format", "jsonl"])
        XCTAssertTrue(out.hasSuffix("\n"))
        let lines = out.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 4)
        let objects = try lines.map { try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        XCTAssertEqual(objects.map { $0["request_id"] as? String }, ["req-a1", "req-a2", "req-b1", "req-c1"])
        XCTAssertEqual(objects.map { $0["outcome"] as? String }, ["completed", "completed", "denied", "completed"])
        XCTAssertEqual(objects[0]["time"] as? String, "2026-01-01T00:00:01.000Z")
        let request = objects[1]["request"] as? [String: Any]
        XCTAssertEqual(request?["body"] as? String, "{\"name\":\"[EMAIL]\"}")
        let headers = request?["headers"] as? [[String]]
        XCTAssertTrue(headers?.contains(["Authorization", "Bearer [REDACTED]"]) ?? false)
        XCTAssertFalse(out.contains("SECRET"))
        XCTAssertTrue(objects[3]["identity"] is NSNull)
    }

    func testExportFilters() throws {
        let fixture = try RecordingFixture()
        func requestIDs(_ args: [String]) throws -> [String] {
            try runSessions(SessionsExport.self, ["--db", fixture.dbPath] + args).split(separator: "\n").map { line in
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                return object?["request_id"] as? String ?? "?"
            }
        }
        XCTAssertEqual(try requestIDs(["--session", "1"]), ["req-a1", "req-a2"])
        XCTAssertEqual(try requestIDs(["--since", "2026-01-01T00:00:01.500Z"]), ["req-a2", "req-b1", "req-c1"])
        XCTAssertEqual(try requestIDs(["--since", "1h", "--format", "jsonl"]), ["req-c1"], "now is base + 2 h")
        XCTAssertEqual(try requestIDs(["--since", "59m"]), [])
        XCTAssertEqual(try requestIDs(["--since", "2h"]), ["req-a1", "req-a2", "req-b1", "req-c1"])
        XCTAssertEqual(try requestIDs(["--decision", "deny"]), ["req-b1"])
        XCTAssertEqual(try requestIDs(["--route", "crm", "--limit", "1"]), ["req-a1"])
        XCTAssertEqual(try requestIDs(["--subject", "bob"]), ["req-b1"])
    }
}
