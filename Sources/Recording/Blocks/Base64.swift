/// Standard base64 (RFC 4648, with padding), for bodies that are not UTF-8:
/// in blocks (`request_body_base64`) and in exports (`body_base64`).
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        let out = ScratchBuffer(capacity: (bytes.count + 2) / 3 * 4 + 16)
        bytes.withUnsafeBytes { append($0, to: out) }
        return String(decoding: out.bytes, as: UTF8.self)
    }

    static func append(_ bytes: UnsafeRawBufferPointer, to out: ScratchBuffer) {
        let count = bytes.count
        out.appendUnsafe(maxCount: (count + 2) / 3 * 4) { dst in
            var i = 0, o = 0
            @inline(__always) func put(_ n: UInt32, _ shift: UInt32) {
                dst[o] = alphabet[Int(n >> shift & 63)]
                o &+= 1
            }
            while i + 2 < count {
                let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
                put(n, 18); put(n, 12); put(n, 6); put(n, 0)
                i += 3
            }
            let rest = count - i
            if rest > 0 {
                let n = UInt32(bytes[i]) << 16 | (rest == 2 ? UInt32(bytes[i + 1]) << 8 : 0)
                put(n, 18); put(n, 12)
                if rest == 2 { put(n, 6) } else { dst[o] = UInt8(ascii: "="); o &+= 1 }
                dst[o] = UInt8(ascii: "="); o &+= 1
            }
            return o
        }
    }

    /// The bytes of `text`, or nil when it is not padded standard base64.
    static func decode(_ text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 4 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count / 4 * 3)
        func value(_ c: UInt8) -> UInt32? {
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): return UInt32(c - 65)
            case UInt8(ascii: "a")...UInt8(ascii: "z"): return UInt32(c - 71)
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(c + 4)
            case UInt8(ascii: "+"): return 62
            case UInt8(ascii: "/"): return 63
            default: return nil
            }
        }
        var i = 0
        while i < chars.count {
            let last = i + 4 == chars.count
            let pad = last ? (chars[i + 3] == UInt8(ascii: "=") ? (chars[i + 2] == UInt8(ascii: "=") ? 2 : 1) : 0) : 0
            var n: UInt32 = 0
            for k in 0..<4 {
                if k >= 4 - pad { n <<= 6; continue }
                guard let v = value(chars[i + k]) else { return nil }
                n = n << 6 | v
            }
            out.append(UInt8(n >> 16 & 0xFF))
            if pad < 2 { out.append(UInt8(n >> 8 & 0xFF)) }
            if pad < 1 { out.append(UInt8(n & 0xFF)) }
            i += 4
        }
        return out
    }
}
