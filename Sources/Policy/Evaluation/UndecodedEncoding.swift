import HTTP1

/// The one rule for a body the gateway must inspect or mask: every
/// `Content-Encoding` token must be `identity`, since the gateway decodes
/// none (the policy stage asks upstreams for `Accept-Encoding: identity`).
/// A compressed body is refused, never passed through unscanned.
enum UndecodedEncoding {
    /// Why `headers` make the body uninspectable (the first encoding other
    /// than `identity`), or nil when it can be read as it is.
    static func problem(in headers: HTTPHeaders) -> String? {
        for encoding in headers.values("content-encoding") {
            for token in encoding.split(separator: ",") where token.trimmingSpaces.lowercased() != "identity" {
                return "Content-Encoding \"\(token.trimmingSpaces)\" is not decoded by the gateway"
            }
        }
        return nil
    }
}
