import Policy
import XCTest

/// The evaluator visits only the rules whose route and method conditions
/// can hold (`RulePrefilter`); a trace visits every rule. Both must find
/// the same matching rules, for policies of more than 64 rules and names.
final class RulePrefilterTests: XCTestCase {
    func testCandidateSetsFindEveryMatchingRule() throws {
        // 150 audit rules (three 64-bit words): 70 route names, 3 methods,
        // some rules without a route or a method condition.
        var rules: [String] = []
        var expected: [(_ route: String, _ method: String) -> Bool] = []
        let methods = ["GET", "POST", "DELETE"]
        for i in 0..<150 {
            var match: [String] = []
            var routes: [String] = []
            var ruleMethods: [String] = []
            if i % 7 != 0 { routes = ["r\(i % 70)"] + (i % 11 == 0 ? ["r\((i + 1) % 70)"] : []) }
            if i % 5 != 0 { ruleMethods = [methods[i % 3]] }
            if !routes.isEmpty { match.append(#""routes": [\#(routes.map { "\"\($0)\"" }.joined(separator: ", "))]"#) }
            if !ruleMethods.isEmpty { match.append(#""methods": ["\#(ruleMethods[0])"]"#) }
            rules.append(#"{"id": "a\#(i)", "match": {\#(match.joined(separator: ", "))}, "action": "audit"}"#)
            expected.append { route, method in
                (routes.isEmpty || routes.contains(route)) && (ruleMethods.isEmpty || ruleMethods.contains(method))
            }
        }
        let policy = try PolicyTest.compile(#"{"rules": [\#(rules.joined(separator: ",\n"))]}"#)
        for route in ["r0", "r1", "r13", "r64", "r69", "other"] {
            for method in methods + ["PATCH"] {
                let request = PolicyTest.request(route: route, method: method)
                let fast = try PolicyTest.evaluate(policy, request)
                let traced = try PolicyTest.evaluate(policy, request, trace: true)
                let want = (0..<150).filter { expected[$0](route, method) }.map { "a\($0)" }
                XCTAssertEqual(fast.auditRules, want, "\(route) \(method)")
                XCTAssertEqual(traced.auditRules, want, "\(route) \(method)")
                XCTAssertEqual(fast.records, traced.records, "\(route) \(method)")
            }
        }
    }

    /// Rules with conditions beyond route and method beside rules with
    /// none (which the evaluator settles without evaluating their match
    /// or making the request's inspection): the same decision as a trace,
    /// which evaluates every condition of every rule.
    func testSettledRulesDecideAsATraceDoes() throws {
        var rules: [String] = []
        let actions = [#""audit""#, #""allow""#, #"{"deny": {"status": 403, "message": "no"}}"#,
                       #"{"mask": {"detectors": ["email"], "direction": "response"}}"#]
        for i in 0..<90 {
            var match = [#""routes": ["r\#(i % 4)"]"#]
            if i % 3 == 1 { match.append(#""paths": ["/p\#(i % 2)/**"]"#) }
            if i % 5 == 2 { match.append(#""headers": [{"name": "x-tag", "equals": "t\#(i % 2)"}]"#) }
            if i % 7 == 3 { match.append(#""detected": [{"detector": "email", "in": ["query"]}]"#) }
            if i % 11 == 4 { match.append(#""methods": ["POST"]"#) }
            rules.append(#"{"id": "k\#(i)", "match": {\#(match.joined(separator: ", "))}, "action": \#(actions[(i / 4) % 4])}"#)
        }
        let policy = try PolicyTest.compile(#"{"route_defaults": {"*": "allow"}, "rules": [\#(rules.joined(separator: ",\n"))]}"#)
        for route in ["r0", "r1", "r2", "r3", "other"] {
            for method in ["GET", "POST"] {
                for target in ["/p0/x", "/p1?to=a@example.com", "/q"] {
                    for tag in ["t0", "t1"] {
                        let request = PolicyTest.request(route: route, method: method, target: target, headers: [("X-Tag", tag)])
                        let fast = try PolicyTest.evaluate(policy, request)
                        var traced = try PolicyTest.evaluate(policy, request, trace: true)
                        traced.trace = nil
                        // A trace runs the detections of every rule, other
                        // routes' too: on a route no rule names, it lists
                        // what those scans found, the evaluator nothing.
                        if route == "other" {
                            XCTAssertEqual(fast.detections, [], target)
                            traced.detections = []
                        }
                        XCTAssertEqual(fast, traced, "\(route) \(method) \(target) \(tag)")
                    }
                }
            }
        }
    }
}
