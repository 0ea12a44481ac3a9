#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Incremental detection of the end of a message head, shared by the request and
/// response parsers.
///
/// The caller passes the whole accumulated, unconsumed buffer on every call. The scanner
/// remembers how far it has looked, so repeated calls cost O(new bytes). Line ends are
/// found with `memchr`; every LF must be preceded by CR. Size and count limits are
/// enforced as soon as they are provably exceeded, before the head is complete.
struct HeadScanner: Sendable {
    /// Location of a complete head inside the scanned buffer.
    struct Head: Sendable {
        /// Start line content, without its CRLF.
        var startLine: Range<Int>
        /// First byte of the first field line (== end of the empty line's start if no fields).
        var fieldsStart: Int
        /// Offset just past the CRLF of the terminating empty line: bytes consumed by the head.
        var end: Int
        /// Number of field lines in the head.
        var fieldLineCount: Int

        /// End of the field section, excluding the terminating empty line's CRLF.
        var fieldsEnd: Int { end - 2 }
    }

    enum Outcome: Sendable {
        case needMore
        case complete(Head)
        case failed(HTTPParseError)
    }

    let limits: HTTPLimits
    let role: MessageRole
    /// How many empty lines (CRLF) before the start line are skipped (RFC 9112 §2.2).
    let maxLeadingEmptyLines: Int

    private var scanned = 0
    private var lineStart = 0
    private var startLineStart = -1
    private var startLineEnd = -1
    private var fieldLines = 0
    private var leadingEmptyLines = 0

    init(limits: HTTPLimits, role: MessageRole, maxLeadingEmptyLines: Int) {
        self.limits = limits
        self.role = role
        self.maxLeadingEmptyLines = maxLeadingEmptyLines
    }

    /// Forgets all progress; the next `scan` starts at offset 0 of its buffer.
    mutating func reset() {
        scanned = 0
        lineStart = 0
        startLineStart = -1
        startLineEnd = -1
        fieldLines = 0
        leadingEmptyLines = 0
    }

    private var startLineTooLong: HTTPParseError {
        role == .request ? .requestLineTooLong() : .statusLineTooLong()
    }

    private var leadingEmptyLineError: HTTPParseError {
        role == .request
            ? .malformedRequestLine("too many empty lines before the request line")
            : .malformedStatusLine("empty line before the status line")
    }

    /// Scans the new bytes of `p` for the end of the head.
    mutating func scan(_ p: UnsafeRawBufferPointer) -> Outcome {
        let count = p.count
        // The contract is that the buffer only grows between calls; if it shrank the
        // caller started over, so do we.
        if count < scanned { reset() }
        guard let base = p.baseAddress else { return .needMore }

        while scanned < count {
            guard let hit = memchr(base + scanned, Int32(asciiLF), count - scanned) else {
                scanned = count
                break
            }
            let lf = base.distance(to: UnsafeRawPointer(hit))
            if lf == lineStart || p[lf - 1] != asciiCR { return .failed(.bareCRorLF(role)) }
            let contentEnd = lf - 1
            scanned = lf + 1

            if contentEnd == lineStart {
                // Empty line: either ignorable noise before the start line or end of head.
                if startLineEnd < 0 {
                    leadingEmptyLines += 1
                    if leadingEmptyLines > maxLeadingEmptyLines { return .failed(leadingEmptyLineError) }
                    lineStart = scanned
                    continue
                }
                if scanned > limits.maxHeaderBytes { return .failed(.headerTooLarge(role)) }
                return .complete(Head(startLine: startLineStart..<startLineEnd,
                                      fieldsStart: startLineEnd + 2,
                                      end: scanned,
                                      fieldLineCount: fieldLines))
            }

            if startLineEnd < 0 {
                if contentEnd - lineStart > limits.maxRequestLineBytes { return .failed(startLineTooLong) }
                startLineStart = lineStart
                startLineEnd = contentEnd
            } else {
                fieldLines += 1
                if fieldLines > limits.maxHeaderCount { return .failed(.tooManyHeaders(role)) }
            }
            lineStart = scanned
            // The terminating CRLF still has to come, so the head is at least 2 bytes longer.
            if scanned + 2 > limits.maxHeaderBytes { return .failed(.headerTooLarge(role)) }
        }

        // No end of head yet: fail early when a limit is already exceeded.
        // A start line may hold maxRequestLineBytes content bytes plus its CR.
        if startLineEnd < 0 && count - lineStart > limits.maxRequestLineBytes + 1 {
            return .failed(startLineTooLong)
        }
        if count > limits.maxHeaderBytes { return .failed(.headerTooLarge(role)) }
        return .needMore
    }
}

/// Byte offsets of one parsed field line.
struct FieldLine: Sendable {
    var nameStart: Int
    var nameEnd: Int
    var valueStart: Int
    var valueEnd: Int
}

extension HeadScanner {
    /// Skips, eight bytes at a time, a run of bytes that are certainly legal in
    /// a field value (no byte below 0x20 and no DEL; obs-text is legal). Stops
    /// at the first word holding anything else and leaves it to the exact
    /// per-byte check, which also handles HTAB.
    @inline(__always)
    static func skipPlainValueBytes(_ p: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Int {
        guard let raw = p.baseAddress else { return start }
        var i = start
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        while i + 8 <= end {
            let w = (raw + i).loadUnaligned(as: UInt64.self)
            let below20 = (w &- 0x2020_2020_2020_2020) & ~w & highs
            let d = w ^ 0x7F7F_7F7F_7F7F_7F7F
            let del = (d &- ones) & ~d & highs
            if below20 | del != 0 { break }
            i += 8
        }
        return i
    }

    /// Parses and validates one field line `p[start..<end]` (CRLF excluded) per RFC 9110/9112:
    /// no obs-fold, non-empty `tchar` name directly followed by ':', value of VCHAR /
    /// obs-text / SP / HTAB with surrounding OWS stripped. Used for head fields and for
    /// chunked trailers.
    @inline(__always)
    static func parseFieldLine(_ p: UnsafeRawBufferPointer, _ start: Int, _ end: Int,
                               role: MessageRole) throws(HTTPParseError) -> FieldLine {
        let t = ByteClass.shared
        let first = p[start]
        if first.isOWS { throw .obsoleteLineFolding(role) }
        var i = start
        while i < end && t[p[i]] & ByteClass.tchar != 0 { i += 1 }
        if i == end { throw .invalidHeaderName(role, "field line without ':'") }
        let stop = p[i]
        if stop != asciiColon {
            if stop == asciiCR { throw .bareCRorLF(role) }
            throw .invalidHeaderName(role, stop.isOWS ? "whitespace between field name and ':'"
                                                      : "invalid character in field name")
        }
        if i == start { throw .invalidHeaderName(role, "empty field name") }
        let nameEnd = i
        i += 1
        while i < end && p[i].isOWS { i += 1 }
        let valueStart = i
        i = skipPlainValueBytes(p, from: i, to: end)
        while i < end {
            let b = p[i]
            if t[b] & ByteClass.fieldValue == 0 {
                if b == asciiCR { throw .bareCRorLF(role) }
                throw .invalidHeaderValue(role, "control character in field value")
            }
            i += 1
        }
        var valueEnd = end
        while valueEnd > valueStart && p[valueEnd - 1].isOWS { valueEnd -= 1 }
        return FieldLine(nameStart: start, nameEnd: nameEnd, valueStart: valueStart, valueEnd: valueEnd)
    }
}
