/// Incremental, strict HTTP/1.1 request head parser (RFC 9110/9112, Envoy-level strictness).
///
/// Call ``parse(_:)`` with the whole accumulated, unconsumed input every time more bytes
/// arrive; the parser remembers how far it scanned, so total work is linear. After
/// `.complete(head, consumed:)` drop `consumed` bytes, call ``reset()`` and handle the body
/// per `head.framing`; pipelined requests are then parsed from the remaining bytes.
/// After `.failed` the connection must be closed (the stream position is unknown).
///
/// Notable choices:
/// - Up to 2 empty lines (CRLF) before the request line are ignored (RFC 9112 §2.2);
///   a third one fails with 400 `malformed_request_line`.
/// - `CONNECT` fails with 501 `method_not_supported` (the gateway does not tunnel;
///   501 is the status RFC 9110 §15.6.2 gives for unsupported methods). Other unknown
///   token methods are passed through for policy to decide.
/// - absolute-form targets are accepted and normalised (see ``RequestHead/target``).
/// - Content-Length must appear at most once, as plain digits, ≤ 2^53.
/// - Transfer-Encoding must be exactly one field `chunked`, else 501
///   `unsupported_transfer_encoding`; on HTTP/1.0 it fails with 400 `invalid_transfer_encoding`.
/// - `Expect` on HTTP/1.1 must be `100-continue` (else 417); on HTTP/1.0 it is ignored
///   (RFC 9110 §10.1.1) but stays in `headers`.
public struct RequestHeadParser: Sendable {
    private var scanner: HeadScanner

    public init(limits: HTTPLimits) {
        scanner = HeadScanner(limits: limits, role: .request, maxLeadingEmptyLines: 2)
    }

    /// Prepares for the next message on the same connection.
    public mutating func reset() {
        scanner.reset()
    }

    /// Parses as much of `buffer` as possible; see the type documentation for the contract.
    public mutating func parse(_ buffer: UnsafeRawBufferPointer) -> HeadParseResult<RequestHead> {
        switch scanner.scan(buffer) {
        case .needMore:
            return .needMore
        case .failed(let error):
            return .failed(error)
        case .complete(let head):
            do {
                return .complete(try Self.build(buffer, head), consumed: head.end)
            } catch {
                return .failed(error)
            }
        }
    }

    private static func build(_ p: UnsafeRawBufferPointer, _ head: HeadScanner.Head) throws(HTTPParseError) -> RequestHead {
        let s = head.startLine.lowerBound, e = head.startLine.upperBound
        let t = ByteClass.shared

        // method SP
        var i = s
        while i < e && t[p[i]] & ByteClass.tchar != 0 { i += 1 }
        if i == e || p[i] != asciiSP {
            if i < e && p[i] == asciiCR { throw .bareCRorLF(.request) }
            throw .malformedRequestLine(i == s ? "missing or invalid method" : "invalid character in method")
        }
        if i == s { throw .malformedRequestLine("empty method") }
        let methodEnd = i

        // request-target SP
        let targetStart = i + 1
        var j = targetStart
        while j < e && p[j] != asciiSP { j += 1 }
        if j == e { throw .malformedRequestLine("request line must be 'method SP target SP version'") }
        if j == targetStart { throw .malformedRequestLine("empty request target or repeated space") }
        let targetEnd = j

        // HTTP-version
        let version: HTTPVersion
        switch HTTPVersion.match(p, targetEnd + 1, e) {
        case .version(let v): version = v
        case .unsupported: throw .unsupportedVersion(.request)
        case .malformed:
            for k in (targetEnd + 1)..<e where p[k] == asciiCR { throw .bareCRorLF(.request) }
            throw .malformedRequestLine("invalid HTTP version")
        }

        let method = string(p, s, methodEnd)
        if method == "CONNECT" { throw .methodNotSupported() }
        let parsedTarget = try RequestTarget.parse(p, targetStart, targetEnd, isOptions: method == "OPTIONS")

        let fs = try FieldSection(p, head, role: .request)

        // Host
        if fs.host.count > 1 { throw .duplicateHost() }
        var host = ""
        if fs.host.count == 1 {
            let (hs, he) = fs.valueRange(fs.host.first)
            host = try HostValidation.validate(p, hs, he)
        } else if version == .http1_1 {
            throw .missingHost()
        }
        var target: String
        if let authority = parsedTarget.authority {
            let authorityHost = try HostValidation.validate(p, authority.lowerBound, authority.upperBound)
            if fs.host.count == 1 && host != authorityHost {
                throw .invalidHost("Host field does not match the absolute-form target authority")
            }
            host = authorityHost
            let (os, oe) = (parsedTarget.originStart, parsedTarget.originEnd)
            if os == oe {
                target = "/"
            } else if p[os] == UInt8(ascii: "?") {
                target = "/" + string(p, os, oe)
            } else {
                target = string(p, os, oe)
            }
        } else {
            target = string(p, parsedTarget.originStart, parsedTarget.originEnd)
        }

        let framing = try MessageSemantics.framing(p, fs, version: version, role: .request) ?? .none
        let tokens = try MessageSemantics.connectionTokens(p, fs, role: .request)

        var expectsContinue = false
        if fs.expect.count > 0 && version == .http1_1 {
            let continueToken: StaticString = "100-continue"
            let lit = UnsafeBufferPointer(start: continueToken.utf8Start, count: continueToken.utf8CodeUnitCount)
            var seen = 0
            var k = fs.expect.first
            while seen < fs.expect.count {
                if k == fs.expect.first || fs.nameIs(p, k, "expect") {
                    seen += 1
                    let (vs, ve) = fs.valueRange(k)
                    if !bytesEqualLowercase(p, vs, ve, lit) { throw .expectationFailed() }
                }
                k += 1
            }
            expectsContinue = true
        }

        return RequestHead(method: method,
                           target: target,
                           version: version,
                           // Room for a field or two that stages add (policy's
                           // `Accept-Encoding: identity`, identity headers):
                           // growing the storage copied it whole.
                           headers: fs.makeHeaders(p, end: head.fieldsEnd, headroom: 64),
                           host: host,
                           framing: framing,
                           keepAlive: MessageSemantics.keepAlive(version: version, tokens: tokens),
                           expectsContinue: expectsContinue,
                           connectionTokens: tokens,
                           isAbsoluteForm: parsedTarget.authority != nil)
    }
}

/// Decodes ASCII/UTF-8 bytes `p[s..<e]` into a `String` (one allocation at most).
@inline(__always)
func string(_ p: UnsafeRawBufferPointer, _ s: Int, _ e: Int) -> String {
    String(decoding: UnsafeRawBufferPointer(rebasing: p[s..<e]), as: UTF8.self)
}
