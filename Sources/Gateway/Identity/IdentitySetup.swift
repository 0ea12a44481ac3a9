import GatehouseCore
import GatewayConfig
import Identity
import Policy

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

    /// The RFC 9728 documents to serve, by path: one per route whose
    /// identity is required and that publishes metadata for its `resource`.
    /// Two routes publishing the same path keep the first (config order).
    static func metadataDocuments(for config: GatehouseConfig) -> [String: LocalResponse] {
        guard let identity = config.identity, !identity.issuers.isEmpty else { return [:] }
        var documents: [String: LocalResponse] = [:]
        for route in config.routes {
            let e = config.effectiveIdentity(for: route)
            guard e.mode == .required, e.resourceMetadata, let resource = e.resource else { continue }
            let url = metadataURL(forResource: resource)
            let path = wellKnownPath(ofMetadataURL: url)
            if documents[path] != nil { continue }
            let servers = e.issuers.compactMap { name in identity.issuers.first { $0.name == name }?.issuer }
            let document = ProtectedResourceMetadata(resource: resource, authorizationServers: servers,
                                                     scopesSupported: e.requiredScopes)
            documents[path] = LocalResponse(status: 200, code: "protected_resource_metadata",
                                            message: "RFC 9728 metadata for \(resource)", document: document.json())
        }
        return documents
    }

    /// The path part of a metadata URL built by `metadataURL(forResource:)`.
    static func wellKnownPath(ofMetadataURL url: String) -> String {
        let marker = Array("/.well-known/".utf8)
        let bytes = Array(url.utf8)
        guard bytes.count >= marker.count else { return url }
        for i in 0...(bytes.count - marker.count) where bytes[i..<(i + marker.count)].elementsEqual(marker) {
            return String(decoding: bytes[i...], as: UTF8.self)
        }
        return url
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
