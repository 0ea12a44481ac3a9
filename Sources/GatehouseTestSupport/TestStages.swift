import Policy
import Synchronization

/// Denies any request carrying the header `name` (any value) with 403.
public struct DenyByHeaderStage: RequestStage {
    public let name = "test-deny-by-header"
    public let header: String
    public init(header: String) { self.header = header.lowercased() }
    public func evaluate(_ context: inout ExchangeContext) -> StageVerdict {
        if context.head.headers.contains(header) {
            return .respond(LocalResponse(status: 403, code: "denied_by_test_stage", message: "header \(header) is denied"))
        }
        return .proceed
    }
}

/// Holds every request carrying `header` until a test releases it through
/// `registry`, from any thread.
public struct HoldStage: RequestStage {
    public let name = "test-hold"
    public let header: String
    public let timeoutMs: Int
    public let registry: HoldRegistry
    public init(header: String, timeoutMs: Int, registry: HoldRegistry) {
        self.header = header.lowercased()
        self.timeoutMs = timeoutMs
        self.registry = registry
    }
    public func evaluate(_ context: inout ExchangeContext) -> StageVerdict {
        guard context.head.headers.contains(header) else { return .proceed }
        let ticket = HoldTicket(label: context.requestID)
        registry.add(ticket)
        return .hold(ticket, timeoutMs: timeoutMs,
                     onTimeout: LocalResponse(status: 503, code: "hold_expired", message: "not released in time"))
    }
}

/// Where held tickets wait for a test to resolve them.
public final class HoldRegistry: Sendable {
    private let tickets = Mutex<[HoldTicket]>([])
    public init() {}
    func add(_ t: HoldTicket) { tickets.withLock { $0.append(t) } }
    public var count: Int { tickets.withLock { $0.count } }
    public var all: [HoldTicket] { tickets.withLock { $0 } }
    /// Waits up to `seconds` for at least `n` tickets.
    public func waitFor(_ n: Int, seconds: Double = 5) -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if count >= n { return true }
            usleepShim(5_000)
        }
        return count >= n
    }
}

/// Needs the whole body (up to `limit`) and denies it if it contains `forbidden`.
public struct BodyInspectStage: RequestStage {
    public let name = "test-body-inspect"
    public let limit: Int
    public let forbidden: [UInt8]
    public init(limit: Int, forbidden: String) {
        self.limit = limit
        self.forbidden = Array(forbidden.utf8)
    }
    public func evaluate(_ context: inout ExchangeContext) -> StageVerdict {
        guard context.head.framing != .none else { return .proceed }
        guard let body = context.body else { return .needBody(limit: limit) }
        if !forbidden.isEmpty && body.count >= forbidden.count {
            for i in 0...(body.count - forbidden.count) where body[i..<(i + forbidden.count)].elementsEqual(forbidden) {
                return .respond(LocalResponse(status: 403, code: "denied_by_body_inspection", message: "body contains a forbidden word"))
            }
        }
        return .proceed
    }
}
