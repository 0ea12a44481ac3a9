/// Why a bearer token was refused. `reason` is a stable code for logs,
/// recordings and tests; `description` is the human text that goes into
/// `error_description`. Neither ever contains the token.
public struct TokenRejection: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: String, Sendable, Hashable {
        case tokenTooLarge = "token_too_large"
        case malformed
        case algorithmNotAllowed = "alg_not_allowed"
        case headerKeyReference = "header_key_reference"
        case unknownCritical = "unknown_crit"
        case wrongType = "wrong_typ"
        case unknownKey = "unknown_kid"
        case noKeys = "no_keys"
        case badSignature = "bad_signature"
        case missingExpiry = "missing_exp"
        case expired
        case notYetValid = "not_yet_valid"
        case issuedInFuture = "iat_in_future"
        case lifetimeTooLong = "lifetime_too_long"
        case wrongIssuer = "wrong_issuer"
        case wrongAudience = "wrong_audience"
        case missingSubject = "missing_subject"
        case badClaim = "bad_claim"
    }

    public var reason: Reason
    public var description: String

    public init(_ reason: Reason, _ description: String) {
        self.reason = reason
        self.description = description
    }
}
