#if canImport(Glibc)
import Glibc
#endif
import CLinuxShims
import Dispatch
import GatehouseCore
@testable import Reactor
import Synchronization
import XCTest

/// Records every callback it gets, with the loop iteration it got it in.
/// Touched only on the loop thread while the loop runs.
final class RecordingHandler: LoopHandler, @unchecked Sendable {
    let name: String
    let iteration: LoopOwned<Int>
    var events: [(iteration: Int, bits: UInt32)] = []
    var timers: [(iteration: Int, now: UInt64)] = []
    var onEventsHook: ((RecordingHandler, UInt32) -> Void)?
    var onTimerHook: ((RecordingHandler, UInt64) -> Void)?

    init(_ name: String, iteration: LoopOwned<Int>) {
        self.name = name
        self.iteration = iteration
    }

    override func onEvents(_ bits: UInt32) {
        events.append((iteration.value, bits))
        onEventsHook?(self, bits)
    }

    override func onTimer(now: UInt64) {
        timers.append((iteration.value, now))
        onTimerHook?(self, now)
    }
}

/// Shared log of timer firings across handlers, in firing order.
final class FireLog: @unchecked Sendable {
    var entries: [(id: Int, deadline: UInt64, now: UInt64)] = []
}

final class TimerProbe: LoopHandler, @unchecked Sendable {
    let id: Int
    var deadline: UInt64 = 0
    let log: FireLog
    init(id: Int, log: FireLog) { self.id = id; self.log = log }
    override func onTimer(now: UInt64) { log.entries.append((id, deadline, now)) }
}

/// Stops its loop when its timer fires. Timers fire in deadline order, so by
/// then every earlier heap entry has been popped: "never fired" assertions
/// need no sleeps.
final class StopOnTimer: LoopHandler, @unchecked Sendable {
    unowned let loop: EventLoop
    var fired = 0
    init(_ loop: EventLoop) { self.loop = loop }
    override func onTimer(now: UInt64) {
        fired += 1
        loop.stop()
    }
}

/// Counts loop iterations via an iteration hook (must be added before run).
func countIterations(_ loop: EventLoop) -> LoopOwned<Int> {
    let counter = LoopOwned(0)
    loop.addIterationHook { counter.value += 1 }
    return counter
}

final class EventLoopTests: XCTestCase {
    // MARK: running and stopping

    func testRunOnThreadAndStop() throws {
        let loop = try EventLoop(index: 3)
        XCTAssertEqual(loop.index, 3)
        let runner = LoopRunner(loop)
        let ran = Atomic<Bool>(false)
        XCTAssertTrue(runner.sync { ran.store(true, ordering: .relaxed) }, "posted task never ran")
        XCTAssertTrue(ran.load(ordering: .relaxed))
        XCTAssertTrue(runner.stopAndJoin(), "run() did not return after stop()")
    }

    func testStopBeforeRunReturnsImmediately() throws {
        let loop = try EventLoop(index: 0)
        loop.stop()
        let runner = LoopRunner(loop)
        XCTAssertTrue(runner.join(seconds: 5), "run() must return at once when stop() came first")
    }

    func testStopFromAnotherThreadWakesIdleLoop() throws {
        let loop = try EventLoop(index: 0)
        let iterations = countIterations(loop)
        let runner = LoopRunner(loop)
        XCTAssertTrue(runner.sync {})      // the loop is now idle in epoll_wait(-1)
        usleep(20_000)
        let start = MonotonicClock.now()
        XCTAssertTrue(runner.stopAndJoin(seconds: 5))
        XCTAssertLessThan(MonotonicClock.now() - start, ms(2_000), "stop() must wake the loop")
        XCTAssertLessThan(iterations.value, 10, "an idle loop must not spin")
    }

    // MARK: post

    func testPostRunsOnLoopThread() throws {
        let loop = try EventLoop(index: 0)
        let runner = LoopRunner(loop)
        defer { XCTAssertTrue(runner.stopAndJoin()) }
        let onLoopThread = Atomic<Bool>(false)
        let testThread = pthread_self()
        XCTAssertTrue(runner.sync {
            let me = pthread_self()
            let expected = runner.threadID.withLock { $0 }
            onLoopThread.store(expected.map { pthread_equal($0, me) != 0 } == true && pthread_equal(me, testThread) == 0,
                               ordering: .relaxed)
        })
        XCTAssertTrue(onLoopThread.load(ordering: .relaxed))
    }

    func testPostFromOneThreadKeepsOrder() throws {
        let loop = try EventLoop(index: 0)
        let runner = LoopRunner(loop)
        let seen = LoopOwned<[Int]>([])
        let n = 5_000
        for i in 0..<n { loop.post { seen.value.append(i) } }
        XCTAssertTrue(runner.sync {})
        XCTAssertTrue(runner.stopAndJoin())
        XCTAssertEqual(seen.value, Array(0..<n))
    }

    func testPostFromManyThreadsKeepsPerThreadOrder() throws {
        let loop = try EventLoop(index: 0)
        let runner = LoopRunner(loop)
        let seen = LoopOwned<[(Int, Int)]>([])
        let wrongThread = LoopOwned(0)
        let producers = 4, perProducer = 2_000
        let started = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        for p in 0..<producers {
            OSThread.spawn(name: "gh-test-post\(p)") {
                started.signal()
                for i in 0..<perProducer {
                    loop.post {
                        if runner.threadID.withLock({ $0.map { pthread_equal($0, pthread_self()) == 0 } ?? true }) {
                            wrongThread.value += 1
                        }
                        seen.value.append((p, i))
                    }
                }
                done.signal()
            }
        }
        for _ in 0..<producers {
            XCTAssertEqual(started.wait(timeout: .now() + 10), .success)
        }
        for _ in 0..<producers {
            XCTAssertEqual(done.wait(timeout: .now() + 10), .success, "producer did not finish")
        }
        XCTAssertTrue(runner.sync {})        // everything posted before this has run
        XCTAssertTrue(runner.stopAndJoin())
        XCTAssertEqual(wrongThread.value, 0, "a posted task ran off the loop thread")
        XCTAssertEqual(seen.value.count, producers * perProducer)
        var next = [Int](repeating: 0, count: producers)
        for (p, i) in seen.value {
            XCTAssertEqual(i, next[p], "producer \(p) out of order")
            if i != next[p] { return }
            next[p] += 1
        }
        XCTAssertEqual(next, [Int](repeating: perProducer, count: producers))
    }

    /// A task posted from a posted task (i.e. on the loop thread) is not run
    /// inline and not in the same batch: it runs on a later iteration.
    func testPostFromLoopThreadRunsOnLaterIteration() throws {
        let loop = try EventLoop(index: 0)
        let iterations = countIterations(loop)
        let runner = LoopRunner(loop)
        let log = LoopOwned<[String]>([])
        let outerIteration = LoopOwned(-1)
        let innerIteration = LoopOwned(-1)
        let done = DispatchSemaphore(value: 0)
        loop.post {
            outerIteration.value = iterations.value
            log.value.append("outer-start")
            loop.post {
                innerIteration.value = iterations.value
                log.value.append("inner")
                done.signal()
            }
            log.value.append("outer-end")
        }
        XCTAssertEqual(done.wait(timeout: .now() + 10), .success, "nested post never ran")
        XCTAssertTrue(runner.stopAndJoin())
        XCTAssertEqual(log.value, ["outer-start", "outer-end", "inner"], "post must never run inline")
        XCTAssertGreaterThanOrEqual(outerIteration.value, 0)
        XCTAssertGreaterThan(innerIteration.value, outerIteration.value, "nested post must wait for a later iteration")
    }

    /// A chain of self-reposting tasks advances one iteration per hop and
    /// does not starve (or block) the loop.
    func testSelfRepostingChain() throws {
        let loop = try EventLoop(index: 0)
        let iterations = countIterations(loop)
        let runner = LoopRunner(loop)
        let hops = LoopOwned<[Int]>([])
        let done = DispatchSemaphore(value: 0)
        @Sendable func hop(_ remaining: Int) {
            hops.value.append(iterations.value)
            if remaining == 0 { done.signal(); return }
            loop.post { hop(remaining - 1) }
        }
        loop.post { hop(20) }
        XCTAssertEqual(done.wait(timeout: .now() + 10), .success)
        XCTAssertTrue(runner.stopAndJoin())
        XCTAssertEqual(hops.value.count, 21)
        for (a, b) in zip(hops.value, hops.value.dropFirst()) {
            XCTAssertGreaterThan(b, a, "each hop runs on a later iteration")
        }
    }

    // MARK: timers

    func testTimersFireInDeadlineOrder() throws {
        let loop = try EventLoop(index: 0)
        let log = FireLog()
        var rng = SeededGenerator(seed: 0xD15EA5E)
        let base = MonotonicClock.now() + ms(30)
        var probes: [TimerProbe] = []
        for id in 0..<200 {
            let p = TimerProbe(id: id, log: log)
            p.deadline = base + UInt64.random(in: 0...ms(60), using: &rng)
            loop.attach(p)
            loop.arm(p, at: p.deadline)
            probes.append(p)
        }
        let stopper = StopOnTimer(loop)
        loop.attach(stopper)
        loop.arm(stopper, at: base + ms(100))
        XCTAssertEqual(loop.timerCount, 201)
        let runner = LoopRunner(loop)
        XCTAssertTrue(runner.join(), "the stop timer never fired")
        XCTAssertEqual(stopper.fired, 1)
        XCTAssertEqual(log.entries.count, 200, "every timer fires exactly once")
        XCTAssertEqual(Set(log.entries.map(\.id)).count, 200)
        for (a, b) in zip(log.entries, log.entries.dropFirst()) {
            XCTAssertLessThanOrEqual(a.deadline, b.deadline, "timer \(b.id) fired before earlier timer \(a.id)")
        }
        for e in log.entries {
            XCTAssertGreaterThanOrEqual(e.now, e.deadline, "timer \(e.id) fired early")
        }
        XCTAssertEqual(loop.timerCount, 0)
        _ = probes
    }

    /// `now` passed to onTimer is the loop's cached time.
    func testOnTimerReceivesLoopNow() throws {
        let loop = try EventLoop(index: 0)
        let h = RecordingHandler("t", iteration: LoopOwned(0))
        let loopNow = LoopOwned<UInt64>(0)
        h.onTimerHook = { [unowned loop] _, _ in loopNow.value = loop.now; loop.stop() }
        loop.attach(h)
        let deadline = MonotonicClock.now() + ms(5)
        loop.arm(h, at: deadline)
        let runner = LoopRunner(loop)
        XCTAssertTrue(runner.join())
        XCTAssertEqual(h.timers.count, 1)
        XCTAssertEqual(h.timers.first?.now, loopNow.value)
        XCTAssertGreaterThanOrEqual(loopNow.value, deadline)
    }

    /// Semantics of `arm` with a pending entry: an EARLIER deadline wins (a
    /// new entry is pushed; the old one goes stale and is skipped when
    /// popped), so the handler fires once, at the earlier deadline.
    func testEarlierArmSupersedesLater() throws {
        let loop = try EventLoop(index: 0)
        let log = FireLog()
        let h = TimerProbe(id: 1, log: log)
        loop.attach(h)
        let base = MonotonicClock.now()
        loop.arm(h, at: base + ms(500))
        loop.arm(h, at: base + ms(20))
        XCTAssertEqual(loop.timerCount, 2, "the superseded entry stays in the heap until popped")
        let stopper = StopOnTimer(loop)
        loop.attach(stopper)
        loop.arm(stopper, at: base + ms(600))
        let runner = LoopRunner(loop)
        XCTAssertTrue(runner.join())
        XCTAssertEqual(log.entries.count, 1, "fires once; the stale 500 ms entry is skipped")
        if let e = log.entries.first {
            XCTAssertGreaterThanOrEqual(e.now, base + ms(20))
            XCTAssertLessThan(e.now, base + ms(500), "fired at the superseded (later) deadline")
        }
        XCTAssertEqual(loop.timerCount, 0)
    }

    /// Semantics of `arm` with a pending entry: a LATER deadline is ignored.
    /// The handler fires at the earlier deadline and must re-arm from
    /// onTimer if it still wants the later one (the idle-timeout pattern).
    func testLaterArmWhilePendingIsIgnored() throws {
        let loop = try EventLoop(index: 0)
        let log = FireLog()
        let h = TimerProbe(id: 1, log: log)
        loop.attach(h)
        let base = MonotonicClock.now()
        loop.arm(h, at: base + ms(20))
        loop.arm(h, at: base + ms(400))
        XCTAssertEqual(loop.timerCount, 1, "a later deadline adds no entry")
        let stopper = StopOnTimer(loop)
        loop.attach(stopper)
        loop.arm(stopper, at: base + ms(500))
        let runner = LoopRunner(loop)
        XCTAssertTrue(runner.join())
        XCTAssertEqual(log.entries.count, 1, "only the earlier deadline fires; the later arm was dropped")
        if let e = log.entries.first {
            XCTAssertGreaterThanOrEqual(e.now, base + ms(20))
            XCTAssertLessThan(e.now, base + ms(400), "the later arm replaced the earlier deadline")
        }
    }

    /// The documented re-arm pattern: the handler remembers its real
    /// deadline and re-arms from onTimer.
    func testReArmFromOnTimerReachesLaterDeadline() throws {
        let loop = try EventLoop(index: 0)
        let h = RecordingHandler("rearm", iteration: LoopOwned(0))
        let base = MonotonicClock.now()
        let real = LoopOwned(base + ms(50))
        h.onTimerHook = { [unowned loop] h, now in
            if now < real.value { loop.arm(h, at: real.value) } else { loop.stop() }
        }
        loop.attach(h)
        loop.arm(h, at: base + ms(10))
        loop.arm(h, at: real.value)           // ignored while the 10 ms entry is pending
        let runner = LoopRunner(loop)
        XCTAssertTrue(runner.join())
        XCTAssertEqual(h.timers.count, 2)
        XCTAssertGreaterThanOrEqual(h.timers.last?.now ?? 0, real.value)
    }

    func testDetachedHandlersTimerNeverFires() throws {
        let loop = try EventLoop(index: 0)
        let log = FireLog()
        let h = TimerProbe(id: 1, log: log)
        loop.attach(h)
        let base = MonotonicClock.now()
        loop.arm(h, at: base + ms(10))
        loop.detach(h)
        XCTAssertEqual(h.slot, -1)
        XCTAssertEqual(loop.timerCount, 1, "detach leaves the entry; it is stale")
        loop.arm(h, at: base + ms(5))        // arming a detached handler is a no-op
        XCTAssertEqual(loop.timerCount, 1)
        let stopper = StopOnTimer(loop)
        loop.attach(stopper)
        loop.arm(stopper, at: base + ms(50))
        let runner = LoopRunner(loop)
        XCTAssertTrue(runner.join())
        XCTAssertEqual(log.entries.count, 0, "a detached handler's timer fired")
        XCTAssertEqual(loop.timerCount, 0, "the stale entry was popped and dropped")
    }

    /// A new handler that takes a freed slot must not inherit the old
    /// handler's timer, even one with the same deadline.
    func testReusedSlotDoesNotInheritStaleTimer() throws {
        let loop = try EventLoop(index: 0)
        let log = FireLog()
        let old = TimerProbe(id: 1, log: log)
        loop.attach(old)
        let oldSlot = old.slot
        let base = MonotonicClock.now()
        let d = base + ms(10)
        loop.arm(old, at: d)
        loop.detach(old)

        let sameDeadline = TimerProbe(id: 2, log: log)
        loop.attach(sameDeadline)
        XCTAssertEqual(sameDeadline.slot, oldSlot, "the freed slot is reused")
        loop.arm(sameDeadline, at: d)

        // Re-attaching the detached object itself also gets a fresh key.
        loop.attach(old)
        old.deadline = base + ms(40)
        loop.arm(old, at: old.deadline)

        let stopper = StopOnTimer(loop)
        loop.attach(stopper)
        loop.arm(stopper, at: base + ms(80))
        let runner = LoopRunner(loop)
        XCTAssertTrue(runner.join())
        XCTAssertEqual(log.entries.map(\.id), [2, 1], "each live arm fires exactly once; the stale one never")
        if log.entries.count == 2 {
            XCTAssertGreaterThanOrEqual(log.entries[1].now, base + ms(40), "re-attached handler fired at the stale deadline")
        }
    }

    func testTimerCountBoundedWhenReArmingWithLaterDeadlines() throws {
        let loop = try EventLoop(index: 0)
        let h = TimerProbe(id: 1, log: FireLog())
        loop.arm(h, at: 1)
        XCTAssertEqual(loop.timerCount, 0, "an unattached handler cannot arm")
        loop.attach(h)
        let base = MonotonicClock.now() + ms(60_000)
        for i in 0..<10_000 {
            loop.arm(h, at: base + UInt64(i) * 1_000)
        }
        XCTAssertEqual(loop.timerCount, 1, "later deadlines must not pile up entries")
    }

    /// The fire-and-re-arm cycle (a periodic timer) keeps one live entry.
    func testPeriodicReArmKeepsOneEntry() throws {
        let loop = try EventLoop(index: 0)
        let h = RecordingHandler("periodic", iteration: LoopOwned(0))
        let maxCount = LoopOwned(0)
        h.onTimerHook = { [unowned loop] h, now in
            if h.timers.count == 30 { loop.stop(); return }
            loop.arm(h, at: now + 200_000)               // 0.2 ms
            for k in 1...20 { loop.arm(h, at: now + 200_000 + UInt64(k) * 1_000) } // later: ignored
            maxCount.value = max(maxCount.value, loop.timerCount)
        }
        loop.attach(h)
        loop.arm(h, at: MonotonicClock.now())
        let runner = LoopRunner(loop)
        XCTAssertTrue(runner.join())
        XCTAssertEqual(h.timers.count, 30)
        XCTAssertEqual(maxCount.value, 1)
    }

    // MARK: I/O events

    func testRegisterModifyUnregister() throws {
        let loop = try EventLoop(index: 0)
        let iterations = countIterations(loop)
        let (a, b) = makeSocketPair()
        defer { Socket.close(a); Socket.close(b) }
        let h = RecordingHandler("io", iteration: iterations)
        let gotIn = DispatchSemaphore(value: 0)
        let gotOut = DispatchSemaphore(value: 0)
        h.onEventsHook = { [unowned loop] h, bits in
            if bits & GH_EPOLLIN != 0 {
                var buf = [UInt8](repeating: 0, count: 16)
                _ = buf.withUnsafeMutableBytes { Socket.read(a, into: $0) }
                gotIn.signal()
                loop.modify(fd: a, handler: h, events: GH_EPOLLOUT)
            } else if bits & GH_EPOLLOUT != 0 {
                loop.unregister(fd: a)
                gotOut.signal()
            }
        }
        try loop.register(fd: a, handler: h, events: GH_EPOLLIN)
        XCTAssertGreaterThanOrEqual(h.slot, 0)
        let runner = LoopRunner(loop)
        writeAll(b, [1])
        XCTAssertEqual(gotIn.wait(timeout: .now() + 10), .success, "no EPOLLIN")
        XCTAssertEqual(gotOut.wait(timeout: .now() + 10), .success, "no EPOLLOUT after modify")
        // After unregister, nothing more arrives even though the fd stays writable.
        XCTAssertTrue(runner.sync {})
        XCTAssertTrue(runner.sync {})
        XCTAssertTrue(runner.stopAndJoin())
        XCTAssertEqual(h.events.count, 2, "events after unregister: \(h.events.map(\.bits))")
    }

    func testRegisterBadFDThrows() throws {
        let loop = try EventLoop(index: 0)
        let h = RecordingHandler("bad", iteration: LoopOwned(0))
        XCTAssertThrowsError(try loop.register(fd: 987_654, handler: h, events: GH_EPOLLIN)) { error in
            XCTAssertEqual((error as? SystemError)?.syscall, "epoll_ctl(ADD)")
            XCTAssertEqual((error as? SystemError)?.errno, EBADF)
        }
    }

    /// Control for the stale-event test: with nothing detached, both
    /// handlers' events arrive in the same (first) epoll_wait batch.
    func testTwoReadyFDsArriveInOneBatch() throws {
        let loop = try EventLoop(index: 0)
        let iterations = countIterations(loop)
        let (a1, b1) = makeSocketPair()
        let (a2, b2) = makeSocketPair()
        defer { [a1, b1, a2, b2].forEach(Socket.close) }
        let x = RecordingHandler("x", iteration: iterations)
        let y = RecordingHandler("y", iteration: iterations)
        try loop.register(fd: a1, handler: x, events: GH_EPOLLIN)
        try loop.register(fd: a2, handler: y, events: GH_EPOLLIN)
        writeAll(b1, [1])
        writeAll(b2, [2])
        loop.addIterationHook { [unowned loop] in loop.stop() }   // exactly one iteration
        let runner = LoopRunner(loop)
        XCTAssertTrue(runner.join())
        XCTAssertEqual(x.events.map(\.iteration), [0])
        XCTAssertEqual(y.events.map(\.iteration), [0])
    }

    /// Stale-event protection. Two fds are ready before the loop starts, so
    /// their events come back in one epoll_wait batch (see the control test
    /// above). Whichever handler is dispatched first detaches and closes the
    /// other, then registers a brand-new fd (likely reusing the closed fd's
    /// number) with a new handler, which takes the freed slot. The second,
    /// already-fetched event carries the old generation and must be dropped:
    /// neither the closed handler nor the new one may see it.
    func testStaleEventNotDeliveredToSlotReuser() throws {
        let loop = try EventLoop(index: 0)
        let iterations = countIterations(loop)
        let (a1, b1) = makeSocketPair()
        let (a2, b2) = makeSocketPair()
        let x = RecordingHandler("x", iteration: iterations)
        let y = RecordingHandler("y", iteration: iterations)
        let fdOf = LoopOwned<[ObjectIdentifier: Int32]>([ObjectIdentifier(x): a1, ObjectIdentifier(y): a2])
        let newcomer = RecordingHandler("new", iteration: iterations)
        let acted = LoopOwned<(actor: String, victimSlot: Int32, victimFD: Int32, newFD: Int32, newPeer: Int32)?>(nil)

        let act: (RecordingHandler, UInt32) -> Void = { [unowned loop, unowned x, unowned y] me, _ in
            guard acted.value == nil else { return }
            let victim = me === x ? y : x
            let victimFD = fdOf.value[ObjectIdentifier(victim)]!
            let victimSlot = victim.slot
            loop.unregister(fd: victimFD)
            Socket.close(victimFD)
            loop.detach(victim)
            let (n, peer) = makeSocketPair()
            do {
                try loop.register(fd: n, handler: newcomer, events: GH_EPOLLIN | GH_EPOLLRDHUP)
            } catch {
                XCTFail("register: \(error)")
            }
            acted.value = (me.name, victimSlot, victimFD, n, peer)
        }
        x.onEventsHook = act
        y.onEventsHook = act
        try loop.register(fd: a1, handler: x, events: GH_EPOLLIN)
        try loop.register(fd: a2, handler: y, events: GH_EPOLLIN)
        writeAll(b1, [1])
        writeAll(b2, [2])
        loop.addIterationHook { [unowned loop] in if iterations.value >= 3 { loop.stop() } }
        let runner = LoopRunner(loop)
        XCTAssertTrue(runner.join())

        guard let a = acted.value else { XCTFail("no handler got the first event"); return }
        let (actor, victim) = a.actor == "x" ? (x, y) : (y, x)
        XCTAssertEqual(actor.events.first?.iteration, 0)
        XCTAssertEqual(newcomer.slot, a.victimSlot, "the newcomer must take the freed slot for this test to mean anything")
        XCTAssertEqual(victim.events.count, 0, "the detached handler got an event after detach")
        XCTAssertEqual(newcomer.events.count, 0,
                       "the newcomer got the closed fd's stale event: \(newcomer.events.map { ($0.iteration, $0.bits) })")
        // The newcomer is live, though: data on its fd is delivered.
        Socket.close(a.newPeer)     // EOF -> EPOLLIN|EPOLLRDHUP on the newcomer's fd
        Socket.close(a.newFD)
        let survivor = fdOf.value[ObjectIdentifier(actor)]!
        [survivor, b1, b2].forEach(Socket.close)
        _ = a.victimFD
    }

    /// Same scenario, but the newcomer's fd is readable too: it must get its
    /// own event on a later iteration, not the stale one in the current batch.
    func testSlotReuserGetsOnlyItsOwnEventsOnLaterIteration() throws {
        let loop = try EventLoop(index: 0)
        let iterations = countIterations(loop)
        let (a1, b1) = makeSocketPair()
        let (a2, b2) = makeSocketPair()
        let x = RecordingHandler("x", iteration: iterations)
        let y = RecordingHandler("y", iteration: iterations)
        let fds = LoopOwned<[Int32]>([])
        let newcomer = RecordingHandler("new", iteration: iterations)
        let actedAt = LoopOwned(-1)
        let act: (RecordingHandler, UInt32) -> Void = { [unowned loop, unowned x, unowned y] me, _ in
            guard actedAt.value < 0 else { return }
            actedAt.value = iterations.value
            let victim = me === x ? y : x
            let victimFD = victim === x ? a1 : a2
            loop.unregister(fd: victimFD)
            Socket.close(victimFD)
            loop.detach(victim)
            let (n, peer) = makeSocketPair()
            writeAll(peer, [9])
            fds.value += [n, peer]
            try? loop.register(fd: n, handler: newcomer, events: GH_EPOLLIN)
        }
        x.onEventsHook = act
        y.onEventsHook = act
        try loop.register(fd: a1, handler: x, events: GH_EPOLLIN)
        try loop.register(fd: a2, handler: y, events: GH_EPOLLIN)
        writeAll(b1, [1])
        writeAll(b2, [2])
        loop.addIterationHook { [unowned loop] in if iterations.value >= 3 { loop.stop() } }
        let runner = LoopRunner(loop)
        XCTAssertTrue(runner.join())
        XCTAssertEqual(actedAt.value, 0)
        XCTAssertFalse(newcomer.events.isEmpty, "the newcomer's own readiness was never delivered")
        XCTAssertFalse(newcomer.events.contains { $0.iteration == actedAt.value },
                       "the newcomer got an event in the batch it was registered in (stale)")
        (fds.value + [b1, b2, x.slot >= 0 ? a1 : a2]).forEach(Socket.close)
    }
}
