@testable import Recording
import XCTest

final class SessionGroupingTests: XCTestCase {
    typealias G = SessionGrouping

    func testKeyPrecedence() {
        let mcp: HeaderList = [HeaderField("MCP-Session-Id", " abc "), HeaderField("X-Agent-Session", "s1")]
        XCTAssertEqual(G.key(headers: mcp, sessionHeader: "x-agent-session", subject: "alice", clientAddress: "1.2.3.4:5"),
                       .init(kind: .mcp, value: "abc"))
        let hdr: HeaderList = [HeaderField("Mcp-Session-Id", ""), HeaderField("X-Agent-Session", "s1")]
        XCTAssertEqual(G.key(headers: hdr, sessionHeader: "X-Agent-Session", subject: "alice", clientAddress: "1.2.3.4:5"),
                       .init(kind: .header, value: "s1"))
        XCTAssertEqual(G.key(headers: hdr, sessionHeader: nil, subject: "alice", clientAddress: "1.2.3.4:5"),
                       .init(kind: .identity, value: "alice"))
        XCTAssertEqual(G.key(headers: [], sessionHeader: nil, subject: nil, clientAddress: "1.2.3.4:5"),
                       .init(kind: .address, value: "1.2.3.4"))
        XCTAssertEqual(G.key(headers: [], sessionHeader: nil, subject: "", clientAddress: "[::1]:80"),
                       .init(kind: .address, value: "::1"))
    }

    func testIdleGapAppliesToIdentityOnly() {
        let gap: Int64 = 300_000
        let latest = G.Candidate(id: 7, lastSeen: 1_000_000)
        let id = G.Key(kind: .identity, value: "alice")
        XCTAssertEqual(G.decide(key: id, at: 1_000_000 + gap, latest: latest, idleGapMs: gap), .join(7))
        XCTAssertEqual(G.decide(key: id, at: 1_000_001 + gap, latest: latest, idleGapMs: gap), .startNew)
        XCTAssertEqual(G.decide(key: id, at: 900_000, latest: latest, idleGapMs: gap), .join(7), "out-of-order arrival")
        XCTAssertEqual(G.decide(key: id, at: 0, latest: nil, idleGapMs: gap), .startNew)
        let mcp = G.Key(kind: .mcp, value: "abc")
        XCTAssertEqual(G.decide(key: mcp, at: 1_000_000 + 10 * gap, latest: latest, idleGapMs: gap), .join(7))
    }

    func testWriterGroupsExchanges() throws {
        let dir = TempDir()
        defer { dir.remove() }
        let r = try openRecorder(dir) { $0.sessionHeader = "X-Agent-Session" }
        let t0: Int64 = 1_700_000_000_000
        let minute: Int64 = 60_000
        let records: [AuditRecord] = [
            .start(makeStart("a1", at: t0, subject: "alice")),
            .start(makeStart("a2", at: t0 + 4 * minute, subject: "alice")),
            .start(makeStart("a3", at: t0 + 10 * minute, subject: "alice")),   // idle gap: new session
            .start(makeStart("b1", at: t0, subject: "bob")),
            .start(makeStart("m1", at: t0, subject: "alice", headers: [HeaderField("Mcp-Session-Id", "m")])),
            .start(makeStart("m2", at: t0 + 60 * minute, subject: "carol", headers: [HeaderField("Mcp-Session-Id", "m")])),
            .start(makeStart("h1", at: t0, subject: "alice", headers: [HeaderField("X-Agent-Session", "h")])),
            .start(makeStart("n1", at: t0, subject: nil, client: "10.9.9.9:1234")),
            .start(makeStart("n2", at: t0 + minute, subject: nil, client: "10.9.9.9:4321")),
        ]
        for rec in records { XCTAssertTrue(r.submit(rec)) }
        XCTAssertTrue(r.submit(.outcome(makeOutcome("a2", at: t0 + 5 * minute, outcome: .denied, status: 403))))
        r.close()

        let reader = try RecordingReader(path: dir.dbPath)
        let sessions = try reader.listSessions()
        XCTAssertEqual(sessions.count, 6)
        func session(of requestID: String) throws -> Int64 {
            try count(dir.dbPath, "SELECT session_id FROM exchanges WHERE request_id = '\(requestID)'")
        }
        XCTAssertEqual(try session(of: "a1"), try session(of: "a2"))
        XCTAssertNotEqual(try session(of: "a2"), try session(of: "a3"))
        XCTAssertNotEqual(try session(of: "a1"), try session(of: "b1"))
        XCTAssertEqual(try session(of: "m1"), try session(of: "m2"))
        XCTAssertNotEqual(try session(of: "h1"), try session(of: "a1"))
        XCTAssertEqual(try session(of: "n1"), try session(of: "n2"))

        let first = try XCTUnwrap(reader.session(id: try session(of: "a1")))
        XCTAssertEqual(first.exchangeCount, 2)
        XCTAssertEqual(first.deniedCount, 1)
        XCTAssertEqual(first.inFlightCount, 1)
        XCTAssertEqual(first.lastSeen, t0 + 5 * minute)
        XCTAssertEqual(first.keyKind, "identity")
    }
}
