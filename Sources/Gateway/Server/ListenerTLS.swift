import GatewayConfig
import Synchronization
import TLS

/// A TLS listener's server context, replaceable at reload. Every loop takes
/// the current context for each connection it accepts; established
/// connections keep the context they started with until they close, so a
/// certificate rotation never drops one.
final class ListenerTLS: Sendable {
    let listenerName: String
    let config: ListenerConfig
    /// The handshake must finish within this.
    let handshakeNs: UInt64
    private let context: Mutex<TLSContext>

    init(listener: ListenerConfig, context: TLSContext) {
        listenerName = listener.name
        config = listener
        handshakeNs = UInt64(listener.tls?.handshakeTimeoutMs ?? 10_000) * 1_000_000
        self.context = Mutex(context)
    }

    /// The context new connections use (one uncontended lock per accept).
    var current: TLSContext { context.withLock { $0 } }

    func replace(with new: TLSContext) { context.withLock { $0 = new } }
}
