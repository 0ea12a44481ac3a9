import XCTest
import Identity

final class KeyStoreMachineTests: XCTestCase {
    private let timing = KeyStoreMachine.Timing(minTTLMs: 60_000, maxTTLMs: 3_600_000, defaultTTLMs: 600_000,
                                                unknownKidIntervalMs: 10_000, retryMinMs: 1_000, retryMaxMs: 30_000)

    func testFirstTickFetchesOnceAndWaitsForTheResult() {
        var m = KeyStoreMachine(timing: timing)
        XCTAssertEqual(m.event(.tick(now: 0)), .fetch)
        XCTAssertEqual(m.event(.tick(now: 1)), .none)          // in flight
        XCTAssertEqual(m.event(.unknownKid(now: 2)), .none)    // coalesced
        XCTAssertEqual(m.fetchCount, 1)
    }

    func testCacheControlIsClampedAndRefreshStartsBeforeExpiry() {
        var m = KeyStoreMachine(timing: timing)
        _ = m.event(.tick(now: 0))
        XCTAssertEqual(m.event(.fetched(maxAgeSeconds: 5, now: 0)), .none)
        XCTAssertEqual(m.expiresAt, 60_000)                     // raised to min
        XCTAssertEqual(m.refreshAt, 48_000)
        XCTAssertEqual(m.event(.tick(now: 47_999)), .none)
        XCTAssertEqual(m.event(.tick(now: 48_000)), .fetch)
        _ = m.event(.fetched(maxAgeSeconds: 999_999, now: 50_000))
        XCTAssertEqual(m.expiresAt, 50_000 + 3_600_000)          // lowered to max
        _ = m.event(.tick(now: 60_000_000))
        _ = m.event(.fetched(maxAgeSeconds: nil, now: 60_000_000))
        XCTAssertEqual(m.expiresAt, 60_000_000 + 600_000)        // default
    }

    func testUnknownKidRefetchIsRateLimitedPerTenSeconds() {
        var m = KeyStoreMachine(timing: timing)
        _ = m.event(.tick(now: 0))
        _ = m.event(.fetched(maxAgeSeconds: 300, now: 0))
        XCTAssertEqual(m.event(.unknownKid(now: 1_000)), .fetch)
        _ = m.event(.fetched(maxAgeSeconds: 300, now: 1_100))
        var fetches = 0
        for t in stride(from: Int64(1_200), to: 31_000, by: 100) {
            if m.event(.unknownKid(now: t)) == .fetch {
                fetches += 1
                _ = m.event(.fetched(maxAgeSeconds: 300, now: t + 50))
            }
        }
        XCTAssertEqual(fetches, 2)  // at 11 000 and 21 000: one per 10 s after the one at 1 000
    }

    func testFailuresKeepKeysAndBackOff() {
        var m = KeyStoreMachine(timing: timing)
        _ = m.event(.tick(now: 0))
        _ = m.event(.fetched(maxAgeSeconds: 60, now: 0))
        XCTAssertEqual(m.event(.tick(now: 48_000)), .fetch)
        _ = m.event(.fetchFailed(now: 48_000))
        XCTAssertTrue(m.hasKeys)
        XCTAssertEqual(m.event(.tick(now: 48_500)), .none)       // retry after 1 s
        XCTAssertEqual(m.event(.tick(now: 49_000)), .fetch)
        _ = m.event(.fetchFailed(now: 49_000))
        XCTAssertEqual(m.retryAt, 51_000)                         // 2 s
        for i in 0..<10 {
            _ = m.event(.tick(now: m.retryAt))
            _ = m.event(.fetchFailed(now: m.retryAt + Int64(i)))
        }
        XCTAssertLessThanOrEqual(m.retryAt - m.expiresAt, 30_000 + 10_000_000)
        XCTAssertTrue(m.hasKeys)
    }

    func testWithoutKeysAFailedFetchIsRetriedWithBackoffOnly() {
        var m = KeyStoreMachine(timing: timing)
        _ = m.event(.tick(now: 0))
        _ = m.event(.fetchFailed(now: 10))
        XCTAssertFalse(m.hasKeys)
        XCTAssertEqual(m.event(.tick(now: 500)), .none)
        XCTAssertEqual(m.event(.unknownKid(now: 600)), .none)
        XCTAssertEqual(m.event(.tick(now: 1_010)), .fetch)
    }
}
