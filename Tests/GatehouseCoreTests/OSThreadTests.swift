#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import GatehouseCore
import Synchronization
import XCTest

/// The calling thread's kernel name (pthread_getname_np is not imported without _GNU_SOURCE).
private func currentThreadName() -> String {
    let fd = open("/proc/thread-self/comm", O_RDONLY)
    guard fd >= 0 else { return "<unavailable>" }
    defer { close(fd) }
    var buf = [UInt8](repeating: 0, count: 64)
    let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
    guard n > 0 else { return "<unavailable>" }
    var text = String(decoding: buf[..<n], as: UTF8.self)
    if text.hasSuffix("\n") { text.removeLast() }
    return text
}

final class OSThreadTests: XCTestCase {
    func testSpawnRunsBodyOnAnotherThread() {
        let done = DispatchSemaphore(value: 0)
        let ran = Atomic<Int>(0)
        let testThread = pthread_self()
        let sameThread = Atomic<Bool>(true)
        let name = Mutex<String>("")
        OSThread.spawn(name: "gh-test-thread-name-too-long") {
            sameThread.store(pthread_equal(pthread_self(), testThread) != 0, ordering: .relaxed)
            name.withLock { $0 = currentThreadName() }
            ran.add(1, ordering: .relaxed)
            done.signal()
        }
        XCTAssertEqual(done.wait(timeout: .now() + 5), .success, "thread body never ran")
        XCTAssertEqual(ran.load(ordering: .relaxed), 1)
        XCTAssertFalse(sameThread.load(ordering: .relaxed))
        // The doc promises the thread is named, truncated to the kernel's 15 bytes.
        XCTAssertEqual(name.withLock { $0 }, "gh-test-thread-")
    }

    func testShortNameIsKept() {
        let done = DispatchSemaphore(value: 0)
        let name = Mutex<String>("")
        OSThread.spawn(name: "gh-loop-3") {
            name.withLock { $0 = currentThreadName() }
            done.signal()
        }
        XCTAssertEqual(done.wait(timeout: .now() + 5), .success)
        XCTAssertEqual(name.withLock { $0 }, "gh-loop-3")
    }

    func testManyThreads() {
        let n = 16
        let done = DispatchSemaphore(value: 0)
        let sum = Atomic<Int>(0)
        for i in 1...n {
            OSThread.spawn(name: "gh-t\(i)") {
                sum.add(i, ordering: .relaxed)
                done.signal()
            }
        }
        for _ in 0..<n { XCTAssertEqual(done.wait(timeout: .now() + 5), .success) }
        XCTAssertEqual(sum.load(ordering: .relaxed), n * (n + 1) / 2)
    }
}
