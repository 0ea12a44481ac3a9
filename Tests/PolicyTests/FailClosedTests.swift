import HTTP1
import Policy
import XCTest

/// A rule that needs the body and cannot read it refuses the request with a
/// stable code; it never lets it through unscanned.
final class FailClosedTests: XCTestCase {
    let policyText = """
    {"route_defaults": {"*": "allow"}, "rules": [
      {"id": "no-rm", "match": {"routes": ["mcp"], "shell": {"field": "params.arguments.command", "risks": ["rm_rf"]}}, "action": "deny"},
      {"id": "cards", "match": {"routes": ["pay"], "detected": [{"detector": "credit_card", "in": ["body"]}]}, "action": "deny"}
    ]}
    """

    func outcome(_ r: PolicyRequest, limit: Int = 1 << 20) throws -> String {
        try PolicyTest.evaluate(try PolicyTest.compile(policyText), r, bodyLimit: limit).outcome.short
    }

    func testMalformedJSONWhereARuleNeedsFields() throws {
        XCTAssertEqual(try outcome(PolicyTest.request(route: "mcp", method: "POST", body: #"{"params": "#)), "400 body_malformed no-rm")
        XCTAssertEqual(try outcome(PolicyTest.request(route: "mcp", method: "POST", body: "rm -rf /", contentType: "text/plain")),
                       "400 body_malformed no-rm", "field rules need JSON whatever the Content-Type")
        XCTAssertEqual(try outcome(PolicyTest.request(route: "mcp", method: "POST", body: #"{"a": 1, "a": 2}"#)),
                       "400 body_malformed no-rm", "duplicate keys are ambiguous: refused")
        XCTAssertEqual(try outcome(PolicyTest.request(route: "pay", method: "POST", body: #"{"card": "#)), "400 body_malformed cards",
                       "a body labelled JSON that is not JSON")
        XCTAssertEqual(try outcome(PolicyTest.request(route: "other", method: "POST", body: #"{"params": "#)), "allow",
                       "no rule needs this body")
    }

    func testUnknownContentEncoding() throws {
        var r = PolicyTest.request(route: "mcp", method: "POST", headers: [("Content-Encoding", "gzip")], body: #"{"params": {}}"#)
        XCTAssertEqual(try outcome(r), "415 body_uninspectable no-rm")
        r = PolicyTest.request(route: "mcp", method: "POST", headers: [("Content-Encoding", "identity")], body: #"{"params": {}}"#)
        XCTAssertEqual(try outcome(r), "allow")
    }

    func testBodyOverTheBound() throws {
        let body = #"{"pad": "\#(String(repeating: "x", count: 200))"}"#
        XCTAssertEqual(try outcome(PolicyTest.request(route: "pay", method: "POST", body: body), limit: 100), "413 body_too_large cards")
        XCTAssertEqual(try outcome(PolicyTest.request(route: "pay", method: "POST", body: body), limit: 1000), "allow")
    }

    func testBodyNotBuffered() throws {
        var r = PolicyTest.request(route: "pay", method: "POST")
        r.body = .unavailable
        XCTAssertEqual(try outcome(r), "415 body_uninspectable cards")
        r.body = .none
        XCTAssertEqual(try outcome(r), "allow", "no body, nothing to find")
    }

    func testAnAllowRuleThatCannotReadTheBodyDoesNotAllow() throws {
        let p = try PolicyTest.compile("""
        {"rules": [{"id": "safe-sql", "match": {"sql": {"field": "q", "classes": ["read"]}}, "action": "allow"}]}
        """)
        XCTAssertEqual(try PolicyTest.evaluate(p, PolicyTest.request(method: "POST", body: #"{"q": "SELECT 1"}"#)).outcome.short, "allow:safe-sql")
        XCTAssertEqual(try PolicyTest.evaluate(p, PolicyTest.request(method: "POST", body: #"{"q": "#)).outcome.short, "403 policy_default_deny")
    }

    func testADryRunRuleThatCannotReadTheBodyOnlyAffectsTheShadowDecision() throws {
        let p = try PolicyTest.compile("""
        {"route_defaults": {"*": "allow"}, "rules": [{"id": "try", "dry_run": true, "match": {"body": [{"path": "x", "present": true}]}, "action": "deny"}]}
        """)
        let d = try PolicyTest.evaluate(p, PolicyTest.request(method: "POST", body: "not json"))
        XCTAssertEqual(d.outcome.short, "allow")
        XCTAssertEqual(d.dryRun?.outcome.short, "400 body_malformed try")
    }
}
