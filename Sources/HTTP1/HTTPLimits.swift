/// Size limits applied while parsing a message head.
///
/// Configure once per listener/upstream and pass to the head parsers. Exceeding a limit
/// fails as early as possible, without waiting for the end of the head.
public struct HTTPLimits: Sendable, Equatable {
    /// Maximum request-line (or status-line) length in bytes, excluding the CRLF.
    /// Exceeding it fails with 414 `request_line_too_long` (responses: `status_line_too_long`).
    public var maxRequestLineBytes: Int
    /// Maximum total head size in bytes: start line, all field lines and the terminating
    /// empty line, CRLFs included (plus any ignored leading empty lines).
    /// Exceeding it fails with 431 `header_too_large`.
    public var maxHeaderBytes: Int
    /// Maximum number of field lines. Exceeding it fails with 431 `too_many_headers`.
    public var maxHeaderCount: Int

    public init(maxRequestLineBytes: Int = 8192, maxHeaderBytes: Int = 32768, maxHeaderCount: Int = 100) {
        self.maxRequestLineBytes = maxRequestLineBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
    }
}
