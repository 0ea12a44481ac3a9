internal import COpenSSL

extension TLSContext {
    /// Upstream settings: peer verification (always), ALPN offer
    /// `http/1.1`, optional client certificate, and a client session cache
    /// fed by OpenSSL's new-session callback (see `TLSSessionCache`).
    func configureClient(_ configuration: TLSClientConfiguration) throws(TLSConfigurationError) {
        OpenSSLErrorQueue.clear()
        // SSL_CTX_set_alpn_protos returns 0 on success.
        try check(SSL_CTX_set_alpn_protos(ctx, Self.alpnHTTP11, UInt32(Self.alpnHTTP11.count)) == 0, "ALPN")

        switch configuration.trust {
        case .system:
            try check(SSL_CTX_set_default_verify_paths(ctx) == 1, "system trust store")
        case .caBundle(let path):
            try requireReadable(path)
            try check(SSL_CTX_load_verify_locations(ctx, path, nil) == 1, "loading CA bundle", path: path)
        }
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nil)

        if let files = configuration.clientCertificate {
            try loadCertificate(files)
        }

        // Sessions go to our per-peer cache, not OpenSSL's internal one
        // (which clients never look up by peer).
        _ = gh_SSL_CTX_set_session_cache_mode(ctx, GH_SSL_SESS_CACHE_CLIENT | GH_SSL_SESS_CACHE_NO_INTERNAL_STORE)
        SSL_CTX_sess_set_new_cb(ctx) { ssl, session in
            guard let ssl, let session, let connection = TLSConnection.from(ssl) else { return 0 }
            // 1: we keep OpenSSL's reference to the session.
            return connection.keepNewSession(session) ? 1 : 0
        }
    }
}
