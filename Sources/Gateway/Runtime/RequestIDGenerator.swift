#if canImport(Glibc)
import Glibc
#endif

/// Makes request IDs: 128 random bits as 32 lower-case hex characters. Each
/// loop owns one generator (wyrand, seeded from the kernel's CSPRNG), so an
/// ID costs a few multiplications and no syscall or lock.
struct RequestIDGenerator {
    private var state: UInt64

    init() {
        var seed: UInt64 = 0
        var rng = SystemRandomNumberGenerator()
        seed = rng.next()
        state = seed
    }

    private mutating func next() -> UInt64 {
        state &+= 0xA076_1D64_78BD_642F
        let m = state.multipliedFullWidth(by: state ^ 0xE703_7ED1_A0B4_28DB)
        return m.high ^ m.low
    }

    mutating func make() -> String {
        let a = next(), b = next()
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
    static func isAcceptable(_ id: String) -> Bool {
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
