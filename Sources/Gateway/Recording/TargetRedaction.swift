/// Removes credentials carried in a request target's query before it is
/// recorded: OAuth bearer tokens sent as `?access_token=` (refused with 400
/// by the identity stage, but still recorded as what the client sent) and
/// the like. The value is replaced, the parameter name kept, so the record
/// shows that a credential was there.
enum TargetRedaction {
    /// Query parameters whose values are credentials (compared case-insensitively).
    static let credentialParameters: Set<String> = [
        "access_token", "id_token", "refresh_token", "client_secret", "token", "api_key", "apikey", "password",
    ]

    /// `target` with every credential parameter's value replaced by `[REDACTED]`.
    /// Targets without a query (the common case) are returned as they are.
    static func redact(_ target: String) -> String {
        guard let q = target.utf8.firstIndex(of: UInt8(ascii: "?")) else { return target }
        let query = target[target.index(after: q)...]
        var changed = false
        let parts = query.split(separator: "&", omittingEmptySubsequences: false).map { part -> Substring in
            guard let eq = part.firstIndex(of: "=") else { return part }
            let name = part[..<eq].lowercased()
            guard credentialParameters.contains(name) || credentialParameters.contains(name.removingPercentEncodingLossy)
            else { return part }
            changed = true
            return part[...eq] + "[REDACTED]"
        }
        guard changed else { return target }
        return String(target[...q]) + parts.joined(separator: "&")
    }
}

private extension String {
    /// `%5F` → `_` etc. for the ASCII letters, digits and `_` that make up
    /// the credential names (so `access%5Ftoken` is caught too).
    var removingPercentEncodingLossy: String {
        var out = ""
        var it = unicodeScalars.makeIterator()
        while let c = it.next() {
            if c == "%", let h = it.next(), let l = it.next(), let v = UInt8(String([Character(h), Character(l)]), radix: 16),
               v < 0x80 {
                out.unicodeScalars.append(Unicode.Scalar(v))
            } else {
                out.unicodeScalars.append(c)
            }
        }
        return out.lowercased()
    }
}
