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
    /// Every identity header name any route forwards (lowercased): stripped
    /// from client requests on every route, `off` ones included, so a
    /// client can never pose as a verified identity.
    private let allForwardHeaderNames: Set<String>

    /// - Parameters:
    ///   - verifiers: by issuer config name.
    ///   - routes: by route name; a route absent here is refused (503), never let through.
    ///   - wallClock: Unix time in seconds (tests inject their own).
    public init(verifiers: [String: TokenVerifier], routes: [String: RouteIdentity], holdTimeoutMs: Int = 5_000,
                cacheCapacity: Int = 10_000,
                wallClock: @escaping @Sendable () -> Int64 = { Int64(time(nil)) }) {
        self.verifiers = verifiers
        self.routes = routes
        self.holdTimeoutMs = holdTimeoutMs
        caches = PerThreadCache(capacity: cacheCapacity)
        self.wallClock = wallClock
        allForwardHeaderNames = Set(routes.values.flatMap(\.lowercasedForwardHeaderNames))
    }

    /// Removes client-sent copies of identity headers, and identity header
    /// names from the client's `Connection` list (which would otherwise make
    /// the gateway drop the verified values it adds).
    private func stripClientIdentityHeaders(_ context: inout ExchangeContext) {
        if allForwardHeaderNames.isEmpty { return }
        for name in allForwardHeaderNames { context.head.headers.removeAll(name) }
        context.head.connectionTokens.removeAll { allForwardHeaderNames.contains($0.lowercased()) }
    }

    public func evaluate(_ context: inout ExchangeContext) -> StageVerdict {
        // Fail closed: a route the stage was not told about is refused.
        guard let route = routes[context.routeName] else { return .respond(IdentityResponses.unavailable()) }
        stripClientIdentityHeaders(&context)
        guard route.mode == .required else { return .proceed }
        let metadata = route.resourceMetadataURL
        let index: Int
        switch BearerExtraction.locate(context.head) {
        case .missing: return .respond(IdentityResponses.missing(resourceMetadata: metadata))
        case .invalidRequest(let why): return .respond(IdentityResponses.invalidRequest(why, resourceMetadata: metadata))
        case .field(let i): index = i
        }
        // Hash the token where it lies; copy it only on a cache miss.
        guard let digest = context.head.headers.withField(at: index, { _, value in
            BearerExtraction.tokenRange(value).map { SHA256.hash(UnsafeRawBufferPointer(rebasing: value[$0])) }
        }) else {
            return .respond(IdentityResponses.invalidRequest("the Authorization header does not hold a bearer token",
                                                             resourceMetadata: metadata))
        }
        let now = wallClock()
        let cache = caches.current
        // A hit means these exact bytes passed every check before.
        if let hit = cache.lookup(digest: digest, now: now), route.issuers.contains(hit.issuerName) {
            return accept(hit.identity, route: route, context: &context)
        }
        let token: [UInt8]
        switch BearerExtraction.extract(context.head) {
        case .token(let t): token = t
        case .missing: return .respond(IdentityResponses.missing(resourceMetadata: metadata))
        case .invalidRequest(let why): return .respond(IdentityResponses.invalidRequest(why, resourceMetadata: metadata))
        }
        let jws: CompactJWS
        switch CompactJWS.parse(token) {
        case .failure(let r):
            context.attributes[Self.rejectionAttribute] = r.reason.rawValue
            return .respond(IdentityResponses.invalidToken(r, resourceMetadata: metadata))
        case .success(let j): jws = j
        }
        let iss = jws.payload["iss"]?.stringValue
        guard let issuerName = route.issuers.first(where: { verifiers[$0]?.settings.issuer == iss }),
              let verifier = verifiers[issuerName] else {
            let r = TokenRejection(.wrongIssuer, "the token's \"iss\" is not an issuer this route accepts")
            context.attributes[Self.rejectionAttribute] = r.reason.rawValue
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
        // Policies see groups and scopes as newline-separated lists: a
        // control character inside one would split it into others.
        func hasControl(_ v: String) -> Bool { v.utf8.contains { $0 < 0x20 || $0 == 0x7f } }
        if hasControl(identity.subject) || identity.groups.contains(where: hasControl)
            || identity.scopes.contains(where: hasControl) {
            let r = TokenRejection(.badClaim, "an identity claim holds control characters")
            return .respond(IdentityResponses.invalidToken(r, resourceMetadata: route.resourceMetadataURL))
        }
        identity.write(into: &context.attributes)
        if !route.requiredScopes.allSatisfy(identity.scopes.contains) {
            return .respond(IdentityResponses.insufficientScope(route.requiredScopes, resourceMetadata: route.resourceMetadataURL))
        }
        let h = route.forwardHeaders
        // A value a header cannot carry unambiguously (control characters,
        // or the list separator inside one group or scope) is refused, not
        // dropped: the upstream must never see a partial identity.
        let groups = identity.groups.joined(separator: ",")
        let scopes = identity.scopes.joined(separator: " ")
        let unsafe = (h.subject != nil && !HTTPHeaders.isValidFieldValue(identity.subject))
            || (h.clientID != nil && !(identity.clientID.map(HTTPHeaders.isValidFieldValue) ?? true))
            || (h.issuer != nil && !HTTPHeaders.isValidFieldValue(identity.issuer))
            || (h.groups != nil && (!HTTPHeaders.isValidFieldValue(groups) || identity.groups.contains { $0.contains(",") }))
            || (h.scopes != nil && (!HTTPHeaders.isValidFieldValue(scopes)
                                    || identity.scopes.contains { $0.contains(" ") || $0.contains("\t") }))
        if unsafe {
            let r = TokenRejection(.badClaim, "an identity claim holds characters that cannot be forwarded in a header")
            return .respond(IdentityResponses.invalidToken(r, resourceMetadata: route.resourceMetadataURL))
        }
        context.head.headers.removeAll("authorization")
        func add(_ name: String?, _ value: String?) {
            guard let name, let value else { return }
            context.head.headers.append(name: name, value: value)
        }
        add(h.subject, identity.subject)
        add(h.clientID, identity.clientID)
        add(h.groups, identity.groups.isEmpty ? nil : groups)
        add(h.scopes, identity.scopes.isEmpty ? nil : scopes)
        add(h.issuer, identity.issuer)
        return .proceed
    }
}
