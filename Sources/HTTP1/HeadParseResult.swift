/// Result of feeding bytes to ``RequestHeadParser`` or ``ResponseHeadParser``.
public enum HeadParseResult<Head: Sendable>: Sendable {
    /// The head is not complete yet; call again with the same buffer plus more bytes.
    case needMore
    /// The head is complete. `consumed` bytes at the start of the buffer belong to it
    /// (including ignored leading empty lines); the body or next message starts there.
    case complete(Head, consumed: Int)
    /// The head is invalid; answer with `error.status` (requests) and close the connection.
    case failed(HTTPParseError)
}
