/// The complete, validated gateway configuration. See Docs/CONFIG.md.
public struct GatehouseConfig: Sendable {
    /// The file the configuration was loaded from (as given to the loader).
    public var sourcePath: String
    /// `"policy_dir"`: the directory of JSON policy files (resolved against the
    /// config file's directory); nil when no policies are configured.
    public var policyDirectory: String?
    /// Number of event loops (`"loops"`, 1...256). Defaults to the number of
    /// online CPU cores, clamped to that range.
    public var loops: Int
    /// Listening sockets (`"listeners"`, non-empty).
    public var listeners: [ListenerConfig]
    /// Global limits (`"limits"`); routes inherit unset values from here.
    public var limits: LimitsConfig
    /// Global timeouts (`"timeouts"`); routes inherit unset values from here.
    public var timeouts: TimeoutsConfig
    /// Request ID handling (`"request_id"`).
    public var requestID: RequestIDConfig
    /// Forwarded-header handling (`"forwarded"`).
    public var forwarded: ForwardedConfig
    /// Routes (`"routes"`, non-empty), in file order. Selection is by
    /// specificity, not order: see ``RouteTable``.
    public var routes: [RouteConfig]
    /// Whether to write an access log line per request (`"access_log"`, default `true`).
    public var accessLog: Bool
    /// Session recording (`"recording"`); nil when recording is off.
    public var recording: RecordingConfig?
    /// `"identity"`: token issuers; nil when absent (identity off everywhere,
    /// see ``identityNotice``).
    public var identity: IdentityConfig?
    /// Non-fatal findings of the loader (e.g. a host listed twice in a route).
    public var warnings: [ConfigDiagnostic]

    /// Creates a configuration; every setting except listeners and routes has its default.
    public init(sourcePath: String = "<memory>",
                loops: Int = SystemInfo.defaultLoopCount,
                listeners: [ListenerConfig],
                limits: LimitsConfig = LimitsConfig(),
                timeouts: TimeoutsConfig = TimeoutsConfig(),
                requestID: RequestIDConfig = RequestIDConfig(),
                forwarded: ForwardedConfig = ForwardedConfig(),
                routes: [RouteConfig],
                accessLog: Bool = true,
                recording: RecordingConfig? = nil,
                policyDirectory: String? = nil,
                identity: IdentityConfig? = nil,
                warnings: [ConfigDiagnostic] = []) {
        self.identity = identity
        self.policyDirectory = policyDirectory
        self.sourcePath = sourcePath
        self.loops = loops
        self.listeners = listeners
        self.limits = limits
        self.timeouts = timeouts
        self.requestID = requestID
        self.forwarded = forwarded
        self.routes = routes
        self.accessLog = accessLog
        self.recording = recording
        self.warnings = warnings
    }

    /// The durability mode of `route`'s audit records: the route's own
    /// override, else the top-level default. Nil when recording is off.
    public func recordingDurability(for route: RouteConfig) -> RecordingDurability? {
        guard let recording else { return nil }
        return route.recordingDurability ?? recording.durability
    }

    /// True when recording is on and every route records in `async` mode:
    /// the only case in which the recorder may use `synchronous=NORMAL`
    /// (one connection serves every route).
    public var everyRouteRecordsAsync: Bool {
        recording != nil && routes.allSatisfy { recordingDurability(for: $0) == .async }
    }
}
