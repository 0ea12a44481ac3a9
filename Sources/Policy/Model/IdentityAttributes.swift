/// The `ExchangeContext.attributes` keys that policy identity conditions
/// read. The identity stage (a later issue) writes them after verifying a
/// token; until then nothing sets them and identity conditions see an
/// anonymous request.
///
/// List-valued attributes hold one entry per line (`"\n"`-separated), so
/// group names may contain spaces and commas.
public enum IdentityAttributes {
    /// The verified subject (`sub`).
    public static let subject = "identity.subject"
    /// Group or role names, one per line.
    public static let groups = "identity.groups"
    /// The OAuth client ID (`client_id` or `azp`).
    public static let clientID = "identity.client_id"
    /// Granted scopes, one per line.
    public static let scopes = "identity.scopes"

    /// Encodes a list for `groups` or `scopes`.
    public static func encodeList(_ items: [String]) -> String { items.joined(separator: "\n") }

    /// Decodes a list written by `encodeList`; empty lines are dropped.
    public static func decodeList(_ value: String?) -> [String] {
        guard let value else { return [] }
        return value.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }
}

/// The identity facts a request carries, read from `ExchangeContext.attributes`.
public struct RequestIdentity: Sendable, Hashable {
    public var subject: String?
    public var groups: [String]
    public var clientID: String?
    public var scopes: [String]

    public init(subject: String? = nil, groups: [String] = [], clientID: String? = nil, scopes: [String] = []) {
        self.subject = subject
        self.groups = groups
        self.clientID = clientID
        self.scopes = scopes
    }

    /// Reads the keys defined in `IdentityAttributes`.
    public init(attributes: [String: String]) {
        if attributes.isEmpty {  // identity off: four lookups (each hashing its key) saved
            self.init()
            return
        }
        self.init(subject: attributes[IdentityAttributes.subject],
                  groups: IdentityAttributes.decodeList(attributes[IdentityAttributes.groups]),
                  clientID: attributes[IdentityAttributes.clientID],
                  scopes: IdentityAttributes.decodeList(attributes[IdentityAttributes.scopes]))
    }

    /// A request is authenticated when it has a subject or a client ID.
    public var isAuthenticated: Bool { subject != nil || clientID != nil }
}
