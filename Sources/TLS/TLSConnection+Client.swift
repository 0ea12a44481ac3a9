internal import COpenSSL

extension TLSConnection {
    /// SNI and the name check. `SSL_set1_host` makes OpenSSL verify the
    /// certificate's DNS SANs (no partial wildcards like `w*.example`);
    /// an IP host is checked against IP SANs instead and sends no SNI.
    func configurePeerName(_ name: TLSPeerName) {
        OpenSSLErrorQueue.clear()
        let param = SSL_get0_param(ssl)
        switch name {
        case .dns(let host):
            X509_VERIFY_PARAM_set_hostflags(param, GH_X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS)
            if gh_SSL_set_tlsext_host_name(ssl, host) != 1 || SSL_set1_host(ssl, host) != 1 {
                failure = TLSError(.handshakeFailed, detail: "invalid server name \"\(host)\": "
                                   + OpenSSLErrorQueue.drain())
            }
        case .ip(let address):
            if X509_VERIFY_PARAM_set1_ip_asc(param, address) != 1 {
                failure = TLSError(.handshakeFailed, detail: "invalid IP address \"\(address)\": "
                                   + OpenSSLErrorQueue.drain())
            }
        case .invalid(let text):
            failure = TLSError(.handshakeFailed, detail: "invalid server name \"\(text)\"")
        }
    }

    /// Offers a cached session for this peer, if the context has one.
    func resumeCachedSession() {
        guard let key = sessionKey, let cache = context.sessionCache,
              let session = cache.take(for: key) else { return }
        SSL_set_session(ssl, session)  // takes its own reference
        SSL_SESSION_free(session)
    }

    /// Called from OpenSSL's new-session callback (after a full handshake in
    /// TLS 1.2, on each NewSessionTicket in TLS 1.3). Returns true if the
    /// cache took the session's reference.
    func keepNewSession(_ session: OpaquePointer) -> Bool {
        guard let key = sessionKey, let cache = context.sessionCache,
              SSL_SESSION_is_resumable(session) == 1 else { return false }
        cache.store(session, for: key)
        return true
    }
}
