import Policy
import XCTest

/// Deny before require_approval before allow before the route default;
/// first match within a class; masks accumulate; audits always record;
/// dry-run rules only shape the shadow decision.
final class EvaluationOrderTests: XCTestCase {
    /// Four rules that all match every request, listed allow-first to show
    /// that file order does not beat class order.
    func testDenyBeatsApprovalBeatsAllowWhateverTheFileOrder() throws {
        let p = try PolicyTest.compile("""
        {"rules": [
          {"id": "a1", "action": "allow"},
          {"id": "ap1", "match": {"methods": ["POST", "DELETE"]}, "action": {"require_approval": {"message": "needs a human"}}},
          {"id": "d1", "match": {"methods": ["DELETE"]}, "action": {"deny": {"status": 451, "message": "no deletes"}}},
          {"id": "d2", "match": {"methods": ["DELETE"]}, "action": {"deny": {"status": 409, "message": "second"}}}
        ]}
        """)
        let del = try PolicyTest.evaluate(p, PolicyTest.request(method: "DELETE"))
        XCTAssertEqual(del.outcome.short, "451 policy_denied d1", "first deny in file order")
        guard case .deny(let r, _) = del.outcome else { return XCTFail() }
        XCTAssertEqual(r.message, "no deletes")
        XCTAssertEqual(del.matchedRules, ["a1", "ap1", "d1", "d2"])
        let post = try PolicyTest.evaluate(p, PolicyTest.request(method: "POST"))
        XCTAssertEqual(post.outcome.short, "403 approval_unavailable ap1", "approvals fail closed until they exist")
        guard case .deny(let a, _) = post.outcome else { return XCTFail() }
        XCTAssertTrue(a.message.hasPrefix("needs a human"))
        XCTAssertEqual(try PolicyTest.evaluate(p, PolicyTest.request(method: "GET")).outcome.short, "allow:a1")
    }

    func testRouteDefaultsDenyUnlessConfigured() throws {
        let p = try PolicyTest.compile("""
        {"route_defaults": {"open": "allow", "closed": {"deny": {"status": 404, "message": "nothing here"}}},
         "rules": [{"id": "ok", "match": {"paths": ["/ok"]}, "action": "allow"}]}
        """)
        XCTAssertEqual(try PolicyTest.evaluate(p, PolicyTest.request(route: "open", target: "/x")).outcome.short, "allow")
        XCTAssertEqual(try PolicyTest.evaluate(p, PolicyTest.request(route: "closed", target: "/x")).outcome.short, "404 policy_default_deny")
        XCTAssertEqual(try PolicyTest.evaluate(p, PolicyTest.request(route: "other", target: "/x")).outcome.short, "403 policy_default_deny")
        XCTAssertEqual(try PolicyTest.evaluate(p, PolicyTest.request(route: "other", target: "/ok")).outcome.short, "allow:ok")
        let star = try PolicyTest.compile(#"{"route_defaults": {"*": "allow", "db": "deny"}}"#)
        XCTAssertEqual(try PolicyTest.evaluate(star, PolicyTest.request(route: "x")).outcome.short, "allow")
        XCTAssertEqual(try PolicyTest.evaluate(star, PolicyTest.request(route: "db")).outcome.short, "403 policy_default_deny")
    }

    func testMasksAccumulateAndTheLeastRevealingStrategyWins() throws {
        let p = try PolicyTest.compile("""
        {"route_defaults": {"*": "allow"}, "rules": [
          {"id": "m1", "action": {"mask": {"detectors": ["credit_card", "email"], "strategy": "partial", "direction": "response"}}},
          {"id": "m2", "action": {"mask": {"detectors": ["credit_card"], "fields": ["user.ssn"], "strategy": "hash"}}},
          {"id": "m3", "match": {"routes": ["nope"]}, "action": {"mask": {"detectors": ["iban"]}}},
          {"id": "m4", "action": {"mask": {"detectors": ["email"], "strategy": "redact", "direction": "request"}}}
        ]}
        """)
        let d = try PolicyTest.evaluate(p, PolicyTest.request())
        XCTAssertEqual(d.outcome.short, "allow")
        XCTAssertEqual(d.responseMasks.ruleIDs, ["m1", "m2"])
        XCTAssertEqual(d.responseMasks.labels, ["credit_card": .hash, "email": .partial(keep: 4)])
        XCTAssertEqual(d.responseMasks.fields.map(\.path.text), ["user.ssn"])
        XCTAssertEqual(d.requestMasks.ruleIDs, ["m2", "m4"])
        XCTAssertEqual(d.requestMasks.labels, ["credit_card": .hash, "email": .redact])
    }

    func testAuditRulesAlwaysRecordAndChangeNothing() throws {
        let p = try PolicyTest.compile("""
        {"rules": [
          {"id": "audit-all", "action": "audit"},
          {"id": "audit-post", "match": {"methods": ["POST"]}, "action": "audit"},
          {"id": "no-post", "match": {"methods": ["POST"]}, "action": "deny"}
        ]}
        """)
        let post = try PolicyTest.evaluate(p, PolicyTest.request(method: "POST"))
        XCTAssertEqual(post.outcome.short, "403 policy_denied no-post")
        XCTAssertEqual(post.auditRules, ["audit-all", "audit-post"])
        let get = try PolicyTest.evaluate(p, PolicyTest.request(method: "GET"))
        XCTAssertEqual(get.outcome.short, "403 policy_default_deny", "an audit rule does not allow")
        XCTAssertEqual(get.auditRules, ["audit-all"])
    }

    func testDryRunRulesAreRecordedButNotEnforced() throws {
        let p = try PolicyTest.compile("""
        {"route_defaults": {"*": "allow"}, "rules": [
          {"id": "try-deny", "dry_run": true, "match": {"methods": ["DELETE"]}, "action": {"deny": {"status": 403, "message": "would deny"}}},
          {"id": "try-mask", "dry_run": true, "action": {"mask": {"detectors": ["email"]}}},
          {"id": "real-audit", "action": "audit"}
        ]}
        """)
        let d = try PolicyTest.evaluate(p, PolicyTest.request(method: "DELETE"))
        XCTAssertEqual(d.outcome.short, "allow")
        XCTAssertEqual(d.matchedRules, ["real-audit"])
        XCTAssertTrue(d.requestMasks.isEmpty)
        let dry = try XCTUnwrap(d.dryRun)
        XCTAssertEqual(dry.matchedRules, ["try-deny", "try-mask"])
        XCTAssertEqual(dry.outcome.short, "403 policy_denied try-deny")
        XCTAssertTrue(dry.wouldChangeOutcome)
        XCTAssertEqual(dry.requestMasks.labels, ["email": .redact])
        let get = try PolicyTest.evaluate(p, PolicyTest.request(method: "GET"))
        XCTAssertEqual(get.dryRun?.matchedRules, ["try-mask"])
        XCTAssertEqual(get.dryRun?.wouldChangeOutcome, false)
        let none = try PolicyTest.compile(#"{"route_defaults": {"*": "allow"}, "rules": [{"id": "x", "dry_run": true, "match": {"methods": ["PUT"]}, "action": "deny"}]}"#)
        XCTAssertNil(try PolicyTest.evaluate(none, PolicyTest.request()).dryRun)
    }

    func testRecordsForTheRecorder() throws {
        let p = try PolicyTest.compile("""
        {"route_defaults": {"*": "allow"}, "rules": [
          {"id": "cards", "match": {"detected": [{"detector": "credit_card"}, {"detector": "email", "min_count": 0}]}, "action": "audit"},
          {"id": "no-cards", "match": {"detected": [{"detector": "credit_card", "min_count": 2}]}, "action": "deny"},
          {"id": "try", "dry_run": true, "action": {"mask": {"detectors": ["email"]}}}
        ]}
        """)
        let d = try PolicyTest.evaluate(p, PolicyTest.request(method: "POST", body: #"{"a": "4111 1111 1111 1111", "b": "5500 0000 0000 0004"}"#))
        XCTAssertEqual(d.records, [
            RuleRecord(ruleID: "cards", action: "audit", detectors: ["credit_card"], dryRun: false, decided: false),
            RuleRecord(ruleID: "no-cards", action: "deny", detectors: ["credit_card"], dryRun: false, decided: true),
            RuleRecord(ruleID: "try", action: "mask", detectors: [], dryRun: true, decided: false),
        ])
        let clean = try PolicyTest.evaluate(p, PolicyTest.request(method: "GET"))
        XCTAssertEqual(clean.records.last, RuleRecord(ruleID: nil, action: "allow", detectors: [], dryRun: false, decided: true))
    }

    func testTraceExplainsEveryRule() throws {
        let p = try PolicyTest.compile("""
        {"rules": [
          {"id": "deny-writes", "match": {"routes": ["db"], "sql": {"field": "q", "classes": ["write"]}}, "action": "deny"},
          {"id": "allow-db", "match": {"routes": ["db"], "methods": ["POST"]}, "action": "allow"},
          {"id": "allow-db-too", "match": {"routes": ["db"]}, "action": "allow"},
          {"id": "crm-only", "match": {"routes": ["crm"], "paths": ["/a/**"]}, "action": "deny"}
        ]}
        """)
        let d = try PolicyTest.evaluate(p, PolicyTest.request(route: "db", method: "POST", body: #"{"q": "SELECT 1"}"#), trace: true)
        XCTAssertEqual(d.outcome.short, "allow:allow-db")
        let rendered = try XCTUnwrap(d.trace).map(\.rendered).joined(separator: "\n")
        XCTAssertEqual(rendered, """
        rule deny-writes [deny] at inline.json:2:3: no match — did not match
          yes: routes: route "db" in [db]
          no : sql: field q (1 text(s)): classes [read], flags []; rule wants classes [write] or flags []
        rule allow-db [allow] at inline.json:3:3: matched — decides the outcome
          yes: routes: route "db" in [db]
          yes: methods: method POST in [POST]
        rule allow-db-too [allow] at inline.json:4:3: matched — not applied: rule allow-db decided first
          yes: routes: route "db" in [db]
        rule crm-only [deny] at inline.json:5:3: no match — did not match
          no : routes: route "db" in [crm]
          no : paths: path / matches none of [/a/**]
        """)
    }
}
