import Synchronization

/// Decisions that depended on the request's route and method alone (every
/// rule the prefilter left was settled by them, `RulePrefilter.isSettled`),
/// boxed, with the response plan of an allow with response masks, by route
/// and method: such a decision is the same for every request on that route
/// with that method, so `PolicyStage` shares the box and the plan instead
/// of evaluating the policy, boxing the decision and destroying it again,
/// and looking the plan up in `ResponsePlanCache` per request (≈ 2,500
/// instructions). Decisions that read anything
/// else of the request are never kept. Bounded: past `limit` distinct
/// pairs (methods are the client's), decisions are not kept.
///
/// The pair found last is checked first, without hashing.
final class DecisionCache: Sendable {
    private struct Key: Hashable {
        let route: String
        let method: String
    }

    /// A kept decision and its response plan (nil without one).
    struct Kept {
        let box: PolicyDecisionBox
        let plan: ResponseMaskingPlan?
    }

    private struct State {
        var kept: [Key: Kept] = [:]
        var lastRoute = ""
        var lastMethod = ""
        var last: Kept?
    }

    private let state = Mutex(State())
    static let limit = 256

    /// The decision kept for `route` and `method`, if any.
    func decision(route: String, method: String) -> Kept? {
        state.withLock { s -> Kept? in
            if let last = s.last, s.lastRoute == route, s.lastMethod == method { return last }
            guard let kept = s.kept[Key(route: route, method: method)] else { return nil }
            s.lastRoute = route
            s.lastMethod = method
            s.last = kept
            return kept
        }
    }

    /// Keeps `kept`, a decision that depended on `route` and `method` alone.
    func keep(_ kept: Kept, route: String, method: String) {
        state.withLock { s in
            guard s.kept.count < Self.limit else { return }
            s.kept[Key(route: route, method: method)] = kept
            s.lastRoute = route
            s.lastMethod = method
            s.last = kept
        }
    }
}
