import GatehouseCore

/// How a finding is replaced.
public enum MaskStrategy: Sendable, Hashable {
    /// `[REDACTED:<label>]`.
    case redact
    /// Keeps the last `keep` letters/digits (PCI DSS allows the last four of
    /// a PAN), replaces every other letter, digit and non-ASCII character
    /// with `*`, and keeps punctuation and separators: `************1111`,
    /// `***-**-6789`.
    case partial(keep: Int)
    /// `[HMAC:<label>:<16 hex>]`: the first 64 bits of HMAC-SHA256(key,
    /// label ‖ 0x00 ‖ value). Stable for correlation as long as the key is
    /// (e.g. per session), not reversible without it.
    case hash(MaskKey)
}

extension MaskStrategy {
    /// Whether the replacement depends on the masked value (`redact` does not,
    /// so the masker skips decoding it).
    var needsValue: Bool {
        if case .redact = self { false } else { true }
    }
}

/// The key for the `hash` strategy. Never printed.
public struct MaskKey: Sendable, Hashable, CustomStringConvertible {
    let bytes: [UInt8]
    public init(_ key: Secret<[UInt8]>) { bytes = key.reveal() }
    public var description: String { "[REDACTED]" }
}

/// Which finding kinds are masked and how. Kinds with no strategy (and no
/// `fallback`) are left as they are. Policy mask rules accumulate into one plan.
public struct MaskPlan: Sendable, Hashable {
    public var strategies: [FindingKind: MaskStrategy]
    public var fallback: MaskStrategy?

    public init(strategies: [FindingKind: MaskStrategy] = [:], fallback: MaskStrategy? = nil) {
        self.strategies = strategies
        self.fallback = fallback
    }

    /// Masks every finding with one strategy.
    public static func all(_ strategy: MaskStrategy) -> MaskPlan { MaskPlan(fallback: strategy) }

    public func strategy(for kind: FindingKind) -> MaskStrategy? { strategies[kind] ?? fallback }

    /// The replacement bytes (unescaped) for `value`.
    func replacement(for kind: FindingKind, value: [UInt8], strategy: MaskStrategy) -> [UInt8] {
        switch strategy {
        case .redact:
            let label = kind.label.utf8
            var out: [UInt8] = []
            out.reserveCapacity(11 + label.count)
            out.append(contentsOf: "[REDACTED:".utf8)
            out.append(contentsOf: label)
            out.append(UInt8(ascii: "]"))
            return out
        case .partial(let keep):
            return Self.partial(value, keep: keep)
        case .hash(let key):
            let mac = HMACSHA256.mac(key: key.bytes, message: Array(kind.label.utf8) + [0] + value)
            let hex = Array("0123456789abcdef".utf8)
            var out = Array("[HMAC:\(kind.label):".utf8)
            for b in mac.prefix(8) { out.append(hex[Int(b >> 4)]); out.append(hex[Int(b & 0xF)]) }
            out.append(UInt8(ascii: "]"))
            return out
        }
    }

    static func partial(_ value: [UInt8], keep: Int) -> [UInt8] {
        // Count maskable characters (ASCII alnum or a non-ASCII scalar).
        var total = 0
        for b in value where ByteClass.isAlnum(b) || (b >= 0xC0) { total += 1 }
        var seen = 0
        var out: [UInt8] = []
        out.reserveCapacity(value.count)
        var i = 0
        while i < value.count {
            let b = value[i]
            var n = 1
            if b >= 0xC0 { n = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2 }
            n = Swift.min(n, value.count - i)
            if ByteClass.isAlnum(b) || b >= 0xC0 {
                seen += 1
                if seen > total - keep { out.append(contentsOf: value[i..<(i + n)]) } else { out.append(UInt8(ascii: "*")) }
            } else {
                out.append(contentsOf: value[i..<(i + n)])
            }
            i += n
        }
        return out
    }
}
