import HTTP1
import Inspection
import Policy
import XCTest

/// Every match kind, each in a deny rule on an otherwise-allowing policy:
/// `403 policy_denied r` means the match held, `allow` that it did not.
final class RuleMatchTests: XCTestCase {
    func denyIf(_ match: String, patterns: String = "[]") throws -> CompiledPolicy {
        try PolicyTest.compile("""
        {"route_defaults": {"*": "allow"}, "patterns": \(patterns),
         "rules": [{"id": "r", "match": \(match), "action": "deny"}]}
        """)
    }

    func outcome(_ p: CompiledPolicy, _ r: PolicyRequest) throws -> String { try PolicyTest.evaluate(p, r).outcome.short }

    let denied = "403 policy_denied r"

    func testEmptyMatchMatchesEverything() throws {
        let p = try denyIf("{}")
        XCTAssertEqual(try outcome(p, PolicyTest.request()), denied)
    }

    func testRoutesAndMethods() throws {
        let p = try denyIf(#"{"routes": ["db", "crm"], "methods": ["POST", "DELETE"]}"#)
        XCTAssertEqual(try outcome(p, PolicyTest.request(route: "db", method: "POST")), denied)
        XCTAssertEqual(try outcome(p, PolicyTest.request(route: "crm", method: "DELETE")), denied)
        XCTAssertEqual(try outcome(p, PolicyTest.request(route: "db", method: "GET")), "allow")
        XCTAssertEqual(try outcome(p, PolicyTest.request(route: "other", method: "POST")), "allow")
        XCTAssertEqual(try outcome(p, PolicyTest.request(route: "db", method: "post")), "allow", "methods are case-sensitive")
    }

    func testPathGlobsOnTheNormalizedPath() throws {
        let p = try denyIf(#"{"paths": ["/admin/**", "/v1/*/delete", "/exact"]}"#)
        for target in ["/admin", "/admin/", "/admin/users/1", "/v1/users/delete", "/exact", "/exact?x=1",
                       "/%61dmin/x", "/x/../admin/y", "/./admin", "/v1/a/./delete"] {
            XCTAssertEqual(try outcome(p, PolicyTest.request(target: target)), denied, target)
        }
        for target in ["/administrator", "/v1/a/b/delete", "/exact/more", "/Exact", "/admin%2Fx"] {
            XCTAssertEqual(try outcome(p, PolicyTest.request(target: target)), "allow", target)
        }
    }

    func testHeaders() throws {
        let p = try denyIf(#"{"headers": [{"name": "X-Env", "equals": "prod"}, {"name": "x-debug", "present": false}]}"#)
        XCTAssertEqual(try outcome(p, PolicyTest.request(headers: [("x-env", "prod")])), denied)
        XCTAssertEqual(try outcome(p, PolicyTest.request(headers: [("X-ENV", "dev"), ("X-Env", "prod")])), denied, "any value")
        XCTAssertEqual(try outcome(p, PolicyTest.request(headers: [("x-env", "prod"), ("x-debug", "1")])), "allow")
        XCTAssertEqual(try outcome(p, PolicyTest.request(headers: [("x-env", "Prod")])), "allow")
        let g = try denyIf(#"{"headers": [{"name": "user-agent", "glob": "*curl/*"}, {"name": "x-tier", "any_of": ["a", "b"]}]}"#)
        XCTAssertEqual(try outcome(g, PolicyTest.request(headers: [("User-Agent", "curl/8.1"), ("x-tier", "b")])), denied)
        XCTAssertEqual(try outcome(g, PolicyTest.request(headers: [("User-Agent", "curl/8.1"), ("x-tier", "c")])), "allow")
    }

    func testQueryParameters() throws {
        let p = try denyIf(#"{"query": [{"name": "force", "any_of": ["1", "true"]}, {"name": "q w", "glob": "a*"}]}"#)
        XCTAssertEqual(try outcome(p, PolicyTest.request(target: "/x?force=true&q+w=abc")), denied)
        XCTAssertEqual(try outcome(p, PolicyTest.request(target: "/x?force=%31&q%20w=a")), denied, "percent-decoded")
        XCTAssertEqual(try outcome(p, PolicyTest.request(target: "/x?force=0&q+w=abc")), "allow")
        XCTAssertEqual(try outcome(p, PolicyTest.request(target: "/x?force=1")), "allow")
    }

    func testIdentity() throws {
        let p = try denyIf(#"{"identity": {"groups": ["contractors"], "scopes": ["db:write", "admin"]}}"#)
        let contractor = RequestIdentity(subject: "alice", groups: ["staff", "contractors"], scopes: ["db:write"])
        XCTAssertEqual(try outcome(p, PolicyTest.request(identity: contractor)), denied)
        XCTAssertEqual(try outcome(p, PolicyTest.request(identity: RequestIdentity(subject: "bob", groups: ["staff"], scopes: ["admin"]))), "allow")
        let anon = try denyIf(#"{"identity": {"authenticated": false}}"#)
        XCTAssertEqual(try outcome(anon, PolicyTest.request()), denied)
        XCTAssertEqual(try outcome(anon, PolicyTest.request(identity: RequestIdentity(clientID: "ci"))), "allow")
        let who = try denyIf(#"{"identity": {"subjects": ["mallory"], "client_ids": ["agent-7"]}}"#)
        XCTAssertEqual(try outcome(who, PolicyTest.request(identity: RequestIdentity(subject: "mallory", clientID: "agent-7"))), denied)
        XCTAssertEqual(try outcome(who, PolicyTest.request(identity: RequestIdentity(subject: "mallory", clientID: "agent-8"))), "allow")
    }

    func testIdentityFromContextAttributes() {
        let attrs = [IdentityAttributes.subject: "alice", IdentityAttributes.groups: IdentityAttributes.encodeList(["a b", "c,d"]),
                     IdentityAttributes.clientID: "cli", IdentityAttributes.scopes: "read\nwrite"]
        XCTAssertEqual(RequestIdentity(attributes: attrs),
                       RequestIdentity(subject: "alice", groups: ["a b", "c,d"], clientID: "cli", scopes: ["read", "write"]))
    }

    func testBodyFieldsByPointerAndWildcardPath() throws {
        let p = try denyIf(#"{"body": [{"path": "/params/name", "equals": "shell"}, {"path": "items.*.qty", "any_of": [0, -1]}]}"#)
        XCTAssertEqual(try outcome(p, PolicyTest.request(method: "POST", body: #"{"params": {"name": "shell"}, "items": [{"qty": 2}, {"qty": 0.0}]}"#)), denied)
        XCTAssertEqual(try outcome(p, PolicyTest.request(method: "POST", body: #"{"params": {"name": "shell"}, "items": [{"qty": 2}]}"#)), "allow")
        XCTAssertEqual(try outcome(p, PolicyTest.request(method: "POST", body: #"{"params": {"name": "she\u006cl"}, "items": {"a": {"qty": -1}}}"#)), denied,
                       "escapes decoded; * covers object members")
        let q = try denyIf(#"{"body": [{"path": "/a~1b/0", "glob": "rm *"}, {"path": "flag", "equals": true}, {"path": "gone", "present": false}]}"#)
        XCTAssertEqual(try outcome(q, PolicyTest.request(method: "POST", body: #"{"a/b": ["rm x"], "flag": true}"#)), denied)
        XCTAssertEqual(try outcome(q, PolicyTest.request(method: "POST", body: #"{"a/b": ["rm x"], "flag": true, "gone": null}"#)), "allow")
        XCTAssertEqual(try outcome(q, PolicyTest.request(method: "POST", body: #"{"a/b": ["ls"], "flag": true}"#)), "allow")
    }

    func testDetectionsWithCountsAndScopes() throws {
        let p = try denyIf(#"{"detected": [{"detector": "credit_card", "min_count": 2, "in": ["body"]}]}"#)
        let two = #"{"a": "4111 1111 1111 1111", "b": "5500-0000-0000-0004"}"#
        XCTAssertEqual(try outcome(p, PolicyTest.request(method: "POST", body: two)), denied)
        XCTAssertEqual(try outcome(p, PolicyTest.request(method: "POST", body: #"{"a": "4111 1111 1111 1111"}"#)), "allow")
        XCTAssertEqual(try outcome(p, PolicyTest.request(target: "/?a=4111111111111111&b=5500000000000004")), "allow", "body only")
        let q = try denyIf(#"{"detected": [{"detector": "us_ssn", "in": ["query", "headers"]}, {"detector": "email", "min_count": 0, "max_count": 0}]}"#)
        XCTAssertEqual(try outcome(q, PolicyTest.request(target: "/?ssn=536-22-8901")), denied)
        XCTAssertEqual(try outcome(q, PolicyTest.request(headers: [("X-SSN", "536-22-8901")])), denied)
        XCTAssertEqual(try outcome(q, PolicyTest.request(target: "/?ssn=536-22-8901&to=alice@example.com")), "allow", "max_count 0")
        let decision = try PolicyTest.evaluate(q, PolicyTest.request(target: "/?ssn=536-22-8901"))
        XCTAssertEqual(decision.detections.map(\.description), ["us_ssn ×1 in query"])
    }

    func testCustomPatterns() throws {
        let p = try denyIf(#"{"detected": [{"pattern": "ticket", "min_count": 1}]}"#,
                           patterns: #"[{"name": "ticket", "regex": "TCK-[0-9]{4}", "caseless": true}]"#)
        XCTAssertEqual(try outcome(p, PolicyTest.request(method: "POST", body: #"{"note": "see tck-1234"}"#)), denied)
        XCTAssertEqual(try outcome(p, PolicyTest.request(method: "POST", body: #"{"note": "see TCK-12"}"#)), "allow")
    }

    func testSQLClassesAndFlags() throws {
        let p = try denyIf(#"{"sql": {"field": "query", "classes": ["write", "ddl"], "flags": ["multiple_statements"]}}"#)
        for sql in ["DELETE FROM t WHERE id = 1", "/*x*/DROP TABLE t", "SELECT 1; SELECT 2"] {
            XCTAssertEqual(try outcome(p, PolicyTest.request(method: "POST", body: "{\"query\": \"\(sql)\"}")), denied, sql)
        }
        for sql in ["SELECT 'drop table x'", "SELECT * FROM t"] {
            XCTAssertEqual(try outcome(p, PolicyTest.request(method: "POST", body: "{\"query\": \"\(sql)\"}")), "allow", sql)
        }
        let whole = try denyIf(#"{"sql": {"flags": ["delete_without_where"], "dialects": ["postgres"]}}"#)
        XCTAssertEqual(try outcome(whole, PolicyTest.request(method: "POST", body: "DELETE FROM users", contentType: "text/plain")), denied)
        XCTAssertEqual(try outcome(whole, PolicyTest.request(method: "POST", body: "DELETE FROM users WHERE id=1", contentType: "text/plain")), "allow")
    }

    func testSQLOnlyClasses() throws {
        let p = try PolicyTest.compile("""
        {"rules": [{"id": "reads", "match": {"sql": {"field": "q", "classes": ["read", "transaction"], "only": true}}, "action": "allow"}]}
        """)
        func q(_ sql: String) throws -> String { try outcome(p, PolicyTest.request(method: "POST", body: "{\"q\": \"\(sql)\"}")) }
        XCTAssertEqual(try q("SELECT 1"), "allow:reads")
        XCTAssertEqual(try q("BEGIN; SELECT 1; COMMIT"), "allow:reads")
        XCTAssertEqual(try q("SELECT 1; DROP TABLE t"), "403 policy_default_deny", "not only reads")
        XCTAssertEqual(try q(""), "403 policy_default_deny", "no statement is not a read")
        XCTAssertEqual(PolicyTest.diagnostics(#"{"rules": [{"id": "a", "match": {"sql": {"classes": ["read"]}}, "action": "allow"}]}"#), [
            "p.json:1:19: warning: allow rule \"a\" matches SQL with any of [read], so text that also has other statements (SELECT 1; DROP TABLE t) matches too; set \"only\": true to require that every statement has one of them",
        ])
        XCTAssertEqual(PolicyTest.diagnostics(#"{"rules": [{"id": "a", "match": {"sql": {"flags": ["unterminated"], "only": true}}, "action": "deny"}]}"#), [
            "p.json:1:77: \"only\" in sql condition needs \"classes\" and no \"flags\" (it holds when every statement has one of the classes)",
        ])
    }

    func testShellRisks() throws {
        let p = try denyIf(#"{"shell": {"field": "params.arguments.command", "risks": ["rm_rf"]}}"#)
        func call(_ cmd: String) -> PolicyRequest {
            PolicyTest.request(method: "POST", body: #"{"jsonrpc": "2.0", "method": "tools/call", "params": {"name": "shell", "arguments": {"command": "\#(cmd)"}}}"#)
        }
        XCTAssertEqual(try outcome(p, call("sudo rm -rf /")), denied)
        XCTAssertEqual(try outcome(p, call("cd /tmp && rm -fr ~")), denied)
        XCTAssertEqual(try outcome(p, call("echo 'rm -rf /'")), "allow")
        XCTAssertEqual(try outcome(p, call("git push --force")), "allow", "not a listed risk")
        XCTAssertEqual(try outcome(p, call("echo \\\"unterminated")), denied, "unparseable commands count as a match")
        let any = try denyIf(#"{"shell": {"field": "cmd"}}"#)
        XCTAssertEqual(try outcome(any, PolicyTest.request(method: "POST", body: #"{"cmd": "git push -f origin main"}"#)), denied)
        XCTAssertEqual(try outcome(any, PolicyTest.request(method: "POST", body: #"{"cmd": "ls -la"}"#)), "allow")
    }

    func testAllConditionsMustHold() throws {
        let p = try denyIf(#"{"routes": ["db"], "methods": ["POST"], "body": [{"path": "op", "equals": "drop"}]}"#)
        XCTAssertEqual(try outcome(p, PolicyTest.request(route: "db", method: "POST", body: #"{"op": "drop"}"#)), denied)
        XCTAssertEqual(try outcome(p, PolicyTest.request(route: "db", method: "PUT", body: #"{"op": "drop"}"#)), "allow")
        XCTAssertEqual(try outcome(p, PolicyTest.request(route: "db", method: "POST", body: #"{"op": "read"}"#)), "allow")
    }
}
