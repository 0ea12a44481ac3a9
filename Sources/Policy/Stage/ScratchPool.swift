import Inspection
import Synchronization

/// Hyperscan scratch for a stage shared by every event loop. A scratch must
/// never serve two scans at once, so each evaluation takes one and gives it
/// back; the pool grows to the number of loops evaluating concurrently
/// (one lock per take/return, uncontended in steady state).
final class ScratchPool: Sendable {
    /// A scratch is only ever used by the thread that took it.
    private struct Box: @unchecked Sendable { let scratch: PatternScratch }

    private let prototype: Box
    private let free: Mutex<[Box]>

    init(inspector: Inspector) throws(PatternEngineError) {
        let first = try inspector.makeScratch()
        prototype = Box(scratch: first)
        free = Mutex([])
    }

    /// A scratch for the caller alone; nil if hs cannot allocate one.
    func take() -> PatternScratch? {
        let box: Box? = free.withLock { list -> Box? in
            if let b = list.popLast() { return b }
            return (try? prototype.scratch.clone()).map { Box(scratch: $0) }
        }
        return box?.scratch
    }

    func give(_ scratch: PatternScratch) {
        let box = Box(scratch: scratch)
        free.withLock { $0.append(box) }
    }
}
