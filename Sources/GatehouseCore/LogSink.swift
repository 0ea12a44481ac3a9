#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Moves log bytes off the event loops. Loops append whole lines to their own
/// buffer and hand it over once per loop iteration (`submit`), so the loop
/// never performs a write to stdout/stderr, which may block on a full pipe.
/// A dedicated thread writes them out in order.
///
/// When the queue is over its bound (the reader of stdout is stuck), new
/// batches are dropped and counted rather than blocking a loop or growing
/// without limit; the drop count is reported on stderr when writing resumes.
public final class LogSink: Sendable {
    public enum Stream: Sendable { case stdout, stderr }

    private struct State {
        var pending: [(Stream, [UInt8])] = []
        var pendingBytes = 0
        var dropped = 0
        var closed = false
    }

    private let state = Mutex(State())
    private let wake = Condition()
    private let maxPendingBytes: Int
    private static let wakeThreshold = 256 * 1024

    /// The process-wide sink used by the daemon.
    public static let shared = LogSink()

    public init(maxPendingBytes: Int = 64 << 20) {
        self.maxPendingBytes = maxPendingBytes
        OSThread.spawn(name: "gh-log") { [self] in self.runWriter() }
    }

    /// Queues `bytes` (complete lines) for `stream`. Never blocks on I/O.
    public func submit(_ bytes: [UInt8], to stream: Stream) {
        if bytes.isEmpty { return }
        // The writer wakes on its own every few milliseconds; it is signalled
        // only when a lot is pending, so a busy loop does not pay a futex
        // wake-up (and a context switch) per iteration.
        let urgent = state.withLock { s -> Bool in
            if s.pendingBytes + bytes.count > maxPendingBytes { s.dropped += 1; return false }
            s.pending.append((stream, bytes))
            s.pendingBytes += bytes.count
            return s.pendingBytes > Self.wakeThreshold || stream == .stderr
        }
        if urgent { wake.signal() }
    }

    /// Convenience for rare events (start-up, errors): one line of text.
    public func line(_ text: String, to stream: Stream = .stderr) {
        var bytes = Array(text.utf8)
        bytes.append(0x0A)
        submit(bytes, to: stream)
    }

    /// Blocks until everything queued so far is written. For shutdown only.
    public func flush() {
        for _ in 0..<2000 {
            if state.withLock({ $0.pending.isEmpty && $0.pendingBytes == 0 }) { return }
            usleep(1000)
        }
    }

    fileprivate func runWriter() {
        while true {
            wake.wait(timeoutMs: 20)
            let (batch, dropped) = state.withLock { s -> ([(Stream, [UInt8])], Int) in
                let b = s.pending
                s.pending.removeAll(keepingCapacity: true)
                let d = s.dropped
                s.dropped = 0
                return (b, d)
            }
            if dropped > 0 {
                let note = Array("{\"level\":\"warn\",\"msg\":\"log batches dropped: writer fell behind\",\"batches\":\(dropped)}\n".utf8)
                Self.writeAll(2, note)
            }
            for (stream, bytes) in batch {
                Self.writeAll(stream == .stdout ? 1 : 2, bytes)
            }
            let written = batch.reduce(0) { $0 + $1.1.count }
            state.withLock { $0.pendingBytes -= written }
        }
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes { p in
            var off = 0
            while off < p.count {
                let n = write(fd, p.baseAddress! + off, p.count - off)
                if n > 0 { off += n; continue }
                if n < 0 && errno == EINTR { continue }
                return
            }
        }
    }
}

/// A tiny condition variable for the log writer's sleep/wake. The pthread
/// objects live in allocated memory so their addresses never move.
final class Condition: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let cond = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var signalled = false

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(cond, nil)
    }

    func signal() {
        pthread_mutex_lock(mutex)
        signalled = true
        pthread_cond_signal(cond)
        pthread_mutex_unlock(mutex)
    }

    func wait(timeoutMs: Int) {
        pthread_mutex_lock(mutex)
        if !signalled {
            var ts = timespec()
            clock_gettime(CLOCK_REALTIME, &ts)
            ts.tv_nsec += timeoutMs * 1_000_000
            ts.tv_sec += ts.tv_nsec / 1_000_000_000
            ts.tv_nsec %= 1_000_000_000
            pthread_cond_timedwait(cond, mutex, &ts)
        }
        signalled = false
        pthread_mutex_unlock(mutex)
    }
}
