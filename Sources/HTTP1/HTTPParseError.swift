/// A rejected HTTP/1.1 message head or body framing.
///
/// Produced by ``RequestHeadParser``, ``ResponseHeadParser`` and ``ChunkedDecoder``.
/// `status` is the response status the proxy should send to the client for a
/// rejected *request* (400, 414, 417, 431, 501, 505). For rejected *responses*
/// (upstream messages) `status` is always 502; the caller maps it to a gateway error.
/// `code` is a stable snake_case identifier suitable for logs and metrics.
/// `message` is human readable and never echoes raw message bytes.
public struct HTTPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Status code to answer with (requests) or 502 (responses).
    public var status: Int
    /// Stable snake_case error code, e.g. `"invalid_content_length"`.
    public var code: String
    /// Human readable explanation; contains no raw hostile bytes.
    public var message: String

    /// Creates an error value. Parsers use the static factories below.
    public init(status: Int, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public var description: String { "\(status) \(code): \(message)" }
}

/// Whether a head being parsed is a request (client side) or a response (upstream side).
/// Decides the status attached to errors: requests get specific 4xx/5xx, responses 502.
@usableFromInline
enum MessageRole: Sendable {
    case request
    case response
}

extension HTTPParseError {
    @inline(never)
    static func make(_ role: MessageRole, _ requestStatus: Int, _ code: String, _ message: String) -> HTTPParseError {
        HTTPParseError(status: role == .request ? requestStatus : 502, code: code, message: message)
    }

    static func malformedRequestLine(_ why: String) -> HTTPParseError {
        make(.request, 400, "malformed_request_line", why)
    }
    static func requestLineTooLong() -> HTTPParseError {
        make(.request, 414, "request_line_too_long", "request line exceeds the configured limit")
    }
    static func malformedStatusLine(_ why: String) -> HTTPParseError {
        make(.response, 502, "malformed_status_line", why)
    }
    static func statusLineTooLong() -> HTTPParseError {
        make(.response, 502, "status_line_too_long", "status line exceeds the configured limit")
    }
    static func headerTooLarge(_ role: MessageRole) -> HTTPParseError {
        make(role, 431, "header_too_large", "message head exceeds the configured size limit")
    }
    static func tooManyHeaders(_ role: MessageRole) -> HTTPParseError {
        make(role, 431, "too_many_headers", "message head has more header fields than allowed")
    }
    static func unsupportedVersion(_ role: MessageRole) -> HTTPParseError {
        make(role, 505, "unsupported_version", "only HTTP/1.0 and HTTP/1.1 are supported")
    }
    static func bareCRorLF(_ role: MessageRole) -> HTTPParseError {
        make(role, 400, "bare_cr_or_lf", "line terminators must be CRLF; found a bare CR or LF")
    }
    static func obsoleteLineFolding(_ role: MessageRole) -> HTTPParseError {
        make(role, 400, "obsolete_line_folding", "obsolete line folding (obs-fold) is not accepted")
    }
    static func invalidHeaderName(_ role: MessageRole, _ why: String) -> HTTPParseError {
        make(role, 400, "invalid_header_name", why)
    }
    static func invalidHeaderValue(_ role: MessageRole, _ why: String) -> HTTPParseError {
        make(role, 400, "invalid_header_value", why)
    }
    static func ambiguousFraming(_ role: MessageRole) -> HTTPParseError {
        make(role, 400, "ambiguous_framing", "both Content-Length and Transfer-Encoding are present")
    }
    static func invalidContentLength(_ role: MessageRole, _ why: String) -> HTTPParseError {
        make(role, 400, "invalid_content_length", why)
    }
    static func unsupportedTransferEncoding(_ role: MessageRole) -> HTTPParseError {
        make(role, 501, "unsupported_transfer_encoding",
             "only a single Transfer-Encoding field with the single coding 'chunked' is supported")
    }
    static func invalidTransferEncoding(_ role: MessageRole) -> HTTPParseError {
        make(role, 400, "invalid_transfer_encoding", "Transfer-Encoding is not allowed in an HTTP/1.0 message")
    }
    static func missingHost() -> HTTPParseError {
        make(.request, 400, "missing_host", "HTTP/1.1 request without a Host header field")
    }
    static func duplicateHost() -> HTTPParseError {
        make(.request, 400, "duplicate_host", "request has more than one Host header field")
    }
    static func invalidHost(_ why: String) -> HTTPParseError {
        make(.request, 400, "invalid_host", why)
    }
    static func invalidTarget(_ why: String) -> HTTPParseError {
        make(.request, 400, "invalid_target", why)
    }
    static func methodNotSupported() -> HTTPParseError {
        make(.request, 501, "method_not_supported", "the CONNECT method is not supported by this gateway")
    }
    static func expectationFailed() -> HTTPParseError {
        make(.request, 417, "expectation_failed", "only the '100-continue' expectation is supported")
    }
    static func invalidChunk(_ why: String) -> HTTPParseError {
        make(.request, 400, "invalid_chunk", why)
    }
    static func chunkSizeOverflow() -> HTTPParseError {
        make(.request, 400, "chunk_size_overflow", "chunk size has more than 16 hex digits or exceeds 2^63-1")
    }
}
