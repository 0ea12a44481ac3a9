#if canImport(Glibc)
import Glibc
#endif
import CLinuxShims
import GatehouseCore
import Synchronization

/// One epoll event loop, owned by one thread for its whole life.
///
/// Each iteration runs in a fixed order, as nginx's does: wait for events,
/// dispatch I/O events, run tasks posted from other threads, fire due
/// timers, then the end-of-iteration hooks (log flushing).
///
/// Stale events: every registration gets a slot and a generation, packed
/// into the epoll data. Closing a handler bumps its slot's generation, so an
/// event already fetched in the same batch for a closed (and possibly
/// reused) fd no longer matches and is dropped.
///
/// Thread-safety: `post(_:)` and `stop()` may be called from any thread.
/// Everything else must be called on the loop's own thread.
public final class EventLoop: @unchecked Sendable {
    public let index: Int
    private let epfd: Int32
    private let wakeFD: Int32
    private var handlers: [LoopHandler?] = []
    private var generations: [UInt32] = []
    private var freeSlots: [Int32] = []
    private var timers = TimerHeap()
    private let posted = Mutex<[@Sendable () -> Void]>([])
    private let stopRequested = Atomic<Bool>(false)
    private var iterationHooks: [() -> Void] = []
    private var running = false

    /// The loop's monotonic time, refreshed once per wake-up (nanoseconds).
    public private(set) var now: UInt64 = MonotonicClock.now()

    private static let wakeSlotKey: UInt64 = UInt64.max

    public init(index: Int) throws(SystemError) {
        self.index = index
        epfd = epoll_create1(GH_EPOLL_CLOEXEC)
        if epfd < 0 { throw SystemError("epoll_create1") }
        wakeFD = eventfd(0, GH_EFD_NONBLOCK | GH_EFD_CLOEXEC)
        if wakeFD < 0 { throw SystemError("eventfd") }
        var ev = epoll_event()
        gh_epoll_event_set(&ev, GH_EPOLLIN, Self.wakeSlotKey)
        if epoll_ctl(epfd, GH_EPOLL_CTL_ADD, wakeFD, &ev) != 0 { throw SystemError("epoll_ctl", note: "eventfd") }
    }

    deinit {
        Socket.close(wakeFD)
        Socket.close(epfd)
    }

    // MARK: registration

    /// Gives `handler` a slot without an fd (for timer-only owners).
    public func attach(_ handler: LoopHandler) {
        precondition(handler.slot < 0, "handler already attached")
        let slot: Int32
        if let free = freeSlots.popLast() {
            slot = free
            handlers[Int(slot)] = handler
        } else {
            slot = Int32(handlers.count)
            handlers.append(handler)
            generations.append(0)
        }
        handler.slot = slot
    }

    /// Registers `fd` for `events` and attaches `handler` if needed.
    public func register(fd: Int32, handler: LoopHandler, events: UInt32) throws(SystemError) {
        if handler.slot < 0 { attach(handler) }
        var ev = epoll_event()
        gh_epoll_event_set(&ev, events, key(handler.slot))
        if epoll_ctl(epfd, GH_EPOLL_CTL_ADD, fd, &ev) != 0 { throw SystemError("epoll_ctl(ADD)") }
    }

    /// Changes the interest set of a registered fd.
    public func modify(fd: Int32, handler: LoopHandler, events: UInt32) {
        var ev = epoll_event()
        gh_epoll_event_set(&ev, events, key(handler.slot))
        _ = epoll_ctl(epfd, GH_EPOLL_CTL_MOD, fd, &ev)
    }

    /// Removes `fd` from the epoll set (call before closing it).
    public func unregister(fd: Int32) {
        var ev = epoll_event()
        _ = epoll_ctl(epfd, GH_EPOLL_CTL_DEL, fd, &ev)
    }

    /// Releases the handler's slot. Pending events and timers for it become
    /// stale and are dropped.
    public func detach(_ handler: LoopHandler) {
        let slot = handler.slot
        guard slot >= 0 else { return }
        handlers[Int(slot)] = nil
        generations[Int(slot)] &+= 1
        freeSlots.append(slot)
        handler.slot = -1
        handler.heapDeadline = 0
    }

    @inline(__always)
    private func key(_ slot: Int32) -> UInt64 {
        (UInt64(generations[Int(slot)]) << 32) | UInt64(UInt32(bitPattern: slot))
    }

    @inline(__always)
    private func lookup(_ key: UInt64) -> LoopHandler? {
        let slot = Int(UInt32(truncatingIfNeeded: key))
        guard slot < handlers.count, generations[slot] == UInt32(truncatingIfNeeded: key >> 32) else { return nil }
        return handlers[slot]
    }

    // MARK: timers

    /// Asks for `handler.onTimer` at or after `deadline` (monotonic ns). A
    /// handler keeps at most one live heap entry: an earlier deadline adds a
    /// new entry (the old one goes stale), a later one is ignored here and
    /// must be re-armed by the handler when its timer fires.
    public func arm(_ handler: LoopHandler, at deadline: UInt64) {
        guard handler.slot >= 0 else { return }
        if handler.heapDeadline != 0 && handler.heapDeadline <= deadline { return }
        handler.heapDeadline = deadline
        timers.push(.init(deadline: deadline, key: key(handler.slot)))
    }

    /// How many entries the heap holds (for tests and metrics).
    public var timerCount: Int { timers.count }

    private func fireTimers() {
        // Bounded by the heap size at entry: a handler that re-arms at or
        // before `now` from `onTimer` fires on the next iteration instead
        // of spinning here forever.
        var budget = timers.count
        while budget > 0, let earliest = timers.earliest, earliest <= now {
            budget -= 1
            let e = timers.pop()!
            guard let h = lookup(e.key), h.heapDeadline == e.deadline else { continue }
            h.heapDeadline = 0
            h.onTimer(now: now)
        }
    }

    // MARK: cross-thread

    /// Runs `task` on this loop's thread on its next iteration. Safe from any
    /// thread; never runs the task inline, even when called on the loop.
    ///
    /// Only the task that finds the queue empty writes the loop's eventfd:
    /// the queue stays non-empty until `runPosted` takes it, which happens
    /// after the loop has read (reset) the eventfd in the same iteration,
    /// so later tasks ride on that wake-up. A burst of completions (a
    /// recorder batch) costs one `write`, not one per task.
    public func post(_ task: @escaping @Sendable () -> Void) {
        let first = posted.withLock { q -> Bool in
            q.append(task)
            return q.count == 1
        }
        if first {
            var one: UInt64 = 1
            _ = write(wakeFD, &one, 8)
        }
    }

    /// Asks the loop to return from `run()` after the current iteration.
    public func stop() {
        stopRequested.store(true, ordering: .releasing)
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    /// Adds a callback that runs at the end of every iteration.
    public func addIterationHook(_ hook: @escaping () -> Void) {
        iterationHooks.append(hook)
    }

    // MARK: running

    /// Runs until `stop()`; call on the thread that owns this loop.
    public func run() {
        let maxEvents: Int32 = 512
        let events = UnsafeMutableRawPointer.allocate(byteCount: gh_epoll_event_size() * Int(maxEvents), alignment: 8)
            .bindMemory(to: epoll_event.self, capacity: Int(maxEvents))
        defer { events.deallocate() }
        running = true
        while !stopRequested.load(ordering: .acquiring) {
            var timeout: Int32 = -1
            if let earliest = timers.earliest {
                let current = MonotonicClock.now()
                timeout = earliest <= current ? 0 : Int32(min((earliest - current + 999_999) / 1_000_000, 60_000))
            }
            let n = epoll_wait(epfd, events, maxEvents, timeout)
            now = MonotonicClock.now()
            if n < 0 {
                if errno == EINTR { continue }
                LogSink.shared.line("{\"level\":\"error\",\"msg\":\"epoll_wait failed\",\"error\":\"\(SystemError("epoll_wait"))\"}")
                break
            }
            var i: Int32 = 0
            while i < n {
                let ev = gh_epoll_event_at(events, i)
                let data = gh_epoll_event_data(ev)
                if data == Self.wakeSlotKey {
                    var value: UInt64 = 0
                    _ = read(wakeFD, &value, 8)
                } else if let h = lookup(data) {
                    h.onEvents(gh_epoll_event_events(ev))
                }
                i += 1
            }
            runPosted()
            fireTimers()
            for hook in iterationHooks { hook() }
        }
        running = false
    }

    private func runPosted() {
        let tasks = posted.withLock { q -> [@Sendable () -> Void] in
            if q.isEmpty { return [] }
            let t = q
            q.removeAll(keepingCapacity: true)
            return t
        }
        for t in tasks { t() }
    }
}
