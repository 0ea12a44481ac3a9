import GatehouseCore
import XCTest

final class MonotonicClockTests: XCTestCase {
    func testNeverGoesBackwardsAndAdvances() {
        var previous = MonotonicClock.now()
        let start = previous
        for _ in 0..<10_000 {
            let t = MonotonicClock.now()
            XCTAssertGreaterThanOrEqual(t, previous)
            if t < previous { return }
            previous = t
        }
        usleep(5_000)
        let after = MonotonicClock.now()
        XCTAssertGreaterThanOrEqual(after - start, 5_000_000, "5 ms sleep must show on the clock")
        XCTAssertLessThan(after - start, 5_000_000_000, "and not by seconds")
    }

    func testNanosecondsFromMilliseconds() {
        XCTAssertEqual(nanoseconds(ms: 0), 0)
        XCTAssertEqual(nanoseconds(ms: 1), 1_000_000)
        XCTAssertEqual(nanoseconds(ms: 30_000), 30_000_000_000)
        XCTAssertEqual(nanoseconds(ms: -5), 0, "negative durations clamp to zero")
    }
}
