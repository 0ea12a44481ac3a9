@testable import gatehouse
import XCTest

/// `--since` / `--until` values.
final class SessionsTimeTests: XCTestCase {
    let now: Int64 = 1_767_225_600_000 // 2026-01-01T00:00:00Z

    func testRelativeDurations() {
        XCTAssertEqual(SessionsTime.parse("15m", now: now), now - 900_000)
        XCTAssertEqual(SessionsTime.parse("2h", now: now), now - 7_200_000)
        XCTAssertEqual(SessionsTime.parse("7d", now: now), now - 604_800_000)
        XCTAssertEqual(SessionsTime.parse("30s", now: now), now - 30_000)
        XCTAssertEqual(SessionsTime.parse("250ms", now: now), now - 250)
        XCTAssertEqual(SessionsTime.parse("2w", now: now), now - 1_209_600_000)
        XCTAssertEqual(SessionsTime.parse("0m", now: now), now)
        for bad in ["m", "15", "-5m", "1.5h", "15 m", "15M", "1y", "9999999999999d", ""] {
            XCTAssertNil(SessionsTime.parse(bad, now: now), bad)
        }
    }

    func testRFC3339() {
        XCTAssertEqual(SessionsTime.parse("2026-01-01T00:00:00Z", now: 0), now)
        XCTAssertEqual(SessionsTime.parse("2026-01-01T00:00:00.5Z", now: 0), now + 500)
        XCTAssertEqual(SessionsTime.parse("2026-01-01t00:00:01.123456z", now: 0), now + 1123)
        XCTAssertEqual(SessionsTime.parse("2026-01-01T02:00:00+02:00", now: 0), now)
        XCTAssertEqual(SessionsTime.parse("2025-12-31T19:00:00-05:00", now: 0), now)
        XCTAssertEqual(SessionsTime.parse("2026-01-01 00:00:00Z", now: 0), now)
        XCTAssertEqual(SessionsTime.parse("2026-01-01", now: 0), now)
        XCTAssertEqual(SessionsTime.parse("1970-01-01T00:00:00Z", now: 0), 0)
        XCTAssertEqual(SessionsTime.parse("2024-02-29T12:00:00Z", now: 0), 1_709_208_000_000)
        for bad in ["2026-01-01T00:00:00", "2026-02-30", "2025-02-29", "2026-1-01", "2026-01-01T24:00:00Z",
                    "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00+0200", "2026-01-01Z", "2026-01-01T00:00Z"] {
            XCTAssertNil(SessionsTime.parse(bad, now: 0), bad)
        }
    }
}
