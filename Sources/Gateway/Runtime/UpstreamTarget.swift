import GatehouseCore
import GatewayConfig
import Reactor
import Synchronization

/// One upstream base URL with its resolved addresses. Addresses are resolved
/// when the config is loaded and refreshed by the resolver thread; loops only
/// read the current list (when opening a new connection, not per request).
public final class UpstreamTarget: Sendable {
    public let url: UpstreamURL
    private let addresses: Mutex<[SocketAddress]>
    private let cursor = Atomic<Int>(0)

    init(url: UpstreamURL, addresses: [SocketAddress]) {
        self.url = url
        self.addresses = Mutex(addresses)
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
