import GatehouseCore
import GatewayConfig
import Identity

/// Builds the identity stage from the config (`identity.issuers` and each
/// route's effective identity setting). Runs once at start-up, off the loops.
enum IdentitySetup {
    /// Nil when no issuer is configured (identity off everywhere; `serve`
    /// and `check` print `GatehouseConfig.identityNotice`).
    static func stage(for config: GatehouseConfig, fetcher: any DocumentFetcher) -> IdentityStage? {
        guard let identity = config.identity, !identity.issuers.isEmpty else { return nil }
        var verifiers: [String: TokenVerifier] = [:]
        for issuer in identity.issuers {
            let settings = IssuerSettings(
                name: issuer.name, issuer: issuer.issuer, audiences: issuer.audiences,
                // The loader already refused unknown names, none and HS*.
                algorithms: issuer.algorithms.compactMap(JWSAlgorithm.init(rawValue:)),
                claims: IssuerSettings.ClaimNames(subject: issuer.subjectClaim, groups: issuer.groupsClaim,
                                                  clientID: issuer.clientIDClaims, scopes: issuer.scopeClaims),
                leewaySeconds: Int64(issuer.leewaySeconds), maxLifetimeSeconds: issuer.maxTokenLifetimeSeconds.map(Int64.init),
                requiredType: issuer.requiredTyp)
            let timing = KeyStoreMachine.Timing(minTTLMs: Int64(issuer.jwksCacheMinSeconds) * 1000,
                                                maxTTLMs: Int64(issuer.jwksCacheMaxSeconds) * 1000)
            let name = issuer.name
            let keys = IssuerKeys(issuer: issuer.issuer, discoveryURL: issuer.discoveryURL, jwksURI: issuer.jwksURI,
                                  timing: timing, fetcher: fetcher, log: { line in
                                      EventLog.emit(level: "warn", message: "identity key store", fields: [("issuer", name), ("detail", line)])
                                  })
            verifiers[issuer.name] = TokenVerifier(settings: settings, keys: keys)
        }
        var routes: [String: RouteIdentity] = [:]
        for route in config.routes {
            let e = config.effectiveIdentity(for: route)
            let h = e.forwardHeaders
            routes[route.name] = RouteIdentity(
                mode: e.mode == .required ? .required : .off, issuers: e.issuers, requiredScopes: e.requiredScopes,
                forwardHeaders: RouteIdentity.ForwardHeaders(subject: h.subject, clientID: h.clientID, groups: h.groups,
                                                             scopes: h.scopes, issuer: h.issuer),
                resourceMetadataURL: e.resourceMetadata ? e.resource.map(metadataURL(forResource:)) : nil)
        }
        return IdentityStage(verifiers: verifiers, routes: routes)
    }

    /// `https://host/path` → `https://host/.well-known/oauth-protected-resource/path` (RFC 9728 section 3.1).
    static func metadataURL(forResource resource: String) -> String {
        let lower = resource.lowercased()
        let scheme = lower.hasPrefix("https://") ? "https://" : lower.hasPrefix("http://") ? "http://" : ""
        guard !scheme.isEmpty else { return resource }
        let afterScheme = resource.dropFirst(scheme.count)
        let authority = afterScheme.prefix { $0 != "/" }
        let path = String(afterScheme.dropFirst(authority.count))
        return resource.prefix(scheme.count) + authority + ProtectedResourceMetadata.wellKnownPath(forResourcePath: path)
    }
}
