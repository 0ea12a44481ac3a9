internal import COpenSSL

extension PublicKey {
    /// Whether this key can check signatures made with `algorithm`: RSA for
    /// the RSA schemes, EC on the same curve for ECDSA, Ed25519 for EdDSA.
    public func supports(_ algorithm: SignatureAlgorithm) -> Bool {
        switch (algorithm, kind) {
        case (.rsaPKCS1, .rsa), (.rsaPSS, .rsa), (.ed25519, .ed25519): return true
        case (.ecdsa(let a), .ec(let k)): return a == k
        default: return false
        }
    }

    /// Checks `signature` over `message` with `algorithm`. Returns false for
    /// a bad signature, a key of the wrong kind, or an ECDSA signature that
    /// is not exactly the raw `R‖S` length (DER is refused). Safe to call
    /// from several threads at once with the same key.
    public func verify(signature: [UInt8], message: UnsafeRawBufferPointer, algorithm: SignatureAlgorithm) -> Bool {
        guard supports(algorithm) else { return false }
        var sig = signature
        let md: OpaquePointer?
        switch algorithm {
        case .rsaPKCS1(let d), .rsaPSS(let d): md = d.evpMD
        case .ecdsa(let curve):
            guard let der = ECDSASignatureEncoding.der(fromRaw: signature, curve: curve) else { return false }
            sig = der
            md = curve.digest.evpMD
        case .ed25519: md = nil
        }
        OpenSSLErrorQueue.clear()
        defer { OpenSSLErrorQueue.clear() }
        guard let ctx = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(ctx) }
        var pctx: OpaquePointer?
        guard EVP_DigestVerifyInit(ctx, &pctx, md, nil, pkey) == 1 else { return false }
        if case .rsaPSS = algorithm {
            guard let pctx, EVP_PKEY_CTX_set_rsa_padding(pctx, GH_RSA_PKCS1_PSS_PADDING) == 1,
                  EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, GH_RSA_PSS_SALTLEN_DIGEST) == 1 else { return false }
        } else if case .rsaPKCS1 = algorithm {
            guard let pctx, EVP_PKEY_CTX_set_rsa_padding(pctx, GH_RSA_PKCS1_PADDING) == 1 else { return false }
        }
        let rc = sig.withUnsafeBufferPointer { s in
            EVP_DigestVerify(ctx, s.baseAddress, s.count, message.baseAddress?.assumingMemoryBound(to: UInt8.self),
                             message.count)
        }
        return rc == 1
    }

    /// `verify(signature:message:algorithm:)` over a byte array.
    public func verify(signature: [UInt8], message: [UInt8], algorithm: SignatureAlgorithm) -> Bool {
        message.withUnsafeBytes { verify(signature: signature, message: $0, algorithm: algorithm) }
    }
}
