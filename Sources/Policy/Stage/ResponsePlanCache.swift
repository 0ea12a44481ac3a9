import Inspection
import Synchronization

/// Response masking plans by the mask rules that made them. A decision's
/// response `MaskSet` is a function of which mask rules applied (in order),
/// so exchanges decided by the same rules share one plan instead of
/// rebuilding its mask plan each time. Bounded: past `limit` distinct rule
/// lists, plans are built per exchange and not kept.
final class ResponsePlanCache: Sendable {
    private let plans = Mutex<[[String]: ResponseMaskingPlan]>([:])
    static let limit = 256

    func plan(for masks: MaskSet, make: () -> ResponseMaskingPlan) -> ResponseMaskingPlan {
        if let hit = plans.withLock({ $0[masks.ruleIDs] }) { return hit }
        let made = make()
        plans.withLock { if $0.count < Self.limit { $0[masks.ruleIDs] = made } }
        return made
    }
}
