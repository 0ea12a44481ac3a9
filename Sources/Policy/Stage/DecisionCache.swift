import Synchronization

/// Decisions that depended on the request's route and method alone (every
/// rule the prefilter left was settled by them, `RulePrefilter.isSettled`),
/// boxed, by route and method: such a decision is the same for every
/// request on that route with that method, so `PolicyStage` shares the box
/// instead of evaluating the policy, boxing the decision and destroying it
/// again per request (≈ 2,500 instructions). Decisions that read anything
/// else of the request are never kept. Bounded: past `limit` distinct
/// pairs (methods are the client's), decisions are not kept.
///
/// The pair found last is checked first, without hashing.
final class DecisionCache: Sendable {
    private struct Key: Hashable {
        let route: String
        let method: String
    }

    private struct State {
        var boxes: [Key: PolicyDecisionBox] = [:]
        var lastRoute = ""
        var lastMethod = ""
        var lastBox: PolicyDecisionBox?
    }

    private let state = Mutex(State())
    static let limit = 256

    /// The decision kept for `route` and `method`, if any.
    func decision(route: String, method: String) -> PolicyDecisionBox? {
        state.withLock { s -> PolicyDecisionBox? in
            if let box = s.lastBox, s.lastRoute == route, s.lastMethod == method { return box }
            guard let box = s.boxes[Key(route: route, method: method)] else { return nil }
            s.lastRoute = route
            s.lastMethod = method
            s.lastBox = box
            return box
        }
    }

    /// Keeps `box`, a decision that depended on `route` and `method` alone.
    func keep(_ box: PolicyDecisionBox, route: String, method: String) {
        state.withLock { s in
            guard s.boxes.count < Self.limit else { return }
            s.boxes[Key(route: route, method: method)] = box
            s.lastRoute = route
            s.lastMethod = method
            s.lastBox = box
        }
    }
}
