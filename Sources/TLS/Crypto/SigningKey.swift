internal import COpenSSL

/// A freshly generated private key that signs in JOSE form and exports its
/// public JWK parameters.
///
/// For tests and tools only (the test issuer in `GatehouseTestSupport`, the
/// identity benchmark): the gateway itself never signs tokens. Keys live in
/// memory only and are never written anywhere.
public final class SigningKey: @unchecked Sendable {
    private let pkey: OpaquePointer
    /// What the key is (RSA size, curve, Ed25519).
    public let kind: PublicKeyKind

    private init(pkey: OpaquePointer, kind: PublicKeyKind) {
        self.pkey = pkey
        self.kind = kind
    }

    deinit { EVP_PKEY_free(pkey) }

    /// A new RSA key of `bits` bits (exponent 65537).
    public static func generateRSA(bits: Int = 2048) throws(CryptoError) -> SigningKey {
        let pkey = try generate("RSA") { EVP_PKEY_CTX_set_rsa_keygen_bits($0, Int32(bits)) == 1 }
        return SigningKey(pkey: pkey, kind: .rsa(bits: Int(EVP_PKEY_get_bits(pkey))))
    }

    /// A new EC key on `curve`.
    public static func generateEC(_ curve: EllipticCurve) throws(CryptoError) -> SigningKey {
        let pkey = try generate("EC") { EVP_PKEY_CTX_set_group_name($0, curve.rawValue) == 1 }
        return SigningKey(pkey: pkey, kind: .ec(curve))
    }

    /// A new Ed25519 key.
    public static func generateEd25519() throws(CryptoError) -> SigningKey {
        SigningKey(pkey: try generate("ED25519") { _ in true }, kind: .ed25519)
    }

    private static func generate(_ type: String, _ configure: (OpaquePointer) -> Bool) throws(CryptoError) -> OpaquePointer {
        OpenSSLErrorQueue.clear()
        guard let ctx = EVP_PKEY_CTX_new_from_name(nil, type, nil) else {
            throw CryptoError(OpenSSLErrorQueue.drain(or: "no \(type) key management"))
        }
        defer { EVP_PKEY_CTX_free(ctx) }
        var pkey: OpaquePointer?
        guard EVP_PKEY_keygen_init(ctx) == 1, configure(ctx), EVP_PKEY_generate(ctx, &pkey) == 1, let pkey else {
            throw CryptoError(OpenSSLErrorQueue.drain(or: "\(type) key generation failed"))
        }
        return pkey
    }

    /// Signs `message` with `algorithm`; ECDSA signatures come out in the
    /// JOSE raw `R‖S` form.
    public func sign(_ message: [UInt8], algorithm: SignatureAlgorithm) throws(CryptoError) -> [UInt8] {
        let md: OpaquePointer?
        switch algorithm {
        case .rsaPKCS1(let d), .rsaPSS(let d): md = d.evpMD
        case .ecdsa(let c): md = c.digest.evpMD
        case .ed25519: md = nil
        }
        OpenSSLErrorQueue.clear()
        guard let ctx = EVP_MD_CTX_new() else { throw CryptoError("EVP_MD_CTX_new failed") }
        defer { EVP_MD_CTX_free(ctx) }
        var pctx: OpaquePointer?
        guard EVP_DigestSignInit(ctx, &pctx, md, nil, pkey) == 1 else {
            throw CryptoError(OpenSSLErrorQueue.drain(or: "EVP_DigestSignInit failed"))
        }
        if case .rsaPSS = algorithm {
            guard let pctx, EVP_PKEY_CTX_set_rsa_padding(pctx, GH_RSA_PKCS1_PSS_PADDING) == 1,
                  EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, GH_RSA_PSS_SALTLEN_DIGEST) == 1 else {
                throw CryptoError(OpenSSLErrorQueue.drain(or: "PSS setup failed"))
            }
        }
        var len = 0
        let rc1 = message.withUnsafeBufferPointer { EVP_DigestSign(ctx, nil, &len, $0.baseAddress, $0.count) }
        guard rc1 == 1 else { throw CryptoError(OpenSSLErrorQueue.drain(or: "EVP_DigestSign (size) failed")) }
        var sig = [UInt8](repeating: 0, count: len)
        let rc2 = sig.withUnsafeMutableBufferPointer { s in
            message.withUnsafeBufferPointer { EVP_DigestSign(ctx, s.baseAddress, &len, $0.baseAddress, $0.count) }
        }
        guard rc2 == 1 else { throw CryptoError(OpenSSLErrorQueue.drain(or: "EVP_DigestSign failed")) }
        sig.removeSubrange(len...)
        if case .ecdsa(let curve) = algorithm {
            guard let raw = ECDSASignatureEncoding.raw(fromDER: sig, curve: curve) else {
                throw CryptoError("could not convert the ECDSA signature to R‖S")
            }
            return raw
        }
        return sig
    }

    /// The public half's JWK parameters.
    public func publicParameters() throws(CryptoError) -> PublicKeyParameters {
        switch kind {
        case .rsa:
            return .rsa(n: try bnParam(OSSL_PKEY_PARAM_RSA_N, pad: 0), e: try bnParam(OSSL_PKEY_PARAM_RSA_E, pad: 0))
        case .ec(let curve):
            return .ec(curve, x: try bnParam(OSSL_PKEY_PARAM_EC_PUB_X, pad: curve.coordinateByteCount),
                       y: try bnParam(OSSL_PKEY_PARAM_EC_PUB_Y, pad: curve.coordinateByteCount))
        case .ed25519:
            var out = [UInt8](repeating: 0, count: 32)
            var len = 32
            guard out.withUnsafeMutableBufferPointer({ EVP_PKEY_get_raw_public_key(pkey, $0.baseAddress, &len) }) == 1,
                  len == 32 else { throw CryptoError(OpenSSLErrorQueue.drain(or: "Ed25519 export failed")) }
            return .ed25519(x: out)
        }
    }

    /// The public key alone, as the verifier would build it.
    public func publicKey() throws(CryptoError) -> PublicKey {
        switch try publicParameters() {
        case .rsa(let n, let e): return try PublicKey.rsa(modulus: n, exponent: e)
        case .ec(let c, let x, let y): return try PublicKey.ec(curve: c, x: x, y: y)
        case .ed25519(let x): return try PublicKey.ed25519(x)
        }
    }

    private func bnParam(_ name: UnsafePointer<CChar>, pad: Int) throws(CryptoError) -> [UInt8] {
        var bn: OpaquePointer?
        guard EVP_PKEY_get_bn_param(pkey, name, &bn) == 1, let bn else {
            throw CryptoError(OpenSSLErrorQueue.drain(or: "could not export a key parameter"))
        }
        defer { BN_free(bn) }
        let size = max(pad, Int((BN_num_bits(bn) + 7) / 8))
        var out = [UInt8](repeating: 0, count: size)
        _ = out.withUnsafeMutableBufferPointer { BN_bn2binpad(bn, $0.baseAddress, Int32(size)) }
        return out
    }
}

/// Public key material in JWK terms (raw big-endian bytes, not yet base64url).
public enum PublicKeyParameters: Sendable, Equatable {
    case rsa(n: [UInt8], e: [UInt8])
    case ec(EllipticCurve, x: [UInt8], y: [UInt8])
    case ed25519(x: [UInt8])
}
