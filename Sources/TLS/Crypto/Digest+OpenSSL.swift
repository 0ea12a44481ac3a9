internal import COpenSSL

extension DigestAlgorithm {
    /// The digest, fetched from the default provider once: the legacy
    /// `EVP_sha256()` handles make OpenSSL 3 fetch (and lock) on every use.
    var evpMD: OpaquePointer {
        switch self {
        case .sha256: FetchedDigests.sha256.md
        case .sha384: FetchedDigests.sha384.md
        case .sha512: FetchedDigests.sha512.md
        }
    }
}

/// Explicitly fetched `EVP_MD`s, kept for the life of the process.
enum FetchedDigests {
    struct Handle: @unchecked Sendable { let md: OpaquePointer }
    static let sha256 = fetch("SHA256")
    static let sha384 = fetch("SHA384")
    static let sha512 = fetch("SHA512")

    private static func fetch(_ name: String) -> Handle {
        guard let md = EVP_MD_fetch(nil, name, nil) else { preconditionFailure("OpenSSL has no \(name)") }
        return Handle(md: md)
    }
}

extension EllipticCurve {
    /// The OpenSSL group name, as a static C string (see `PublicKey.cString`).
    var openSSLName: StaticString {
        switch self {
        case .p256: "P-256"
        case .p384: "P-384"
        case .p521: "P-521"
        }
    }
}

/// One-shot SHA-256, e.g. for keying a cache by a token without keeping
/// the token.
public enum SHA256 {
    /// The 32-byte digest of `bytes`.
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        var len: UInt32 = 0
        let md = FetchedDigests.sha256.md
        let ok = out.withUnsafeMutableBufferPointer { o in
            EVP_Digest(bytes.baseAddress, bytes.count, o.baseAddress, &len, md, nil)
        }
        precondition(ok == 1 && len == 32, "EVP_Digest(SHA-256) failed")
        return out
    }

    /// The 32-byte digest of `bytes`.
    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBytes { hash($0) }
    }
}
