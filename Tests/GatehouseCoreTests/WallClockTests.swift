import Foundation
import GatehouseCore
import XCTest

final class WallClockFormatterTests: XCTestCase {
    private static let pattern = try! NSRegularExpression(
        pattern: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$"#)

    private func matches(_ s: String) -> Bool {
        Self.pattern.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil
    }

    func testFormatAndCloseToFoundation() throws {
        var f = WallClockFormatter()
        var out: [UInt8] = []
        f.appendNow(to: &out)
        let reference = Date()
        let text = String(decoding: out, as: UTF8.self)
        XCTAssertTrue(matches(text), "bad format: \(text)")

        let parser = ISO8601DateFormatter()
        parser.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        parser.timeZone = TimeZone(identifier: "UTC")
        let parsed = try XCTUnwrap(parser.date(from: text), "Foundation could not parse \(text)")
        XCTAssertLessThan(abs(parsed.timeIntervalSince(reference)), 2.0, "\(text) vs \(reference)")
    }

    func testAppendsAndCachesAcrossCalls() {
        var f = WallClockFormatter()
        var out = Array("ts=".utf8)
        f.appendNow(to: &out)
        XCTAssertTrue(out.starts(with: Array("ts=".utf8)))
        XCTAssertEqual(out.count, 3 + 24)
        // Repeated calls (cache hits and, over ~1.1 s, at least one second
        // boundary) keep the format and never go backwards.
        var previous = ""
        let start = Date()
        var calls = 0
        while Date().timeIntervalSince(start) < 1.1 && calls < 200_000 {
            var line: [UInt8] = []
            f.appendNow(to: &line)
            let text = String(decoding: line, as: UTF8.self)
            if calls % 500 == 0 { XCTAssertTrue(matches(text), text) }
            XCTAssertEqual(line.count, 24)
            XCTAssertGreaterThanOrEqual(text, previous, "time went backwards")
            if text < previous { return }
            previous = text
            calls += 1
            if calls % 1000 == 0 { usleep(1000) }
        }
    }

    func testFieldsMatchFoundationCalendar() throws {
        var f = WallClockFormatter()
        var out: [UInt8] = []
        f.appendNow(to: &out)
        let text = String(decoding: out, as: UTF8.self)
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        let c = cal.dateComponents([.year, .month, .day], from: Date())
        // The date part matches unless we straddle midnight UTC (then retry once).
        let expected = String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
        if !text.hasPrefix(expected) {
            out.removeAll()
            f.appendNow(to: &out)
            XCTAssertTrue(String(decoding: out, as: UTF8.self).hasPrefix(expected), "\(text) vs \(expected)")
        }
    }
}
