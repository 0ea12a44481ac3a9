/// Outcome of one `TLSConnection.handshake()` step. After every step the
/// driver sends whatever `takeCiphertext` yields, whatever the outcome.
public enum TLSHandshakeResult: Sendable, Equatable {
    /// The handshake is complete; plaintext may flow.
    case done
    /// More bytes from the peer are needed: read the socket, feed them with
    /// `receiveCiphertext`, step again. (Arm the handshake deadline.)
    case wantRead
    /// The handshake failed. Send the pending ciphertext (it may hold an
    /// alert telling the peer why), then close.
    case failed(TLSError)
}

/// Outcome of `TLSConnection.readPlaintext(into:)`.
public enum TLSReadResult: Sendable, Equatable {
    /// This many plaintext bytes were written to the buffer.
    case bytes(Int)
    /// No complete record is buffered; feed more ciphertext first. (Also
    /// returned when a record carried no application data, such as a TLS 1.3
    /// session ticket.)
    case wantRead
    /// The peer sent close_notify: a clean end of its stream.
    case closed
    case failed(TLSError)
}

/// Outcome of `TLSConnection.writePlaintext(_:)`.
public enum TLSWriteResult: Sendable, Equatable {
    /// This many plaintext bytes were encrypted into the output (at most
    /// `TLSConnection.maxPlaintextPerWrite`); take the ciphertext.
    case accepted(Int)
    /// The handshake has not finished and needs peer bytes first.
    case wantRead
    case failed(TLSError)
}

/// Outcome of `TLSConnection.shutdown()`.
public enum TLSShutdownResult: Sendable, Equatable {
    /// Our close_notify is queued in the output; the peer's has not been
    /// seen. For HTTP it is enough to send it and close the socket.
    case sent
    /// Both close_notify alerts have been exchanged.
    case complete
    /// Nothing to send: the handshake never finished or the connection
    /// failed. Just close the socket.
    case notApplicable
}
