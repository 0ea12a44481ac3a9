import Policy

/// Who a verified token says the caller is. Produced only by
/// `TokenVerifier` after the signature and every claim check passed.
public struct VerifiedIdentity: Sendable, Hashable {
    public var subject: String
    public var clientID: String?
    public var groups: [String]
    public var scopes: [String]
    /// The configured issuer URL (equal to the token's `iss`).
    public var issuer: String
    /// The token's `exp`, seconds since the epoch.
    public var expiresAt: Int64

    public init(subject: String, clientID: String?, groups: [String], scopes: [String], issuer: String, expiresAt: Int64) {
        self.subject = subject
        self.clientID = clientID
        self.groups = groups
        self.scopes = scopes
        self.issuer = issuer
        self.expiresAt = expiresAt
    }

    /// Attribute key for the issuer (not read by policies; for recording).
    public static let issuerAttribute = "identity.issuer"

    /// Writes the keys `PolicyStage` and recording read (`IdentityAttributes`).
    public func write(into attributes: inout [String: String]) {
        attributes[IdentityAttributes.subject] = subject
        if let clientID { attributes[IdentityAttributes.clientID] = clientID }
        if !groups.isEmpty { attributes[IdentityAttributes.groups] = IdentityAttributes.encodeList(groups) }
        if !scopes.isEmpty { attributes[IdentityAttributes.scopes] = IdentityAttributes.encodeList(scopes) }
        attributes[Self.issuerAttribute] = issuer
    }
}
