/// `"identity"`: the token issuers routes accept. See Docs/IDENTITY.md.
public struct IdentityConfig: Sendable, Equatable {
    /// `"issuers"`, in file order (names are unique).
    public var issuers: [IssuerConfig]
    /// `"mode": "off"`: the operator chose to run without identity checks
    /// (then `issuers` is empty). Identity is never off by omission: a
    /// config without `"identity"` does not load.
    public var explicitlyOff: Bool

    public init(issuers: [IssuerConfig], explicitlyOff: Bool = false) {
        self.issuers = issuers
        self.explicitlyOff = explicitlyOff
    }
}

/// One element of `identity.issuers`.
public struct IssuerConfig: Sendable, Equatable {
    /// The key under `"issuers"`; routes refer to it.
    public var name: String
    /// `"issuer"`: the exact `iss` value (and discovery base URL).
    public var issuer: String
    /// `"audiences"`: a token's `aud` must contain one of them. Non-empty.
    public var audiences: [String]
    /// `"algorithms"`: JWS algorithm names; default RS256, PS256, ES256, EdDSA.
    /// `none` and HS* are refused by the loader.
    public var algorithms: [String]
    /// `"claims"`: which claims carry subject, groups, client ID and scopes.
    public var subjectClaim: String
    public var groupsClaim: String
    public var clientIDClaims: [String]
    public var scopeClaims: [String]
    /// `"leeway_s"`: clock skew allowed on `exp`, `nbf`, `iat` (default 60).
    public var leewaySeconds: Int
    /// `"max_token_lifetime_s"`: longest `exp − iat` accepted; nil: no limit.
    public var maxTokenLifetimeSeconds: Int?
    /// `"required_typ"`: e.g. `at+jwt`; nil: any.
    public var requiredTyp: String?
    /// `"jwks_cache": {"min_s", "max_s"}`: bounds on the JWKS `Cache-Control`
    /// lifetime (defaults 60 and 86400).
    public var jwksCacheMinSeconds: Int
    public var jwksCacheMaxSeconds: Int
    /// `"discovery_url"`: default `issuer` + `/.well-known/openid-configuration`.
    public var discoveryURL: String?
    /// `"jwks_uri"`: skips discovery when set.
    public var jwksURI: String?

    public static let defaultAlgorithms = ["RS256", "PS256", "ES256", "EdDSA"]
    /// Algorithm names the loader accepts (the Identity module's `JWSAlgorithm`).
    public static let knownAlgorithms = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"]

    public init(name: String, issuer: String, audiences: [String], algorithms: [String] = IssuerConfig.defaultAlgorithms,
                subjectClaim: String = "sub", groupsClaim: String = "groups", clientIDClaims: [String] = ["azp", "client_id"],
                scopeClaims: [String] = ["scope", "scp"], leewaySeconds: Int = 60, maxTokenLifetimeSeconds: Int? = nil,
                requiredTyp: String? = nil, jwksCacheMinSeconds: Int = 60, jwksCacheMaxSeconds: Int = 86_400,
                discoveryURL: String? = nil, jwksURI: String? = nil) {
        self.name = name
        self.issuer = issuer
        self.audiences = audiences
        self.algorithms = algorithms
        self.subjectClaim = subjectClaim
        self.groupsClaim = groupsClaim
        self.clientIDClaims = clientIDClaims
        self.scopeClaims = scopeClaims
        self.leewaySeconds = leewaySeconds
        self.maxTokenLifetimeSeconds = maxTokenLifetimeSeconds
        self.requiredTyp = requiredTyp
        self.jwksCacheMinSeconds = jwksCacheMinSeconds
        self.jwksCacheMaxSeconds = jwksCacheMaxSeconds
        self.discoveryURL = discoveryURL
        self.jwksURI = jwksURI
    }
}

/// A route's `"identity"` block, and the effective setting of a route.
public struct RouteIdentityConfig: Sendable, Equatable {
    public enum Mode: String, Sendable, Equatable { case required, off }

    /// `"forward_headers"`: request headers that carry verified facts upstream.
    public struct ForwardHeaders: Sendable, Equatable {
        public var subject: String?
        public var clientID: String?
        public var groups: String?
        public var scopes: String?
        public var issuer: String?

        public init(subject: String? = nil, clientID: String? = nil, groups: String? = nil, scopes: String? = nil,
                    issuer: String? = nil) {
            self.subject = subject
            self.clientID = clientID
            self.groups = groups
            self.scopes = scopes
            self.issuer = issuer
        }
    }

    /// `"mode"`: `required` (default) or `off` (must be written out).
    public var mode: Mode
    /// `"issuer"` or `"issuers"`: issuer names; empty means every configured issuer.
    public var issuers: [String]
    /// `"required_scopes"`: every one must be granted.
    public var requiredScopes: [String]
    public var forwardHeaders: ForwardHeaders
    /// `"resource"`: the route's public URL (RFC 9728 resource identifier).
    public var resource: String?
    /// `"resource_metadata"`: serve RFC 9728 metadata and name it in 401s.
    public var resourceMetadata: Bool

    public init(mode: Mode = .required, issuers: [String] = [], requiredScopes: [String] = [],
                forwardHeaders: ForwardHeaders = ForwardHeaders(), resource: String? = nil, resourceMetadata: Bool = false) {
        self.mode = mode
        self.issuers = issuers
        self.requiredScopes = requiredScopes
        self.forwardHeaders = forwardHeaders
        self.resource = resource
        self.resourceMetadata = resourceMetadata
    }
}

extension GatehouseConfig {
    /// What identity checking `route` gets:
    /// - no issuers configured at all: `off` everywhere (see `identityNotice`);
    /// - the route's own block, with an empty issuer list meaning all issuers;
    /// - no block: `required`, from any configured issuer.
    public func effectiveIdentity(for route: RouteConfig) -> RouteIdentityConfig {
        guard let identity, !identity.issuers.isEmpty else { return RouteIdentityConfig(mode: .off) }
        var r = route.identity ?? RouteIdentityConfig()
        if r.issuers.isEmpty { r.issuers = identity.issuers.map(\.name) }
        return r
    }

    /// A loud notice for `check` and start-up when no issuer is configured,
    /// so that every route forwards unauthenticated requests. Nil otherwise.
    public var identityNotice: String? {
        if let identity, !identity.issuers.isEmpty { return nil }
        return "\(sourcePath): warning: \"identity\": {\"mode\": \"off\"}: identity checking is OFF on every route "
            + "and agents reach upstreams without a verified token (see Docs/IDENTITY.md)"
    }
}
