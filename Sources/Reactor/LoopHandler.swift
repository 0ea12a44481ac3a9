/// Something an event loop delivers events to: a connection, a listener, a
/// timer owner. Subclasses override the callbacks they need. A class (not a
/// protocol) so dispatch is a vtable call with no existential box.
///
/// Every method runs on the owning loop's thread only.
open class LoopHandler {
    /// The loop slot while registered, or -1.
    public internal(set) var slot: Int32 = -1
    /// The deadline of this handler's pending entry in the timer heap, or 0.
    internal var heapDeadline: UInt64 = 0

    public init() {}

    /// Readiness for the fd this handler registered (EPOLLIN/OUT/ERR/HUP/RDHUP bits).
    open func onEvents(_ events: UInt32) {}

    /// The deadline given to `EventLoop.arm(_:at:)` has passed. `now` is the
    /// loop's cached monotonic time. Re-arm from here if more deadlines remain.
    open func onTimer(now: UInt64) {}
}
