/// Everything the verifier checks for one issuer. Built from the config
/// (`identity.issuers.NAME`); validated by `init`, which refuses `none`
/// and HS* whatever the config says.
public struct IssuerSettings: Sendable, Equatable {
    /// Which claim carries each identity fact.
    public struct ClaimNames: Sendable, Equatable {
        public var subject: String
        /// Groups or roles (an array of strings, or one string); nil to not read any.
        public var groups: String?
        /// Client ID claims, first present wins.
        public var clientID: [String]
        /// Scope claims, first present wins: a space-separated string
        /// (`scope`) or an array of strings (`scp`).
        public var scopes: [String]

        public init(subject: String = "sub", groups: String? = "groups", clientID: [String] = ["azp", "client_id"],
                    scopes: [String] = ["scope", "scp"]) {
            self.subject = subject
            self.groups = groups
            self.clientID = clientID
            self.scopes = scopes
        }
    }

    public var name: String
    /// The `iss` value, compared byte for byte.
    public var issuer: String
    /// At least one must appear in `aud`.
    public var audiences: [String]
    public var algorithms: [JWSAlgorithm]
    public var claims: ClaimNames
    public var leewaySeconds: Int64
    /// `exp − iat` (or `exp − nbf` without `iat`) may not exceed this.
    public var maxLifetimeSeconds: Int64?
    /// `typ` the header must carry (e.g. `at+jwt`, RFC 9068).
    public var requiredType: String?

    public init(name: String, issuer: String, audiences: [String], algorithms: [JWSAlgorithm] = JWSAlgorithm.defaultAllowed,
                claims: ClaimNames = ClaimNames(), leewaySeconds: Int64 = 60, maxLifetimeSeconds: Int64? = nil,
                requiredType: String? = nil) {
        self.name = name
        self.issuer = issuer
        self.audiences = audiences
        self.algorithms = algorithms
        self.claims = claims
        self.leewaySeconds = leewaySeconds
        self.maxLifetimeSeconds = maxLifetimeSeconds
        self.requiredType = requiredType
    }

    /// Parses configured algorithm names. `none`/HS* and unknown names are
    /// errors (a message per bad name), never silently dropped.
    public static func algorithms(named names: [String]) -> Result<[JWSAlgorithm], AlgorithmNameError> {
        var out: [JWSAlgorithm] = []
        for n in names {
            if JWSAlgorithm.isForbidden(n) {
                return .failure(AlgorithmNameError(name: n, message: "algorithm \"\(n)\" is never allowed: the gateway holds only public keys (RFC 8725)"))
            }
            guard let a = JWSAlgorithm(rawValue: n) else {
                let known = JWSAlgorithm.allCases.map(\.rawValue).joined(separator: ", ")
                return .failure(AlgorithmNameError(name: n, message: "unknown algorithm \"\(n)\"; expected one of: \(known)"))
            }
            if !out.contains(a) { out.append(a) }
        }
        return .success(out)
    }
}

/// A configured algorithm name that cannot be used.
public struct AlgorithmNameError: Error, Sendable, Equatable {
    public var name: String
    public var message: String
}
