/// One listening socket (an element of `"listeners"`).
public struct ListenerConfig: Sendable, Equatable {
    /// `"name"`: used in logs; defaults to `listener-N` (N is the 1-based position).
    public var name: String
    /// `"address"`: an IPv4 or IPv6 literal without brackets, e.g. `127.0.0.1`, `::`.
    public var address: String
    /// `"port"`: 1...65535, or 0 for an ephemeral port chosen by the kernel.
    public var port: Int
    /// `"description"`: free text for humans; ignored by the gateway.
    public var description: String?
    /// `"tls"`: terminate TLS on this listener; nil for plain HTTP.
    public var tls: ListenerTLSConfig?

    /// Creates a listener.
    public init(name: String, address: String, port: Int, description: String? = nil, tls: ListenerTLSConfig? = nil) {
        self.tls = tls
        self.name = name
        self.address = address
        self.port = port
        self.description = description
    }
}
