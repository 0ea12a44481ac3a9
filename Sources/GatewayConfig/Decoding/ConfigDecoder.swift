import GatehouseCore

/// Turns a parsed JSON document into a ``GatehouseConfig``, recording every
/// problem in `sink`. The result is only meaningful if `sink` has no errors.
struct ConfigDecoder {
    let sink: JSONDiagnosticSink
    let sourcePath: String
    let defaultLoops: Int

    func decode(_ root: JSONNode) -> GatehouseConfig? {
        guard let top = ObjectReader(root, context: "the top-level object",
                                     description: "the top-level value", sink: sink) else { return nil }
        defer { top.finish() }

        let loops = top.int("loops", in: 1...256)?.value ?? defaultLoops
        let limits = LimitsDecoding.decode(top.object("limits", context: "limits"),
                                           base: LimitsConfig(), scope: .global)
        let timeouts = TimeoutsDecoding.decode(top.object("timeouts", context: "timeouts"),
                                               base: TimeoutsConfig(), scope: .global)
        let requestID = HeaderSettingsDecoding.requestID(top.object("request_id", context: "request_id"))
        let forwarded = HeaderSettingsDecoding.forwarded(top.object("forwarded", context: "forwarded"))
        let accessLog = top.bool("access_log")?.value ?? true
        var policyDirectory: String? = nil
        if let dir = top.string("policy_dir") {
            if dir.value.isEmpty || dir.value.utf8.contains(0) {
                sink.error("\"policy_dir\" must be a non-empty path", at: dir.location)
            } else {
                policyDirectory = Self.resolve(dir.value, relativeTo: sourcePath)
            }
        }
        let recordingPresent = top.contains("recording")
        let recording = RecordingDecoding.decode(top.object("recording", context: "recording"))
        // Identity is never off by omission: either issuers are configured,
        // or the operator writes "identity": {"mode": "off"}.
        if !top.contains("identity") {
            sink.error("missing required key \"identity\" in the top-level object: configure token issuers "
                       + "(\"identity\": {\"issuers\": {…}}) or write \"identity\": {\"mode\": \"off\"} to run "
                       + "without identity checks (Docs/IDENTITY.md)", at: top.location)
        }
        let identity = IdentityDecoding.decode(top.object("identity", context: "identity"))

        var listeners: [DecodedListener] = []
        if let array = top.array("listeners", required: true, nonEmpty: true) {
            for (index, node) in array.value.enumerated() {
                if let listener = ListenerDecoding.decode(node, index: index, sourcePath: sourcePath, sink: sink) {
                    listeners.append(listener)
                }
            }
            ListenerDecoding.checkUnique(listeners, sink: sink)
        }

        var routes: [DecodedRoute] = []
        if let array = top.array("routes", required: true, nonEmpty: true) {
            for node in array.value {
                if let route = RouteDecoding.decode(node, globalLimits: limits, globalTimeouts: timeouts,
                                                    recordingEnabled: recordingPresent, sourcePath: sourcePath,
                                                    sink: sink) {
                    routes.append(route)
                }
            }
            RouteDecoding.checkUnique(routes, sink: sink)
            IdentityDecoding.checkRoutes(routes, identity: identity, sink: sink)
        }

        return GatehouseConfig(sourcePath: sourcePath, loops: loops, listeners: listeners.map(\.config),
                               limits: limits, timeouts: timeouts, requestID: requestID, forwarded: forwarded,
                               routes: routes.map(\.config), accessLog: accessLog,
                               recording: recording, policyDirectory: policyDirectory, identity: identity)
    }

    /// A relative `policy_dir` (or TLS file path) is relative to the directory of the config file.
    static func resolve(_ path: String, relativeTo configPath: String) -> String {
        if path.hasPrefix("/") { return path }
        guard let slash = configPath.lastIndex(of: "/") else { return path }
        return String(configPath[..<slash]) + "/" + path
    }
}
