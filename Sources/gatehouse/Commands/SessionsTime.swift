/// Parses the `--since` / `--until` values of the `sessions` subcommands:
/// an RFC 3339 timestamp (`2026-01-02T03:04:05Z`, `2026-01-02T03:04:05.5+02:00`),
/// a date (`2026-01-02`, midnight UTC), or a duration back from now
/// (`90s`, `15m`, `2h`, `7d`, `2w`).
enum SessionsTime {
    static let usage = "an RFC 3339 time such as 2026-01-02T03:04:05Z, a date such as 2026-01-02, "
        + "or a duration back from now such as 30s, 15m, 2h, 7d"

    /// Unix milliseconds for `text`, relative to `now`, or nil if it is not valid.
    static func parse(_ text: String, now: Int64) -> Int64? {
        relative(text).map { now - $0 } ?? absolute(text)
    }

    /// `15m` → 900_000 ms.
    static func relative(_ text: String) -> Int64? {
        let units: [(String, Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000),
                                        ("d", 86_400_000), ("w", 604_800_000)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            let digits = text.dropLast(suffix.count)
            guard !digits.isEmpty, digits.count <= 12, digits.allSatisfy(\.isASCIIDigit),
                  let n = Int64(digits) else { continue }
            return n * scale
        }
        return nil
    }

    /// An RFC 3339 date-time or a full date, as Unix milliseconds.
    static func absolute(_ text: String) -> Int64? {
        var s = Scanner(Array(text.utf8))
        guard let year = s.digits(4), s.take("-"), let month = s.digits(2), s.take("-"), let day = s.digits(2),
              (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day) else { return nil }
        let date = daysFromCivil(year: year, month: month, day: day) * 86_400_000
        if s.atEnd { return date }
        guard s.take("T") || s.take("t") || s.take(" "),
              let hour = s.digits(2), s.take(":"), let minute = s.digits(2), s.take(":"), let second = s.digits(2),
              hour < 24, minute < 60, second <= 60 else { return nil }
        var millis: Int64 = 0
        if s.take(".") {
            var scale: Int64 = 100
            var count = 0
            while let d = s.digits(1) {
                millis += Int64(d) * scale
                scale /= 10
                count += 1
            }
            if count == 0 { return nil }
        }
        var offset: Int64 = 0
        if s.take("Z") || s.take("z") {
        } else if let sign = s.take("+") ? Int64(1) : (s.take("-") ? Int64(-1) : nil),
                  let oh = s.digits(2), s.take(":"), let om = s.digits(2), oh < 24, om < 60 {
            offset = sign * Int64(oh * 60 + om) * 60_000
        } else {
            return nil
        }
        guard s.atEnd else { return nil }
        let time = Int64(hour) * 3_600_000 + Int64(minute) * 60_000 + Int64(min(second, 59)) * 1000 + millis
        return date + time - offset
    }

    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// A cursor over ASCII bytes.
    private struct Scanner {
        let bytes: [UInt8]
        var index = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var atEnd: Bool { index == bytes.count }

        mutating func take(_ c: Character) -> Bool {
            guard index < bytes.count, let ascii = c.asciiValue, bytes[index] == ascii else { return false }
            index += 1
            return true
        }

        /// Exactly `count` decimal digits as a number.
        mutating func digits(_ count: Int) -> Int? {
            guard index + count <= bytes.count else { return nil }
            var n = 0
            for b in bytes[index..<index + count] {
                guard b >= 0x30 && b <= 0x39 else { return nil }
                n = n * 10 + Int(b - 0x30)
            }
            index += count
            return n
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { asciiValue.map { $0 >= 0x30 && $0 <= 0x39 } ?? false }
}
