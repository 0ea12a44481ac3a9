import GatehouseCore

/// The top-level `"identity"` object and a route's `"identity"` block.
enum IdentityDecoding {
    static let leewayRange = 0...600
    static let lifetimeRange = 1...(86_400 * 30)
    static let cacheRange = 1...(86_400 * 7)

    /// Reads `"identity"`; nil when absent or broken (problems in the sink).
    static func decode(_ reader: ObjectReader?) -> IdentityConfig? {
        guard let reader else { return nil }
        defer { reader.finish() }
        if let mode = reader.string("mode") {
            guard mode.value == "off" else {
                reader.sink.error("\(reader.describe("mode")) must be \"off\" (omit it and configure \"issuers\" to check tokens), got \"\(mode.value)\"",
                                  at: mode.location)
                return nil
            }
            if reader.contains("issuers") {
                reader.sink.error("\"identity\" sets both \"mode\": \"off\" and \"issuers\"; use one", at: mode.location)
                _ = reader.member("issuers")
                return nil
            }
            return IdentityConfig(issuers: [], explicitlyOff: true)
        }
        guard let issuersReader = reader.object("issuers", context: "identity issuers", required: true) else { return nil }
        defer { issuersReader.finish() }
        var issuers: [IssuerConfig] = []
        var valid = true
        for member in issuersReader.node.objectValue ?? [] {
            _ = issuersReader.member(member.key)
            if !TokenSyntax.isName(member.key) {
                reader.sink.error("issuer name \"\(member.key)\" must be \(TokenSyntax.nameRule)", at: member.keyLocation)
                valid = false
                continue
            }
            if let issuer = decodeIssuer(member.node, name: member.key, sink: reader.sink) {
                // Tokens are matched to an issuer config by their "iss": two
                // configs with one URL would make the second's settings dead.
                if let first = issuers.first(where: { $0.issuer.utf8.elementsEqual(issuer.issuer.utf8) }) {
                    reader.sink.error("identity issuer \"\(member.key)\" has the same \"issuer\" URL as \"\(first.name)\"; merge their audiences into one",
                                      at: member.keyLocation)
                    valid = false
                    continue
                }
                issuers.append(issuer)
            } else {
                valid = false
            }
        }
        return valid ? IdentityConfig(issuers: issuers) : nil
    }

    private static func decodeIssuer(_ node: JSONNode, name: String, sink: JSONDiagnosticSink) -> IssuerConfig? {
        guard let r = ObjectReader(node, context: "identity issuer \"\(name)\"", sink: sink) else { return nil }
        defer { r.finish() }
        var valid = true
        let issuer = r.string("issuer", required: true)
        if let issuer, !isFetchableURL(issuer.value) {
            sink.error("\(r.describe("issuer")) must be an https URL (http only to 127.0.0.1 or localhost), got \"\(issuer.value)\"",
                       at: issuer.location)
            valid = false
        }
        let audiences = strings(r, "audiences", required: true, valid: &valid) ?? []
        var config = IssuerConfig(name: name, issuer: issuer?.value ?? "", audiences: audiences)
        if let algs = strings(r, "algorithms", required: false, valid: &valid), let node = r.member("algorithms")?.node {
            for (i, a) in algs.enumerated() {
                let at = node.arrayValue?[i].location ?? node.location
                if a.lowercased() == "none" || a.uppercased().hasPrefix("HS") {
                    sink.error("algorithm \"\(a)\" in \(r.context) is never allowed: the gateway holds only public keys, "
                               + "so `none` and HMAC algorithms would let anyone mint tokens (RFC 8725)", at: at)
                    valid = false
                } else if !IssuerConfig.knownAlgorithms.contains(a) {
                    sink.error("unknown algorithm \"\(a)\" in \(r.context); expected one of: "
                               + IssuerConfig.knownAlgorithms.joined(separator: ", "), at: at)
                    valid = false
                }
            }
            config.algorithms = algs
        }
        if let claims = r.object("claims", context: "identity claims") {
            defer { claims.finish() }
            if let s = claims.string("subject") { config.subjectClaim = s.value }
            if let g = claims.string("groups") { config.groupsClaim = g.value }
            if let c = strings(claims, "client_id", required: false, valid: &valid) { config.clientIDClaims = c }
            if let s = strings(claims, "scopes", required: false, valid: &valid) { config.scopeClaims = s }
        }
        if let v = r.int("leeway_s", in: leewayRange) { config.leewaySeconds = v.value }
        if let v = r.int("max_token_lifetime_s", in: lifetimeRange) { config.maxTokenLifetimeSeconds = v.value }
        if let v = r.string("required_typ") { config.requiredTyp = v.value }
        if let cache = r.object("jwks_cache", context: "identity jwks_cache") {
            defer { cache.finish() }
            if let v = cache.int("min_s", in: cacheRange) { config.jwksCacheMinSeconds = v.value }
            if let v = cache.int("max_s", in: cacheRange) { config.jwksCacheMaxSeconds = v.value }
            if config.jwksCacheMinSeconds > config.jwksCacheMaxSeconds {
                sink.error("\"min_s\" in identity jwks_cache must not exceed \"max_s\"", at: cache.location)
                valid = false
            }
        }
        for key in ["discovery_url", "jwks_uri"] {
            guard let v = r.string(key) else { continue }
            if !isFetchableURL(v.value) {
                sink.error("\(r.describe(key)) must be an https URL (http only to 127.0.0.1 or localhost), got \"\(v.value)\"",
                           at: v.location)
                valid = false
            }
            if key == "discovery_url" { config.discoveryURL = v.value } else { config.jwksURI = v.value }
        }
        return valid && issuer != nil && !audiences.isEmpty ? config : nil
    }

    /// Reads a route's `"identity"` block.
    static func route(_ reader: ObjectReader?) -> Located<RouteIdentityConfig>? {
        guard let r = reader else { return nil }
        defer { r.finish() }
        var valid = true
        var config = RouteIdentityConfig()
        if let mode = r.string("mode") {
            if let m = RouteIdentityConfig.Mode(rawValue: mode.value) {
                config.mode = m
            } else {
                r.sink.error("\(r.describe("mode")) must be \"required\" or \"off\", got \"\(mode.value)\"", at: mode.location)
                valid = false
            }
        }
        if let one = r.string("issuer") { config.issuers = [one.value] }
        if let many = strings(r, "issuers", required: false, valid: &valid) {
            if r.contains("issuer") {
                r.sink.error("route identity sets both \"issuer\" and \"issuers\"; use one", at: r.location)
                valid = false
            }
            config.issuers = many
        }
        if let scopes = strings(r, "required_scopes", required: false, valid: &valid, allowEmpty: true) {
            config.requiredScopes = scopes
        }
        if let h = r.object("forward_headers", context: "route identity forward_headers") {
            defer { h.finish() }
            func header(_ key: String) -> String? {
                guard let v = h.string(key) else { return nil }
                guard TokenSyntax.isToken(v.value), !TokenSyntax.reservedHeaders.contains(v.value.lowercased()),
                      v.value.lowercased() != "authorization" else {
                    h.sink.error("\(h.describe(key)) must be a header name that is not a framing, hop-by-hop or "
                                 + "Authorization header, got \"\(v.value)\"", at: v.location)
                    valid = false
                    return nil
                }
                return v.value
            }
            config.forwardHeaders = RouteIdentityConfig.ForwardHeaders(
                subject: header("subject"), clientID: header("client_id"), groups: header("groups"),
                scopes: header("scopes"), issuer: header("issuer"))
        }
        if let res = r.string("resource") {
            if isFetchableURL(res.value) || res.value.lowercased().hasPrefix("http://") {
                config.resource = res.value
            } else {
                r.sink.error("\(r.describe("resource")) must be an absolute http(s) URL, got \"\(res.value)\"", at: res.location)
                valid = false
            }
        }
        if let meta = r.bool("resource_metadata") {
            config.resourceMetadata = meta.value
            if meta.value && config.resource == nil {
                r.sink.error("\"resource_metadata\": true in route identity needs \"resource\" (the route's public URL)",
                             at: meta.location)
                valid = false
            }
        }
        return valid ? Located(config, at: r.location) : nil
    }

    /// Cross-checks routes against the configured issuers.
    static func checkRoutes(_ routes: [DecodedRoute], identity: IdentityConfig?, sink: JSONDiagnosticSink) {
        let names = Set(identity?.issuers.map(\.name) ?? [])
        for route in routes {
            guard let block = route.config.identity, block.mode == .required, let at = route.identityLocation else { continue }
            if names.isEmpty {
                sink.error("route \"\(route.config.name)\" requires identity, but no issuers are configured in \"identity\"", at: at)
                continue
            }
            for name in block.issuers where !names.contains(name) {
                sink.error("route \"\(route.config.name)\" names issuer \"\(name)\", which is not configured; configured: "
                           + names.sorted().joined(separator: ", "), at: at)
            }
        }
    }

    /// https anywhere; plain http only to a loopback host (tests, sidecars).
    static func isFetchableURL(_ url: String) -> Bool {
        let lower = url.lowercased()
        if lower.hasPrefix("https://"), lower.count > "https://".count { return true }
        for prefix in ["http://127.0.0.1:", "http://127.0.0.1/", "http://localhost:", "http://localhost/"] where lower.hasPrefix(prefix) {
            return true
        }
        return lower == "http://127.0.0.1" || lower == "http://localhost"
    }

    /// An array of non-empty strings.
    private static func strings(_ r: ObjectReader, _ key: String, required: Bool, valid: inout Bool,
                                allowEmpty: Bool = false) -> [String]? {
        guard let array = r.array(key, required: required, nonEmpty: !allowEmpty) else {
            if r.contains(key) || required { valid = false }
            return nil
        }
        var out: [String] = []
        for node in array.value {
            guard let s = node.stringValue, !s.isEmpty else {
                r.sink.error("\(r.describe(key)) must hold non-empty strings, got \(node.value.typeName)", at: node.location)
                valid = false
                continue
            }
            out.append(s)
        }
        return out
    }
}
