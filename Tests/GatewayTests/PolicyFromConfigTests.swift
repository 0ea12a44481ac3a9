import Foundation
import XCTest
import Gateway
import GatewayConfig
import GatehouseTestSupport

/// Policy files named by `policy_dir` are compiled at start-up and enforced
/// by the proxy; broken files refuse to start.
final class PolicyFromConfigTests: XCTestCase {
    private func writePolicy(_ json: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gh-pol-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try json.write(to: dir.appendingPathComponent("10-test.json"), atomically: true, encoding: .utf8)
        return dir
    }

    private func config(upstream: Int, policyDir: String) -> GatehouseConfig {
        let route = RouteConfig(name: "t", upstream: UpstreamURL(host: "127.0.0.1", port: upstream))
        return GatehouseConfig(loops: 1, listeners: [ListenerConfig(name: "l", address: "127.0.0.1", port: 0)],
                               routes: [route], accessLog: false, policyDirectory: policyDir)
    }

    func testPoliciesFromTheConfigAreEnforced() throws {
        let dir = try writePolicy("""
        {
          "route_defaults": {"t": "allow"},
          "rules": [
            {"id": "no-admin", "match": {"paths": ["/admin/**"]},
             "action": {"deny": {"status": 403, "message": "admin is off limits"}}},
            {"id": "no-sql-writes", "match": {"methods": ["POST"], "sql": {"field": "/query", "classes": ["write", "ddl"]}},
             "action": {"deny": {"status": 403, "message": "no writes"}}}
          ]
        }
        """)
        defer { try? FileManager.default.removeItem(at: dir) }
        let upstream = try StubUpstream()
        defer { upstream.stop() }
        let server = try GatewayServer(config: config(upstream: upstream.port, policyDir: dir.path))
        try server.start()
        defer { server.drain(); server.waitUntilStopped() }
        let port = server.listenAddresses[0].port

        func send(_ raw: String) throws -> TestMessage {
            let s = try BlockingSocket.connect(port: port)
            defer { s.close() }
            try s.send(raw)
            return try XCTUnwrap(try TestHTTP.read(from: s, isResponse: true))
        }
        XCTAssertEqual(try send("GET /admin/users HTTP/1.1\r\nHost: a\r\n\r\n").status, 403)
        XCTAssertEqual(try send("GET /public HTTP/1.1\r\nHost: a\r\n\r\n").status, 200)
        let write = #"{"query":"/*x*/DELETE FROM accounts"}"#
        XCTAssertEqual(try send("POST /q HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: \(write.utf8.count)\r\n\r\n\(write)").status, 403)
        let read = #"{"query":"SELECT 'drop table x'"}"#
        XCTAssertEqual(try send("POST /q HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: \(read.utf8.count)\r\n\r\n\(read)").status, 200)
        // Only the two allowed requests reached the upstream, the read intact.
        XCTAssertEqual(upstream.requests.map(\.target), ["/public", "/q"])
        XCTAssertEqual(upstream.requests.last?.bodyString, read)
    }

    func testBrokenPolicyFilesRefuseToStart() throws {
        let dir = try writePolicy(#"{"rules": [{"id": "x", "match": {"bogus": 1}, "action": "deny"}]}"#)
        defer { try? FileManager.default.removeItem(at: dir) }
        XCTAssertThrowsError(try GatewayServer(config: config(upstream: 9, policyDir: dir.path))) { error in
            XCTAssertTrue("\(error)".contains("10-test.json:1:"), "\(error)")
            XCTAssertTrue("\(error)".contains("unknown key \"bogus\""), "\(error)")
        }
    }

    func testShippedPolicyExampleConfigCompiles() throws {
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        let path = root.appendingPathComponent("Config/gatehouse.policies.example.json").path
        let config = try ConfigLoader.load(path: path).get()
        let compiled = try XCTUnwrap(PolicySetup.compile(config))
        XCTAssertFalse(compiled.hasErrors, compiled.diagnostics.joined(separator: "\n"))
        XCTAssertGreaterThan(compiled.policy?.rules.count ?? 0, 5)
    }
}
