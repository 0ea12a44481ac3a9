internal import COpenSSL

extension TLSConnection {
    /// Advances the handshake as far as the buffered peer bytes allow.
    public func handshake() -> TLSHandshakeResult {
        if let failure { return .failed(failure) }
        if isHandshakeComplete { return .done }
        OpenSSLErrorQueue.clear()
        defer { latchHandshakeState() }
        let rc = SSL_do_handshake(ssl)
        if rc == 1 { return .done }
        let error = SSL_get_error(ssl, rc)
        if error == SSL_ERROR_WANT_READ { return .wantRead }
        // WANT_WRITE cannot happen: the output memory BIO always accepts.
        return .failed(fail(sslError: error))
    }

    /// Decrypts up to `buffer.count` bytes of application data. Runs the
    /// handshake first if it has not finished.
    public func readPlaintext(into buffer: UnsafeMutableRawBufferPointer) -> TLSReadResult {
        if let failure { return .failed(failure) }
        guard let base = buffer.baseAddress, buffer.count > 0 else { return .bytes(0) }
        latchHandshakeState()
        OpenSSLErrorQueue.clear()
        let n = SSL_read(ssl, base, Int32(clamping: buffer.count))
        if n > 0 { return .bytes(Int(n)) }
        let error = SSL_get_error(ssl, n)
        switch error {
        case SSL_ERROR_WANT_READ:
            return .wantRead
        case SSL_ERROR_ZERO_RETURN:
            return .closed
        default:
            return .failed(fail(sslError: error))
        }
    }

    /// Encrypts up to `maxPlaintextPerWrite` bytes of `bytes`. Runs the
    /// handshake first if it has not finished.
    public func writePlaintext(_ bytes: UnsafeRawBufferPointer) -> TLSWriteResult {
        if let failure { return .failed(failure) }
        guard let base = bytes.baseAddress, bytes.count > 0 else { return .accepted(0) }
        latchHandshakeState()
        OpenSSLErrorQueue.clear()
        let n = SSL_write(ssl, base, Int32(min(bytes.count, Self.maxPlaintextPerWrite)))
        if n > 0 { return .accepted(Int(n)) }
        let error = SSL_get_error(ssl, n)
        if error == SSL_ERROR_WANT_READ { return .wantRead }
        return .failed(fail(sslError: error))
    }

    /// Queues our close_notify (take and send the ciphertext, then close).
    /// Call once, when done writing.
    public func shutdown() -> TLSShutdownResult {
        if failure != nil || !isHandshakeComplete { return .notApplicable }
        OpenSSLErrorQueue.clear()
        let rc = SSL_shutdown(ssl)
        if rc == 1 { return .complete }
        if rc == 0 { return .sent }
        // An error here means the transport is gone; nothing more to do.
        _ = OpenSSLErrorQueue.drain()
        return .notApplicable
    }

    /// Remembers a finished handshake while OpenSSL can still tell (reads
    /// and writes may finish it implicitly).
    private func latchHandshakeState() {
        if !handshakeFinished && failure == nil && SSL_is_init_finished(ssl) == 1 { handshakeFinished = true }
    }

    /// Records and returns the error behind a failed `SSL_*` call.
    private func fail(sslError: Int32) -> TLSError {
        let error = TLSFailureClassifier.classify(
            sslError: sslError,
            queue: OpenSSLErrorQueue.drain(),
            verifyResult: Int32(truncatingIfNeeded: SSL_get_verify_result(ssl)),
            duringHandshake: !isHandshakeComplete,
            inputEnded: inputEnded)
        failure = error
        return error
    }
}
