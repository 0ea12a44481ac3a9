import GatehouseCore

/// The parts of an OpenID Provider configuration
/// (`/.well-known/openid-configuration`) the gateway uses.
public struct DiscoveryDocument: Sendable, Equatable {
    public var issuer: String
    public var jwksURI: String

    /// The discovery URL for an issuer: the issuer with any trailing `/`
    /// removed, then `/.well-known/openid-configuration` (OIDC Discovery 4).
    public static func url(forIssuer issuer: String) -> String {
        var base = issuer
        while base.hasSuffix("/") { base.removeLast() }
        return base + "/.well-known/openid-configuration"
    }

    /// Parses the document and checks that its `issuer` is exactly
    /// `expectedIssuer` (OIDC Discovery 4.3) and that `jwks_uri` is https
    /// (or http to a loopback address, for tests and sidecars).
    public static func parse(_ body: [UInt8], expectedIssuer: String) -> Result<DiscoveryDocument, DocumentError> {
        let root: JSONNode
        do { root = try JSONParser.parse(body) } catch {
            return .failure(DocumentError("discovery document is not valid JSON: \(error)"))
        }
        guard let issuer = root["issuer"]?.stringValue else {
            return .failure(DocumentError("discovery document has no \"issuer\" string"))
        }
        guard issuer == expectedIssuer else {
            return .failure(DocumentError("discovery document names issuer \"\(issuer)\", expected \"\(expectedIssuer)\""))
        }
        guard let jwks = root["jwks_uri"]?.stringValue else {
            return .failure(DocumentError("discovery document has no \"jwks_uri\" string"))
        }
        guard isAcceptableFetchURL(jwks) else {
            return .failure(DocumentError("\"jwks_uri\" must be an https URL (http only to 127.0.0.1 or localhost)"))
        }
        return .success(DiscoveryDocument(issuer: issuer, jwksURI: jwks))
    }

    /// https anywhere; plain http only to a loopback host.
    public static func isAcceptableFetchURL(_ url: String) -> Bool {
        let lower = url.lowercased()
        if lower.hasPrefix("https://") { return true }
        for host in ["http://127.0.0.1:", "http://127.0.0.1/", "http://localhost:", "http://localhost/", "http://[::1]:", "http://[::1]/"]
            where lower.hasPrefix(host) { return true }
        return false
    }
}
