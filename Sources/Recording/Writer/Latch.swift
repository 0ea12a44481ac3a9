/// A one-shot gate: `wait` blocks until `open` was called (or the timeout
/// passes). Used only off the event loops: shutdown and `flush`.
final class Latch: @unchecked Sendable {
    private let lock = ConditionLock()
    private var isOpen = false

    func open() {
        lock.withLock {
            isOpen = true
            lock.broadcast()
        }
    }

    /// Returns whether the latch opened within `timeoutMs`.
    func wait(timeoutMs: Int) -> Bool {
        lock.withLock { lock.wait(timeoutMs: timeoutMs) { !isOpen } }
    }
}
