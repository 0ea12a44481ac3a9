#if canImport(Glibc)
import Glibc
#endif

/// Makes request IDs: 128 bits as 32 lower-case hex characters, time-ordered
/// like a UUIDv7 (RFC 9562 §5.7): the first 48 bits are the Unix time in
/// milliseconds, the other 80 are random.
///
/// Why time-ordered: IDs sort in the order exchanges arrived, so anything
/// keyed by them (a SIEM's index, a database's) appends instead of
/// scattering. Recording schema v3 kept a unique B-tree index on request
/// IDs; with fully random IDs every exchange dirtied (and wrote to the WAL,
/// then checkpointed) a different 8 KiB leaf, and time-ordered ones made
/// the writer 1.4× faster on their own (Docs/BENCHMARKS.md).
/// 80 random bits still make an ID unguessable and collision-free in
/// practice (2^40 IDs in the same millisecond before a collision is likely).
///
/// Each event loop (and each benchmark producer) owns one generator
/// (wyrand, seeded from the kernel's CSPRNG), so an ID costs a
/// `clock_gettime` through the vDSO, a few multiplications and no lock.
public struct RequestIDGenerator {
    private var state: UInt64

    public init() {
        var rng = SystemRandomNumberGenerator()
        state = rng.next()
    }

    private mutating func next() -> UInt64 {
        state &+= 0xA076_1D64_78BD_642F
        let m = state.multipliedFullWidth(by: state ^ 0xE703_7ED1_A0B4_28DB)
        return m.high ^ m.low
    }

    /// The current Unix time in milliseconds.
    private static func nowMillis() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return UInt64(max(0, ts.tv_sec)) &* 1000 &+ UInt64(max(0, ts.tv_nsec)) / 1_000_000
    }

    /// A new ID made at the current time.
    public mutating func make() -> String { make(atMillis: Self.nowMillis()) }

    /// A new ID whose time part is `ms` (its low 48 bits); for tests.
    public mutating func make(atMillis ms: UInt64) -> String {
        let a = (ms << 16) | (next() & 0xFFFF), b = next()
        return String(unsafeUninitializedCapacity: 32) { buf in
            @inline(__always) func digit(_ v: UInt64) -> UInt8 {
                let d = UInt8(truncatingIfNeeded: v & 0xF)
                return d < 10 ? 0x30 &+ d : 0x57 &+ d  // 0-9, a-f
            }
            var shift: UInt64 = 60
            for i in 0..<16 {
                buf[i] = digit(a >> shift)
                buf[i + 16] = digit(b >> shift)
                shift &-= 4
            }
            return 32
        }
    }

    /// Whether an incoming ID is acceptable to trust: 1–128 visible ASCII
    /// characters from a conservative set, so it is safe in logs and headers.
    public static func isAcceptable(_ id: String) -> Bool {
        let utf8 = id.utf8
        guard !utf8.isEmpty, utf8.count <= 128 else { return false }
        for b in utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
                 UInt8(ascii: "."), UInt8(ascii: ":"):
                continue
            default: return false
            }
        }
        return true
    }
}
