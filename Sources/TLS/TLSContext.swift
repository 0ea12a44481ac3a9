internal import COpenSSL
#if canImport(Glibc)
import Glibc
#endif

/// An OpenSSL `SSL_CTX` with Gatehouse's settings: one per TLS listener
/// (server) or per distinct upstream TLS setting (client). Built off-loop at
/// start-up or reload (it reads PEM files), immutable afterwards, and shared
/// by every loop thread: creating connections from one context is
/// thread-safe in OpenSSL. Certificate rotation builds a new context; live
/// connections keep the one they started with (each holds a reference).
public final class TLSContext: @unchecked Sendable {
    public enum Role: Sendable, Equatable { case server, client }

    public let role: Role
    /// The `SSL_CTX *`.
    let ctx: OpaquePointer
    /// Client contexts only: sessions for resumption, per peer.
    let sessionCache: TLSSessionCache?

    /// Mozilla "intermediate" (guidelines v5.7) TLS 1.2 suites: forward
    /// secret AEAD only. TLS 1.3 suites are set separately.
    static let tls12Ciphers = [
        "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
        "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
        "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
        "DHE-RSA-AES128-GCM-SHA256", "DHE-RSA-AES256-GCM-SHA384", "DHE-RSA-CHACHA20-POLY1305",
    ].joined(separator: ":")
    static let tls13Suites = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256"
    static let groups = "X25519:prime256v1:secp384r1"
    /// ALPN wire format: length-prefixed "http/1.1".
    static let alpnHTTP11: [UInt8] = [8] + Array("http/1.1".utf8)

    /// A server context for a TLS listener.
    public convenience init(server configuration: TLSServerConfiguration) throws(TLSConfigurationError) {
        try self.init(role: .server, sessionCacheCapacity: 0)
        try configureServer(configuration)
    }

    /// A client context for HTTPS upstreams (and, later, OIDC/JWKS fetches).
    public convenience init(client configuration: TLSClientConfiguration) throws(TLSConfigurationError) {
        try self.init(role: .client, sessionCacheCapacity: configuration.sessionCacheCapacity)
        try configureClient(configuration)
    }

    private init(role: Role, sessionCacheCapacity: Int) throws(TLSConfigurationError) {
        OpenSSLErrorQueue.clear()
        let method = role == .server ? TLS_server_method() : TLS_client_method()
        guard let ctx = SSL_CTX_new(method) else {
            throw TLSConfigurationError(path: nil, reason: OpenSSLErrorQueue.drain(or: "SSL_CTX_new failed"))
        }
        self.role = role
        self.ctx = ctx
        self.sessionCache = role == .client ? TLSSessionCache(capacity: sessionCacheCapacity) : nil
        try applyCommonDefaults()
    }

    deinit { SSL_CTX_free(ctx) }

    /// Settings shared by both roles; see `Docs/TLS.md` for the reasons.
    private func applyCommonDefaults() throws(TLSConfigurationError) {
        try check(gh_SSL_CTX_set_min_proto_version(ctx, GH_TLS1_2_VERSION) == 1, "TLS 1.2 minimum")
        _ = SSL_CTX_set_options(ctx, GH_SSL_OP_NO_COMPRESSION | GH_SSL_OP_NO_RENEGOTIATION)
        // Partial writes and a moving buffer suit a nonblocking driver;
        // released buffers keep idle keep-alive connections small.
        _ = gh_SSL_CTX_set_mode(ctx, GH_SSL_MODE_ENABLE_PARTIAL_WRITE | GH_SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER
                                    | GH_SSL_MODE_RELEASE_BUFFERS)
        try check(SSL_CTX_set_cipher_list(ctx, Self.tls12Ciphers) == 1, "TLS 1.2 cipher list")
        try check(SSL_CTX_set_ciphersuites(ctx, Self.tls13Suites) == 1, "TLS 1.3 cipher suites")
        try check(gh_SSL_CTX_set1_groups_list(ctx, Self.groups) == 1, "key exchange groups")
    }

    /// Throws with OpenSSL's reason when a setting was refused.
    func check(_ ok: Bool, _ what: String, path: String? = nil) throws(TLSConfigurationError) {
        if ok { return }
        throw TLSConfigurationError(path: path, reason: "\(what): \(OpenSSLErrorQueue.drain(or: "refused by OpenSSL"))")
    }
}
