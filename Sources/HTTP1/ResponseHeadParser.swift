/// Incremental, strict HTTP/1.x response head parser for upstream responses.
///
/// Same calling contract as ``RequestHeadParser``; every error has `status` 502.
///
/// Notable choices:
/// - Status line is `HTTP-version SP 3DIGIT SP reason CRLF`; `HTTP/1.1 200\r\n` without the
///   SP before the (empty) reason is also accepted for compatibility. Status must be 100...599.
///   Versions other than 1.0/1.1 fail with `unsupported_version`.
/// - No empty lines are tolerated before the status line.
/// - Field rules are identical to requests. Content-Length / Transfer-Encoding are validated
///   even when the status or request method means there is no body (a malformed or
///   ambiguous framing header is a smuggling signal), then framing becomes `.none` for
///   HEAD requests and 1xx/204/304 responses.
/// - Transfer-Encoding other than a single `chunked` fails (`unsupported_transfer_encoding`),
///   as does Transfer-Encoding in an HTTP/1.0 response (`invalid_transfer_encoding`).
/// - 101 Switching Protocols is returned like any head; the driver decides.
public struct ResponseHeadParser: Sendable {
    private var scanner: HeadScanner

    public init(limits: HTTPLimits) {
        scanner = HeadScanner(limits: limits, role: .response, maxLeadingEmptyLines: 0)
    }

    /// Prepares for the next response (also after a 1xx interim response).
    public mutating func reset() {
        scanner.reset()
    }

    /// Parses `buffer`; `requestMethod` is the method of the request this answers
    /// (`"HEAD"` means no body regardless of framing fields).
    public mutating func parse(_ buffer: UnsafeRawBufferPointer, requestMethod: String) -> HeadParseResult<ResponseHead> {
        switch scanner.scan(buffer) {
        case .needMore:
            return .needMore
        case .failed(let error):
            return .failed(error)
        case .complete(let head):
            do {
                return .complete(try Self.build(buffer, head, isHead: requestMethod == "HEAD"), consumed: head.end)
            } catch {
                return .failed(error)
            }
        }
    }

    private static func build(_ p: UnsafeRawBufferPointer, _ head: HeadScanner.Head,
                              isHead: Bool) throws(HTTPParseError) -> ResponseHead {
        let s = head.startLine.lowerBound, e = head.startLine.upperBound
        guard e - s >= 12, p[s + 8] == asciiSP else {
            throw .malformedStatusLine("status line must be 'HTTP-version SP status SP reason'")
        }
        let version: HTTPVersion
        switch HTTPVersion.match(p, s, s + 8) {
        case .version(let v): version = v
        case .unsupported: throw .unsupportedVersion(.response)
        case .malformed: throw .malformedStatusLine("invalid HTTP version")
        }
        var status = 0
        for i in (s + 9)..<(s + 12) {
            let d = p[i] &- 0x30
            if d > 9 { throw .malformedStatusLine("status code must be three digits") }
            status = status * 10 + Int(d)
        }
        if status < 100 || status > 599 { throw .malformedStatusLine("status code out of range") }
        var reason = ""
        if e > s + 12 {
            if p[s + 12] != asciiSP { throw .malformedStatusLine("status code must be three digits") }
            let t = ByteClass.shared
            for i in (s + 13)..<e where t[p[i]] & ByteClass.fieldValue == 0 {
                if p[i] == asciiCR { throw .bareCRorLF(.response) }
                throw .malformedStatusLine("control character in reason phrase")
            }
            reason = string(p, s + 13, e)
        }

        let fs = try FieldSection(p, head, role: .response)
        let declared = try MessageSemantics.framing(p, fs, version: version, role: .response)
        let tokens = try MessageSemantics.connectionTokens(p, fs, role: .response)

        let framing: BodyFraming
        if isHead || (100...199).contains(status) || status == 204 || status == 304 {
            framing = .none
        } else {
            framing = declared ?? .untilClose
        }
        let keepAlive = framing != .untilClose && MessageSemantics.keepAlive(version: version, tokens: tokens)
        return ResponseHead(version: version, status: status, reason: reason,
                            headers: fs.makeHeaders(p, end: head.fieldsEnd),
                            framing: framing, keepAlive: keepAlive, connectionTokens: tokens)
    }
}
