/// Why a TLS connection failed, as a stable category (`kind`, `code`) for
/// metrics, error responses and tests, plus OpenSSL's own text (`detail`)
/// for the log. Produced by `TLSConnection` when a handshake, read or write
/// fails; once a connection has failed it keeps returning the same error.
public struct TLSError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The peer's certificate did not verify (client side: the server's;
        /// server side with mTLS: the client's).
        case verifyFailed(reason: TLSVerifyFailure)
        /// The handshake failed for another reason: no shared cipher or
        /// protocol, a fatal alert from the peer, a missing client
        /// certificate, the peer closing mid-handshake.
        case handshakeFailed
        /// A failure after the handshake: a bad record, a fatal alert.
        case protocolError
        /// The peer's first byte cannot start a TLS record: it spoke plain
        /// HTTP (or something else) to a TLS port.
        case notTLS
        /// The peer's TCP stream ended without a close_notify after the
        /// handshake; data may have been truncated.
        case unexpectedEOF
    }

    public var kind: Kind
    /// OpenSSL's error-queue text and/or the verification error string.
    public var detail: String

    public init(_ kind: Kind, detail: String) {
        self.kind = kind
        self.detail = detail
    }

    /// A stable, machine-readable code: `verify_failed_expired`,
    /// `verify_failed_unknown_ca`, `verify_failed_name_mismatch`,
    /// `verify_failed_other`, `handshake_failed`, `protocol_error`,
    /// `not_tls`, `unexpected_eof`.
    public var code: String {
        switch kind {
        case .verifyFailed(let reason): return "verify_failed_\(reason.code)"
        case .handshakeFailed: return "handshake_failed"
        case .protocolError: return "protocol_error"
        case .notTLS: return "not_tls"
        case .unexpectedEOF: return "unexpected_eof"
        }
    }

    public var description: String { detail.isEmpty ? code : "\(code): \(detail)" }
}

/// The reason a certificate failed verification, reduced to the cases an
/// operator acts on differently (renew, fix the trust store, fix the name).
public enum TLSVerifyFailure: Sendable, Equatable {
    case expired
    case unknownCA
    case nameMismatch
    /// Any other verification error, with OpenSSL's text for it.
    case other(String)

    public var code: String {
        switch self {
        case .expired: return "expired"
        case .unknownCA: return "unknown_ca"
        case .nameMismatch: return "name_mismatch"
        case .other: return "other"
        }
    }
}
