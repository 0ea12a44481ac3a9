/// Validation of the request-target (RFC 9112 §3.2).
///
/// Accepted forms:
/// - origin-form `/path?query`: path bytes are RFC 3986 pchar or '/', '%' must start a
///   valid `%HH` escape. The query additionally tolerates `[ ] { } | ^ \`` which browsers
///   commonly send unescaped. Rejected everywhere: CTLs, SP, `"`, `#`, `<`, `>`, `\`,
///   DEL and raw non-ASCII bytes.
/// - asterisk-form `*`, only for `OPTIONS`.
/// - absolute-form `http://authority/path?query` or `https://...`, for compatibility:
///   no userinfo, the authority follows Host rules, the rest follows origin-form rules.
///   The parser rewrites the target to origin-form; see ``RequestHead/target``.
/// Authority-form (`host:port`) and anything else is rejected with 400 `invalid_target`.
enum RequestTarget {
    struct Parsed {
        /// Start/end of the origin-form part (or "*") in the buffer. May be empty for an
        /// absolute-form target without a path, meaning "/".
        var originStart: Int
        var originEnd: Int
        /// Authority of an absolute-form target.
        var authority: Range<Int>?
    }

    static func parse(_ p: UnsafeRawBufferPointer, _ s: Int, _ e: Int,
                      isOptions: Bool) throws(HTTPParseError) -> Parsed {
        let first = p[s]
        if first == UInt8(ascii: "/") {
            try validateOrigin(p, s, e)
            return Parsed(originStart: s, originEnd: e, authority: nil)
        }
        if first == UInt8(ascii: "*") && e - s == 1 {
            guard isOptions else { throw .invalidTarget("asterisk-form target is only allowed with OPTIONS") }
            return Parsed(originStart: s, originEnd: e, authority: nil)
        }
        if let afterScheme = schemeEnd(p, s, e) {
            var a = afterScheme
            while a < e && p[a] != UInt8(ascii: "/") && p[a] != UInt8(ascii: "?") { a += 1 }
            if a == afterScheme { throw .invalidTarget("absolute-form target with empty authority") }
            for i in afterScheme..<a where p[i] == UInt8(ascii: "@") {
                throw .invalidTarget("userinfo is not allowed in the request target")
            }
            if a < e { try validateOrigin(p, a, e) }
            return Parsed(originStart: a, originEnd: e, authority: afterScheme..<a)
        }
        if first == asciiCR { throw .bareCRorLF(.request) }
        throw .invalidTarget("request target must be origin-form, absolute-form or '*'")
    }

    /// Returns the offset after `http://` / `https://` (scheme case-insensitive), if present.
    private static func schemeEnd(_ p: UnsafeRawBufferPointer, _ s: Int, _ e: Int) -> Int? {
        func match(_ scheme: StaticString) -> Int? {
            let n = scheme.utf8CodeUnitCount
            guard e - s >= n,
                  bytesEqualLowercase(p, s, s + n, UnsafeBufferPointer(start: scheme.utf8Start, count: n))
            else { return nil }
            return s + n
        }
        return match("http://") ?? match("https://")
    }

    /// Validates `p[s..<e]`, which starts with '/' (or '?' for `http://host?q`).
    static func validateOrigin(_ p: UnsafeRawBufferPointer, _ s: Int, _ e: Int) throws(HTTPParseError) {
        let t = ByteClass.shared
        var inQuery = false
        var i = s
        while i < e {
            let b = p[i]
            let c = t[b]
            if c & ByteClass.pathChar != 0 { i += 1; continue }
            if b == UInt8(ascii: "%") {
                guard i + 2 < e, t[p[i + 1]] & ByteClass.hex != 0, t[p[i + 2]] & ByteClass.hex != 0 else {
                    throw .invalidTarget("invalid percent-encoding in request target")
                }
                i += 3
                continue
            }
            if b == UInt8(ascii: "?") { inQuery = true; i += 1; continue }
            if inQuery && c & ByteClass.queryExtra != 0 { i += 1; continue }
            if b == asciiCR { throw .bareCRorLF(.request) }
            throw .invalidTarget("invalid character in request target")
        }
    }
}
