import GatehouseCore

/// A listener's `"tls"` object: the gateway terminates TLS on this port.
/// Paths are resolved against the config file's directory; the files are
/// read when the server starts and on every `SIGHUP` reload.
public struct ListenerTLSConfig: Sendable, Equatable {
    /// How clients are asked for certificates (`"client_certificates"`).
    public enum ClientCertificates: Sendable, Equatable {
        /// No client certificate is requested (the default).
        case none
        /// Requested; one that is sent must verify against `caBundle`.
        case optional(caBundle: String)
        /// Required and verified against `caBundle`; the handshake fails without one.
        case required(caBundle: String)
    }

    /// `"certificate"`: PEM, the leaf first, optionally followed by intermediates.
    public var certificate: String
    /// `"private_key"`: PEM, unencrypted.
    public var privateKey: String
    /// `"chain"`: optional separate PEM file of intermediates.
    public var chain: String?
    public var clientCertificates: ClientCertificates
    /// `"handshake_timeout_ms"`: the TLS handshake must finish within this
    /// (default 10 s); the header-read timeout starts after it.
    public var handshakeTimeoutMs: Int
    /// Where `"tls"` is in the config file, for errors found when the
    /// certificate is loaded.
    public var location: SourceLocation?

    public init(certificate: String, privateKey: String, chain: String? = nil,
                clientCertificates: ClientCertificates = .none, handshakeTimeoutMs: Int = 10_000,
                location: SourceLocation? = nil) {
        self.certificate = certificate
        self.privateKey = privateKey
        self.chain = chain
        self.clientCertificates = clientCertificates
        self.handshakeTimeoutMs = handshakeTimeoutMs
        self.location = location
    }
}

/// A route's `"tls"` object, for an `https://` upstream: whom to trust and
/// which client certificate to present. Verification is always on; there
/// is no setting that turns it off.
public struct UpstreamTLSConfig: Sendable, Equatable, Hashable {
    /// `"ca_bundle"`: trust only the roots in this PEM file (a private CA)
    /// instead of the system store.
    public var caBundle: String?
    /// `"client_certificate"` and `"client_key"`: mTLS to the upstream.
    public var clientCertificate: String?
    public var clientKey: String?
    /// Where `"tls"` is in the config file.
    public var location: SourceLocation?

    public init(caBundle: String? = nil, clientCertificate: String? = nil, clientKey: String? = nil,
                location: SourceLocation? = nil) {
        self.caBundle = caBundle
        self.clientCertificate = clientCertificate
        self.clientKey = clientKey
        self.location = location
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.caBundle == b.caBundle && a.clientCertificate == b.clientCertificate && a.clientKey == b.clientKey
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(caBundle)
        hasher.combine(clientCertificate)
        hasher.combine(clientKey)
    }
}
