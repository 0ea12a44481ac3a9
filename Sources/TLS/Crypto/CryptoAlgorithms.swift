/// Message digests used by signature verification and cache keys.
public enum DigestAlgorithm: Sendable, Hashable {
    case sha256, sha384, sha512

    /// Output length in bytes.
    public var byteCount: Int {
        switch self {
        case .sha256: 32
        case .sha384: 48
        case .sha512: 64
        }
    }
}

/// The NIST curves JOSE uses for ECDSA (RFC 7518 section 3.4).
public enum EllipticCurve: String, Sendable, Hashable, CaseIterable {
    case p256 = "P-256"
    case p384 = "P-384"
    case p521 = "P-521"

    /// Bytes of one coordinate (and of R or S in a JOSE signature).
    public var coordinateByteCount: Int {
        switch self {
        case .p256: 32
        case .p384: 48
        case .p521: 66
        }
    }

    /// The digest JOSE pairs with this curve (ES256/ES384/ES512).
    public var digest: DigestAlgorithm {
        switch self {
        case .p256: .sha256
        case .p384: .sha384
        case .p521: .sha512
        }
    }
}

/// A signature scheme, independent of the JOSE names that select it.
public enum SignatureAlgorithm: Sendable, Hashable {
    /// RSASSA-PKCS1-v1_5 (RS256/384/512).
    case rsaPKCS1(DigestAlgorithm)
    /// RSASSA-PSS with MGF1 over the same digest and a salt as long as the
    /// digest (PS256/384/512).
    case rsaPSS(DigestAlgorithm)
    /// ECDSA over `curve` with the curve's JOSE digest; signatures are the
    /// raw `R‖S` form (ES256/384/512).
    case ecdsa(EllipticCurve)
    /// Ed25519 (JOSE `EdDSA` with `crv: Ed25519`).
    case ed25519
}

/// What a public key is, as far as choosing an algorithm is concerned.
public enum PublicKeyKind: Sendable, Hashable {
    case rsa(bits: Int)
    case ec(EllipticCurve)
    case ed25519
}

/// A key could not be built or used. `reason` is OpenSSL's error-queue text
/// or ours; never contains key or message bytes beyond lengths.
public struct CryptoError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}
