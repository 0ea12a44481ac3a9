import XCTest
import Foundation
import Identity
import TLS
import GatehouseTestSupport

/// Polls `condition` every 5 ms for at most `seconds`.
func waitUntil(_ seconds: Double = 5, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    for _ in 0..<100_000 {
        if condition() { return true }
        if Date() > deadline { return false }
        usleep(5_000)
    }
    return condition()
}

/// A manually advanced monotonic clock (milliseconds).
final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var ms: Int64
    init(_ start: Int64 = 1_000_000) { ms = start }
    var now: Int64 { lock.lock(); defer { lock.unlock() }; return ms }
    func advance(ms delta: Int64) { lock.lock(); ms += delta; lock.unlock() }
    var function: @Sendable () -> Int64 { { self.now } }
}

/// Issuer settings and keys for `issuer`, fetched with the plain-HTTP test fetcher.
func makeVerifier(_ issuer: TestIssuer, audiences: [String] = ["gatehouse"], algorithms: [JWSAlgorithm] = JWSAlgorithm.defaultAllowed,
                  maxLifetime: Int64? = nil, requiredType: String? = nil, clock: ManualClock? = nil,
                  fetcher: PlainHTTPFetcher = PlainHTTPFetcher(), claims: IssuerSettings.ClaimNames = .init()) -> TokenVerifier {
    let settings = IssuerSettings(name: "test", issuer: issuer.issuer, audiences: audiences, algorithms: algorithms,
                                  claims: claims, maxLifetimeSeconds: maxLifetime, requiredType: requiredType)
    let keys: IssuerKeys
    if let clock {
        keys = IssuerKeys(issuer: issuer.issuer, fetcher: fetcher, fetchTimeoutMs: 2_000, clock: clock.function)
    } else {
        keys = IssuerKeys(issuer: issuer.issuer, fetcher: fetcher, fetchTimeoutMs: 2_000)
    }
    return TokenVerifier(settings: settings, keys: keys)
}

/// Verifies, waiting (bounded) through `.pending` while keys are fetched.
func verifySettled(_ verifier: TokenVerifier, _ token: String, now: Int64 = Int64(Date().timeIntervalSince1970))
    -> TokenVerifier.Outcome {
    var outcome = verifier.verify(Array(token.utf8), now: now)
    for _ in 0..<3 {
        guard case .pending = outcome else { return outcome }
        let done = DispatchSemaphore(value: 0)
        if verifier.keys.notifyWhenSettled({ done.signal() }) { _ = done.wait(timeout: .now() + 5) }
        outcome = verifier.verify(Array(token.utf8), now: now)
    }
    return outcome
}

func rejection(_ outcome: TokenVerifier.Outcome) -> TokenRejection.Reason? {
    if case .rejected(let r) = outcome { return r.reason }
    return nil
}

func identity(_ outcome: TokenVerifier.Outcome) -> VerifiedIdentity? {
    if case .verified(let id) = outcome { return id }
    return nil
}

var unixNow: Int64 { Int64(Date().timeIntervalSince1970) }
