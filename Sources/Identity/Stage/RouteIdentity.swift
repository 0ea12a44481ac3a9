/// What the identity stage does on one route (from the route's `identity`
/// block, or the defaults when issuers exist and the route has none).
public struct RouteIdentity: Sendable, Equatable {
    public enum Mode: String, Sendable, Equatable { case required, off }

    /// Request headers that carry verified facts upstream. Any copy the
    /// client sent is removed first; nil means not sent.
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

        /// Configured header names, lowercased.
        public var lowercasedNames: [String] {
            [subject, clientID, groups, scopes, issuer].compactMap { $0?.lowercased() }
        }
    }

    public var mode: Mode
    /// Issuer config names a token may come from.
    public var issuers: [String]
    /// Every one must be granted (403 `insufficient_scope` otherwise).
    public var requiredScopes: [String]
    public var forwardHeaders: ForwardHeaders
    /// The absolute URL of the route's RFC 9728 metadata, put into every
    /// 401's `WWW-Authenticate` as `resource_metadata`; nil when not served.
    public var resourceMetadataURL: String?

    public init(mode: Mode, issuers: [String] = [], requiredScopes: [String] = [],
                forwardHeaders: ForwardHeaders = ForwardHeaders(), resourceMetadataURL: String? = nil) {
        self.mode = mode
        self.issuers = issuers
        self.requiredScopes = requiredScopes
        self.forwardHeaders = forwardHeaders
        self.resourceMetadataURL = resourceMetadataURL
    }
}
