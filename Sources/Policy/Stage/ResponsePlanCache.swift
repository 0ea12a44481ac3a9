import Inspection
import Synchronization

/// Response masking plans by the mask rules that made them. A decision's
/// response `MaskSet` is a function of which mask rules applied (in order),
/// so exchanges decided by the same rules share one plan instead of
/// rebuilding its mask plan each time. Bounded: past `limit` distinct rule
/// lists, plans are built per exchange and not kept.
///
/// The plan found last is checked first, without hashing: a decision whose
/// response masks come from one rule shares that rule's precomputed rule
/// list, which then compares equal by identity.
final class ResponsePlanCache: Sendable {
    private struct State {
        var plans: [[String]: ResponseMaskingPlan] = [:]
        var last: (ruleIDs: [String], plan: ResponseMaskingPlan)?
    }

    private let state = Mutex(State())
    static let limit = 256

    func plan(for masks: MaskSet, make: () -> ResponseMaskingPlan) -> ResponseMaskingPlan {
        let hit = state.withLock { s -> ResponseMaskingPlan? in
            if let last = s.last, last.ruleIDs == masks.ruleIDs { return last.plan }
            guard let plan = s.plans[masks.ruleIDs] else { return nil }
            s.last = (masks.ruleIDs, plan)
            return plan
        }
        if let hit { return hit }
        let made = make()
        state.withLock { s in
            if s.plans.count < Self.limit {
                s.plans[masks.ruleIDs] = made
                s.last = (masks.ruleIDs, made)
            }
        }
        return made
    }
}
