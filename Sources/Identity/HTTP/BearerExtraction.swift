import HTTP1

/// Finds the bearer token of a request (RFC 6750 section 2.1). Only the
/// `Authorization` header is accepted: exactly one such header, scheme
/// `Bearer` in any case. A token in the query string is refused, never
/// used (it would end up in logs and caches); form-body tokens are not read.
public enum BearerExtraction {
    public enum Outcome: Sendable, Equatable {
        case token([UInt8])
        /// No credentials (no header, or another scheme): 401 without error code.
        case missing
        /// A request the token rules refuse outright: 400 `invalid_request`.
        case invalidRequest(String)
    }

    public static func extract(_ head: RequestHead) -> Outcome {
        if let query = head.query, queryHasAccessToken(query) {
            return .invalidRequest("access tokens are not accepted in the query string; use the Authorization header")
        }
        var found: Int?
        for i in 0..<head.headers.count where head.headers.nameString(at: i).lowercased() == "authorization" {
            if found != nil { return .invalidRequest("the request has more than one Authorization header") }
            found = i
        }
        guard let found else { return .missing }
        let value = head.headers.value(at: found)
        let scheme = Array("bearer".utf8)
        guard value.count > scheme.count, value[scheme.count] == UInt8(ascii: " "),
              zip(value.prefix(scheme.count), scheme).allSatisfy({ $0 | 0x20 == $1 }) else { return .missing }
        var token = value[(scheme.count + 1)...].drop { $0 == UInt8(ascii: " ") }
        while let last = token.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") { token = token.dropLast() }
        guard !token.isEmpty, token.allSatisfy(isToken68) else {
            return .invalidRequest("the Authorization header does not hold a bearer token")
        }
        return .token(Array(token))
    }

    /// RFC 6750 `b64token` characters.
    static func isToken68(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "+"), UInt8(ascii: "/"),
             UInt8(ascii: "="): true
        default: false
        }
    }

    /// Whether a query string has an `access_token` parameter (name compared
    /// after percent-decoding, case-sensitively as RFC 6750 names it).
    static func queryHasAccessToken(_ query: Substring) -> Bool {
        for pair in query.split(separator: "&") {
            let name = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            if name == "access_token" || (name.removingPercentEncoding ?? "") == "access_token" { return true }
        }
        return false
    }
}

extension Substring {
    /// Percent-decoding of ASCII escapes; nil when malformed.
    var removingPercentEncoding: String? {
        var out: [UInt8] = []
        var it = utf8.makeIterator()
        while let b = it.next() {
            if b == UInt8(ascii: "%") {
                guard let h = it.next(), let l = it.next(), let hv = hexValue(h), let lv = hexValue(l) else { return nil }
                out.append(hv << 4 | lv)
            } else if b == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else {
                out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

private func hexValue(_ b: UInt8) -> UInt8? {
    switch b {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): b - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): b - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): b - UInt8(ascii: "A") + 10
    default: nil
    }
}
