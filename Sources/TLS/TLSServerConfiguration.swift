/// Settings of a TLS listener. Versions, ciphers and ALPN are fixed
/// defaults (see `Docs/TLS.md`); what varies per deployment is the
/// certificate and whether clients must present one.
public struct TLSServerConfiguration: Sendable, Equatable {
    /// Whether and how client certificates are asked for (mTLS).
    public enum ClientVerification: Sendable, Equatable {
        /// No client certificate is requested.
        case none
        /// A certificate is requested; if one is sent it must verify
        /// against the bundle, but a client without one is let in.
        case optional(caBundlePath: String)
        /// A certificate that verifies against the bundle is required;
        /// the handshake fails without one.
        case required(caBundlePath: String)
    }

    public var certificate: TLSCertificateFiles
    public var clientVerification: ClientVerification

    public init(certificate: TLSCertificateFiles, clientVerification: ClientVerification = .none) {
        self.certificate = certificate
        self.clientVerification = clientVerification
    }
}
