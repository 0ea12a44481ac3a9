import Synchronization

/// The handle for a held exchange. A stage creates it and gives it to
/// whoever decides (an approval service, a key fetch); that party calls
/// `resolve(_:)` from any thread. The driver binds the ticket to its event
/// loop; resolution is always delivered through the loop's wakeup on its
/// next iteration, never inline, even if `resolve` is called before the
/// driver has bound the ticket (Envoy's "result arrives inline" guard).
///
/// Only the first resolution counts; later ones return false.
public final class HoldTicket: Sendable {
    private enum State {
        case pending
        case bound(@Sendable (StageVerdict) -> Void)
        case resolvedEarly(StageVerdict)
        case finished
    }

    private let state = Mutex(State.pending)
    /// A label for logs, e.g. the approval ID.
    public let label: String
    /// When true, resolving with `.proceed` evaluates the same stage again
    /// instead of moving past it: for a stage that waited for a resource
    /// (the identity stage waiting for an issuer's keys) and must now
    /// decide with it. Any other verdict applies as usual.
    public let reevaluatesOnProceed: Bool

    public init(label: String, reevaluatesOnProceed: Bool = false) {
        self.label = label
        self.reevaluatesOnProceed = reevaluatesOnProceed
    }

    /// Delivers `verdict` to the held exchange. Returns false if the ticket
    /// was already resolved, expired or cancelled.
    @discardableResult
    public func resolve(_ verdict: StageVerdict) -> Bool {
        enum Outcome { case deliver(@Sendable (StageVerdict) -> Void), stored, refused }
        let outcome: Outcome = state.withLock { s in
            switch s {
            case .pending:
                s = .resolvedEarly(verdict)
                return .stored
            case .bound(let fn):
                s = .finished
                return .deliver(fn)
            case .resolvedEarly, .finished:
                return .refused
            }
        }
        switch outcome {
        case .deliver(let fn): fn(verdict); return true
        case .stored: return true
        case .refused: return false
        }
    }

    /// Called by the driver: `deliver` must post to the owning loop. If the
    /// ticket was resolved before binding, `deliver` is called now (it posts,
    /// so the verdict still arrives on a later loop iteration).
    public func bind(_ deliver: @escaping @Sendable (StageVerdict) -> Void) {
        let early: StageVerdict? = state.withLock { s in
            switch s {
            case .pending:
                s = .bound(deliver)
                return nil
            case .resolvedEarly(let v):
                s = .finished
                return v
            case .bound, .finished:
                return nil
            }
        }
        if let early { deliver(early) }
    }

    /// Marks the ticket finished (deadline passed or client gone) so a late
    /// `resolve` is refused.
    public func cancel() {
        state.withLock { $0 = .finished }
    }

    /// True until resolved, expired or cancelled.
    public var isPending: Bool {
        state.withLock { s in
            switch s {
            case .pending, .bound: return true
            default: return false
            }
        }
    }
}
