/// Appends JSON text to a byte buffer without building intermediate Strings.
/// Used for access-log lines and error bodies, which are built per request.
public enum JSONOutput {
    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends `"…"` with every byte that JSON requires escaped (quotes,
    /// backslash, controls) escaped. Invalid UTF-8 is replaced by U+FFFD so a
    /// hostile byte sequence can never break the log line.
    public static func appendString(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { appendEscaped(UnsafeRawBufferPointer($0), to: &out) }
        out.append(UInt8(ascii: "\""))
    }

    /// Appends `"…"` for raw bytes, escaping as `appendString` does.
    public static func appendString(bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        appendEscaped(bytes, to: &out)
        out.append(UInt8(ascii: "\""))
    }

    private static func appendEscaped(_ bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b >= 0x20 && b < 0x80 && b != 0x22 && b != 0x5C && b != 0x7F {
                out.append(b)
                i += 1
                continue
            }
            switch b {
            case 0x22: out.append(0x5C); out.append(0x22); i += 1
            case 0x5C: out.append(0x5C); out.append(0x5C); i += 1
            case 0x0A: out.append(0x5C); out.append(UInt8(ascii: "n")); i += 1
            case 0x0D: out.append(0x5C); out.append(UInt8(ascii: "r")); i += 1
            case 0x09: out.append(0x5C); out.append(UInt8(ascii: "t")); i += 1
            case 0..<0x20, 0x7F:
                out.append(contentsOf: [0x5C, UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                        hex[Int(b >> 4)], hex[Int(b & 0xF)]])
                i += 1
            default:
                let len = validUTF8Length(bytes, i)
                if len == 0 {
                    out.append(contentsOf: [0xEF, 0xBF, 0xBD])
                    i += 1
                } else {
                    for k in 0..<len { out.append(bytes[i + k]) }
                    i += len
                }
            }
        }
    }

    /// Length of the valid UTF-8 sequence starting at `i`, or 0 if invalid.
    private static func validUTF8Length(_ b: UnsafeRawBufferPointer, _ i: Int) -> Int {
        let lead = b[i]
        let n = b.count
        func cont(_ k: Int) -> Bool { i + k < n && b[i + k] & 0xC0 == 0x80 }
        switch lead {
        case 0xC2...0xDF: return cont(1) ? 2 : 0
        case 0xE0: return cont(1) && b[i + 1] >= 0xA0 && cont(2) ? 3 : 0
        case 0xE1...0xEC, 0xEE, 0xEF: return cont(1) && cont(2) ? 3 : 0
        case 0xED: return cont(1) && b[i + 1] < 0xA0 && cont(2) ? 3 : 0
        case 0xF0: return cont(1) && b[i + 1] >= 0x90 && cont(2) && cont(3) ? 4 : 0
        case 0xF1...0xF3: return cont(1) && cont(2) && cont(3) ? 4 : 0
        case 0xF4: return cont(1) && b[i + 1] < 0x90 && cont(2) && cont(3) ? 4 : 0
        default: return 0
        }
    }

    /// Appends a decimal integer.
    public static func appendInt<T: BinaryInteger>(_ v: T, to out: inout [UInt8]) {
        if v == 0 { out.append(UInt8(ascii: "0")); return }
        // Work on the magnitude: negating T.min (e.g. Int.min) would trap.
        if v < 0 { out.append(UInt8(ascii: "-")) }
        if let small = UInt64(exactly: v.magnitude) {
            appendDecimal(small, to: &out)
            return
        }
        var value = v.magnitude
        var tmp: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                  UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &tmp) { p in
            while value > 0 && count < 20 {
                p[count] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value % 10)
                value /= 10
                count += 1
            }
            var k = count - 1
            while k >= 0 { out.append(p[k]); k -= 1 }
        }
    }

    /// Appends a non-negative decimal. Not generic, so it compiles to plain
    /// 64-bit arithmetic (the generic path cost thousands of instructions per
    /// call in the proxy's profile).
    public static func appendDecimal(_ v: UInt64, to out: inout [UInt8]) {
        if v < 10 { out.append(UInt8(truncatingIfNeeded: 0x30 &+ v)); return }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes of scratch
        var value = v
        var count = 0
        withUnsafeMutableBytes(of: &digits) { p in
            while value > 0 {
                p[23 - count] = UInt8(truncatingIfNeeded: 0x30 &+ value % 10)
                value /= 10
                count += 1
            }
            out.appendBytes(UnsafeRawBufferPointer(rebasing: p[(24 - count)...]))
        }
    }

    /// Appends a duration in milliseconds with microsecond precision
    /// (`12.345`) from nanoseconds.
    public static func appendMilliseconds(nanos: UInt64, to out: inout [UInt8]) {
        let micros = nanos / 1_000
        appendInt(micros / 1_000, to: &out)
        out.append(UInt8(ascii: "."))
        let frac = Int(micros % 1_000)
        out.append(UInt8(ascii: "0") &+ UInt8(frac / 100))
        out.append(UInt8(ascii: "0") &+ UInt8((frac / 10) % 10))
        out.append(UInt8(ascii: "0") &+ UInt8(frac % 10))
    }
}
