internal import COpenSSL
#if canImport(Glibc)
import Glibc
#endif

/// Readable fields of an `X509 *` for logs: subject and expiry.
enum X509Text {
    /// The subject in RFC 2253 form, e.g. "CN=agent-7,O=Acme".
    static func subject(_ cert: OpaquePointer) -> String? {
        guard let name = X509_get_subject_name(cert), let bio = BIO_new(BIO_s_mem()) else { return nil }
        defer { BIO_free(bio) }
        guard X509_NAME_print_ex(bio, name, 0, GH_XN_FLAG_RFC2253) >= 0 else { return nil }
        let n = Int(BIO_ctrl_pending(bio))
        var bytes = [UInt8](repeating: 0, count: n)
        _ = bytes.withUnsafeMutableBytes { BIO_read(bio, $0.baseAddress, Int32(n)) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The end of the validity period, in seconds since the Unix epoch.
    static func notAfter(_ cert: OpaquePointer) -> Int? {
        guard let time = X509_get0_notAfter(cert) else { return nil }
        var parts = tm()
        guard ASN1_TIME_to_tm(time, &parts) == 1 else { return nil }
        return Int(timegm(&parts))
    }
}
