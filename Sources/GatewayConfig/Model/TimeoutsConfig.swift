/// Timeouts in milliseconds, each 1...86_400_000. Global values come from
/// the top-level `"timeouts"`; a route's `"timeouts"` overrides individual
/// keys and inherits the rest from the global values.
public struct TimeoutsConfig: Sendable, Equatable {
    /// `"header_read_ms"`: time to receive the complete request head (default 10_000).
    public var headerReadMs: Int
    /// `"body_read_ms"`: maximum gap between body reads (default 30_000).
    public var bodyReadMs: Int
    /// `"idle_keepalive_ms"`: idle time allowed between requests on a connection (default 60_000).
    public var idleKeepAliveMs: Int
    /// `"upstream_connect_ms"` (default 5_000).
    public var upstreamConnectMs: Int
    /// `"upstream_response_ms"`: time until the upstream's response head (default 30_000).
    public var upstreamResponseMs: Int
    /// `"drain_ms"`: grace period for in-flight requests at shutdown (default
    /// 10_000). Global only; in a route's timeouts it holds the global value.
    public var drainMs: Int

    /// Creates timeouts; unspecified values take their defaults.
    public init(headerReadMs: Int = 10_000,
                bodyReadMs: Int = 30_000,
                idleKeepAliveMs: Int = 60_000,
                upstreamConnectMs: Int = 5_000,
                upstreamResponseMs: Int = 30_000,
                drainMs: Int = 10_000) {
        self.headerReadMs = headerReadMs
        self.bodyReadMs = bodyReadMs
        self.idleKeepAliveMs = idleKeepAliveMs
        self.upstreamConnectMs = upstreamConnectMs
        self.upstreamResponseMs = upstreamResponseMs
        self.drainMs = drainMs
    }
}
