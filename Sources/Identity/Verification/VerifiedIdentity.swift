import Policy

/// Who a verified token says the caller is. Produced only by
/// `TokenVerifier` after the signature and every claim check passed.
public struct VerifiedIdentity: Sendable, Hashable {
    public var subject: String
    public var clientID: String?
    public var groups: [String] { didSet { encodedGroups = IdentityAttributes.encodeList(groups) } }
    public var scopes: [String] { didSet { encodedScopes = IdentityAttributes.encodeList(scopes) } }
    /// `groups` and `scopes` as `IdentityAttributes` lists, built once (a
    /// cached identity is written into every request that presents it).
    private var encodedGroups: String
    private var encodedScopes: String
    /// The configured issuer URL (equal to the token's `iss`).
    public var issuer: String
    /// The token's `exp`, seconds since the epoch.
    public var expiresAt: Int64

    public init(subject: String, clientID: String?, groups: [String], scopes: [String], issuer: String, expiresAt: Int64) {
        self.subject = subject
        self.clientID = clientID
        self.groups = groups
        self.scopes = scopes
        encodedGroups = IdentityAttributes.encodeList(groups)
        encodedScopes = IdentityAttributes.encodeList(scopes)
        self.issuer = issuer
        self.expiresAt = expiresAt
    }

    /// Attribute key for the issuer (not read by policies; for recording).
    public static let issuerAttribute = "identity.issuer"

    /// Writes the keys `PolicyStage` and recording read (`IdentityAttributes`).
    public func write(into attributes: inout [String: String]) {
        attributes.reserveCapacity(attributes.count + 5)
        attributes[IdentityAttributes.subject] = subject
        if let clientID { attributes[IdentityAttributes.clientID] = clientID }
        if !groups.isEmpty { attributes[IdentityAttributes.groups] = encodedGroups }
        if !scopes.isEmpty { attributes[IdentityAttributes.scopes] = encodedScopes }
        attributes[Self.issuerAttribute] = issuer
    }
}
