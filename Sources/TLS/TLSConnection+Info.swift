internal import COpenSSL

extension TLSConnection {
    /// Whether this handshake resumed a cached session (no certificate
    /// exchange). Meaningful once the handshake is done.
    public var isResumed: Bool { SSL_session_reused(ssl) == 1 }

    /// The ALPN protocol agreed on ("http/1.1"), or nil if none was.
    public var negotiatedProtocol: String? {
        var data: UnsafePointer<UInt8>?
        var length: UInt32 = 0
        SSL_get0_alpn_selected(ssl, &data, &length)
        guard let data, length > 0 else { return nil }
        return String(decoding: UnsafeBufferPointer(start: data, count: Int(length)), as: UTF8.self)
    }

    /// On a server: the SNI host name the client sent, if any (clients
    /// reaching an IP address send none).
    public var requestedServerName: String? {
        guard let name = SSL_get_servername(ssl, Int32(TLSEXT_NAMETYPE_host_name)) else { return nil }
        return String(cString: name)
    }

    /// "TLSv1.2" or "TLSv1.3" once negotiated.
    public var protocolVersion: String { String(cString: SSL_get_version(ssl)) }

    /// The negotiated cipher suite's OpenSSL name, if any.
    public var cipherName: String? {
        guard let cipher = SSL_get_current_cipher(ssl) else { return nil }
        return String(cString: SSL_CIPHER_get_name(cipher))
    }

    /// Whether the peer presented a certificate (on a server: an mTLS
    /// client did; it was verified if the handshake succeeded).
    public var hasPeerCertificate: Bool { SSL_get0_peer_certificate(ssl) != nil }

    /// The peer certificate's subject in RFC 2253 form, e.g. "CN=agent-7,O=Acme".
    public var peerCertificateSubject: String? {
        guard let cert = SSL_get0_peer_certificate(ssl) else { return nil }
        return X509Text.subject(cert)
    }
}
