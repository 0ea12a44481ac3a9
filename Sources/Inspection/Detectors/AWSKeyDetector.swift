/// AWS credentials.
///
/// Access key IDs: `AKIA`, `ASIA`, `ABIA`, `ACCA` or `A3T?` followed by 16
/// base32 characters (A–Z, 2–7), with clean word edges; placeholders with
/// low entropy (`AKIAXXXXXXXXXXXXXXXX`) are rejected.
///
/// Secret access keys: exactly 40 characters of `[A-Za-z0-9/+]` not part of
/// a longer base64 run, with at least three character classes (so 40-hex
/// SHA-1s and git hashes are not taken) and entropy ≥ 4.0 bits/byte, and only
/// *after AWS context*: `aws`, `secret access` or an access key ID
/// (`AKIA`/`ASIA`) at most 100 bytes before it (the pattern requires it), or,
/// for a JSON string scanned on its own, a member key naming `aws` or `secret`.
enum AWSKeyDetector {
    static let accessKeyPatterns = [#"\b(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16}\b"#]
    /// The context word must come first (within 100 bytes): a bare 40-char
    /// class run would make Hyperscan track every alphanumeric run and
    /// halve scan throughput; anchoring on a rare literal keeps it cheap.
    static let secretKeyPatterns = [#"(?i:aws|secret.?access|AKIA|ASIA)[\s\S]{0,100}[A-Za-z0-9/+]{40}"#]

    static func validateAccessKey(_ b: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Range<Int>? {
        Entropy.bitsPerByte(b, (start + 4)..<end) >= 2.5 ? start..<end : nil
    }

    @inline(__always) static func isKeyByte(_ c: UInt8) -> Bool { ByteClass.isAlnum(c) || c == 0x2F || c == 0x2B }

    static func validateSecretKey(_ b: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Range<Int>? {
        // Re-anchor: the 40 bytes before the match end must be a whole token.
        let lo = end - 40, hi = end
        guard lo >= 0 else { return nil }
        if let p = b.byte(at: lo - 1), isKeyByte(p) || p == 0x3D { return nil }
        if let n = b.byte(at: hi), isKeyByte(n) || n == 0x3D { return nil }
        let r = lo..<hi
        guard Entropy.classCount(b, r) >= 3, Entropy.bitsPerByte(b, r) >= 4.0 else { return nil }
        return r
    }

    /// For a JSON string scanned on its own (it had escapes, so the raw
    /// scan skipped it): the whole value is a secret key if the member key
    /// names `aws` or `secret` and the value passes the token checks.
    static func isSecretKeyValue(_ value: UnsafeRawBufferPointer, key: UnsafeRawBufferPointer) -> Bool {
        guard value.count == 40,
              key.firstIndex(of: "aws", in: 0..<key.count, caseInsensitive: true) != nil
                || key.firstIndex(of: "secret", in: 0..<key.count, caseInsensitive: true) != nil else { return false }
        for c in value where !isKeyByte(c) { return false }
        return validateSecretKey(value, 0, 40) != nil
    }
}
