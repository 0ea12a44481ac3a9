import Foundation
import XCTest
import Gateway
import GatewayConfig
import GatehouseTestSupport
import Identity

/// The identity stage in the running proxy: tokens from a real test issuer,
/// keys fetched through the gateway's own internal HTTP client.
final class IdentityGatewayTests: XCTestCase {
    private func config(upstream: Int, issuer: TestIssuer, policyDir: String? = nil) -> GatehouseConfig {
        let api = RouteConfig(name: "api", pathPrefix: "/api", upstream: UpstreamURL(host: "127.0.0.1", port: upstream),
                              identity: RouteIdentityConfig(
                                requiredScopes: ["tickets.read"],
                                forwardHeaders: .init(subject: "X-Gatehouse-Subject", clientID: "X-Gatehouse-Client"),
                                resource: "https://gw.example/api", resourceMetadata: true))
        let health = RouteConfig(name: "health", pathPrefix: "/health", upstream: UpstreamURL(host: "127.0.0.1", port: upstream),
                                 identity: RouteIdentityConfig(mode: .off))
        let fallback = RouteConfig(name: "rest", upstream: UpstreamURL(host: "127.0.0.1", port: upstream))
        let identity = IdentityConfig(issuers: [IssuerConfig(name: "test", issuer: issuer.issuer, audiences: ["gatehouse"])])
        return GatehouseConfig(loops: 2, listeners: [ListenerConfig(name: "l", address: "127.0.0.1", port: 0)],
                               routes: [api, health, fallback], accessLog: false, policyDirectory: policyDir, identity: identity)
    }

    private func startGateway(upstream: StubUpstream, issuer: TestIssuer) throws -> GatewayServer {
        let server = try GatewayServer(config: config(upstream: upstream.port, issuer: issuer))
        try server.start()
        return server
    }

    private func send(_ port: Int, _ raw: String) throws -> TestMessage {
        let s = try BlockingSocket.connect(port: port)
        defer { s.close() }
        try s.send(raw)
        return try XCTUnwrap(try TestHTTP.read(from: s, isResponse: true))
    }

    func testProtectedResourceMetadataIsServedByTheGateway() throws {
        let issuer = try TestIssuer(algorithms: [.rs256])
        defer { issuer.stop() }
        let upstream = try StubUpstream()
        defer { upstream.stop() }
        let server = try startGateway(upstream: upstream, issuer: issuer)
        defer { server.drain(); server.waitUntilStopped() }
        let port = server.listenAddresses[0].port

        // The path the 401's resource_metadata points at answers with the document, without a token.
        let doc = try send(port, "GET /.well-known/oauth-protected-resource/api HTTP/1.1\r\nHost: gw.example\r\n\r\n")
        XCTAssertEqual(doc.status, 200)
        XCTAssertEqual(doc.header("content-type"), "application/json")
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(doc.body)) as? [String: Any])
        XCTAssertEqual(json["resource"] as? String, "https://gw.example/api")
        XCTAssertEqual(json["authorization_servers"] as? [String], [issuer.issuer])
        XCTAssertEqual(json["scopes_supported"] as? [String], ["tickets.read"])
        XCTAssertEqual(json["bearer_methods_supported"] as? [String], ["header"])
        XCTAssertEqual(upstream.requests.count, 0, "served by the gateway, not forwarded")
        // Other well-known paths are routed as usual (here: the catch-all route, which requires a token).
        XCTAssertEqual(try send(port, "GET /.well-known/oauth-protected-resource/other HTTP/1.1\r\nHost: a\r\n\r\n").status, 401)
    }

    func testTokensAreVerifiedStrippedAndReplacedByIdentityHeaders() throws {
        let issuer = try TestIssuer(algorithms: [.rs256, .es256])
        defer { issuer.stop() }
        let upstream = try StubUpstream()
        defer { upstream.stop() }
        let server = try startGateway(upstream: upstream, issuer: issuer)
        defer { server.drain(); server.waitUntilStopped() }
        let port = server.listenAddresses[0].port

        // No token: 401 with the RFC 9728 pointer, nothing forwarded.
        let missing = try send(port, "GET /api/tickets HTTP/1.1\r\nHost: a\r\n\r\n")
        XCTAssertEqual(missing.status, 401)
        XCTAssertEqual(missing.header("www-authenticate"),
                       "Bearer resource_metadata=\"https://gw.example/.well-known/oauth-protected-resource/api\"")
        XCTAssertTrue(missing.bodyString.contains("\"code\":\"identity_required\""))

        // First valid token: held while the keys are fetched, then forwarded.
        let token = try issuer.token(kid: "RS256-1", payloadJSON: issuer.claims(extra: "\"scope\":\"tickets.read\",\"azp\":\"agent-cli\""))
        let ok = try send(port, "GET /api/tickets HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer \(token)\r\nX-Gatehouse-Subject: root\r\n\r\n")
        XCTAssertEqual(ok.status, 200, ok.bodyString)
        let forwarded = try XCTUnwrap(upstream.requests.last)
        XCTAssertNil(forwarded.header("authorization"))
        XCTAssertEqual(forwarded.headerValues("x-gatehouse-subject"), ["agent-1"])
        XCTAssertEqual(forwarded.header("x-gatehouse-client"), "agent-cli")
        XCTAssertEqual(issuer.discoveryFetches, 1)
        XCTAssertEqual(issuer.jwksFetches, 1)

        // Repeated (cached on whichever loop) and with the other key.
        for kid in ["RS256-1", "ES256-1", "ES256-1"] {
            let t = kid == "RS256-1" ? token : try issuer.token(kid: kid, payloadJSON: issuer.claims(extra: "\"scope\":\"tickets.read\""))
            XCTAssertEqual(try send(port, "GET /api/x HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer \(t)\r\n\r\n").status, 200)
        }
        XCTAssertEqual(issuer.jwksFetches, 1)

        // Missing scope, bad token, token in the query, two headers.
        let noScope = try issuer.token(kid: "ES256-1", payloadJSON: issuer.claims())
        let forbidden = try send(port, "GET /api/x HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer \(noScope)\r\n\r\n")
        XCTAssertEqual(forbidden.status, 403)
        XCTAssertTrue(forbidden.header("www-authenticate")?.contains("error=\"insufficient_scope\", error_description=\"the token lacks a required scope\", scope=\"tickets.read\"") ?? false)
        let expired = try issuer.token(kid: "ES256-1", payloadJSON: issuer.claims(lifetime: -600, extra: "\"scope\":\"tickets.read\""))
        let bad = try send(port, "GET /api/x HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer \(expired)\r\n\r\n")
        XCTAssertEqual(bad.status, 401)
        XCTAssertTrue(bad.header("www-authenticate")?.hasPrefix("Bearer error=\"invalid_token\", error_description=\"the token expired\"") ?? false)
        XCTAssertFalse(bad.bodyString.contains(expired))
        XCTAssertEqual(try send(port, "GET /api/x?access_token=\(token) HTTP/1.1\r\nHost: a\r\n\r\n").status, 400)
        XCTAssertEqual(try send(port, "GET /api/x HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer \(token)\r\nAuthorization: Bearer \(token)\r\n\r\n").status, 400)

        // A route without an identity block requires a token too; `off` does not.
        XCTAssertEqual(try send(port, "GET /other HTTP/1.1\r\nHost: a\r\n\r\n").status, 401)
        XCTAssertEqual(try send(port, "GET /health HTTP/1.1\r\nHost: a\r\n\r\n").status, 200)
        // Exactly the accepted requests reached the upstream.
        XCTAssertEqual(upstream.requests.map(\.target), ["/api/tickets", "/api/x", "/api/x", "/api/x", "/health"])
    }

    func testIssuerDownBeforeAnyKeyFailsClosed() throws {
        let issuer = try TestIssuer(algorithms: [.es256])
        defer { issuer.stop() }
        issuer.setDown(true)
        let upstream = try StubUpstream()
        defer { upstream.stop() }
        let server = try startGateway(upstream: upstream, issuer: issuer)
        defer { server.drain(); server.waitUntilStopped() }
        let token = try issuer.token(kid: "ES256-1", payloadJSON: issuer.claims(extra: "\"scope\":\"tickets.read\""))
        let r = try send(server.listenAddresses[0].port, "GET /api/x HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer \(token)\r\n\r\n")
        XCTAssertEqual(r.status, 503)
        XCTAssertTrue(r.bodyString.contains("\"code\":\"identity_unavailable\""))
        XCTAssertTrue(upstream.requests.isEmpty)
    }
}
