/// PEM (and PGP armored) private keys: `-----BEGIN [RSA |EC |DSA |OPENSSH |
/// ENCRYPTED ]PRIVATE KEY-----` … `-----END … -----`, with real newlines or
/// with `\n` / `\r\n` escapes as they appear inside raw JSON strings.
///
/// Validation: the body up to the END line (searched within 64 KiB) must be
/// base64, whitespace, escaped newlines, or RFC 1421 header lines
/// (`Proc-Type:`, `DEK-Info:`, PGP `Version:`), with at least 32 base64
/// characters. The whole block is reported. A key cut off before its END
/// line (truncated body) is still reported, from BEGIN to the end of the
/// base64 body, if the body has 64+ base64 characters: half a key is still
/// a leak.
enum PrivateKeyDetector {
    static let patterns = [#"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----"#]

    static let searchLimit = 64 * 1024

    @inline(__always) static func isBodyByte(_ c: UInt8) -> Bool {
        ByteClass.isAlnum(c) || ByteClass.isSpace(c) || c == 0x2B || c == 0x2F || c == 0x3D
            || c == 0x5C || c == 0x3A || c == 0x2C || c == 0x2D || c == 0x2E
    }

    static func validate(_ b: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Range<Int>? {
        let limit = Swift.min(b.count, end + searchLimit)
        var i = end
        var base64 = 0
        while i < limit {
            if b.hasPrefix("-----END ", at: i) {
                guard base64 >= 32 else { return nil }
                var j = i + 9
                while j < limit, j - i < 64, b[j] != 0x2D, b[j] >= 0x20 { j += 1 }
                guard b.hasPrefix("-----", at: j) else { return nil }
                return start..<(j + 5)
            }
            let c = b[i]
            guard isBodyByte(c) else { break }
            if c == 0x5C {  // JSON escape inside a raw string: only \n, \r, \t, \/
                guard let n = b.byte(at: i + 1), n == 0x6E || n == 0x72 || n == 0x74 || n == 0x2F else { break }
                i += 2
                continue
            }
            if ByteClass.isAlnum(c) || c == 0x2B || c == 0x2F { base64 += 1 }
            i += 1
        }
        guard base64 >= 64 else { return nil }
        while i > end, !(ByteClass.isAlnum(b[i - 1]) || b[i - 1] == 0x3D || b[i - 1] == 0x2B || b[i - 1] == 0x2F) { i -= 1 }
        return start..<i
    }
}
