import GatehouseCore

enum TimeoutsDecoding {
    static let range = 1...86_400_000

    /// Reads a `"timeouts"` object over `base` (defaults for the global
    /// object, the global values for a route).
    static func decode(_ reader: ObjectReader?, base: TimeoutsConfig, scope: SettingsScope) -> TimeoutsConfig {
        guard let reader else { return base }
        defer { reader.finish() }
        var timeouts = base
        if let v = reader.int("header_read_ms", in: range) { timeouts.headerReadMs = v.value }
        if let v = reader.int("body_read_ms", in: range) { timeouts.bodyReadMs = v.value }
        if let v = reader.int("idle_keepalive_ms", in: range) { timeouts.idleKeepAliveMs = v.value }
        if let v = reader.int("upstream_connect_ms", in: range) { timeouts.upstreamConnectMs = v.value }
        if let v = reader.int("upstream_response_ms", in: range) { timeouts.upstreamResponseMs = v.value }
        switch scope {
        case .global:
            if let v = reader.int("drain_ms", in: range) { timeouts.drainMs = v.value }
        case .route:
            reader.reject("drain_ms", message: "\"drain_ms\" is a global timeout; set it in the top-level \"timeouts\", not in a route")
        }
        return timeouts
    }
}
