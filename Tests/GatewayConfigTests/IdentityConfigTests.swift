@testable import GatewayConfig
import XCTest

/// The `"identity"` section and the per-route `"identity"` block.
final class IdentityConfigTests: XCTestCase {
    func testExplicitModeOffMeansOffEverywhereWithANotice() throws {
        let config = try loadOK("valid-minimal.json")
        XCTAssertEqual(config.identity, IdentityConfig(issuers: [], explicitlyOff: true))
        XCTAssertEqual(config.effectiveIdentity(for: config.routes[0]).mode, .off)
        XCTAssertTrue(config.identityNotice?.contains("identity checking is OFF on every route") ?? false)
        XCTAssertEqual(config.warnings, [])
    }

    func testFullSection() throws {
        let config = try loadOK("valid-identity.json")
        XCTAssertNil(config.identityNotice)
        let issuers = try XCTUnwrap(config.identity?.issuers)
        XCTAssertEqual(issuers.map(\.name), ["corp", "local"])
        XCTAssertEqual(issuers[0], IssuerConfig(
            name: "corp", issuer: "https://login.example.com/realms/agents", audiences: ["gatehouse", "api://gatehouse"],
            algorithms: ["RS256", "ES256"], subjectClaim: "sub", groupsClaim: "roles", clientIDClaims: ["azp"],
            scopeClaims: ["scp", "scope"], leewaySeconds: 30, maxTokenLifetimeSeconds: 3600, requiredTyp: "at+jwt",
            jwksCacheMinSeconds: 120, jwksCacheMaxSeconds: 3600))
        XCTAssertEqual(issuers[1], IssuerConfig(name: "local", issuer: "http://127.0.0.1:9999", audiences: ["gatehouse"],
                                                jwksURI: "http://127.0.0.1:9999/jwks"))
        let crm = config.effectiveIdentity(for: config.routes[0])
        XCTAssertEqual(crm, RouteIdentityConfig(
            mode: .required, issuers: ["corp"], requiredScopes: ["crm.read"],
            forwardHeaders: .init(subject: "X-Gatehouse-Subject", clientID: "X-Gatehouse-Client"),
            resource: "https://gw.example.com/crm", resourceMetadata: true))
        XCTAssertEqual(config.effectiveIdentity(for: config.routes[1]).mode, .off)
        let fallback = config.effectiveIdentity(for: config.routes[2])
        XCTAssertEqual(fallback.mode, .required)
        XCTAssertEqual(fallback.issuers, ["corp", "local"])
        XCTAssertEqual(config.warnings, [])
    }

    func testErrorsAreLocated() throws {
        XCTAssertEqual(try errorLines("bad-identity-keys.json"), [
            "bad-identity-keys.json:6:19: \"issuer\" in identity issuer \"corp\" must be an https URL (http only to 127.0.0.1 or localhost), got \"http://login.example.com\"",
            "bad-identity-keys.json:7:22: \"audiences\" in identity issuer \"corp\" must not be empty",
            "bad-identity-keys.json:8:33: algorithm \"none\" in identity issuer \"corp\" is never allowed: the gateway holds only public keys, so `none` and HMAC algorithms would let anyone mint tokens (RFC 8725)",
            "bad-identity-keys.json:8:41: algorithm \"HS256\" in identity issuer \"corp\" is never allowed: the gateway holds only public keys, so `none` and HMAC algorithms would let anyone mint tokens (RFC 8725)",
            "bad-identity-keys.json:8:50: unknown algorithm \"XX1\" in identity issuer \"corp\"; expected one of: RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA",
            "bad-identity-keys.json:9:9: unknown key \"claim\" in identity issuer \"corp\"; expected one of: algorithms, audiences, claims, discovery_url, issuer, jwks_cache, jwks_uri, leeway_s, max_token_lifetime_s, required_typ",
            "bad-identity-keys.json:10:23: \"min_s\" in identity jwks_cache must not exceed \"max_s\"",
            "bad-identity-keys.json:15:79: \"mode\" in route identity must be \"required\" or \"off\", got \"maybe\"",
            "bad-identity-keys.json:17:72: \"subject\" in route identity forward_headers must be a header name that is not a framing, hop-by-hop or Authorization header, got \"Authorization\"",
            "bad-identity-keys.json:17:112: \"resource_metadata\": true in route identity needs \"resource\" (the route's public URL)",
        ])
    }

    func testRouteNamingAnUnknownIssuerOrRequiringIdentityWithoutIssuers() {
        let unknown = """
        {"listeners":[{"address":"127.0.0.1","port":8080}],
         "identity":{"issuers":{"a":{"issuer":"https://id.example","audiences":["g"]}}},
         "routes":[{"name":"r","upstream":"http://127.0.0.1:9000","identity":{"issuers":["a","b"]}}]}
        """
        XCTAssertEqual(lines(unknown), ["t.json:3:70: route \"r\" names issuer \"b\", which is not configured; configured: a"])
        let none = """
        {"listeners":[{"address":"127.0.0.1","port":8080}],
         "routes":[{"name":"r","upstream":"http://127.0.0.1:9000","identity":{"required_scopes":["x"]}},
                   {"name":"s","path_prefix":"/s","upstream":"http://127.0.0.1:9000","identity":{"mode":"off"}}]}
        """
        XCTAssertEqual(lines(none), ["t.json:1:1: missing required key \"identity\" in the top-level object: configure token issuers (\"identity\": {\"issuers\": {…}}) or write \"identity\": {\"mode\": \"off\"} to run without identity checks (Docs/IDENTITY.md)", "t.json:2:70: route \"r\" requires identity, but no issuers are configured in \"identity\""])
    }

    func testIdentityIsNeverOffByOmission() {
        let missing = """
        {"listeners":[{"address":"127.0.0.1","port":8080}],"routes":[{"name":"r","upstream":"http://127.0.0.1:9000"}]}
        """
        XCTAssertEqual(lines(missing), ["t.json:1:1: missing required key \"identity\" in the top-level object: configure token issuers (\"identity\": {\"issuers\": {…}}) or write \"identity\": {\"mode\": \"off\"} to run without identity checks (Docs/IDENTITY.md)"])
        let both = """
        {"identity":{"mode":"off","issuers":{}},"listeners":[{"address":"127.0.0.1","port":8080}],
         "routes":[{"name":"r","upstream":"http://127.0.0.1:9000"}]}
        """
        XCTAssertEqual(lines(both), ["t.json:1:21: \"identity\" sets both \"mode\": \"off\" and \"issuers\"; use one"])
        let other = """
        {"identity":{"mode":"on"},"listeners":[{"address":"127.0.0.1","port":8080}],
         "routes":[{"name":"r","upstream":"http://127.0.0.1:9000"}]}
        """
        XCTAssertEqual(lines(other).count, 1)
    }

    func testTwoIssuerConfigsWithOneURLAreRefused() {
        let dup = """
        {"listeners":[{"address":"127.0.0.1","port":8080}],
         "identity":{"issuers":{"a":{"issuer":"https://id.example","audiences":["g"]},"b":{"issuer":"https://id.example","audiences":["h"]}}},
         "routes":[{"name":"r","upstream":"http://127.0.0.1:9000"}]}
        """
        let got = lines(dup)
        XCTAssertEqual(got.count, 1, "\(got)")
        XCTAssertTrue(got.first?.contains("identity issuer \"b\" has the same \"issuer\" URL as \"a\"") ?? false, "\(got)")
    }

    private func lines(_ text: String) -> [String] {
        switch ConfigLoader.parse(bytes: Array(text.utf8), path: "t.json", defaultLoops: 1) {
        case .success: return []
        case .failure(let e): return e.diagnostics.map(\.description)
        }
    }
}
