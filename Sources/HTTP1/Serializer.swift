import GatehouseCore

/// Writes HTTP/1.1 heads and chunked framing into byte buffers.
///
/// Always emits `HTTP/1.1`. The caller owns framing: it must already have set the
/// Content-Length / Transfer-Encoding field it wants (and removed hop-by-hop fields).
public enum HTTPSerializer {
    /// Appends `METHOD target HTTP/1.1\r\n`, the fields and the terminating `\r\n`.
    public static func writeRequestHead(method: String, target: String, headers: HTTPHeaders,
                                        into out: inout [UInt8]) {
        writeRequestLine(method: method, target: target, into: &out)
        headers.write(into: &out)
        out.append(asciiCR)
        out.append(asciiLF)
    }

    /// Appends only `METHOD target HTTP/1.1\r\n`; the caller writes the fields and the
    /// final CRLF (used by the proxy to write filtered fields without copying them).
    public static func writeRequestLine(method: String, target: String, into out: inout [UInt8]) {
        out.append(contentsOf: method.utf8)
        out.append(asciiSP)
        out.append(contentsOf: target.utf8)
        appendLiteral(" HTTP/1.1\r\n", to: &out)
    }

    /// Appends `HTTP/1.1 status reason\r\n`, the fields and the terminating `\r\n`.
    /// `status` is written as three digits (callers pass 100...599); CR/LF in `reason`
    /// are replaced by spaces.
    public static func writeResponseHead(status: Int, reason: String, headers: HTTPHeaders,
                                         into out: inout [UInt8]) {
        writeStatusLine(status: status, reason: reason, into: &out)
        headers.write(into: &out)
        out.append(asciiCR)
        out.append(asciiLF)
    }

    /// Appends only `HTTP/1.1 status reason\r\n` (see ``writeRequestLine(method:target:into:)``).
    public static func writeStatusLine(status: Int, reason: String, into out: inout [UInt8]) {
        appendLiteral("HTTP/1.1 ", to: &out)
        let code = min(max(status, 0), 999)
        out.append(UInt8(truncatingIfNeeded: 0x30 + code / 100))
        out.append(UInt8(truncatingIfNeeded: 0x30 + code / 10 % 10))
        out.append(UInt8(truncatingIfNeeded: 0x30 + code % 10))
        out.append(asciiSP)
        appendSanitized(reason, allowed: ByteClass.fieldValue, replacement: asciiSP, into: &out)
        out.append(asciiCR)
        out.append(asciiLF)
    }

    /// Appends one field line `name: value\r\n`, sanitising as ``HTTPHeaders/append(name:value:)``
    /// does (a CTL in the value becomes a space, a non-token name byte `_`).
    public static func writeField(name: StaticString, value: String, into out: inout [UInt8]) {
        appendLiteral(name, to: &out)
        out.append(asciiColon)
        out.append(asciiSP)
        appendSanitized(value, allowed: ByteClass.fieldValue, replacement: asciiSP, into: &out)
        out.append(asciiCR)
        out.append(asciiLF)
    }

    /// ``writeField(name:value:into:)`` for a name known only at run time.
    public static func writeField(name: String, value: String, into out: inout [UInt8]) {
        appendSanitized(name, allowed: ByteClass.tchar, replacement: UInt8(ascii: "_"), into: &out)
        out.append(asciiColon)
        out.append(asciiSP)
        appendSanitized(value, allowed: ByteClass.fieldValue, replacement: asciiSP, into: &out)
        out.append(asciiCR)
        out.append(asciiLF)
    }

    /// Appends the opening `name: ` of a field whose value the caller writes in
    /// pieces with ``appendFieldValue(_:into:)``, then ``endField(into:)``.
    public static func beginField(name: StaticString, into out: inout [UInt8]) {
        appendLiteral(name, to: &out)
        out.append(asciiColon)
        out.append(asciiSP)
    }

    /// Appends part of a field value, sanitised (a CTL becomes a space).
    public static func appendFieldValue(_ text: String, into out: inout [UInt8]) {
        appendSanitized(text, allowed: ByteClass.fieldValue, replacement: asciiSP, into: &out)
    }

    /// Appends part of a field value that was already validated (a request ID
    /// that passed its charset check, a Host the parser accepted): no re-check.
    public static func appendValidatedFieldValue(_ text: String, into out: inout [UInt8]) {
        if let done = text.utf8.withContiguousStorageIfAvailable({ out.append(contentsOf: $0) }) { return done }
        out.append(contentsOf: text.utf8)
    }

    /// Appends literal bytes of a field value (must be valid field-value text).
    public static func appendFieldValue(literal: StaticString, into out: inout [UInt8]) {
        appendLiteral(literal, to: &out)
    }

    /// Ends a field started with ``beginField(name:into:)``.
    public static func endField(into out: inout [UInt8]) {
        out.append(asciiCR)
        out.append(asciiLF)
    }

    /// Appends `text`'s bytes, replacing any byte outside the `allowed` class.
    /// The common all-valid case is one check pass and one memcpy.
    private static func appendSanitized(_ text: String, allowed: UInt8, replacement: UInt8, into out: inout [UInt8]) {
        let t = ByteClass.shared
        var text = text
        text.withUTF8 { bytes in
            var clean = true
            for b in bytes where t[b] & allowed == 0 { clean = false; break }
            if clean {
                out.append(contentsOf: bytes)
            } else {
                for b in bytes { out.append(t[b] & allowed != 0 ? b : replacement) }
            }
        }
    }

    /// Appends a decimal field value such as a Content-Length.
    public static func writeField(name: StaticString, decimal: UInt64, into out: inout [UInt8]) {
        appendLiteral(name, to: &out)
        out.append(asciiColon)
        out.append(asciiSP)
        JSONOutput.appendDecimal(decimal, to: &out)
        out.append(asciiCR)
        out.append(asciiLF)
    }

    /// Appends the CRLF that ends a head.
    public static func endHead(into out: inout [UInt8]) {
        out.append(asciiCR)
        out.append(asciiLF)
    }

    /// Appends one chunk: lower-case hex size, CRLF, data, CRLF. Empty data writes nothing
    /// (an empty chunk would terminate the body).
    public static func writeChunk(_ data: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        guard !data.isEmpty else { return }
        var size = UInt64(data.count)
        var hex: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                  UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var len = 0
        withUnsafeMutableBytes(of: &hex) { h in
            repeat {
                let d = UInt8(size & 0xF)
                h[15 - len] = d < 10 ? 0x30 + d : 0x61 + d - 10
                len += 1
                size >>= 4
            } while size != 0
            out.appendBytes(UnsafeRawBufferPointer(rebasing: h[(16 - len)...]))
        }
        out.append(asciiCR)
        out.append(asciiLF)
        out.appendBytes(data)
        out.append(asciiCR)
        out.append(asciiLF)
    }

    /// Appends the last chunk `0\r\n\r\n`. Trailers are never forwarded.
    public static func writeLastChunk(into out: inout [UInt8]) {
        appendLiteral("0\r\n\r\n", to: &out)
    }

    /// Standard reason phrase for `status` (RFC 9110 §15), or `""` when unknown.
    public static func reasonPhrase(for status: Int) -> String {
        switch status {
        case 100: return "Continue"
        case 101: return "Switching Protocols"
        case 103: return "Early Hints"
        case 200: return "OK"
        case 201: return "Created"
        case 202: return "Accepted"
        case 203: return "Non-Authoritative Information"
        case 204: return "No Content"
        case 205: return "Reset Content"
        case 206: return "Partial Content"
        case 300: return "Multiple Choices"
        case 301: return "Moved Permanently"
        case 302: return "Found"
        case 303: return "See Other"
        case 304: return "Not Modified"
        case 307: return "Temporary Redirect"
        case 308: return "Permanent Redirect"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 402: return "Payment Required"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 406: return "Not Acceptable"
        case 407: return "Proxy Authentication Required"
        case 408: return "Request Timeout"
        case 409: return "Conflict"
        case 410: return "Gone"
        case 411: return "Length Required"
        case 412: return "Precondition Failed"
        case 413: return "Content Too Large"
        case 414: return "URI Too Long"
        case 415: return "Unsupported Media Type"
        case 416: return "Range Not Satisfiable"
        case 417: return "Expectation Failed"
        case 421: return "Misdirected Request"
        case 422: return "Unprocessable Content"
        case 425: return "Too Early"
        case 426: return "Upgrade Required"
        case 428: return "Precondition Required"
        case 429: return "Too Many Requests"
        case 431: return "Request Header Fields Too Large"
        case 451: return "Unavailable For Legal Reasons"
        case 500: return "Internal Server Error"
        case 501: return "Not Implemented"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        case 504: return "Gateway Timeout"
        case 505: return "HTTP Version Not Supported"
        case 511: return "Network Authentication Required"
        default: return ""
        }
    }

    @inline(__always)
    private static func appendLiteral(_ s: StaticString, to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }
}
