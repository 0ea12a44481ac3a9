/// The route and method names each rule lists, turned into candidate sets,
/// so that the evaluator visits only the rules whose `routes` and
/// `methods` conditions can hold: for each route name the policy mentions
/// (and one entry for any other route), the bitset of rules that list it
/// or list no route; the same for methods. A request's candidates are the
/// AND of its route's and its method's sets, visited bit by bit. In a
/// large policy most rules concern other routes or methods; evaluating each
/// one's match was most of the evaluator's cost per request, and testing
/// each rule's bits in turn still cost a dozen instructions per rule.
///
/// Exactly the first two conditions `ConditionEvaluator` checks (both exact
/// string comparisons), so skipping gives the same result; the evaluator
/// uses it only when not tracing (a trace records every condition).
struct RulePrefilter: Sendable {
    private let routeNames: [String]
    private let methodNames: [String]
    /// 64-bit words per set (at least one).
    private let words: Int
    /// `words` words per route name, in `routeNames` order, then one set
    /// for any other route (the rules without a `routes` condition).
    private let routeSets: [UInt64]
    private let methodSets: [UInt64]
    /// The rules whose match has no other condition
    /// (`RuleMatch.onlyRoutesAndMethods`): a candidate among them matches.
    private let settled: [UInt64]

    init(_ rules: [PolicyRule]) {
        words = Swift.max(1, (rules.count + 63) / 64)
        (routeNames, routeSets) = Self.sets(rules.map(\.match.routes), words: words)
        (methodNames, methodSets) = Self.sets(rules.map(\.match.methods), words: words)
        var settled = [UInt64](repeating: 0, count: words)
        for (k, rule) in rules.enumerated() where rule.match.onlyRoutesAndMethods { settled[k / 64] |= 1 << UInt64(k % 64) }
        self.settled = settled
    }

    /// Whether candidate rule `k` matches on its route and method alone
    /// (it has no other condition), so its match need not be evaluated.
    @inline(__always)
    func isSettled(_ k: Int) -> Bool { settled[k / 64] & (1 << UInt64(k % 64)) != 0 }

    /// Distinct names in first-seen order, and for each of them (then for
    /// none of them) the bitset of lists that are empty or contain it.
    private static func sets(_ lists: [[String]], words: Int) -> ([String], [UInt64]) {
        var names: [String] = []
        for list in lists { for n in list where !names.contains(n) { names.append(n) } }
        var sets = [UInt64](repeating: 0, count: (names.count + 1) * words)
        for (k, list) in lists.enumerated() {
            for j in 0...names.count where list.isEmpty || (j < names.count && list.contains(names[j])) {
                sets[j * words + k / 64] |= 1 << UInt64(k % 64)
            }
        }
        return (names, sets)
    }

    /// Calls `body` with the index of every rule whose route and method
    /// conditions may hold for a request on `route` with `method`, in rule order.
    @inline(__always)
    func forEachCandidate(route: String, method: String, _ body: (Int) -> Void) {
        let r = (routeNames.firstIndex(of: route) ?? routeNames.count) * words
        let m = (methodNames.firstIndex(of: method) ?? methodNames.count) * words
        routeSets.withUnsafeBufferPointer { rs in
            methodSets.withUnsafeBufferPointer { ms in
                for w in 0..<words {
                    var bits = rs[r + w] & ms[m + w]
                    while bits != 0 {
                        let k = w * 64 + bits.trailingZeroBitCount
                        bits &= bits &- 1
                        body(k)
                    }
                }
            }
        }
    }
}
