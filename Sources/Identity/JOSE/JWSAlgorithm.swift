import TLS

/// The JWS `alg` values the gateway can verify (RFC 7518 section 3, RFC 8037).
/// `none` and the HMAC algorithms are deliberately absent: a gateway that
/// holds only public keys must never accept them (RFC 8725 section 2.1).
public enum JWSAlgorithm: String, Sendable, Hashable, CaseIterable {
    case rs256 = "RS256", rs384 = "RS384", rs512 = "RS512"
    case ps256 = "PS256", ps384 = "PS384", ps512 = "PS512"
    case es256 = "ES256", es384 = "ES384", es512 = "ES512"
    case edDSA = "EdDSA"

    /// The allow-list used when an issuer configures none.
    public static let defaultAllowed: [JWSAlgorithm] = [.rs256, .ps256, .es256, .edDSA]

    /// Names that are never allowed, even when configured: `none` and HS*.
    public static func isForbidden(_ name: String) -> Bool {
        name.lowercased() == "none" || name.uppercased().hasPrefix("HS")
    }

    /// The signature scheme behind the name.
    public var signature: SignatureAlgorithm {
        switch self {
        case .rs256: .rsaPKCS1(.sha256)
        case .rs384: .rsaPKCS1(.sha384)
        case .rs512: .rsaPKCS1(.sha512)
        case .ps256: .rsaPSS(.sha256)
        case .ps384: .rsaPSS(.sha384)
        case .ps512: .rsaPSS(.sha512)
        case .es256: .ecdsa(.p256)
        case .es384: .ecdsa(.p384)
        case .es512: .ecdsa(.p521)
        case .edDSA: .ed25519
        }
    }

    /// The JWK `kty` a key for this algorithm must have.
    public var keyType: String {
        switch self {
        case .rs256, .rs384, .rs512, .ps256, .ps384, .ps512: "RSA"
        case .es256, .es384, .es512: "EC"
        case .edDSA: "OKP"
        }
    }
}
