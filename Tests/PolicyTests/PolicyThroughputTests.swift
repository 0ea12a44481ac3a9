import Foundation
import Policy
import XCTest

/// Rough evaluation cost with a 50-rule policy. Not a benchmark: runs only
/// with `POLICY_THROUGHPUT=1` and is meaningful in release builds only.
final class PolicyThroughputTests: XCTestCase {
    func policyText() -> String {
        var rules: [String] = []
        for i in 0..<40 {
            rules.append(#"{"id": "route-\#(i)", "match": {"routes": ["svc-\#(i)"], "methods": ["POST", "PUT"], "paths": ["/v\#(i)/**"]}, "action": "deny"}"#)
        }
        for i in 0..<5 {
            rules.append(#"{"id": "hdr-\#(i)", "match": {"headers": [{"name": "x-tenant-\#(i)", "equals": "blocked"}]}, "action": "deny"}"#)
        }
        rules.append(#"{"id": "shell", "match": {"routes": ["api"], "body": [{"path": "method", "equals": "tools/call"}], "shell": {"field": "params.arguments.command"}}, "action": "deny"}"#)
        rules.append(#"{"id": "cards", "match": {"routes": ["api"], "detected": [{"detector": "credit_card", "in": ["body"]}]}, "action": "audit"}"#)
        rules.append(#"{"id": "mask", "match": {"routes": ["api"]}, "action": {"mask": {"detectors": ["us_ssn", "email"], "direction": "response"}}}"#)
        rules.append(#"{"id": "sql", "match": {"routes": ["api"], "sql": {"field": "params.arguments.sql", "classes": ["ddl", "write"]}}, "action": "deny"}"#)
        rules.append(#"{"id": "ok", "match": {"routes": ["api"]}, "action": "allow"}"#)
        return #"{"route_defaults": {"*": "allow"}, "rules": [\#(rules.joined(separator: ",\n"))]}"#
    }

    func testEvaluationsPerSecond() throws {
        guard ProcessInfo.processInfo.environment["POLICY_THROUGHPUT"] == "1" else { throw XCTSkip("set POLICY_THROUGHPUT=1 (release build)") }
        let policy = try PolicyTest.compile(policyText())
        XCTAssertEqual(policy.rules.count, 50)
        let evaluator = PolicyEvaluator(policy: policy)
        let scratch = try evaluator.makeScratch()
        let get = PolicyTest.request(route: "other", method: "GET", target: "/v1/items?page=2", headers: [("Accept", "application/json"), ("User-Agent", "agent/1.0")])
        let body = #"{"jsonrpc": "2.0", "id": 9, "method": "tools/call", "params": {"name": "shell", "arguments": {"command": "ls -la /srv/app && cat README.md", "sql": "SELECT id, name FROM users WHERE id = 7"}}, "meta": {"note": "\#(String(repeating: "lorem ipsum dolor sit amet ", count: 60))"}}"#
        let post = PolicyTest.request(route: "api", method: "POST", target: "/mcp", body: body)
        for (name, request, n) in [("GET, no body rule applies", get, 200_000), ("POST tools/call JSON \(body.utf8.count) B", post, 20_000)] {
            let start = DispatchTime.now().uptimeNanoseconds
            var allowed = 0
            for _ in 0..<n where evaluator.evaluate(request, scratch: scratch).outcome.isAllowed { allowed += 1 }
            let ns = Double(DispatchTime.now().uptimeNanoseconds - start) / Double(n)
            XCTAssertEqual(allowed, n)
            print("policy evaluation, 50 rules, \(name): \(Int(ns)) ns/request, \(Int(1e9 / ns)) requests/s")
        }
    }
}
