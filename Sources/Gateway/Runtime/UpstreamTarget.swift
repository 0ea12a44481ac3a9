import GatehouseCore
import GatewayConfig
import Reactor
import Synchronization
import TLS

/// One upstream (scheme, host, port and TLS setting) with its resolved addresses. Addresses are resolved
/// when the config is loaded and refreshed by the resolver thread; loops only
/// read the current list (when opening a new connection, not per request).
public final class UpstreamTarget: Sendable {
    public let url: UpstreamURL
    private let addresses: Mutex<[SocketAddress]>
    private let cursor = Atomic<Int>(0)
    /// The client context for an `https://` upstream; nil for plain HTTP.
    let tls: TLSContext?
    /// `host:port`: the TLS session-cache key, so pooled connections to
    /// this upstream resume each other's sessions.
    let sessionKey: String

    init(url: UpstreamURL, addresses: [SocketAddress], tls: TLSContext? = nil) {
        self.url = url
        self.addresses = Mutex(addresses)
        self.tls = tls
        self.sessionKey = "\(url.host):\(url.port)"
    }

    /// The next address to try, round robin; nil if resolution found none.
    func nextAddress() -> SocketAddress? {
        addresses.withLock { list in
            if list.isEmpty { return nil }
            let i = cursor.wrappingAdd(1, ordering: .relaxed).oldValue
            return list[abs(i) % list.count]
        }
    }

    /// Replaces the address list (resolver thread).
    func update(_ list: [SocketAddress]) {
        addresses.withLock { $0 = list }
    }

}
