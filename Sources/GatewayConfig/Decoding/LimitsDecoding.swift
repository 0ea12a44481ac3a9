import GatehouseCore

/// Whether a limits/timeouts object is the global one or a route's override.
enum SettingsScope {
    case global
    case route
}

enum LimitsDecoding {
    static let maxBodyBytesUpperBound = 1 << 53

    /// Reads a `"limits"` object over `base` (defaults for the global
    /// object, the global values for a route).
    static func decode(_ reader: ObjectReader?, base: LimitsConfig, scope: SettingsScope) -> LimitsConfig {
        guard let reader else { return base }
        defer { reader.finish() }
        var limits = base
        if let v = reader.int("max_request_line_bytes", in: 256...1_048_576) { limits.maxRequestLineBytes = v.value }
        if let v = reader.int("max_header_bytes", in: 1024...1_048_576) { limits.maxHeaderBytes = v.value }
        if let v = reader.int("max_header_count", in: 1...10_000) { limits.maxHeaderCount = v.value }
        if let v = reader.int("max_body_bytes", in: 1...maxBodyBytesUpperBound) { limits.maxBodyBytes = UInt64(v.value) }
        switch scope {
        case .global:
            if let v = reader.int("max_connections", in: 1...1_000_000) { limits.maxConnections = v.value }
        case .route:
            reader.reject("max_connections", message: "\"max_connections\" is a global limit; set it in the top-level \"limits\", not in a route")
        }
        return limits
    }
}
