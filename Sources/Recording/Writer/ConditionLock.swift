#if canImport(Glibc)
import Glibc
#endif

/// A pthread mutex with one condition variable (on the monotonic clock),
/// for the recorder's threads that wait for work or for an event: the
/// record queue (whose `push` is the only use on an event loop: the mutex,
/// never a wait), the WAL syncer, the background checkpoint and `Latch`.
final class ConditionLock: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let cond = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init() {
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(cond, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(cond)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        cond.deallocate()
    }

    /// Runs `body` with the mutex held.
    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    /// The mutex alone, for a hot path that unlocks early (`RecordQueue.push`).
    func lock() { pthread_mutex_lock(mutex) }
    func unlock() { pthread_mutex_unlock(mutex) }

    /// Wakes one waiter, or every waiter. Call with the mutex held.
    func signal() { pthread_cond_signal(cond) }
    func broadcast() { pthread_cond_broadcast(cond) }

    /// Sleeps (releasing the mutex) while `condition` holds. Call with the
    /// mutex held.
    func wait(while condition: () -> Bool) {
        while condition() { pthread_cond_wait(cond, mutex) }
    }

    /// As `wait(while:)`, for at most `timeoutMs`; returns false if it
    /// gave up with `condition` still true.
    func wait(timeoutMs: Int, while condition: () -> Bool) -> Bool {
        let deadline = Self.deadline(afterNs: timeoutMs * 1_000_000)
        while condition() {
            if !wait(until: deadline) { return !condition() }
        }
        return true
    }

    /// One sleep (releasing the mutex) until woken or `deadline` (from
    /// `deadline(afterNs:)`); false when the deadline passed.
    func wait(until deadline: timespec) -> Bool {
        var ts = deadline
        return pthread_cond_timedwait(cond, mutex, &ts) != ETIMEDOUT
    }

    /// `ns` from now on the monotonic clock the condition waits on.
    static func deadline(afterNs ns: Int) -> timespec {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        ts.tv_sec += ns / 1_000_000_000
        ts.tv_nsec += ns % 1_000_000_000
        if ts.tv_nsec >= 1_000_000_000 { ts.tv_sec += 1; ts.tv_nsec -= 1_000_000_000 }
        return ts
    }
}
