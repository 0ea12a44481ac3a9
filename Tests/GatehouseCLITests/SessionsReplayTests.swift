import Foundation
@testable import gatehouse
import GatehouseTestSupport
import XCTest

/// `gatehouse sessions replay` against a loopback stub server.
final class SessionsReplayTests: XCTestCase {
    /// 200 `[1,2]` to GET, 500 `boom` to anything else.
    func makeStub() throws -> StubUpstream {
        try StubUpstream { request, conn in
            if request.method == "GET" {
                try conn.respond(status: 200, headers: [("Content-Type", "application/json")], body: Array("[1,2]".utf8))
            } else {
                try conn.respond(status: 500, reason: "Internal Server Error", body: Array("boom".utf8))
            }
        }
    }

    func testReplaySendsRequestsInOrderAndReportsDifferences() throws {
        let fixture = try RecordingFixture()
        let stub = try makeStub()
        defer { stub.stop() }
        let target = "http://127.0.0.1:\(stub.port)/staging"
        let out = try runSessions(SessionsReplay.self, ["--db", fixture.dbPath, "1", "--target", target])
        XCTAssertEqual(out, """
            Replaying session 1 (2 requests) to \(target)
            [1] GET /staging/v1/items?limit=2  recorded 200  now 200  same
            [2] POST /staging/v1/items  recorded 201  now 500  DIFFERENT
                response body differs (recorded 8 bytes, now 4 bytes)
                not re-sent: Authorization, Cookie (redacted in the recording; the credential was never stored)

            Summary: 2 sent, 1 same status, 1 different status, 0 errors, 0 skipped; 1 response bodies differ
            Status differences: [2] 201 -> 500

            """)

        let seen = stub.requests
        XCTAssertEqual(seen.map(\.method), ["GET", "POST"])
        XCTAssertEqual(seen.map(\.target), ["/staging/v1/items?limit=2", "/staging/v1/items"])
        XCTAssertEqual(seen.map { $0.header("X-Gatehouse-Replay-Of") }, ["req-a1", "req-a2"])
        XCTAssertEqual(seen.map { $0.header("Host") }, ["127.0.0.1:\(stub.port)", "127.0.0.1:\(stub.port)"])
        XCTAssertEqual(seen[0].header("Accept"), "application/json")
        XCTAssertNil(seen[1].header("Authorization"))
        XCTAssertNil(seen[1].header("Cookie"))
        XCTAssertEqual(seen[1].header("Content-Type"), "application/json")
        XCTAssertEqual(seen[1].headerValues("Content-Length"), ["18"], "recomputed from the stored body")
        XCTAssertEqual(seen[1].bodyString, "{\"name\":\"[EMAIL]\"}")
        for request in seen {
            XCTAssertFalse(request.headers.contains { $0.value.contains("[REDACTED]") || $0.value.contains("SECRET") })
        }
    }

    func testDeniedExchangeIsReplayedAndComparedWithTheGatewaysAnswer() throws {
        let fixture = try RecordingFixture()
        let stub = try makeStub()
        defer { stub.stop() }
        let out = try runSessions(SessionsReplay.self, ["--db", fixture.dbPath, "2", "--target", "http://127.0.0.1:\(stub.port)"])
        XCTAssertTrue(out.contains("[1] POST /mcp  recorded 403 (denied)  now 500  DIFFERENT\n"), out)
        XCTAssertEqual(stub.requests.first?.header("Mcp-Session-Id"), "mcp-1")
    }

    func testDryRunSendsNothing() throws {
        let fixture = try RecordingFixture()
        let stub = try makeStub()
        defer { stub.stop() }
        let out = try runSessions(SessionsReplay.self,
                                  ["--db", fixture.dbPath, "1", "--target", "http://127.0.0.1:\(stub.port)", "--dry-run"])
        XCTAssertEqual(out, """
            Dry run: would replay session 1 (2 requests) to http://127.0.0.1:\(stub.port); nothing is sent.

            [1] GET /v1/items?limit=2  recorded 200
                > GET /v1/items?limit=2 HTTP/1.1
                > Host: 127.0.0.1:\(stub.port)
                > Accept: application/json
                > X-Gatehouse-Replay-Of: req-a1
                > Connection: close

            [2] POST /v1/items  recorded 201
                > POST /v1/items HTTP/1.1
                > Host: 127.0.0.1:\(stub.port)
                > Content-Type: application/json
                > X-Gatehouse-Replay-Of: req-a2
                > Content-Length: 18
                > Connection: close
                > (body: 18 bytes)
                not re-sent: Authorization, Cookie (redacted in the recording; the credential was never stored)

            """)
        usleep(100_000)
        XCTAssertEqual(stub.connectionCount, 0)
    }

    func testRequestWithTruncatedBodyIsSkipped() throws {
        let fixture = try RecordingFixture(bodyCap: 8)
        let stub = try makeStub()
        defer { stub.stop() }
        let out = try runSessions(SessionsReplay.self, ["--db", fixture.dbPath, "1", "--target", "http://127.0.0.1:\(stub.port)"])
        XCTAssertTrue(out.contains("[2] POST /v1/items  recorded 201  skipped: request body was cut at the recording cap (8 of 18 bytes stored)\n"), out)
        XCTAssertTrue(out.contains("Summary: 1 sent, 1 same status, 0 different status, 0 errors, 1 skipped"), out)
        XCTAssertEqual(stub.requests.map(\.method), ["GET"])
    }

    func testUnreachableTargetReportsErrorsAndFails() throws {
        let fixture = try RecordingFixture()
        let stub = try makeStub()
        let port = stub.port
        stub.stop()
        let (out, failure) = try runSessionsCapturingFailure(
            SessionsReplay.self, ["--db", fixture.dbPath, "1", "--target", "http://127.0.0.1:\(port)"])
        XCTAssertTrue(out.contains("[1] GET /v1/items?limit=2  recorded 200  error: cannot connect to 127.0.0.1:\(port): Connection refused\n"), out)
        XCTAssertTrue(out.contains("0 same status, 0 different status, 2 errors, 0 skipped"), out)
        XCTAssertEqual(failure?.message, "2 of 2 replayed requests got no response")
    }

    func testSlowTargetTimesOut() throws {
        let fixture = try RecordingFixture()
        let stub = try StubUpstream { _, _ in usleep(1_500_000) }
        defer { stub.stop() }
        let started = Date()
        let (out, failure) = try runSessionsCapturingFailure(
            SessionsReplay.self, ["--db", fixture.dbPath, "3", "--target", "http://127.0.0.1:\(stub.port)", "--timeout-ms", "200"])
        XCTAssertLessThan(Date().timeIntervalSince(started), 1.4)
        XCTAssertTrue(out.contains("[1] GET /health  recorded 200  error: timed out waiting for the response\n"), out)
        XCTAssertEqual(failure?.message, "1 of 1 replayed requests got no response")
    }

    func testChunkedAndCloseDelimitedResponses() throws {
        let fixture = try RecordingFixture()
        let stub = try StubUpstream { request, conn in
            if request.target.hasSuffix("items?limit=2") {
                try conn.sendRaw("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n[1\r\n3\r\n,2]\r\n0\r\n\r\n")
            } else {
                try conn.sendRaw("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nConnection: close\r\n\r\n{\"id\":7}")
                conn.close()
            }
        }
        defer { stub.stop() }
        let out = try runSessions(SessionsReplay.self, ["--db", fixture.dbPath, "1", "--target", "http://127.0.0.1:\(stub.port)"])
        XCTAssertTrue(out.contains("[1] GET /v1/items?limit=2  recorded 200  now 200  same\n"), out)
        XCTAssertTrue(out.contains("[2] POST /v1/items  recorded 201  now 201  same\n"), out)
        XCTAssertTrue(out.contains("Summary: 2 sent, 2 same status, 0 different status, 0 errors, 0 skipped; 0 response bodies differ\n"), out)
    }
}
