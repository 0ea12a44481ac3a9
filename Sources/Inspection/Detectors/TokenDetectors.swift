/// Vendor tokens with fixed prefixes: GitHub, Slack, Google API keys.
/// All require clean edges and reject low-entropy placeholders
/// (`ghp_xxxx…`), so documentation samples of the form `xoxb-XXXX` pass.
///
/// - GitHub: `ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_` + 36 or more
///   alphanumerics (GitHub may lengthen tokens, up to 255 in total), and
///   fine-grained `github_pat_` + 22 alphanumerics + `_` + 59 alphanumerics.
///   The CRC32 checksum in the last six characters is *not* checked, so
///   well-formed fakes are reported too.
/// - Slack: `xox[abprs]-` then at least two more `-`-separated parts
///   (e.g. `xoxb-<team>-<bot>-<secret>`), 20+ characters after the prefix.
/// - Google API keys: `AIza` + exactly 35 of `[0-9A-Za-z_-]`.
enum TokenDetectors {
    static let githubPatterns = [
        #"\bgh[pousr]_[A-Za-z0-9]{36,251}\b"#,
        #"\bgithub_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}\b"#,
    ]
    static let slackPatterns = [#"\bxox[abprs]-[0-9A-Za-z]{1,20}-[0-9A-Za-z]"#]
    static let googlePatterns = [#"\bAIza[0-9A-Za-z_\-]{35}"#]

    static func validateGitHub(_ b: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Range<Int>? {
        let bodyStart = b[start + 2] == 0x5F ? start + 4 : start + 11
        return Entropy.bitsPerByte(b, bodyStart..<end) >= 3.0 ? start..<end : nil
    }

    @inline(__always) static func isSlackByte(_ c: UInt8) -> Bool { ByteClass.isAlnum(c) || c == 0x2D }

    static func validateSlack(_ b: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Range<Int>? {
        var hi = end
        while hi < b.count, hi - start < 255, isSlackByte(b[hi]) { hi += 1 }
        if hi < b.count, isSlackByte(b[hi]) || b[hi] == 0x5F { return nil }
        while b[hi - 1] == 0x2D { hi -= 1 }
        let body = (start + 5)..<hi
        guard body.count >= 20 else { return nil }
        var dashes = 0
        for i in body where b[i] == 0x2D { dashes += 1 }
        guard dashes >= 2, Entropy.bitsPerByte(b, body) >= 3.0 else { return nil }
        return start..<hi
    }

    static func validateGoogle(_ b: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Range<Int>? {
        if let n = b.byte(at: end), ByteClass.isWord(n) || n == 0x2D { return nil }
        return Entropy.bitsPerByte(b, (start + 4)..<end) >= 3.0 ? start..<end : nil
    }
}
