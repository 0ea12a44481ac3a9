/// Validation of a `Host` value or absolute-form authority (RFC 9110 §7.2, RFC 3986 §3.2.2).
///
/// Accepted: `reg-name` / IPv4 made of ALPHA DIGIT '-' '.' '_' '~', or an IPv6 literal
/// `[` HEXDIG / ':' / '.' `]`, optionally followed by `:port` with 1–5 digits ≤ 65535.
/// Rejected (stricter than RFC 3986): empty host, empty port, percent-encoding,
/// sub-delims, userinfo, IPv6 zone identifiers and IPvFuture.
enum HostValidation {
    /// Validates `p[s..<e]` and returns it lower-cased.
    static func validate(_ p: UnsafeRawBufferPointer, _ s: Int, _ e: Int) throws(HTTPParseError) -> String {
        if s == e { throw .invalidHost("empty host") }
        let t = ByteClass.shared
        var i = s
        if p[s] == UInt8(ascii: "[") {
            i += 1
            var colons = 0
            while i < e && p[i] != UInt8(ascii: "]") {
                let b = p[i]
                if b == asciiColon {
                    colons += 1
                } else if t[b] & ByteClass.hex == 0 && b != UInt8(ascii: ".") {
                    throw .invalidHost("invalid character in IPv6 literal")
                }
                i += 1
            }
            if i == e || colons < 2 { throw .invalidHost("malformed IPv6 literal") }
            i += 1
        } else {
            while i < e && t[p[i]] & ByteClass.hostChar != 0 { i += 1 }
            if i == s { throw .invalidHost("empty host name") }
        }
        if i < e {
            guard p[i] == asciiColon else { throw .invalidHost("invalid character in host") }
            i += 1
            let digits = e - i
            guard digits >= 1 && digits <= 5 else { throw .invalidHost("invalid port") }
            var port = 0
            while i < e {
                let d = p[i] &- 0x30
                if d > 9 { throw .invalidHost("invalid port") }
                port = port * 10 + Int(d)
                i += 1
            }
            if port > 65535 { throw .invalidHost("port out of range") }
        }
        let len = e - s
        return String(unsafeUninitializedCapacity: len) { buf in
            for x in 0..<len { buf[x] = p[s + x].asciiLowercased }
            return len
        }
    }
}
