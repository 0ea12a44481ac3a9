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
}
