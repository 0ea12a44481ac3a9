import Policy
import XCTest

/// When one rule alone matches, the evaluator shares a list of records
/// built once per rule (`SoleRuleRecords`) instead of building it; the
/// records must be those a trace builds, for every action, route default,
/// dry run and a second matching rule.
final class SoleRuleRecordsTests: XCTestCase {
    func testSharedRecordsEqualBuiltOnes() throws {
        let actions = [#""audit""#, #""allow""#, #"{"deny": {"status": 403, "message": "no"}}"#,
                       #"{"require_approval": {"message": "ask"}}"#,
                       #"{"mask": {"detectors": ["email"], "direction": "response"}}"#]
        for (a, action) in actions.enumerated() {
            for dryRun in [false, true] {
                for fallback in ["allow", "deny"] {
                    for second in actions {
                        let rules = [
                            #"{"id": "only", "match": {"routes": ["solo"]}, "action": \#(action), "dry_run": \#(dryRun)}"#,
                            #"{"id": "second", "match": {"routes": ["pair"]}, "action": \#(second)}"#,
                            #"{"id": "first", "match": {"routes": ["pair"]}, "action": \#(action), "dry_run": \#(dryRun)}"#,
                            #"{"id": "found", "match": {"routes": ["found"], "detected": [{"detector": "email", "in": ["query"]}]}, "action": \#(action)}"#,
                        ]
                        let policy = try PolicyTest.compile(
                            #"{"route_defaults": {"*": "\#(fallback)"}, "rules": [\#(rules.joined(separator: ",\n"))]}"#)
                        for route in ["solo", "pair", "found", "none"] {
                            let request = PolicyTest.request(route: route, method: "GET", target: "/x?to=a@example.com")
                            let fast = try PolicyTest.evaluate(policy, request)
                            var traced = try PolicyTest.evaluate(policy, request, trace: true)
                            traced.trace = nil
                            XCTAssertEqual(fast.records, traced.records, "\(a) \(dryRun) \(fallback) \(route)")
                            // A trace runs every rule's detections (here `found`'s on other routes too).
                            if route != "found" { traced.detections = fast.detections }
                            XCTAssertEqual(fast, traced, "\(a) \(dryRun) \(fallback) \(route)")
                        }
                    }
                }
            }
        }
    }
}
