import XCTest
import Foundation
import HTTP1
import Policy
import Identity
import GatehouseTestSupport

/// The stage as the pipeline drives it: responses, attributes, header
/// rewriting, holding while keys are fetched.
final class IdentityStageTests: XCTestCase {
    nonisolated(unsafe) static var issuer: TestIssuer!
    var issuer: TestIssuer { Self.issuer }

    override class func setUp() {
        super.setUp()
        issuer = try! TestIssuer(algorithms: [.rs256, .es256])
    }

    override class func tearDown() {
        issuer.stop()
        super.tearDown()
    }

    private let headers = RouteIdentity.ForwardHeaders(subject: "X-Gatehouse-Subject", clientID: "X-Gatehouse-Client",
                                                       scopes: "X-Gatehouse-Scopes")

    private func stage(requiredScopes: [String] = [], metadata: String? = "https://gw.example/.well-known/oauth-protected-resource/api",
                       verifier: TokenVerifier? = nil) -> IdentityStage {
        let v = verifier ?? makeVerifier(issuer)
        return IdentityStage(verifiers: ["main": v],
                             routes: ["api": RouteIdentity(mode: .required, issuers: ["main"], requiredScopes: requiredScopes,
                                                           forwardHeaders: headers, resourceMetadataURL: metadata),
                                      "open": RouteIdentity(mode: .off)],
                             holdTimeoutMs: 3_000)
    }

    private func context(route: String = "api", target: String = "/api/x", _ fields: [(String, String)]) -> ExchangeContext {
        var h = HTTPHeaders()
        for (n, v) in fields { h.append(name: n, value: v) }
        return ExchangeContext(requestID: "r1", routeName: route, clientAddress: "127.0.0.1:1",
                               head: RequestHead(method: "GET", target: target, headers: h))
    }

    /// Evaluates, and for a hold waits (bounded) for the ticket and evaluates again, as the pipeline does.
    private func run(_ s: IdentityStage, _ ctx: inout ExchangeContext) -> StageVerdict {
        let v = s.evaluate(&ctx)
        guard case .hold(let ticket, _, _) = v else { return v }
        XCTAssertTrue(ticket.reevaluatesOnProceed)
        let got = Mutex2<StageVerdict?>(nil)
        ticket.bind { got.set($0) }
        XCTAssertTrue(waitUntil { got.get() != nil })
        guard case .proceed? = got.get() else { return got.get() ?? v }
        return s.evaluate(&ctx)
    }

    private func response(_ v: StageVerdict, file: StaticString = #filePath, line: UInt = #line) -> LocalResponse? {
        guard case .respond(let r) = v else { XCTFail("expected a response, got \(v)", file: file, line: line); return nil }
        return r
    }

    private func challenge(_ r: LocalResponse?) -> String? { r?.headers.first { $0.name == "WWW-Authenticate" }?.value }

    func testVerifiedRequestProceedsWithAttributesAndRewrittenHeaders() throws {
        let s = stage(requiredScopes: ["read"])
        let t = try issuer.token(kid: "RS256-1", payloadJSON: issuer.claims(extra: "\"scope\":\"read write\",\"azp\":\"cli\",\"groups\":[\"ops\"]"))
        var ctx = context([("Authorization", "Bearer \(t)"), ("X-Gatehouse-Subject", "admin"), ("x-gatehouse-client", "spoof")])
        guard case .proceed = run(s, &ctx) else { return XCTFail("expected proceed") }
        XCTAssertEqual(ctx.attributes[IdentityAttributes.subject], "agent-1")
        XCTAssertEqual(ctx.attributes[IdentityAttributes.clientID], "cli")
        XCTAssertEqual(IdentityAttributes.decodeList(ctx.attributes[IdentityAttributes.scopes]), ["read", "write"])
        XCTAssertEqual(IdentityAttributes.decodeList(ctx.attributes[IdentityAttributes.groups]), ["ops"])
        XCTAssertEqual(RequestIdentity(attributes: ctx.attributes).subject, "agent-1")
        XCTAssertFalse(ctx.head.headers.contains("authorization"))
        XCTAssertEqual(ctx.head.headers.values("x-gatehouse-subject"), ["agent-1"])
        XCTAssertEqual(ctx.head.headers.values("x-gatehouse-client"), ["cli"])
        XCTAssertEqual(ctx.head.headers.values("x-gatehouse-scopes"), ["read write"])
    }

    func testSecondRequestIsACacheHit() throws {
        let fetcher = PlainHTTPFetcher()
        let s = stage(verifier: makeVerifier(issuer, fetcher: fetcher))
        let t = try issuer.token(kid: "ES256-1", payloadJSON: issuer.claims())
        var a = context([("Authorization", "Bearer \(t)")])
        guard case .proceed = run(s, &a) else { return XCTFail() }
        let fetches = fetcher.fetchCount
        var b = context([("Authorization", "Bearer \(t)")])
        guard case .proceed = s.evaluate(&b) else { return XCTFail("a cached token must proceed without holding") }
        XCTAssertEqual(b.attributes[IdentityAttributes.subject], "agent-1")
        XCTAssertEqual(fetcher.fetchCount, fetches)
    }

    func testMissingTokenIs401WithResourceMetadata() {
        var none = context([])
        let r = response(stage().evaluate(&none))
        XCTAssertEqual(r?.status, 401)
        XCTAssertEqual(r?.code, "identity_required")
        XCTAssertEqual(challenge(r), "Bearer resource_metadata=\"https://gw.example/.well-known/oauth-protected-resource/api\"")
        var c = context([])
        XCTAssertEqual(challenge(response(stage(metadata: nil).evaluate(&c))), "Bearer")
    }

    func testInvalidTokenIs401InvalidTokenWithDescription() throws {
        let t = try issuer.token(kid: "RS256-1", payloadJSON: issuer.claims(lifetime: -3600))
        var ctx = context([("Authorization", "Bearer \(t)")])
        let r = response(run(stage(), &ctx))
        XCTAssertEqual(r?.status, 401)
        XCTAssertEqual(r?.code, "invalid_token")
        let c = challenge(r) ?? ""
        XCTAssertTrue(c.hasPrefix("Bearer error=\"invalid_token\", error_description=\"the token expired\""), c)
        XCTAssertTrue(c.contains("resource_metadata="))
        XCTAssertFalse(c.contains(t) || (r?.message.contains(t) ?? true))
        XCTAssertEqual(ctx.attributes[IdentityStage.rejectionAttribute], "expired")
    }

    func testQueryTokenAndDoubleHeaderAre400() throws {
        var a = context(target: "/api/x?access_token=abc", [("Authorization", "Bearer abc")])
        XCTAssertEqual(response(stage().evaluate(&a))?.status, 400)
        var b = context([("Authorization", "Bearer a"), ("Authorization", "Bearer a")])
        let r = response(stage().evaluate(&b))
        XCTAssertEqual(r?.status, 400)
        XCTAssertEqual(r?.code, "invalid_request")
        XCTAssertTrue(challenge(r)?.contains("error=\"invalid_request\"") ?? false)
    }

    func testMissingScopeIs403InsufficientScope() throws {
        let t = try issuer.token(kid: "RS256-1", payloadJSON: issuer.claims(extra: "\"scope\":\"read\""))
        var ctx = context([("Authorization", "Bearer \(t)")])
        let r = response(run(stage(requiredScopes: ["read", "admin"]), &ctx))
        XCTAssertEqual(r?.status, 403)
        XCTAssertEqual(r?.code, "insufficient_scope")
        XCTAssertTrue(challenge(r)?.contains("error=\"insufficient_scope\"") ?? false)
        XCTAssertTrue(challenge(r)?.contains("scope=\"read admin\"") ?? false)
    }

    func testTokenFromAnIssuerTheRouteDoesNotAcceptIs401() throws {
        let other = try TestIssuer(algorithms: [.es256])
        defer { other.stop() }
        let t = try other.token(kid: "ES256-1", payloadJSON: other.claims())
        var ctx = context([("Authorization", "Bearer \(t)")])
        XCTAssertEqual(response(run(stage(), &ctx))?.code, "invalid_token")
    }

    func testOffRoutePassesUntouched() {
        var ctx = context(route: "open", [("Authorization", "Bearer whatever")])
        guard case .proceed = stage().evaluate(&ctx) else { return XCTFail() }
        XCTAssertTrue(ctx.head.headers.contains("authorization"))
        XCTAssertNil(ctx.attributes[IdentityAttributes.subject])
    }

    func testOffRouteStillStripsClientSentIdentityHeaders() {
        // Otherwise a client could pose as a verified identity on a public route.
        var ctx = context(route: "open", [("X-Gatehouse-Subject", "admin"), ("x-gatehouse-scopes", "all")])
        guard case .proceed = stage().evaluate(&ctx) else { return XCTFail() }
        XCTAssertFalse(ctx.head.headers.contains("x-gatehouse-subject"))
        XCTAssertFalse(ctx.head.headers.contains("x-gatehouse-scopes"))
    }

    func testConnectionHeaderCannotStripTheVerifiedIdentity() throws {
        let t = try issuer.token(kid: "RS256-1", payloadJSON: issuer.claims(extra: "\"scope\":\"read\""))
        var ctx = context([("Authorization", "Bearer \(t)")])
        ctx.head.connectionTokens = ["x-gatehouse-subject", "X-Gatehouse-Scopes", "keep-alive"]
        guard case .proceed = run(stage(), &ctx) else { return XCTFail("expected proceed") }
        XCTAssertEqual(ctx.head.connectionTokens, ["keep-alive"], "identity names leave the Connection list")
        XCTAssertEqual(ctx.head.headers.values("x-gatehouse-subject"), ["agent-1"])
    }

    func testRouteUnknownToTheStageIsRefused() {
        var ctx = context(route: "not-configured", [])
        XCTAssertEqual(response(stage().evaluate(&ctx))?.status, 503, "fail closed, never proceed")
    }

    func testControlCharactersInScopesOrGroupsAreRefused() throws {
        for extra in ["\"scope\":\"read\\nadmin\"", "\"groups\":[\"ops\\u0000x\"]"] {
            let t = try issuer.token(kid: "RS256-1", payloadJSON: issuer.claims(extra: extra))
            var ctx = context([("Authorization", "Bearer \(t)")])
            XCTAssertEqual(response(run(stage(), &ctx))?.code, "invalid_token", extra)
        }
    }

    func testFirstRequestHoldsUntilKeysArriveThenProceeds() throws {
        let s = stage()
        let t = try issuer.token(kid: "RS256-1", payloadJSON: issuer.claims())
        var ctx = context([("Authorization", "Bearer \(t)")])
        let first = s.evaluate(&ctx)
        guard case .hold(_, let timeout, let onTimeout) = first else { return XCTFail("expected a hold, got \(first)") }
        XCTAssertEqual(timeout, 3_000)
        XCTAssertEqual(onTimeout.status, 503)
        XCTAssertEqual(onTimeout.code, "identity_unavailable")
        var again = context([("Authorization", "Bearer \(t)")])
        guard case .proceed = run(s, &again) else { return XCTFail() }
    }

    func testIssuerDownWithNoKeysFailsClosed503() throws {
        let down = try TestIssuer(algorithms: [.es256])
        defer { down.stop() }
        down.setDown(true)
        let s = IdentityStage(verifiers: ["d": makeVerifier(down)],
                              routes: ["api": RouteIdentity(mode: .required, issuers: ["d"])])
        let t = try down.token(kid: "ES256-1", payloadJSON: down.claims())
        var ctx = context([("Authorization", "Bearer \(t)")])
        let r = response(run(s, &ctx))
        XCTAssertEqual(r?.status, 503)
        XCTAssertEqual(r?.code, "identity_unavailable")
    }

    func testProtectedResourceMetadataDocument() throws {
        let m = ProtectedResourceMetadata(resource: "https://gw.example/api", authorizationServers: ["https://id.example"],
                                          scopesSupported: ["read", "write"])
        XCTAssertEqual(String(decoding: m.json(), as: UTF8.self),
                       "{\"resource\":\"https://gw.example/api\",\"authorization_servers\":[\"https://id.example\"],"
                       + "\"scopes_supported\":[\"read\",\"write\"],\"bearer_methods_supported\":[\"header\"]}")
        XCTAssertEqual(ProtectedResourceMetadata.wellKnownPath(forResourcePath: "/api/"), "/.well-known/oauth-protected-resource/api")
        XCTAssertEqual(ProtectedResourceMetadata.wellKnownPath(forResourcePath: "/"), "/.well-known/oauth-protected-resource")
    }
}

/// A tiny lock-protected box for values set from another thread.
final class Mutex2<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: T
    init(_ v: T) { value = v }
    func get() -> T { lock.lock(); defer { lock.unlock() }; return value }
    func set(_ v: T) { lock.lock(); value = v; lock.unlock() }
}
