/// The route and method names each rule lists, as bitsets, so that the
/// evaluator skips a rule whose `routes` or `methods` condition fails with
/// two AND operations instead of evaluating its match. In a large policy
/// most rules concern other routes or methods, and evaluating each one's
/// match was most of the evaluator's cost per request.
///
/// Exactly the first two conditions `ConditionEvaluator` checks (both exact
/// string comparisons), so skipping gives the same result; the evaluator
/// uses it only when not tracing (a trace records every condition). With
/// more than 64 distinct names of a kind, that kind is not prefiltered.
struct RulePrefilter: Sendable {
    private let routeNames: [String]
    private let methodNames: [String]
    /// Per rule; 0 when the rule has no such condition (or the kind is not prefiltered).
    private let routeBits: [UInt64]
    private let methodBits: [UInt64]

    init(_ rules: [PolicyRule]) {
        (routeNames, routeBits) = Self.bits(rules.map(\.match.routes))
        (methodNames, methodBits) = Self.bits(rules.map(\.match.methods))
    }

    /// Distinct names in first-seen order, and each list as a bitset of them.
    private static func bits(_ lists: [[String]]) -> ([String], [UInt64]) {
        var names: [String] = []
        for list in lists { for n in list where !names.contains(n) { names.append(n) } }
        guard names.count <= 64 else { return ([], lists.map { _ in 0 }) }
        return (names, lists.map { list in list.reduce(0) { $0 | 1 << UInt64(names.firstIndex(of: $1)!) } })
    }

    /// The request's route and method as bits of the policy's names (0 when
    /// the policy's rules list neither).
    func bits(route: String, method: String) -> (route: UInt64, method: UInt64) {
        (routeNames.firstIndex(of: route).map { 1 << UInt64($0) } ?? 0,
         methodNames.firstIndex(of: method).map { 1 << UInt64($0) } ?? 0)
    }

    /// False when rule `k`'s route or method condition cannot hold for a request with `bits`.
    @inline(__always)
    func mayMatch(_ k: Int, _ bits: (route: UInt64, method: UInt64)) -> Bool {
        let r = routeBits[k], m = methodBits[k]
        return (r == 0 || r & bits.route != 0) && (m == 0 || m & bits.method != 0)
    }
}
