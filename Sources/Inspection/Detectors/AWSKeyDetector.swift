/// AWS credentials.
///
/// Access key IDs: `AKIA`, `ASIA`, `ABIA`, `ACCA` or `A3T?` followed by 16
/// base32 characters (A–Z, 2–7), with clean word edges; placeholders with
/// low entropy (`AKIAXXXXXXXXXXXXXXXX`) are rejected.
///
/// Secret access keys: exactly 40 characters of `[A-Za-z0-9/+]` not part of
/// a longer base64 run, with at least three character classes (so 40-hex
/// SHA-1s and git hashes are not taken) and entropy ≥ 4.0 bits/byte, and only
/// *near AWS context*: `aws` or an access key ID (`AKIA`/`ASIA`) within 256
/// bytes before or 64 after, or, for a JSON value, a key naming `aws` or
/// `secret`.
enum AWSKeyDetector {
    static let accessKeyPatterns = [#"\b(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16}\b"#]
    static let secretKeyPatterns = [#"(?:^|[^A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?:$|[^A-Za-z0-9/+=])"#]

    static func validateAccessKey(_ b: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Range<Int>? {
        Entropy.bitsPerByte(b, (start + 4)..<end) >= 2.5 ? start..<end : nil
    }

    @inline(__always) static func isKeyByte(_ c: UInt8) -> Bool { ByteClass.isAlnum(c) || c == 0x2F || c == 0x2B }

    static func validateSecretKey(_ b: UnsafeRawBufferPointer, _ start: Int, _ end: Int,
                                  keyContext: UnsafeRawBufferPointer? = nil) -> Range<Int>? {
        let lo = isKeyByte(b[start]) ? start : start + 1
        let hi = isKeyByte(b[end - 1]) ? end : end - 1
        guard hi - lo == 40 else { return nil }
        let r = lo..<hi
        guard Entropy.classCount(b, r) >= 3, Entropy.bitsPerByte(b, r) >= 4.0 else { return nil }
        if let key = keyContext,
           key.firstIndex(of: "aws", in: 0..<key.count, caseInsensitive: true) != nil
            || key.firstIndex(of: "secret", in: 0..<key.count, caseInsensitive: true) != nil {
            return r
        }
        let window = Swift.max(0, lo - 256)..<Swift.min(b.count, hi + 64)
        if b.firstIndex(of: "aws", in: window, caseInsensitive: true) != nil
            || b.firstIndex(of: "AKIA", in: window) != nil || b.firstIndex(of: "ASIA", in: window) != nil {
            return r
        }
        return nil
    }
}
