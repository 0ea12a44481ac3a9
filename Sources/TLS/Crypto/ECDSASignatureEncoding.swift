internal import COpenSSL

/// JOSE carries ECDSA signatures as raw `R‖S` (each zero-padded to the
/// coordinate size, RFC 7518 section 3.4); OpenSSL wants and produces DER.
/// The conversion is strict about length so a DER signature handed in as
/// if it were raw is refused rather than reinterpreted.
enum ECDSASignatureEncoding {
    /// DER for a raw signature of exactly `2 × curve.coordinateByteCount`
    /// bytes, or nil for any other length.
    static func der(fromRaw raw: [UInt8], curve: EllipticCurve) -> [UInt8]? {
        let half = curve.coordinateByteCount
        guard raw.count == 2 * half else { return nil }
        guard let sig = ECDSA_SIG_new() else { return nil }
        defer { ECDSA_SIG_free(sig) }
        let (r, s): (OpaquePointer?, OpaquePointer?) = raw.withUnsafeBufferPointer { b in
            (BN_bin2bn(b.baseAddress, Int32(half), nil), BN_bin2bn(b.baseAddress! + half, Int32(half), nil))
        }
        guard let r, let s else { BN_free(r); BN_free(s); return nil }
        guard ECDSA_SIG_set0(sig, r, s) == 1 else { BN_free(r); BN_free(s); return nil }  // sig owns r, s now
        var out: UnsafeMutablePointer<UInt8>?
        let len = i2d_ECDSA_SIG(sig, &out)
        guard len > 0, let out else { return nil }
        defer { CRYPTO_free(out, #fileID, #line) }
        return Array(UnsafeBufferPointer(start: out, count: Int(len)))
    }

    /// Raw `R‖S` for a DER signature produced by OpenSSL.
    static func raw(fromDER der: [UInt8], curve: EllipticCurve) -> [UInt8]? {
        let half = curve.coordinateByteCount
        let sig: OpaquePointer? = der.withUnsafeBufferPointer { b in
            var p: UnsafePointer<UInt8>? = b.baseAddress
            return d2i_ECDSA_SIG(nil, &p, b.count)
        }
        guard let sig else { return nil }
        defer { ECDSA_SIG_free(sig) }
        var out = [UInt8](repeating: 0, count: 2 * half)
        let ok = out.withUnsafeMutableBufferPointer { o in
            BN_bn2binpad(ECDSA_SIG_get0_r(sig), o.baseAddress, Int32(half)) == half
                && BN_bn2binpad(ECDSA_SIG_get0_s(sig), o.baseAddress! + half, Int32(half)) == half
        }
        return ok ? out : nil
    }
}
