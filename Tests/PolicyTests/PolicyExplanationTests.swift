import Policy
import XCTest

/// The sample-request format and the report `gatehouse explain` will print.
final class PolicyExplanationTests: XCTestCase {
    func testSampleRequestAndReport() throws {
        let policy = try PolicyTest.compile("""
        {"route_defaults": {"*": "allow"}, "rules": [
          {"id": "no-drop", "match": {"sql": {"field": "q", "classes": ["ddl"]}}, "action": "deny"},
          {"id": "cards", "action": {"mask": {"detectors": ["credit_card"], "direction": "request"}}},
          {"id": "try", "dry_run": true, "match": {"identity": {"groups": ["contractors"]}}, "action": "deny"}
        ]}
        """)
        let sample = """
        {"route": "db", "method": "POST", "target": "/q",
         "headers": {"X-Tag": ["a", "b"]},
         "identity": {"subject": "alice", "groups": ["contractors"]},
         "body": {"q": "SELECT 1", "card": "4111 1111 1111 1111"}}
        """
        let request = try SampleRequest.decode(Array(sample.utf8), path: "s.json").get()
        XCTAssertEqual(request.headers.values("x-tag"), ["a", "b"])
        XCTAssertEqual(request.headers.firstValue("content-type"), "application/json")
        let report = try PolicyExplanation(policy: policy, request: request, hashKey: PolicyTest.key).rendered
        XCTAssertEqual(report, """
        rule no-drop [deny] at inline.json:2:3: no match — did not match
          no : sql: field q (1 text(s)): classes [read], flags []; rule wants classes [ddl] or flags []
        rule cards [mask] at inline.json:3:3: matched — masks added
        rule try [deny, dry run] at inline.json:4:3: matched — dry run: decides the outcome
          yes: identity: groups [contractors] include any of [contractors]
        decision: allow (route default)
        request masks: credit_card redact (rules cards)
        dry run: 403 policy_denied (rule try): denied by policy rule try (rules try; would change the outcome)
        masked body: {"q":"SELECT 1","card":"[REDACTED:credit_card]"}
        """)
    }

    func testSampleRequestProblems() {
        guard case .failure(let d) = SampleRequest.decode(Array(#"{"method": 1, "target": "q", "x": 2}"#.utf8), path: "s.json") else {
            return XCTFail()
        }
        XCTAssertEqual(d.diagnostics.map(\.description), [
            "s.json:1:1: missing required key \"route\" in sample request",
            "s.json:1:12: \"method\" in sample request must be a string, got number",
            "s.json:1:25: \"target\" in sample request must start with '/', got \"q\"",
            "s.json:1:30: unknown key \"x\" in sample request; expected one of: body, headers, identity, method, route, target",
        ])
    }
}
