import Foundation
@testable import Recording
import XCTest

final class RedactionTests: XCTestCase {
    func testRedactorKeepsSchemeAndCookieNamesOnly() {
        let r = HeaderRedactor(extra: ["X-Api-Key"])
        let out = r.redact([
            HeaderField("Authorization", "Bearer abc.def"),
            HeaderField("authorization", "rawtoken"),
            HeaderField("Cookie", "sid=1; theme=dark"),
            HeaderField("Set-Cookie", "tok=zz; Path=/; HttpOnly"),
            HeaderField("Proxy-Authorization", "Basic dXNlcjpwYXNz"),
            HeaderField("X-API-KEY", "k-123"),
            HeaderField("Accept", "*/*"),
        ])
        XCTAssertEqual(out.map(\.value), ["Bearer [REDACTED]", "[REDACTED]", "sid=[REDACTED]; theme=[REDACTED]",
                                          "tok=[REDACTED]", "Basic [REDACTED]", "[REDACTED]", "*/*"])
        XCTAssertEqual(out.map(\.name), ["Authorization", "authorization", "Cookie", "Set-Cookie",
                                         "Proxy-Authorization", "X-API-KEY", "Accept"])
    }

    /// Seeds credentials into every redacted place, then searches the raw
    /// bytes of the database and its WAL: no secret may be there, while a
    /// visible marker from the same records is (so the search works).
    func testSecretsNeverReachDatabaseOrWAL() throws {
        let dir = TempDir()
        defer { dir.remove() }
        let r = try openRecorder(dir) { c in
            c.redactedHeaders = ["X-Api-Key", "Mcp-Session-Id"]
        }
        let secrets = ["SECRET123", "COOKIESECRET456", "PROXYSECRET789", "APIKEYSECRET", "SETCOOKIESECRET", "MCPSESSIONSECRET"]
        let done = Completions()
        for i in 0..<50 {
            let id = "leak-\(i)"
            let start = makeStart(id, headers: [
                HeaderField("Host", "svc.internal"),
                HeaderField("Authorization", "Bearer SECRET123"),
                HeaderField("Cookie", "sid=COOKIESECRET456; theme=VISIBLEMARKER"),
                HeaderField("Proxy-Authorization", "Basic PROXYSECRET789"),
                HeaderField("x-api-key", "APIKEYSECRET"),
                HeaderField("Mcp-Session-Id", "MCPSESSIONSECRET"),
            ], target: "/v1/VISIBLEMARKER")
            let outcome = makeOutcome(id, headers: [HeaderField("Set-Cookie", "token=SETCOOKIESECRET; HttpOnly")])
            XCTAssertTrue(r.submit(.complete(start, outcome), completion: done.callback(id)))
        }
        done.wait(for: 50)
        XCTAssertTrue(done.all.values.allSatisfy(\.isSuccess))

        // While open: the records live in the WAL.
        let walPath = dir.dbPath + "-wal"
        XCTAssertTrue(FileManager.default.fileExists(atPath: walPath))
        try assertAbsent(secrets, present: "VISIBLEMARKER", in: [dir.dbPath, walPath])
        // After close: checkpointed into the main file.
        r.close()
        try assertAbsent(secrets, present: "VISIBLEMARKER", in: [dir.dbPath, walPath])

        let reader = try RecordingReader(path: dir.dbPath)
        let sessions = try reader.listSessions()
        XCTAssertEqual(sessions.count, 1, "all grouped by the (hashed) MCP session ID")
        XCTAssertEqual(sessions.first?.keyKind, "mcp")
        XCTAssertTrue(sessions.first?.key.hasPrefix("fnv1a64:") ?? false)
    }

    private func assertAbsent(_ secrets: [String], present marker: String, in paths: [String],
                              file: StaticString = #filePath, line: UInt = #line) throws {
        var sawMarker = false
        for path in paths where FileManager.default.fileExists(atPath: path) {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            for s in secrets {
                XCTAssertNil(bytes.range(of: Data(s.utf8)), "\(s) found in \(path)", file: file, line: line)
            }
            if bytes.range(of: Data(marker.utf8)) != nil { sawMarker = true }
        }
        XCTAssertTrue(sawMarker, "marker not found: the byte search is not looking at the data", file: file, line: line)
    }
}
