import GatehouseCore
import GatewayConfig
import HTTP1
import Policy
import Reactor
import Recording

/// A route prepared for the data path: limits in parser form, timeouts in
/// nanoseconds, the upstream target with resolved addresses.
public final class RuntimeRoute: Sendable {
    public let name: String
    let index: Int
    let pathPrefix: String
    let stripPrefix: Bool
    let upstream: UpstreamTarget
    /// `Host: authority\r\n`, sent upstream on every request.
    let hostLine: [UInt8]
    let basePath: String
    let headLimits: HTTPLimits
    let maxBodyBytes: UInt64
    let headerReadNs: UInt64
    let bodyReadNs: UInt64
    let idleKeepAliveNs: UInt64
    let upstreamConnectNs: UInt64
    let upstreamResponseNs: UInt64
    /// How this route's exchanges are recorded; nil when recording is off.
    let durability: DurabilityMode?

    init(index: Int, config: RouteConfig, upstream: UpstreamTarget, durability: DurabilityMode?) {
        self.index = index
        name = config.name
        pathPrefix = config.pathPrefix
        stripPrefix = config.stripPrefix
        self.upstream = upstream
        hostLine = Array("Host: \(config.upstream.authority)\r\n".utf8)
        basePath = config.upstream.basePath
        headLimits = HTTPLimits(maxRequestLineBytes: config.limits.maxRequestLineBytes,
                                maxHeaderBytes: config.limits.maxHeaderBytes,
                                maxHeaderCount: config.limits.maxHeaderCount)
        maxBodyBytes = config.limits.maxBodyBytes
        headerReadNs = nanoseconds(ms: config.timeouts.headerReadMs)
        bodyReadNs = nanoseconds(ms: config.timeouts.bodyReadMs)
        idleKeepAliveNs = nanoseconds(ms: config.timeouts.idleKeepAliveMs)
        upstreamConnectNs = nanoseconds(ms: config.timeouts.upstreamConnectMs)
        upstreamResponseNs = nanoseconds(ms: config.timeouts.upstreamResponseMs)
        self.durability = durability
    }

    /// The request target to send upstream for a client target
    /// (`/path?query`): base path + (prefix-stripped) path + query.
    func upstreamTarget(for clientTarget: String) -> String {
        if basePath.isEmpty && !stripPrefix { return clientTarget }
        var rest = Substring(clientTarget)
        if stripPrefix && pathPrefix != "/" && rest.hasPrefix(pathPrefix) {
            rest = rest.dropFirst(pathPrefix.utf8.count)
        }
        if rest.isEmpty || rest.first == "?" { rest = "/" + rest }
        return basePath + rest
    }
}

/// Everything the data path needs from a loaded config, immutable. Loops
/// hold a reference; a reload builds a new one and swaps it in atomically
/// per loop, while exchanges in flight keep the one they started with.
public final class RuntimeConfig: Sendable {
    public let source: GatehouseConfig
    public let routes: [RuntimeRoute]
    let routeTable: RouteTable
    /// Limits for parsing a request head before its route is known: the
    /// largest any route allows; the route's own limits are checked after.
    let parseLimits: HTTPLimits
    let requestIDHeader: String
    let requestIDHeaderLower: String
    let requestIDHeaderBytes: [UInt8]
    let trustIncomingRequestID: Bool
    let trustIncomingForwarded: Bool
    /// Whole header lines built once at load: `Via: 1.1 gatehouse\r\n`, …
    let via11Line: [UInt8]
    let via10Line: [UInt8]
    /// `X-Request-Id: ` (the configured header name, colon, space).
    let requestIDPrefix: [UInt8]
    let stages: [any RequestStage]
    /// Documents served by the gateway itself, by exact path: each
    /// identity route's RFC 9728 metadata (when `resource_metadata` is on).
    let servedDocuments: [String: LocalResponse]
    let accessLog: Bool
    let headerReadNs: UInt64
    let idleKeepAliveNs: UInt64
    let drainNs: UInt64
    /// Body bytes kept per recorded message.
    let recordingBodyCap: Int
    /// Durability for exchanges refused before routing; nil when recording is off.
    let recordingDefault: DurabilityMode?
    /// How long an async exchange's start record waits on its loop for the
    /// outcome, so that a short exchange is submitted as one `complete`
    /// record (see `DownstreamConnection.recordStartThenForward`): the
    /// recorder's own async delay, so that holding it does not widen what
    /// async recording can lose by more than that.
    let recordingAsyncHoldNs: UInt64

    /// Resolves every upstream host and builds the upstream TLS contexts
    /// (blocking, reads files: call off the loops). Throws `SystemError`
    /// or `TLSSetupError`.
    public init(config: GatehouseConfig, stages: [any RequestStage]) throws {
        source = config
        let clientContexts = try TLSSetup.clientContexts(for: config)
        var targets: [TargetKey: UpstreamTarget] = [:]
        var built: [RuntimeRoute] = []
        for (i, r) in config.routes.enumerated() {
            // Connections are pooled per target: routes differing in scheme
            // or TLS setting must not share them.
            let tlsKey = UpstreamTLSKey(r.upstream.isHTTPS ? r.upstreamTLS : nil)
            let key = TargetKey(scheme: r.upstream.scheme, host: r.upstream.host, port: r.upstream.port, tls: tlsKey)
            let target: UpstreamTarget
            if let t = targets[key] {
                target = t
            } else {
                let addrs = try Resolver.resolve(host: r.upstream.host, port: r.upstream.port)
                target = UpstreamTarget(url: r.upstream, addresses: addrs,
                                        tls: r.upstream.isHTTPS ? clientContexts[tlsKey] : nil)
                targets[key] = target
            }
            built.append(RuntimeRoute(index: i, config: r, upstream: target,
                                      durability: RecorderSetup.durability(config.recordingDurability(for: r))))
        }
        routes = built
        routeTable = RouteTable(routes: config.routes)
        var limits = HTTPLimits(maxRequestLineBytes: config.limits.maxRequestLineBytes,
                                maxHeaderBytes: config.limits.maxHeaderBytes,
                                maxHeaderCount: config.limits.maxHeaderCount)
        for r in built {
            limits.maxRequestLineBytes = max(limits.maxRequestLineBytes, r.headLimits.maxRequestLineBytes)
            limits.maxHeaderBytes = max(limits.maxHeaderBytes, r.headLimits.maxHeaderBytes)
            limits.maxHeaderCount = max(limits.maxHeaderCount, r.headLimits.maxHeaderCount)
        }
        parseLimits = limits
        requestIDHeader = config.requestID.header
        requestIDHeaderLower = config.requestID.header.lowercased()
        requestIDHeaderBytes = Array(requestIDHeaderLower.utf8)
        trustIncomingRequestID = config.requestID.trustIncoming
        trustIncomingForwarded = config.forwarded.trustIncoming
        via11Line = Array("Via: 1.1 \(config.forwarded.via)\r\n".utf8)
        via10Line = Array("Via: 1.0 \(config.forwarded.via)\r\n".utf8)
        requestIDPrefix = Array("\(config.requestID.header): ".utf8)
        self.stages = stages
        servedDocuments = IdentitySetup.metadataDocuments(for: config)
        accessLog = config.accessLog
        headerReadNs = nanoseconds(ms: config.timeouts.headerReadMs)
        idleKeepAliveNs = nanoseconds(ms: config.timeouts.idleKeepAliveMs)
        drainNs = nanoseconds(ms: config.timeouts.drainMs)
        recordingBodyCap = config.recording?.bodyCapBytes ?? 0
        recordingDefault = RecorderSetup.durability(config.recording?.durability)
        recordingAsyncHoldNs = nanoseconds(ms: RecorderSetup.configuration(for: config)?.asyncDelayMs ?? 0)
    }

    private struct TargetKey: Hashable {
        var scheme: String
        var host: String
        var port: Int
        var tls: UpstreamTLSKey
    }

    /// Every distinct upstream target, for the resolver thread.
    var targets: [UpstreamTarget] {
        var seen = Set<ObjectIdentifier>()
        return routes.compactMap { seen.insert(ObjectIdentifier($0.upstream)).inserted ? $0.upstream : nil }
    }
}
