/// Interpretation of the fields that decide body framing and connection reuse,
/// shared by request and response parsing (RFC 9112 §6, §9.3; RFC 9110 §7.6.1).
enum MessageSemantics {
    /// Largest accepted Content-Length (2^53, the JSON/JS safe-integer limit).
    static let maxContentLength: UInt64 = 1 << 53

    /// Validates Content-Length / Transfer-Encoding and returns the framing they declare,
    /// ignoring status/method rules (callers apply those). Stricter than RFC 9112 §6.3:
    /// repeated Content-Length fields or comma lists are rejected even when identical.
    static func framing(_ p: UnsafeRawBufferPointer, _ fs: FieldSection, version: HTTPVersion,
                        role: MessageRole) throws(HTTPParseError) -> BodyFraming? {
        if fs.transferEncoding.count > 0 {
            if fs.contentLength.count > 0 { throw .ambiguousFraming(role) }
            if version == .http1_0 { throw .invalidTransferEncoding(role) }
            if fs.transferEncoding.count > 1 { throw .unsupportedTransferEncoding(role) }
            let (s, e) = fs.valueRange(fs.transferEncoding.first)
            let chunked: StaticString = "chunked"
            guard bytesEqualLowercase(p, s, e, UnsafeBufferPointer(start: chunked.utf8Start,
                                                                   count: chunked.utf8CodeUnitCount))
            else { throw .unsupportedTransferEncoding(role) }
            return .chunked
        }
        if fs.contentLength.count > 1 {
            throw .invalidContentLength(role, "more than one Content-Length field")
        }
        if fs.contentLength.count == 1 {
            let (s, e) = fs.valueRange(fs.contentLength.first)
            return .contentLength(try contentLength(p, s, e, role: role))
        }
        return nil
    }

    /// Parses `1*DIGIT` with at most 16 digits and a value ≤ 2^53.
    static func contentLength(_ p: UnsafeRawBufferPointer, _ s: Int, _ e: Int,
                              role: MessageRole) throws(HTTPParseError) -> UInt64 {
        if s == e { throw .invalidContentLength(role, "empty Content-Length") }
        if e - s > 16 { throw .invalidContentLength(role, "Content-Length too large") }
        var v: UInt64 = 0
        for i in s..<e {
            let d = p[i] &- 0x30
            if d > 9 { throw .invalidContentLength(role, "Content-Length must be decimal digits only") }
            v = v * 10 + UInt64(d)
        }
        if v > maxContentLength { throw .invalidContentLength(role, "Content-Length too large") }
        return v
    }

    /// Lower-cased tokens of every `Connection` field, in order, empty list elements skipped.
    static func connectionTokens(_ p: UnsafeRawBufferPointer, _ fs: FieldSection,
                                 role: MessageRole) throws(HTTPParseError) -> [String] {
        guard fs.connection.count > 0 else { return [] }
        var tokens: [String] = []
        let t = ByteClass.shared
        var seen = 0
        var i = fs.connection.first
        while seen < fs.connection.count {
            if i == fs.connection.first || fs.nameIs(p, i, "connection") {
                seen += 1
                let (s, e) = fs.valueRange(i)
                var j = s
                while j <= e {
                    // One list element: [j, comma or end).
                    var k = j
                    while k < e && p[k] != UInt8(ascii: ",") { k += 1 }
                    var a = j, b = k
                    while a < b && p[a].isOWS { a += 1 }
                    while b > a && p[b - 1].isOWS { b -= 1 }
                    if a < b {
                        for x in a..<b where t[p[x]] & ByteClass.tchar == 0 {
                            throw .invalidHeaderValue(role, "Connection field holds a non-token element")
                        }
                        let len = b - a
                        tokens.append(String(unsafeUninitializedCapacity: len) { buf in
                            for x in 0..<len { buf[x] = p[a + x].asciiLowercased }
                            return len
                        })
                    }
                    j = k + 1
                }
            }
            i += 1
        }
        return tokens
    }

    /// RFC 9112 §9.3: HTTP/1.1 persists unless `close`; HTTP/1.0 only with `keep-alive`.
    static func keepAlive(version: HTTPVersion, tokens: [String]) -> Bool {
        if tokens.contains("close") { return false }
        return version == .http1_1 || tokens.contains("keep-alive")
    }
}
