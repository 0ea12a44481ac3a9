import Foundation
@testable import gatehouse
import XCTest

/// Bad input to the `sessions` subcommands: a clear message, exit status 1.
final class SessionsErrorTests: XCTestCase {
    func testMissingOrUnreadableDatabase() throws {
        XCTAssertEqual(sessionsFailure(SessionsList.self, ["--db", "/nonexistent/audit.db"]),
                       "no recording database at /nonexistent/audit.db")
        let fixture = try RecordingFixture()
        let junk = fixture.dir + "/junk.db"
        try Data("not a database at all, just text that is long enough".utf8).write(to: URL(fileURLWithPath: junk))
        let message = sessionsFailure(SessionsShow.self, ["--db", junk, "1"])
        XCTAssertTrue(message.hasPrefix("cannot read recording database \(junk): "), message)
    }

    func testDatabaseSelection() throws {
        XCTAssertEqual(sessionsFailure(SessionsList.self, []), "no recording database: give --db PATH or --config PATH")
        XCTAssertEqual(sessionsFailure(SessionsList.self, ["--db", "a.db", "--config", "b.json"]),
                       "give either --db or --config, not both")
        let fixture = try RecordingFixture()
        let noRecording = fixture.dir + "/plain.json"
        try """
            {"identity": {"mode": "off"}, "listeners": [{"address": "127.0.0.1", "port": 0}], "routes": [{"name": "r", "upstream": "http://a"}]}
            """.write(toFile: noRecording, atomically: true, encoding: .utf8)
        XCTAssertEqual(sessionsFailure(SessionsList.self, ["--config", noRecording]),
                       "\(noRecording) has no \"recording\" section, so there is no recording database")
        let broken = fixture.dir + "/broken.json"
        try "{\"listeners\": []}".write(toFile: broken, atomically: true, encoding: .utf8)
        XCTAssertEqual(sessionsFailure(SessionsList.self, ["--config", broken]), """
            cannot load \(broken):
            \(broken):1:1: missing required key "identity" in the top-level object: configure token issuers ("identity": {"issuers": {…}}) or write "identity": {"mode": "off"} to run without identity checks (Docs/IDENTITY.md)
            \(broken):1:1: missing required key "routes" in the top-level object
            \(broken):1:15: "listeners" in the top-level object must not be empty
            """)
    }

    func testBadSessionIDs() throws {
        let fixture = try RecordingFixture()
        XCTAssertEqual(sessionsFailure(SessionsShow.self, ["--db", fixture.dbPath, "99"]),
                       "no session 99 in \(fixture.dbPath)")
        XCTAssertEqual(sessionsFailure(SessionsShow.self, ["--db", fixture.dbPath, "abc"]),
                       "session ID must be a positive integer (see `gatehouse sessions list`); got \"abc\"")
        XCTAssertEqual(sessionsFailure(SessionsShow.self, ["--db", fixture.dbPath, "0"]),
                       "session ID must be a positive integer (see `gatehouse sessions list`); got \"0\"")
        XCTAssertEqual(sessionsFailure(SessionsReplay.self, ["--db", fixture.dbPath, "42", "--target", "http://127.0.0.1:1"]),
                       "no session 42 in \(fixture.dbPath)")
        XCTAssertEqual(sessionsFailure(SessionsExport.self, ["--db", fixture.dbPath, "--session", "x"]),
                       "session ID must be a positive integer (see `gatehouse sessions list`); got \"x\"")
    }

    func testBadOptionValues() throws {
        let fixture = try RecordingFixture()
        let db = ["--db", fixture.dbPath]
        XCTAssertEqual(sessionsFailure(SessionsList.self, db + ["--since", "yesterday"]),
                       "--since must be \(SessionsTime.usage); got \"yesterday\"")
        XCTAssertEqual(sessionsFailure(SessionsExport.self, db + ["--until", "2026-13-01"]),
                       "--until must be \(SessionsTime.usage); got \"2026-13-01\"")
        XCTAssertEqual(sessionsFailure(SessionsExport.self, db + ["--format", "csv"]), "--format must be jsonl; got \"csv\"")
        XCTAssertEqual(sessionsFailure(SessionsList.self, db + ["--limit", "0"]), "--limit must be at least 1; got 0")
        XCTAssertEqual(sessionsFailure(SessionsList.self, db + ["--outcome", "ok"]),
                       "--outcome must be one of in_flight, completed, denied, failed, abandoned; got \"ok\"")
        XCTAssertEqual(sessionsFailure(SessionsReplay.self, db + ["1", "--target", "https://staging.example"]),
                       "--target must be an http:// URL; https targets are not supported yet")
        let message = sessionsFailure(SessionsReplay.self, db + ["1", "--target", "staging:8080"])
        XCTAssertTrue(message.hasPrefix("--target: "), message)
    }

    /// The built binary prints the message on stderr, nothing on stdout,
    /// and exits 1.
    func testBinaryExitsOneWithMessageOnStderr() throws {
        let binary = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/gatehouse")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw XCTSkip("\(binary.path) is not built")
        }
        let fixture = try RecordingFixture()
        func run(_ args: [String]) throws -> (status: Int32, out: String, err: String) {
            let process = Process()
            process.executableURL = binary
            process.arguments = args
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            let o = out.fileHandleForReading.readDataToEndOfFile()
            let e = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
        }
        let missing = try run(["sessions", "show", "7", "--db", fixture.dir + "/missing.db"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertEqual(missing.out, "")
        XCTAssertEqual(missing.err, "gatehouse: no recording database at \(fixture.dir)/missing.db\n")
        let unknown = try run(["sessions", "show", "7", "--db", fixture.dbPath])
        XCTAssertEqual(unknown.status, 1)
        XCTAssertEqual(unknown.err, "gatehouse: no session 7 in \(fixture.dbPath)\n")
        let list = try run(["sessions", "list", "--db", fixture.dbPath, "--json"])
        XCTAssertEqual(list.status, 0)
        XCTAssertTrue(list.out.hasPrefix("[{\"id\":3,"), list.out)
    }
}
