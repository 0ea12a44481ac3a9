/// Settings of an upstream TLS client (one per distinct route TLS setting).
/// Peer verification is always on; there is deliberately no switch to turn
/// it off.
public struct TLSClientConfiguration: Sendable, Equatable {
    /// Where trusted root certificates come from.
    public enum Trust: Sendable, Equatable {
        /// OpenSSL's default locations (on Debian/Ubuntu
        /// `/etc/ssl/certs`, from the `ca-certificates` package).
        case system
        /// Only the certificates in this PEM bundle (a private CA).
        case caBundle(path: String)
    }

    public var trust: Trust
    /// A client certificate for upstreams that require mTLS.
    public var clientCertificate: TLSCertificateFiles?
    /// How many peers (session keys) the context remembers sessions for.
    public var sessionCacheCapacity: Int

    public init(trust: Trust = .system, clientCertificate: TLSCertificateFiles? = nil, sessionCacheCapacity: Int = 1024) {
        self.trust = trust
        self.clientCertificate = clientCertificate
        self.sessionCacheCapacity = sessionCacheCapacity
    }
}
