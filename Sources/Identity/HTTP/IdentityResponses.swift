import Policy

/// The local responses of the identity stage (RFC 6750 section 3, RFC 9728
/// section 5.1). Codes are listed in Docs/ERRORS.md. An `error_description`
/// is our own text about the token, never the token or claim values.
public enum IdentityResponses {
    /// No credentials: 401, `WWW-Authenticate: Bearer` (+ `resource_metadata`).
    public static func missing(resourceMetadata: String?) -> LocalResponse {
        LocalResponse(status: 401, code: "identity_required", message: "a bearer token is required",
                      headers: [challenge([], resourceMetadata: resourceMetadata)])
    }

    /// A token that failed verification: 401 `invalid_token`.
    public static func invalidToken(_ rejection: TokenRejection, resourceMetadata: String?) -> LocalResponse {
        LocalResponse(status: 401, code: "invalid_token", message: "the bearer token was rejected: \(rejection.description)",
                      headers: [challenge([("error", "invalid_token"), ("error_description", rejection.description)],
                                          resourceMetadata: resourceMetadata)])
    }

    /// A request that breaks the token rules (two headers, token in the query): 400.
    public static func invalidRequest(_ description: String, resourceMetadata: String?) -> LocalResponse {
        LocalResponse(status: 400, code: "invalid_request", message: description,
                      headers: [challenge([("error", "invalid_request"), ("error_description", description)],
                                          resourceMetadata: resourceMetadata)])
    }

    /// A valid token without the route's scopes: 403 `insufficient_scope`.
    public static func insufficientScope(_ required: [String], resourceMetadata: String?) -> LocalResponse {
        let scope = required.joined(separator: " ")
        return LocalResponse(status: 403, code: "insufficient_scope", message: "the token lacks a required scope: \(scope)",
                             headers: [challenge([("error", "insufficient_scope"),
                                                  ("error_description", "the token lacks a required scope"),
                                                  ("scope", scope)], resourceMetadata: resourceMetadata)])
    }

    /// No key is known for the issuer and none could be fetched: 503, fail closed.
    public static func unavailable() -> LocalResponse {
        LocalResponse(status: 503, code: "identity_unavailable",
                      message: "the token issuer's keys are not available; try again later",
                      headers: [LocalResponse.HeaderPair("Retry-After", "5")])
    }

    /// The route's issuer configuration did not match the token's issuer at all.
    static func challenge(_ params: [(String, String)], resourceMetadata: String?) -> LocalResponse.HeaderPair {
        var all = params
        if let resourceMetadata { all.append(("resource_metadata", resourceMetadata)) }
        if all.isEmpty { return LocalResponse.HeaderPair("WWW-Authenticate", "Bearer") }
        let text = all.map { "\($0.0)=\"\(quotedStringSafe($0.1))\"" }.joined(separator: ", ")
        return LocalResponse.HeaderPair("WWW-Authenticate", "Bearer " + text)
    }

    /// Keeps only printable ASCII without `"` and `\` (RFC 6750 section 3
    /// restricts `error_description` to these), bounded in length (long
    /// enough for any metadata URL the config accepts).
    static func quotedStringSafe(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars.prefix(2048) {
            if u.value >= 0x20, u.value <= 0x7E, u != "\"", u != "\\" { out.unicodeScalars.append(u) } else { out += "?" }
        }
        return out
    }
}
