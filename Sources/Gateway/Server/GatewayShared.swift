import Recording
import Synchronization

/// State shared across loops: the global connection count (for the
/// connection cap) and counters. Atomics only; no locks on the data path.
final class GatewayShared: Sendable {
    let maxConnections: Int
    private let open = Atomic<Int>(0)
    let refused = Atomic<Int>(0)
    /// The session recorder, when the config has a `recording` section.
    let recorder: Recorder?

    init(maxConnections: Int, recorder: Recorder?) {
        self.maxConnections = maxConnections
        self.recorder = recorder
    }

    /// Reserves a connection slot; false when at the cap.
    func tryOpenConnection() -> Bool {
        let now = open.wrappingAdd(1, ordering: .relaxed).newValue
        if now > maxConnections {
            open.wrappingSubtract(1, ordering: .relaxed)
            refused.wrappingAdd(1, ordering: .relaxed)
            return false
        }
        return true
    }

    func connectionClosed() { open.wrappingSubtract(1, ordering: .relaxed) }

    var openConnections: Int { open.load(ordering: .relaxed) }
}
