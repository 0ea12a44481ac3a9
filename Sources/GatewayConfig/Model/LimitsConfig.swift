/// Size and count limits. Global values come from the top-level `"limits"`;
/// a route's `"limits"` overrides individual keys and inherits the rest
/// from the global values.
public struct LimitsConfig: Sendable, Equatable {
    /// `"max_request_line_bytes"` (256...1_048_576, default 8192).
    public var maxRequestLineBytes: Int
    /// `"max_header_bytes"`: total size of the header section (1024...1_048_576, default 32768).
    public var maxHeaderBytes: Int
    /// `"max_header_count"` (1...10_000, default 100).
    public var maxHeaderCount: Int
    /// `"max_body_bytes"` (1...2^53, default 100 MiB). There is no "unlimited"
    /// value; use a large number such as 9007199254740992.
    public var maxBodyBytes: UInt64
    /// `"max_connections"`: concurrent client connections (1...1_000_000,
    /// default 10_000). Global only; in a route's limits it holds the global value.
    public var maxConnections: Int

    /// Creates limits; unspecified values take their defaults.
    public init(maxRequestLineBytes: Int = 8192,
                maxHeaderBytes: Int = 32768,
                maxHeaderCount: Int = 100,
                maxBodyBytes: UInt64 = 104_857_600,
                maxConnections: Int = 10_000) {
        self.maxRequestLineBytes = maxRequestLineBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxBodyBytes = maxBodyBytes
        self.maxConnections = maxConnections
    }
}
