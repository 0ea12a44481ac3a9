import GatehouseCore

/// The JOSE header fields that matter for verification, checked against an
/// issuer's rules (RFC 7515 section 4.1, RFC 8725 section 3).
public struct JOSEHeader: Sendable, Equatable {
    public var algorithm: JWSAlgorithm
    public var keyID: String?
    public var type: String?

    /// Header members that point at keys the token itself supplies; never
    /// fetched or trusted (RFC 8725 section 3.10).
    static let keyReferences = ["jku", "x5u", "jwk", "x5c"]

    /// Reads and checks `header`: `alg` must be in `allowed` (`none` and HS*
    /// never are), no `crit` (the gateway understands no extension), no
    /// key references, and `typ` equal to `requiredType` when one is set.
    public static func check(_ header: JSONNode, allowed: [JWSAlgorithm], requiredType: String?) -> Result<JOSEHeader, TokenRejection> {
        guard let algName = header["alg"]?.stringValue else {
            return .failure(TokenRejection(.malformed, "the JWT header has no \"alg\" string"))
        }
        guard !JWSAlgorithm.isForbidden(algName), let alg = JWSAlgorithm(rawValue: algName), allowed.contains(alg) else {
            return .failure(TokenRejection(.algorithmNotAllowed, "algorithm \"\(algName.prefix(16))\" is not allowed for this issuer"))
        }
        for name in keyReferences where header[name] != nil {
            return .failure(TokenRejection(.headerKeyReference, "the JWT header carries \"\(name)\"; embedded or remote keys are never used"))
        }
        if let crit = header["crit"] {
            let names = crit.arrayValue?.compactMap(\.stringValue) ?? []
            return .failure(TokenRejection(.unknownCritical,
                                           "the JWT header marks extensions critical that are not understood: \(names.prefix(4).joined(separator: ", "))"))
        }
        var keyID: String?
        if let kid = header["kid"] {
            guard let s = kid.stringValue else { return .failure(TokenRejection(.malformed, "\"kid\" is not a string")) }
            keyID = s
        }
        var type: String?
        if let typ = header["typ"] {
            guard let s = typ.stringValue else { return .failure(TokenRejection(.malformed, "\"typ\" is not a string")) }
            type = s
        }
        if let requiredType {
            guard let type, Self.mediaTypesMatch(type, requiredType) else {
                return .failure(TokenRejection(.wrongType, "the JWT \"typ\" must be \"\(requiredType)\""))
            }
        }
        return .success(JOSEHeader(algorithm: alg, keyID: keyID, type: type))
    }

    /// Media types compared case-insensitively, with or without the
    /// `application/` prefix (RFC 7515 section 4.1.9).
    static func mediaTypesMatch(_ a: String, _ b: String) -> Bool {
        func norm(_ s: String) -> String {
            let l = s.lowercased()
            return l.hasPrefix("application/") ? String(l.dropFirst("application/".count)) : l
        }
        return norm(a) == norm(b)
    }
}
