/// Opt-in: a high-entropy value right after a secret-ish key, e.g.
/// `password=…`, `secret: …`, `"api_key": "…"`, `client_secret=…`,
/// `access_token=…`, `auth_token: …`, `private_key=…`, `passwd`, `pwd`.
///
/// Only the value is reported (the key stays readable). The value runs to
/// the next quote, whitespace, `&`, `,`, `;`, `}`, `)` or `<`; it must be
/// 8–256 bytes, not a template (`${…}`, `{{…}}`, `<…>`, `%…%`), mix at least
/// two character classes, and reach the Shannon entropy threshold
/// (`InspectorConfiguration.genericSecretMinEntropy`, bits per byte).
///
/// In JSON bodies the key and value are separate strings: `JSONInspector`
/// applies `isSecretKeyName` to the member key and `isSecretValue` to the
/// whole decoded value.
enum GenericSecretDetector {
    static let keywords = #"(?:password|passwd|pwd|secret|api[_\-]?key|access[_\-]?token|auth[_\-]?token|private[_\-]?key|client[_\-]?secret)"#
    static let patterns = [keywords + #"["']?[ \t]{0,3}[:=][ \t]{0,3}["']?[^\s"'&,;]"#]
    static let flags: PatternFlags = [.leftmostStart, .caseless]

    @inline(__always) static func isTerminator(_ c: UInt8) -> Bool {
        ByteClass.isSpace(c) || c == 0x22 || c == 0x27 || c == 0x26 || c == 0x2C || c == 0x3B
            || c == 0x7D || c == 0x29 || c == 0x3C || c == 0x5C
    }

    static func validate(_ b: UnsafeRawBufferPointer, _ start: Int, _ end: Int, minEntropy: Double) -> Range<Int>? {
        if let p = b.byte(at: start - 1), ByteClass.isAlpha(p) { return nil }  // `mypassword=` is fine, `xsecret` not
        let lo = end - 1
        var hi = lo
        while hi < b.count, hi - lo <= 256, !isTerminator(b[hi]) { hi += 1 }
        return isSecretValue(b, lo..<hi, minEntropy: minEntropy) ? lo..<hi : nil
    }

    /// The value checks shared by text and JSON scanning.
    static func isSecretValue(_ b: UnsafeRawBufferPointer, _ r: Range<Int>, minEntropy: Double) -> Bool {
        guard r.count >= 8, r.count <= 256 else { return false }
        let first = b[r.lowerBound]
        if first == 0x24 || first == 0x7B || first == 0x3C || first == 0x25 { return false }
        for i in r where b[i] < 0x20 { return false }
        return Entropy.classCount(b, r) >= 2 && Entropy.bitsPerByte(b, r) >= minEntropy
    }

    /// True if a JSON member key names a secret (case-insensitive, ignoring
    /// `_` and `-`): password, passwd, pwd, secret, apikey, accesstoken,
    /// authtoken, privatekey, clientsecret, or a key ending in one of them.
    static func isSecretKeyName(_ k: UnsafeRawBufferPointer) -> Bool {
        let names: [StaticString] = ["password", "passwd", "pwd", "secret", "apikey", "accesstoken", "authtoken",
                                     "privatekey", "clientsecret"]
        for name in names where endsWithFolded(k, name) { return true }
        return false
    }

    /// True if `k`, lowercased and with `_`/`-` removed, ends with `name`. No allocation.
    static func endsWithFolded(_ k: UnsafeRawBufferPointer, _ name: StaticString) -> Bool {
        let p = name.utf8Start
        var n = name.utf8CodeUnitCount
        var i = k.count
        while n > 0 {
            repeat { i -= 1 } while i >= 0 && (k[i] == 0x5F || k[i] == 0x2D)
            guard i >= 0, ByteClass.lower(k[i]) == p[n - 1] else { return false }
            n -= 1
        }
        return true
    }
}
