#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import GatehouseCore
import Reactor
import Synchronization
import XCTest

/// Holds loop-thread-only state that the test thread reads after the loop
/// has stopped (thread join gives the happens-before edge).
final class LoopOwned<T>: @unchecked Sendable {
    var value: T
    init(_ value: T) { self.value = value }
}

/// Runs `loop.run()` on its own OS thread until `stopAndJoin`.
final class LoopRunner: Sendable {
    let loop: EventLoop
    private let finished = DispatchSemaphore(value: 0)
    let threadID = Mutex<pthread_t?>(nil)

    init(_ loop: EventLoop) {
        self.loop = loop
        OSThread.spawn(name: "gh-test-loop") { [self] in
            self.threadID.withLock { $0 = pthread_self() }
            self.loop.run()
            self.finished.signal()
        }
    }

    /// Waits for `run()` to return by itself (a handler called `stop()`).
    func join(seconds: Double = 10) -> Bool {
        finished.wait(timeout: .now() + seconds) == .success
    }

    /// Stops the loop and waits for `run()` to return.
    func stopAndJoin(seconds: Double = 10) -> Bool {
        loop.stop()
        return join(seconds: seconds)
    }

    /// Runs `body` on the loop thread and waits for it (bounded).
    @discardableResult
    func sync(seconds: Double = 10, _ body: @escaping @Sendable () -> Void) -> Bool {
        let done = DispatchSemaphore(value: 0)
        loop.post {
            body()
            done.signal()
        }
        return done.wait(timeout: .now() + seconds) == .success
    }
}

/// A nonblocking, close-on-exec AF_UNIX stream socket pair.
func makeSocketPair(file: StaticString = #filePath, line: UInt = #line) -> (Int32, Int32) {
    var fds: [Int32] = [-1, -1]
    let rc = socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds)
    XCTAssertEqual(rc, 0, "socketpair: \(SystemError("socketpair"))", file: file, line: line)
    return (fds[0], fds[1])
}

/// Writes `bytes` to `fd`, failing the test if the write is short.
func writeAll(_ fd: Int32, _ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) {
    let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    XCTAssertEqual(n, bytes.count, "write(\(fd))", file: file, line: line)
}

/// Milliseconds as monotonic nanoseconds.
func ms(_ v: UInt64) -> UInt64 { v * 1_000_000 }

/// SplitMix64: a tiny deterministic generator so randomized tests replay exactly.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
