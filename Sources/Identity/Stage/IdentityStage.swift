import Glibc
import HTTP1
import Policy
import TLS

/// The first request stage: no request reaches an upstream without a
/// verified bearer token unless its route says `identity: off`.
///
/// When it runs: before `PolicyStage`, which reads what it writes.
/// What it does:
/// 1. Routes in mode `off` (or not listed) proceed untouched.
/// 2. The token comes from exactly one `Authorization: Bearer` header
///    (`BearerExtraction`; 400/401 otherwise).
/// 3. A token verified before on this thread and not yet expired is taken
///    from the per-loop cache (SHA-256 of the token; no lock).
/// 4. Otherwise the issuer is chosen by the token's `iss` among the route's
///    issuers and `TokenVerifier` checks it. When the keys it needs are
///    being fetched, the exchange is held (deadline `holdTimeoutMs`, then
///    503 `identity_unavailable`) and re-evaluated once the fetch settles.
/// 5. Required scopes are checked (403 `insufficient_scope`).
/// 6. The identity goes into `context.attributes` (`IdentityAttributes`,
///    for policy and recording); `Authorization` and client-sent copies of
///    the route's identity headers are removed, and the verified values are
///    added under those headers.
public struct IdentityStage: RequestStage {
    public let name = "identity"
    public let verifiers: [String: TokenVerifier]
    public let routes: [String: RouteIdentity]
    public let holdTimeoutMs: Int
    private let caches: PerThreadCache
    private let wallClock: @Sendable () -> Int64

    /// - Parameters:
    ///   - verifiers: by issuer config name.
    ///   - routes: by route name; routes absent here are not checked.
    ///   - wallClock: Unix time in seconds (tests inject their own).
    public init(verifiers: [String: TokenVerifier], routes: [String: RouteIdentity], holdTimeoutMs: Int = 5_000,
                cacheCapacity: Int = 10_000,
                wallClock: @escaping @Sendable () -> Int64 = { Int64(time(nil)) }) {
        self.verifiers = verifiers
        self.routes = routes
        self.holdTimeoutMs = holdTimeoutMs
        caches = PerThreadCache(capacity: cacheCapacity)
        self.wallClock = wallClock
    }

    public func evaluate(_ context: inout ExchangeContext) -> StageVerdict {
        guard let route = routes[context.routeName], route.mode == .required else { return .proceed }
        let metadata = route.resourceMetadataURL
        let token: [UInt8]
        switch BearerExtraction.extract(context.head) {
        case .missing: return .respond(IdentityResponses.missing(resourceMetadata: metadata))
        case .invalidRequest(let why): return .respond(IdentityResponses.invalidRequest(why, resourceMetadata: metadata))
        case .token(let t): token = t
        }
        let now = wallClock()
        let cache = caches.current
        let digest = VerifiedTokenCache.key(for: token)
        if let hit = cache.lookup(digest: digest, now: now), route.issuers.contains(hit.issuerName) {
            return accept(hit.identity, route: route, context: &context)
        }
        let jws: CompactJWS
        switch CompactJWS.parse(token) {
        case .failure(let r): return .respond(IdentityResponses.invalidToken(r, resourceMetadata: metadata))
        case .success(let j): jws = j
        }
        let iss = jws.payload["iss"]?.stringValue
        guard let issuerName = route.issuers.first(where: { verifiers[$0]?.settings.issuer == iss }),
              let verifier = verifiers[issuerName] else {
            let r = TokenRejection(.wrongIssuer, "the token's \"iss\" is not an issuer this route accepts")
            return .respond(IdentityResponses.invalidToken(r, resourceMetadata: metadata))
        }
        switch verifier.verify(jws, now: now) {
        case .verified(let identity):
            cache.insert(digest: digest, identity: identity, issuerName: issuerName)
            return accept(identity, route: route, context: &context)
        case .rejected(let r):
            context.attributes[Self.rejectionAttribute] = r.reason.rawValue
            return .respond(IdentityResponses.invalidToken(r, resourceMetadata: metadata))
        case .unavailable:
            context.attributes[Self.rejectionAttribute] = "keys_unavailable"
            return .respond(IdentityResponses.unavailable())
        case .pending:
            let ticket = HoldTicket(label: "identity keys \(issuerName)", reevaluatesOnProceed: true)
            if !verifier.keys.notifyWhenSettled({ ticket.resolve(.proceed) }) { ticket.resolve(.proceed) }
            return .hold(ticket, timeoutMs: holdTimeoutMs, onTimeout: IdentityResponses.unavailable())
        }
    }

    /// Attribute holding the reason code of a rejected token (for recording).
    public static let rejectionAttribute = "identity.rejected"

    private func accept(_ identity: VerifiedIdentity, route: RouteIdentity, context: inout ExchangeContext) -> StageVerdict {
        identity.write(into: &context.attributes)
        if !route.requiredScopes.allSatisfy(identity.scopes.contains) {
            return .respond(IdentityResponses.insufficientScope(route.requiredScopes, resourceMetadata: route.resourceMetadataURL))
        }
        context.head.headers.removeAll("authorization")
        let h = route.forwardHeaders
        for name in h.lowercasedNames { context.head.headers.removeAll(name) }
        func add(_ name: String?, _ value: String?) {
            guard let name, let value, HTTPHeaders.isValidFieldValue(value) else { return }
            context.head.headers.append(name: name, value: value)
        }
        add(h.subject, identity.subject)
        add(h.clientID, identity.clientID)
        add(h.groups, identity.groups.isEmpty ? nil : identity.groups.joined(separator: ","))
        add(h.scopes, identity.scopes.isEmpty ? nil : identity.scopes.joined(separator: " "))
        add(h.issuer, identity.issuer)
        return .proceed
    }
}
