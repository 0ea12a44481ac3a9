/// One route (an element of `"routes"`): which requests it takes and where
/// they go. See ``RouteTable`` for how a route is selected.
public struct RouteConfig: Sendable, Equatable {
    /// `"name"`: unique across routes.
    public var name: String
    /// `"hosts"`: lowercased host patterns — `*` (any host), `*.example.com`
    /// (any subdomain, not `example.com` itself) or an exact host. Never
    /// empty; defaults to `["*"]`. Hosts are compared without the port.
    public var hosts: [String]
    /// `"path_prefix"`: starts with `/`; matches on a segment boundary (default `/`).
    public var pathPrefix: String
    /// `"upstream"`: where matching requests are sent.
    public var upstream: UpstreamURL
    /// `"strip_prefix"`: remove `pathPrefix` from the path before appending
    /// it to the upstream's base path (default `false`).
    public var stripPrefix: Bool
    /// Effective limits: the route's own `"limits"` over the global ones.
    public var limits: LimitsConfig
    /// Effective timeouts: the route's own `"timeouts"` over the global ones.
    public var timeouts: TimeoutsConfig
    /// `"description"`: free text for humans; ignored by the gateway.
    public var description: String?
    /// `"recording": {"durability": …}`: the route's own durability mode,
    /// or nil to use the top-level `"recording"` default. See
    /// ``GatehouseConfig/recordingDurability(for:)``.
    public var recordingDurability: RecordingDurability?
    /// `"tls"`: trust and client certificate for an `https://` upstream;
    /// nil means the system trust store and no client certificate.
    public var upstreamTLS: UpstreamTLSConfig?
    /// `"identity"`: the route's own identity block, nil when it has none
    /// (see ``GatehouseConfig/effectiveIdentity(for:)``).
    public var identity: RouteIdentityConfig?

    /// Creates a route.
    public init(name: String,
                hosts: [String] = ["*"],
                pathPrefix: String = "/",
                upstream: UpstreamURL,
                stripPrefix: Bool = false,
                limits: LimitsConfig = LimitsConfig(),
                timeouts: TimeoutsConfig = TimeoutsConfig(),
                description: String? = nil,
                recordingDurability: RecordingDurability? = nil,
                upstreamTLS: UpstreamTLSConfig? = nil,
                identity: RouteIdentityConfig? = nil) {
        self.upstreamTLS = upstreamTLS
        self.identity = identity
        self.name = name
        self.hosts = hosts
        self.pathPrefix = pathPrefix
        self.upstream = upstream
        self.stripPrefix = stripPrefix
        self.limits = limits
        self.timeouts = timeouts
        self.description = description
        self.recordingDurability = recordingDurability
    }
}
