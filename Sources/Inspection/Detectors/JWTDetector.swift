import GatehouseCore

/// JSON Web Tokens in compact serialization: three base64url segments
/// joined by dots (the third may be empty for `alg: none`).
///
/// Candidates start at `eyJ` (base64 of `{"`) and end at the first dot. The
/// validator re-anchors over the payload and signature, requires the
/// header to decode (base64url, unpadded or padded) to a JSON object with a
/// string `alg`, the payload to be valid base64url, and clean edges.
enum JWTDetector {
    static let patterns = [#"\beyJ[A-Za-z0-9_\-]{2,}\."#]

    @inline(__always) static func isSegmentByte(_ c: UInt8) -> Bool { ByteClass.isAlnum(c) || c == 0x2D || c == 0x5F }

    static func validate(_ b: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Range<Int>? {
        if let p = b.byte(at: start - 1), isSegmentByte(p) || p == 0x2E { return nil }
        let headerEnd = end - 1
        var i = end
        while i < b.count, isSegmentByte(b[i]) { i += 1 }
        let payload = end..<i
        guard payload.count >= 2, i < b.count, b[i] == 0x2E else { return nil }
        i += 1
        while i < b.count, isSegmentByte(b[i]) { i += 1 }
        if i < b.count, b[i] == 0x2E || b[i] == 0x3D { return nil }
        guard Base64URL.isValidLength(payload.count), Base64URL.isValidLength(headerEnd - start) else { return nil }
        guard headerEnd - start <= 2048, let header = Base64URL.decode(b, start..<headerEnd) else { return nil }
        guard let node = try? JSONParser.parse(header), case .string = node["alg"]?.value else { return nil }
        return start..<i
    }
}

/// Base64url decoding (RFC 4648 §5) without padding, for JWT headers.
enum Base64URL {
    /// A length of 1 mod 4 can never be produced by an encoder.
    static func isValidLength(_ n: Int) -> Bool { n % 4 != 1 }

    static func decode(_ b: UnsafeRawBufferPointer, _ r: Range<Int>) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(r.count * 3 / 4)
        var acc: UInt32 = 0, bits = 0
        for i in r {
            let c = b[i]
            let v: UInt32
            switch c {
            case 0x41...0x5A: v = UInt32(c - 0x41)
            case 0x61...0x7A: v = UInt32(c - 0x61 + 26)
            case 0x30...0x39: v = UInt32(c - 0x30 + 52)
            case 0x2D, 0x2B: v = 62
            case 0x5F, 0x2F: v = 63
            default: return nil
            }
            acc = acc << 6 | v
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: acc >> UInt32(bits)))
            }
        }
        return out
    }
}
