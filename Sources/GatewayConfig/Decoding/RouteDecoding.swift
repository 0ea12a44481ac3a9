import GatehouseCore

/// A decoded route plus what the cross-route checks need.
struct DecodedRoute {
    var config: RouteConfig
    var location: SourceLocation
    var nameLocation: SourceLocation
    /// Location of each entry of `config.hosts` (the route's location when defaulted).
    var hostLocations: [SourceLocation]
    /// Location of the route's `"identity"` block, if any.
    var identityLocation: SourceLocation? = nil
}

enum RouteDecoding {
    /// Decodes one element of `"routes"`. Returns `nil` if any required part
    /// is missing or invalid (the problems are in `sink`).
    /// `recordingEnabled`: whether the top-level `"recording"` is present; a
    /// route's `"recording"` override without it is a warning.
    static func decode(_ node: JSONNode, globalLimits: LimitsConfig, globalTimeouts: TimeoutsConfig,
                       recordingEnabled: Bool, sourcePath: String, sink: JSONDiagnosticSink) -> DecodedRoute? {
        guard let reader = ObjectReader(node, context: "route", sink: sink) else { return nil }
        defer { reader.finish() }
        var valid = true

        let name = reader.string("name", required: true)
        if let name, !TokenSyntax.isName(name.value) {
            sink.error("\(reader.describe("name")) must be \(TokenSyntax.nameRule), got \"\(name.value)\"", at: name.location)
            valid = false
        }
        let routeName = name?.value ?? "?"
        let (hosts, hostLocations) = decodeHosts(reader, routeName: routeName, valid: &valid)

        var pathPrefix = "/"
        if let prefix = reader.string("path_prefix") {
            if let problem = PathSyntax.problem(prefix.value) {
                sink.error("\(reader.describe("path_prefix")) \(problem), got \"\(prefix.value)\"", at: prefix.location)
                valid = false
            } else {
                pathPrefix = prefix.value
            }
        }

        var upstream: UpstreamURL?
        if let text = reader.string("upstream", required: true) {
            do {
                upstream = try UpstreamURL(parsing: text.value)
            } catch {
                sink.error(error.message, at: text.location)
            }
        }

        let stripPrefix = reader.bool("strip_prefix")?.value ?? false
        let limits = LimitsDecoding.decode(reader.object("limits", context: "route limits"),
                                           base: globalLimits, scope: .route)
        let timeouts = TimeoutsDecoding.decode(reader.object("timeouts", context: "route timeouts"),
                                               base: globalTimeouts, scope: .route)
        let description = reader.string("description")?.value
        let recordingReader = reader.object("recording", context: "route recording")
        if let recordingReader, !recordingEnabled {
            sink.warning("route \"\(routeName)\" sets \"recording\", but recording is off (no top-level \"recording\" object)",
                         at: recordingReader.location)
        }
        let recordingDurability = RecordingDecoding.routeOverride(recordingReader)
        let identityReader = reader.object("identity", context: "route identity")
        let identity = IdentityDecoding.route(identityReader)
        if identityReader != nil && identity == nil { valid = false }

        let tls = TLSDecoding.route(reader.object("tls", context: "route tls"),
                                    isHTTPS: upstream?.scheme == "https", sourcePath: sourcePath)

        guard valid, let name, let upstream else { return nil }
        let config = RouteConfig(name: name.value, hosts: hosts, pathPrefix: pathPrefix, upstream: upstream,
                                 stripPrefix: stripPrefix, limits: limits, timeouts: timeouts,
                                 description: description, recordingDurability: recordingDurability,
                                 upstreamTLS: tls, identity: identity?.value)
        return DecodedRoute(config: config, location: node.location, nameLocation: name.location,
                            hostLocations: hostLocations, identityLocation: identity?.location)
    }

    /// `"hosts"`: non-empty array of host patterns, lowercased; duplicates
    /// within the route are dropped with a warning.
    private static func decodeHosts(_ reader: ObjectReader, routeName: String,
                                    valid: inout Bool) -> ([String], [SourceLocation]) {
        let sink = reader.sink
        guard reader.contains("hosts") else {
            _ = reader.member("hosts")
            return (["*"], [reader.location])
        }
        guard let array = reader.array("hosts", nonEmpty: true) else {
            valid = false
            return ([], [])
        }
        var hosts: [String] = []
        var locations: [SourceLocation] = []
        for element in array.value {
            guard let raw = element.expectString("each entry of \"hosts\" in route", sink: sink) else {
                valid = false
                continue
            }
            switch HostSyntax.normalizePattern(raw) {
            case .failure(let problem):
                sink.error(problem.message, at: element.location)
                valid = false
            case .success(let pattern):
                if hosts.contains(pattern) {
                    sink.warning("host \"\(pattern)\" is listed more than once in route \"\(routeName)\"", at: element.location)
                } else {
                    hosts.append(pattern)
                    locations.append(element.location)
                }
            }
        }
        return (hosts, locations)
    }

    /// Reports duplicate route names and host/path_prefix pairs that an
    /// earlier route already claims (the later route could never be chosen for them).
    static func checkUnique(_ routes: [DecodedRoute], sink: JSONDiagnosticSink) {
        var byName: [String: DecodedRoute] = [:]
        var claims: [Claim: (route: DecodedRoute, location: SourceLocation)] = [:]
        for route in routes {
            let config = route.config
            if let first = byName[config.name] {
                sink.error("duplicate route name \"\(config.name)\" (first used at line \(first.nameLocation.line), column \(first.nameLocation.column))",
                           at: route.nameLocation)
            } else {
                byName[config.name] = route
            }
            for (host, location) in zip(config.hosts, route.hostLocations) {
                let claim = Claim(host: host, pathPrefix: config.pathPrefix)
                if let first = claims[claim] {
                    sink.error("route \"\(config.name)\" can never be selected for host \"\(host)\" with path_prefix \"\(config.pathPrefix)\": route \"\(first.route.config.name)\" (line \(first.location.line), column \(first.location.column)) already claims it",
                               at: location)
                } else {
                    claims[claim] = (route, location)
                }
            }
        }
    }

    struct Claim: Hashable {
        var host: String
        var pathPrefix: String
    }
}
