/// How the body of a message is delimited (RFC 9112 §6.3).
public enum BodyFraming: Sendable, Equatable {
    /// No body follows the head.
    case none
    /// Exactly this many body bytes follow (may be 0 when `Content-Length: 0` was sent).
    case contentLength(UInt64)
    /// A chunked body follows; decode it with ``ChunkedDecoder``.
    case chunked
    /// Responses only: the body extends until the upstream closes the connection.
    case untilClose
}
