/// Standard base64 (RFC 4648, with padding), for bodies that are not UTF-8
/// in exports (`body_base64`).
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
}
