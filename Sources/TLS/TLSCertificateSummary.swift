internal import COpenSSL

/// What a context presents, for the start-up and reload log ("listener
/// 0.0.0.0:8443 serves CN=gw.example, valid until …") and for warning about
/// a certificate close to expiry before clients start failing.
public struct TLSCertificateSummary: Sendable, Equatable {
    /// RFC 2253 subject, e.g. "CN=gw.example,O=Acme".
    public var subject: String
    /// End of validity, seconds since the Unix epoch.
    public var notAfter: Int
}

extension TLSContext {
    /// The context's own certificate (a listener's, or a client's mTLS
    /// certificate); nil if it has none.
    public var certificateSummary: TLSCertificateSummary? {
        guard let cert = SSL_CTX_get0_certificate(ctx), let subject = X509Text.subject(cert),
              let notAfter = X509Text.notAfter(cert) else { return nil }
        return TLSCertificateSummary(subject: subject, notAfter: notAfter)
    }
}
