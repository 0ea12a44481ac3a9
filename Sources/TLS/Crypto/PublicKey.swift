internal import COpenSSL

/// A verification key held as an OpenSSL `EVP_PKEY`, built once from JWK
/// parameters (big-endian byte strings, already base64url-decoded) and then
/// shared read-only by every loop thread: OpenSSL 3 allows concurrent
/// verification with one key as long as nobody modifies it, and nothing here
/// does after `init`.
///
/// Used by the `Identity` module's JWKS cache; no OpenSSL type is exposed.
public final class PublicKey: @unchecked Sendable {
    let pkey: OpaquePointer
    /// RSA (with its modulus size), EC (with its curve) or Ed25519.
    public let kind: PublicKeyKind

    init(taking pkey: OpaquePointer, kind: PublicKeyKind) {
        self.pkey = pkey
        self.kind = kind
    }

    deinit { EVP_PKEY_free(pkey) }

    /// An RSA public key from its modulus `n` and exponent `e` (JWK `n`,
    /// `e`). Leading zero bytes are allowed. Callers enforce a minimum size
    /// through `kind`.
    public static func rsa(modulus n: [UInt8], exponent e: [UInt8]) throws(CryptoError) -> PublicKey {
        guard !n.isEmpty, !e.isEmpty else { throw CryptoError("RSA key needs a non-empty modulus and exponent") }
        guard n.count <= 2048, e.count <= 16 else { throw CryptoError("RSA modulus or exponent is too long") }
        // A valid RSA public exponent is odd and at least 3 (e = 1 makes
        // every "signature" equal to its padded digest).
        let significant = e.drop(while: { $0 == 0 })
        guard let last = significant.last, last & 1 == 1, significant.count > 1 || last >= 3 else {
            throw CryptoError("RSA public exponent must be odd and at least 3")
        }
        OpenSSLErrorQueue.clear()
        guard let bnN = n.withUnsafeBufferPointer({ BN_bin2bn($0.baseAddress, Int32($0.count), nil) }),
              let bnE = e.withUnsafeBufferPointer({ BN_bin2bn($0.baseAddress, Int32($0.count), nil) }) else {
            throw CryptoError(OpenSSLErrorQueue.drain(or: "BN_bin2bn failed"))
        }
        defer { BN_free(bnN); BN_free(bnE) }
        let pkey = try fromData(type: "RSA") { bld in
            OSSL_PARAM_BLD_push_BN(bld, cString("n"), bnN) == 1
                && OSSL_PARAM_BLD_push_BN(bld, cString("e"), bnE) == 1
        }
        return PublicKey(taking: pkey, kind: .rsa(bits: Int(EVP_PKEY_get_bits(pkey))))
    }

    /// An EC public key from its affine coordinates (JWK `x`, `y`), each
    /// exactly `curve.coordinateByteCount` bytes as RFC 7518 section 6.2.1
    /// requires. A point that is not on the curve is refused.
    public static func ec(curve: EllipticCurve, x: [UInt8], y: [UInt8]) throws(CryptoError) -> PublicKey {
        let size = curve.coordinateByteCount
        guard x.count == size, y.count == size else {
            throw CryptoError("\(curve.rawValue) coordinates must be \(size) bytes each, got \(x.count) and \(y.count)")
        }
        let point: [UInt8] = [0x04] + x + y
        OpenSSLErrorQueue.clear()
        let pkey = try point.withUnsafeBufferPointer { (p) throws(CryptoError) -> OpaquePointer in
            try fromData(type: "EC") { bld in
                OSSL_PARAM_BLD_push_utf8_string(bld, cString("group"), cString(curve.openSSLName), 0) == 1
                    && OSSL_PARAM_BLD_push_octet_string(bld, cString("pub"), p.baseAddress, p.count) == 1
            }
        }
        let key = PublicKey(taking: pkey, kind: .ec(curve))
        guard let check = EVP_PKEY_CTX_new_from_pkey(nil, pkey, nil) else {
            throw CryptoError(OpenSSLErrorQueue.drain(or: "EVP_PKEY_CTX_new_from_pkey failed"))
        }
        defer { EVP_PKEY_CTX_free(check) }
        guard EVP_PKEY_public_check(check) == 1 else {
            throw CryptoError(OpenSSLErrorQueue.drain(or: "\(curve.rawValue) point is not a valid public key"))
        }
        return key
    }

    /// An Ed25519 public key from its 32 raw bytes (JWK `x` with `crv: Ed25519`).
    public static func ed25519(_ x: [UInt8]) throws(CryptoError) -> PublicKey {
        guard x.count == 32 else { throw CryptoError("Ed25519 public key must be 32 bytes, got \(x.count)") }
        OpenSSLErrorQueue.clear()
        guard let pkey = x.withUnsafeBufferPointer({ EVP_PKEY_new_raw_public_key_ex(nil, "ED25519", nil, $0.baseAddress, 32) }) else {
            throw CryptoError(OpenSSLErrorQueue.drain(or: "Ed25519 key rejected"))
        }
        return PublicKey(taking: pkey, kind: .ed25519)
    }

    /// `OSSL_PARAM_BLD` keeps the key-name and string pointers it is given
    /// until `OSSL_PARAM_BLD_to_param`, so they must outlive the push call:
    /// only static strings are passed.
    static func cString(_ s: StaticString) -> UnsafePointer<CChar> {
        UnsafeRawPointer(s.utf8Start).assumingMemoryBound(to: CChar.self)
    }

    /// Builds a public key of `type` from the parameters `push` adds.
    private static func fromData(type: String, _ push: (OpaquePointer) -> Bool) throws(CryptoError) -> OpaquePointer {
        guard let bld = OSSL_PARAM_BLD_new() else { throw CryptoError("OSSL_PARAM_BLD_new failed") }
        defer { OSSL_PARAM_BLD_free(bld) }
        guard push(bld), let params = OSSL_PARAM_BLD_to_param(bld) else {
            throw CryptoError(OpenSSLErrorQueue.drain(or: "could not build \(type) key parameters"))
        }
        defer { OSSL_PARAM_free(params) }
        guard let ctx = EVP_PKEY_CTX_new_from_name(nil, type, nil) else {
            throw CryptoError(OpenSSLErrorQueue.drain(or: "no \(type) key management"))
        }
        defer { EVP_PKEY_CTX_free(ctx) }
        var pkey: OpaquePointer?
        guard EVP_PKEY_fromdata_init(ctx) == 1,
              EVP_PKEY_fromdata(ctx, &pkey, GH_EVP_PKEY_PUBLIC_KEY, params) == 1, let pkey else {
            throw CryptoError(OpenSSLErrorQueue.drain(or: "\(type) key parameters rejected"))
        }
        return pkey
    }
}
