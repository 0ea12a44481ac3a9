@testable import gatehouse
import XCTest

/// `gatehouse sessions list`: table, JSON and filters.
final class SessionsListTests: XCTestCase {
    func testTableListsSessionsNewestFirst() throws {
        let fixture = try RecordingFixture()
        let out = try runSessions(SessionsList.self, ["--db", fixture.dbPath])
        XCTAssertEqual(out, """
            ID  STARTED                   LAST SEEN                 SUBJECT     ROUTE   EXCH  OUTCOMES
            3   2026-01-01T01:00:00.000Z  2026-01-01T01:00:00.005Z  (10.0.0.9)  health  1     1 completed
            2   2026-01-01T00:01:00.000Z  2026-01-01T00:01:00.001Z  bob         tools   1     1 denied
            1   2026-01-01T00:00:01.000Z  2026-01-01T00:00:02.020Z  alice       crm     2     2 completed

            """)
    }

    func testJSON() throws {
        let fixture = try RecordingFixture()
        let out = try runSessions(SessionsList.self, ["--db", fixture.dbPath, "--json", "--subject", "alice"])
        XCTAssertEqual(out, """
            [{"id":1,"key_kind":"identity","key":"alice","started_at":"2026-01-01T00:00:01.000Z",\
            "last_seen":"2026-01-01T00:00:02.020Z","subject":"alice","client_id":"agent-1",\
            "client_address":"10.0.0.7:40000","first_route":"crm","exchanges":2,"completed":2,"denied":0,\
            "failed":0,"abandoned":0,"in_flight":0,"bytes_in":280,"bytes_out":210}]

            """)
        let parsed = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [[String: Any]]
        XCTAssertEqual(parsed?.count, 1)
    }

    func testFilters() throws {
        let fixture = try RecordingFixture()
        func ids(_ args: [String]) throws -> [Int] {
            let out = try runSessions(SessionsList.self, ["--db", fixture.dbPath, "--json"] + args)
            let parsed = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [[String: Any]] ?? []
            return parsed.compactMap { $0["id"] as? Int }
        }
        XCTAssertEqual(try ids([]), [3, 2, 1])
        XCTAssertEqual(try ids(["--route", "tools"]), [2])
        XCTAssertEqual(try ids(["--decision", "deny"]), [2])
        XCTAssertEqual(try ids(["--decision", "mask"]), [1])
        XCTAssertEqual(try ids(["--outcome", "denied"]), [2])
        XCTAssertEqual(try ids(["--limit", "2"]), [3, 2])
        // now = base + 2 h: 90m ago is base + 30 min, so only the health session is seen since.
        XCTAssertEqual(try ids(["--since", "90m"]), [3])
        XCTAssertEqual(try ids(["--since", "2026-01-01T00:00:30Z", "--until", "2026-01-01T00:30:00Z"]), [2])
        XCTAssertEqual(try ids(["--until", "2026-01-01T01:00:30+01:00"]), [1])
        XCTAssertEqual(try ids(["--since", "2025-12-31"]), [3, 2, 1])
        XCTAssertEqual(try ids(["--subject", "nobody"]), [])
    }

    func testConfigSuppliesTheDatabasePath() throws {
        let fixture = try RecordingFixture()
        let config = try fixture.writeConfig()
        let out = try runSessions(SessionsList.self, ["--config", config, "--route", "crm"])
        XCTAssertTrue(out.hasPrefix("ID  "), out)
        XCTAssertTrue(out.contains("alice"), out)
        XCTAssertFalse(out.contains("bob"), out)
    }

    func testEmptyResultIsJustTheHeader() throws {
        let fixture = try RecordingFixture()
        XCTAssertEqual(try runSessions(SessionsList.self, ["--db", fixture.dbPath, "--route", "none"]),
                       "ID  STARTED  LAST SEEN  SUBJECT  ROUTE  EXCH  OUTCOMES\n")
        XCTAssertEqual(try runSessions(SessionsList.self, ["--db", fixture.dbPath, "--route", "none", "--json"]), "[]\n")
    }
}
