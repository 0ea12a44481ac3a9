/// A certificate and its private key as PEM files, as named in the config:
/// a listener's `tls: { certificate, private_key, chain }` or a route's
/// upstream client certificate. Read when a context is built (at start-up
/// and on reload), never on a loop thread.
public struct TLSCertificateFiles: Sendable, Equatable {
    /// PEM file with the leaf certificate first, optionally followed by
    /// intermediates.
    public var certificatePath: String
    /// PEM file with the private key (unencrypted).
    public var privateKeyPath: String
    /// Optional separate PEM file of intermediates, sent after the leaf.
    public var chainPath: String?

    public init(certificatePath: String, privateKeyPath: String, chainPath: String? = nil) {
        self.certificatePath = certificatePath
        self.privateKeyPath = privateKeyPath
        self.chainPath = chainPath
    }
}
