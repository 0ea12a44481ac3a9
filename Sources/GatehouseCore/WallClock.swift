#if canImport(Glibc)
import Glibc
#endif

/// Formats the wall-clock time as RFC 3339 UTC with milliseconds
/// (`2026-11-25T16:03:56.123Z`) without Foundation, for log lines. The
/// calendar part is cached per second, so formatting costs a few stores.
public struct WallClockFormatter {
    private var cachedSecond: Int = -1
    private var cachedPrefix: [UInt8] = []   // "YYYY-MM-DDTHH:MM:SS."

    public init() {}

    /// Appends the current time to `out`.
    public mutating func appendNow(to out: inout [UInt8]) {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        let second = Int(ts.tv_sec)
        if second != cachedSecond {
            cachedSecond = second
            var t = time_t(second)
            var parts = tm()
            gmtime_r(&t, &parts)
            var p: [UInt8] = []
            p.reserveCapacity(20)
            Self.digits(Int(parts.tm_year) + 1900, 4, &p); p.append(UInt8(ascii: "-"))
            Self.digits(Int(parts.tm_mon) + 1, 2, &p); p.append(UInt8(ascii: "-"))
            Self.digits(Int(parts.tm_mday), 2, &p); p.append(UInt8(ascii: "T"))
            Self.digits(Int(parts.tm_hour), 2, &p); p.append(UInt8(ascii: ":"))
            Self.digits(Int(parts.tm_min), 2, &p); p.append(UInt8(ascii: ":"))
            Self.digits(Int(parts.tm_sec), 2, &p); p.append(UInt8(ascii: "."))
            cachedPrefix = p
        }
        out.append(contentsOf: cachedPrefix)
        Self.digits(Int(ts.tv_nsec) / 1_000_000, 3, &out)
        out.append(UInt8(ascii: "Z"))
    }

    private static func digits(_ value: Int, _ width: Int, _ out: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var v = value
        while divisor > 0 {
            out.append(UInt8(ascii: "0") &+ UInt8((v / divisor) % 10))
            v %= divisor
            divisor /= 10
        }
    }
}
