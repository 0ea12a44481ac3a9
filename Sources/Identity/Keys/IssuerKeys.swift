import GatehouseCore
import Synchronization

/// One issuer's verification keys, shared by every event loop: drives a
/// `KeyStoreMachine` and performs its fetches through a `DocumentFetcher`
/// (discovery first unless a `jwks_uri` is configured, then the JWKS).
///
/// Reads take one uncontended lock and never wait: a verification that
/// needs keys still being fetched gets `.pending` and registers with
/// `notifyWhenSettled`, which the identity stage turns into a held exchange.
public final class IssuerKeys: Sendable {
    /// What a verification can do with the keys known now.
    public enum Lookup: Sendable {
        /// Keys that fit the token's `kid` and `alg` (possibly none, when the
        /// `kid` exists but its key does not fit the algorithm).
        case keys([JSONWebKey])
        /// A fetch is running that may bring the key; wait for it.
        case pending
        /// The `kid` is unknown and a refetch is not allowed yet (rate limit).
        case unknownKid
        /// No key has ever been fetched and no fetch is running (the issuer
        /// is down; retried with backoff).
        case unavailable
    }

    private struct State {
        var machine: KeyStoreMachine
        var keys: JWKSet?
        var jwksURI: String?
        var waiters: [@Sendable () -> Void] = []
        var lastError: String?
    }

    public let issuer: String
    private let discoveryURL: String
    private let configuredJWKSURI: String?
    private let fetcher: any DocumentFetcher
    private let fetchTimeoutMs: Int
    private let clock: @Sendable () -> Int64
    private let log: @Sendable (String) -> Void
    private let state: Mutex<State>

    /// - Parameters:
    ///   - discoveryURL: defaults to `issuer` + `/.well-known/openid-configuration`.
    ///   - jwksURI: skips discovery when set.
    ///   - clock: monotonic milliseconds (tests inject their own).
    ///   - log: one line per fetch failure or skipped key; never token data.
    public init(issuer: String, discoveryURL: String? = nil, jwksURI: String? = nil,
                timing: KeyStoreMachine.Timing = KeyStoreMachine.Timing(), fetcher: any DocumentFetcher,
                fetchTimeoutMs: Int = 5_000,
                clock: @escaping @Sendable () -> Int64 = { Int64(MonotonicClock.now() / 1_000_000) },
                log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.issuer = issuer
        self.discoveryURL = discoveryURL ?? DiscoveryDocument.url(forIssuer: issuer)
        configuredJWKSURI = jwksURI
        self.fetcher = fetcher
        self.fetchTimeoutMs = fetchTimeoutMs
        self.clock = clock
        self.log = log
        state = Mutex(State(machine: KeyStoreMachine(timing: timing), jwksURI: jwksURI))
    }

    /// Keys for a token's `kid` and `alg`; may start a fetch (first use,
    /// background refresh, unknown `kid`) without waiting for it.
    public func lookup(kid: String?, alg: JWSAlgorithm) -> Lookup {
        let now = clock()
        var fetch = false
        let result: Lookup = state.withLock { s in
            if s.machine.event(.tick(now: now)) == .fetch { fetch = true }
            guard let keys = s.keys else { return s.machine.fetching ? .pending : .unavailable }
            let found = keys.candidates(kid: kid, alg: alg)
            if !found.isEmpty { return .keys(found) }
            guard let kid, !keys.contains(kid: kid) else { return .keys([]) }
            if s.machine.event(.unknownKid(now: now)) == .fetch { fetch = true }
            return s.machine.fetching ? .pending : .unknownKid
        }
        if fetch { startFetch() }
        return result
    }

    /// Runs `callback` (on the fetcher's thread) when the running fetch
    /// finishes, successfully or not. Returns false, without keeping the
    /// callback, when no fetch is running (the caller should look again).
    public func notifyWhenSettled(_ callback: @escaping @Sendable () -> Void) -> Bool {
        state.withLock { s in
            guard s.machine.fetching else { return false }
            s.waiters.append(callback)
            return true
        }
    }

    /// Lets time-based refreshes and retries start without traffic; call
    /// periodically (e.g. from a timer) if wanted.
    public func tick() {
        let now = clock()
        let fetch = state.withLock { $0.machine.event(.tick(now: now)) == .fetch }
        if fetch { startFetch() }
    }

    /// Fetches started so far.
    public var fetchCount: Int { state.withLock { $0.machine.fetchCount } }
    /// The keys in use, if any.
    public var currentKeys: JWKSet? { state.withLock { $0.keys } }
    /// Why the last fetch failed (nil after a success).
    public var lastError: String? { state.withLock { $0.lastError } }

    // MARK: fetching

    private func startFetch() {
        if let uri = state.withLock({ $0.jwksURI }) {
            fetchJWKS(uri)
            return
        }
        let issuer = self.issuer
        fetcher.fetch(discoveryURL, timeoutMs: fetchTimeoutMs) { [self] result in
            switch result {
            case .failure(let e):
                finish(.failure(DocumentError("discovery \(discoveryURL): \(e.message)")), maxAge: nil)
            case .success(let doc) where doc.status != 200:
                finish(.failure(DocumentError("discovery \(discoveryURL): HTTP \(doc.status)")), maxAge: nil)
            case .success(let doc):
                switch DiscoveryDocument.parse(doc.body, expectedIssuer: issuer) {
                case .failure(let e): finish(.failure(e), maxAge: nil)
                case .success(let d):
                    state.withLock { $0.jwksURI = d.jwksURI }
                    fetchJWKS(d.jwksURI)
                }
            }
        }
    }

    private func fetchJWKS(_ uri: String) {
        fetcher.fetch(uri, timeoutMs: fetchTimeoutMs) { [self] result in
            switch result {
            case .failure(let e): finish(.failure(DocumentError("JWKS \(uri): \(e.message)")), maxAge: nil)
            case .success(let doc) where doc.status != 200:
                finish(.failure(DocumentError("JWKS \(uri): HTTP \(doc.status)")), maxAge: nil)
            case .success(let doc):
                switch JWKSet.parse(doc.body) {
                case .failure(let e): finish(.failure(DocumentError("JWKS \(uri): \(e.message)")), maxAge: nil)
                case .success(let set) where set.keys.isEmpty:
                    finish(.failure(DocumentError("JWKS \(uri): no usable key (\(set.skipped.joined(separator: "; ")))")), maxAge: nil)
                case .success(let set):
                    for s in set.skipped { log("identity: issuer \(issuer): skipped a JWKS key: \(s)") }
                    finish(.success(set), maxAge: CacheControl.maxAge(doc.cacheControl))
                }
            }
        }
    }

    private func finish(_ result: Result<JWKSet, DocumentError>, maxAge: Int64?) {
        let now = clock()
        let waiters: [@Sendable () -> Void] = state.withLock { s in
            switch result {
            case .success(let set):
                s.keys = set
                s.lastError = nil
                _ = s.machine.event(.fetched(maxAgeSeconds: maxAge, now: now))
            case .failure(let e):
                s.lastError = e.message
                // A discovered jwks_uri that failed is looked up again next time.
                if configuredJWKSURI == nil { s.jwksURI = nil }
                _ = s.machine.event(.fetchFailed(now: now))
            }
            let w = s.waiters
            s.waiters = []
            return w
        }
        if case .failure(let e) = result { log("identity: issuer \(issuer): key fetch failed: \(e.message)") }
        for w in waiters { w() }
    }
}
