internal import COpenSSL

extension TLSContext {
    /// Listener settings: certificate, ALPN `http/1.1`, session resumption
    /// (OpenSSL's server cache and stateless tickets, keyed by this
    /// context), optional client certificates.
    func configureServer(_ configuration: TLSServerConfiguration) throws(TLSConfigurationError) {
        try check(gh_SSL_CTX_set_dh_auto(ctx, 1) == 1, "DHE parameters")
        gh_SSL_CTX_select_alpn_http11(ctx)
        // Required for resumption whenever client certificates are verified;
        // harmless otherwise.
        let sid = Array("gatehouse".utf8)
        try check(SSL_CTX_set_session_id_context(ctx, sid, UInt32(sid.count)) == 1, "session id context")
        try loadCertificate(configuration.certificate)

        switch configuration.clientVerification {
        case .none:
            SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nil)
        case .optional(let bundle):
            try loadClientCAs(bundle)
            SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nil)
        case .required(let bundle):
            try loadClientCAs(bundle)
            SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nil)
        }
    }

    /// Trusts `path` for client certificates and names its CAs in the
    /// CertificateRequest, so clients pick the right certificate.
    private func loadClientCAs(_ path: String) throws(TLSConfigurationError) {
        try requireReadable(path)
        OpenSSLErrorQueue.clear()
        try check(SSL_CTX_load_verify_locations(ctx, path, nil) == 1, "loading CA bundle", path: path)
        guard let names = SSL_load_client_CA_file(path) else {
            try check(false, "reading CA names", path: path)
            return
        }
        SSL_CTX_set_client_CA_list(ctx, names)
    }
}
