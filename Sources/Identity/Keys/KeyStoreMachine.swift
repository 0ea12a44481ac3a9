/// When one issuer's keys are fetched, as a pure state machine: fed events
/// with the current monotonic time (milliseconds), it answers whether to
/// start a fetch now. It never performs I/O; `IssuerKeys` drives it.
///
/// Rules:
/// - the first key request starts a fetch; until one succeeds, failures are
///   retried with a backoff (1 s doubling to 30 s);
/// - a successful fetch is fresh for `Cache-Control: max-age` clamped to
///   `[minTTL, maxTTL]` (`defaultTTL` without a header); a background
///   refresh starts once 80% of that has passed, while the current keys stay
///   in use;
/// - an unknown `kid` starts at most one fetch per `unknownKidInterval`
///   (10 s) per issuer, and none while a fetch is already running (the
///   requests that asked wait for that one: coalescing);
/// - a failed refresh keeps the last good keys; they are never discarded
///   because the issuer is down (fail closed only with no key at all).
public struct KeyStoreMachine: Sendable, Equatable {
    public struct Timing: Sendable, Equatable {
        public var minTTLMs: Int64
        public var maxTTLMs: Int64
        public var defaultTTLMs: Int64
        public var unknownKidIntervalMs: Int64
        public var retryMinMs: Int64
        public var retryMaxMs: Int64

        public init(minTTLMs: Int64 = 60_000, maxTTLMs: Int64 = 86_400_000, defaultTTLMs: Int64 = 3_600_000,
                    unknownKidIntervalMs: Int64 = 10_000, retryMinMs: Int64 = 1_000, retryMaxMs: Int64 = 30_000) {
            self.minTTLMs = minTTLMs
            self.maxTTLMs = maxTTLMs
            self.defaultTTLMs = min(max(defaultTTLMs, minTTLMs), maxTTLMs)
            self.unknownKidIntervalMs = unknownKidIntervalMs
            self.retryMinMs = retryMinMs
            self.retryMaxMs = retryMaxMs
        }
    }

    public enum Event: Sendable, Equatable {
        /// A verification needs keys (none known yet) or the clock moved.
        case tick(now: Int64)
        /// A token named a `kid` the current keys do not have.
        case unknownKid(now: Int64)
        /// A fetch succeeded; `maxAgeSeconds` from `Cache-Control`.
        case fetched(maxAgeSeconds: Int64?, now: Int64)
        case fetchFailed(now: Int64)
    }

    public enum Action: Sendable, Equatable { case none, fetch }

    public let timing: Timing
    public private(set) var hasKeys = false
    public private(set) var fetching = false
    /// When the current keys should be refreshed (background).
    public private(set) var refreshAt: Int64 = 0
    /// When the current keys' lifetime ends (informational: they stay in use).
    public private(set) var expiresAt: Int64 = 0
    public private(set) var lastUnknownKidFetch: Int64?
    public private(set) var consecutiveFailures = 0
    public private(set) var retryAt: Int64 = 0
    /// Total fetches started, for tests and metrics.
    public private(set) var fetchCount = 0

    public init(timing: Timing = Timing()) { self.timing = timing }

    public mutating func event(_ event: Event) -> Action {
        switch event {
        case .tick(let now):
            guard !fetching else { return .none }
            if !hasKeys { return now >= retryAt ? start() : .none }
            if now >= refreshAt, now >= retryAt { return start() }
            return .none
        case .unknownKid(let now):
            guard !fetching else { return .none }
            if let last = lastUnknownKidFetch, now - last < timing.unknownKidIntervalMs { return .none }
            if !hasKeys, now < retryAt { return .none }
            lastUnknownKidFetch = now
            return start()
        case .fetched(let maxAge, let now):
            fetching = false
            hasKeys = true
            consecutiveFailures = 0
            retryAt = 0
            let ttl = maxAge.map { min(max($0 * 1000, timing.minTTLMs), timing.maxTTLMs) } ?? timing.defaultTTLMs
            expiresAt = now + ttl
            refreshAt = now + ttl * 8 / 10
            return .none
        case .fetchFailed(let now):
            fetching = false
            consecutiveFailures += 1
            let shift = min(consecutiveFailures - 1, 20)
            retryAt = now + min(timing.retryMinMs << Int64(shift), timing.retryMaxMs)
            return .none
        }
    }

    private mutating func start() -> Action {
        fetching = true
        fetchCount += 1
        return .fetch
    }
}
