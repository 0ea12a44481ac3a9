internal import COpenSSL

/// Turns a failed `SSL_*` call into a `TLSError` category. Verification
/// failures are recognised from `SSL_get_verify_result`, which is precise
/// (the error queue only says "certificate verify failed").
enum TLSFailureClassifier {
    static func classify(sslError: Int32, queue: String, verifyResult: Int32,
                         duringHandshake: Bool, inputEnded: Bool) -> TLSError {
        if verifyResult != X509_V_OK {
            let text = String(cString: X509_verify_cert_error_string(Int(verifyResult)))
            let detail = queue.isEmpty ? text : "\(text); \(queue)"
            return TLSError(.verifyFailed(reason: verifyFailure(verifyResult, text: text)), detail: detail)
        }
        let closedEarly = inputEnded && (sslError == SSL_ERROR_SYSCALL || sslError == SSL_ERROR_SSL)
        if duringHandshake {
            let detail = closedEarly && queue.isEmpty ? "peer closed the connection during the handshake" : queue
            return TLSError(.handshakeFailed, detail: detail.isEmpty ? "SSL error \(sslError)" : detail)
        }
        if closedEarly && (queue.isEmpty || queue.contains("unexpected eof")) {
            return TLSError(.unexpectedEOF, detail: queue.isEmpty ? "peer closed without close_notify" : queue)
        }
        return TLSError(.protocolError, detail: queue.isEmpty ? "SSL error \(sslError)" : queue)
    }

    static func verifyFailure(_ code: Int32, text: String) -> TLSVerifyFailure {
        switch code {
        case X509_V_ERR_CERT_HAS_EXPIRED:
            return .expired
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY,
             X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE, X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT,
             X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
            return .unknownCA
        case X509_V_ERR_HOSTNAME_MISMATCH, X509_V_ERR_IP_ADDRESS_MISMATCH:
            return .nameMismatch
        default:
            return .other(text)
        }
    }
}
