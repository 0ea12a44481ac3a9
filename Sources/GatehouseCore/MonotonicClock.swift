#if canImport(Glibc)
import Glibc
#endif

/// Nanoseconds on the monotonic clock. Used for every deadline and duration:
/// it never jumps when the wall clock is changed.
public enum MonotonicClock {
    @inline(__always)
    public static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }
}

/// Converts configured milliseconds into the nanoseconds deadlines use.
@inline(__always)
public func nanoseconds(ms: Int) -> UInt64 { UInt64(max(ms, 0)) &* 1_000_000 }
