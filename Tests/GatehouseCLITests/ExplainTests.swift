import Foundation
@testable import gatehouse
import XCTest

/// `gatehouse explain`: a sample request evaluated against the config's policy files.
final class ExplainTests: XCTestCase {
    private func write(_ text: String, _ path: String) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    func testExplainsADenyAndAnAllow() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gh-explain-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir + "/policies", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try write("""
        {"route_defaults": {"db": "allow"},
         "rules": [{"id": "no-writes", "match": {"routes": ["db"], "sql": {"field": "/query", "classes": ["write"]}},
                    "action": {"deny": {"status": 403, "message": "no writes"}}}]}
        """, dir + "/policies/10.json")
        try write("""
        {"identity": {"mode": "off"}, "listeners": [{"address": "127.0.0.1", "port": 8080}], "policy_dir": "policies",
         "routes": [{"name": "db", "upstream": "http://127.0.0.1:9000"}]}
        """, dir + "/gatehouse.json")
        try write(#"{"route": "db", "method": "POST", "target": "/q", "body": {"query": "DELETE FROM t"}}"#, dir + "/write.json")
        try write(#"{"route": "db", "method": "POST", "target": "/q", "body": {"query": "SELECT 'drop table x'"}}"#, dir + "/read.json")

        let denied = try Explain.explain(configPath: dir + "/gatehouse.json", requestPath: dir + "/write.json")
        XCTAssertTrue(denied.contains("rule no-writes"), denied)
        XCTAssertTrue(denied.contains("decision: 403"), denied)
        let allowed = try Explain.explain(configPath: dir + "/gatehouse.json", requestPath: dir + "/read.json")
        XCTAssertTrue(allowed.contains("decision: allow"), allowed)
    }

    func testBadSampleRequestIsReportedWithItsLocation() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gh-explain-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir + "/policies", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try write(#"{"route_defaults": {"*": "allow"}, "rules": []}"#, dir + "/policies/10.json")
        try write(#"{"identity": {"mode": "off"}, "listeners": [{"address": "127.0.0.1", "port": 8080}], "policy_dir": "policies", "routes": [{"name": "r", "upstream": "http://127.0.0.1:9"}]}"#,
                  dir + "/gatehouse.json")
        try write(#"{"route": "r", "bogus": 1}"#, dir + "/req.json")
        XCTAssertThrowsError(try Explain.explain(configPath: dir + "/gatehouse.json", requestPath: dir + "/req.json")) { error in
            let message = (error as? Explain.ExplainFailure)?.message ?? "\(error)"
            XCTAssertTrue(message.contains("req.json:1:"), message)
            XCTAssertTrue(message.contains("bogus"), message)
        }
    }
}
