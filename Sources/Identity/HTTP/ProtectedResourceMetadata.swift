import GatehouseCore

/// The RFC 9728 Protected Resource Metadata document a route publishes at
/// `/.well-known/oauth-protected-resource[/path]`, so that MCP and OAuth
/// clients learn which authorization servers issue tokens for it.
public struct ProtectedResourceMetadata: Sendable, Equatable {
    /// The resource identifier (the route's public URL).
    public var resource: String
    /// Issuer URLs of the route's issuers.
    public var authorizationServers: [String]
    public var scopesSupported: [String]

    public init(resource: String, authorizationServers: [String], scopesSupported: [String]) {
        self.resource = resource
        self.authorizationServers = authorizationServers
        self.scopesSupported = scopesSupported
    }

    /// The well-known path for a resource path (RFC 9728 section 3.1):
    /// `/.well-known/oauth-protected-resource` followed by the resource's
    /// path unless that is `/` or empty.
    public static func wellKnownPath(forResourcePath path: String) -> String {
        let base = "/.well-known/oauth-protected-resource"
        var p = path
        while p.hasSuffix("/") { p.removeLast() }
        return p.isEmpty ? base : base + (p.hasPrefix("/") ? p : "/" + p)
    }

    /// The JSON document (`bearer_methods_supported` is always `["header"]`).
    public func json() -> [UInt8] {
        var out: [UInt8] = []
        func list(_ items: [String]) {
            out.append(UInt8(ascii: "["))
            for (i, s) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSONOutput.appendString(s, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        }
        out += Array("{\"resource\":".utf8)
        JSONOutput.appendString(resource, to: &out)
        out += Array(",\"authorization_servers\":".utf8)
        list(authorizationServers)
        if !scopesSupported.isEmpty {
            out += Array(",\"scopes_supported\":".utf8)
            list(scopesSupported)
        }
        out += Array(",\"bearer_methods_supported\":[\"header\"]}".utf8)
        return out
    }
}
