/// Streaming decoder for a `Transfer-Encoding: chunked` body (RFC 9112 §7.1).
///
/// Zero-copy: data is reported as sub-ranges of the input buffer. State survives across
/// calls, so input may be split at any byte. Decoding stops right after the final CRLF
/// of the trailer section; bytes after it (a pipelined request) are not consumed.
///
/// Strictness: chunk-size is 1–16 HEXDIG with value ≤ 2^63-1 (`chunk_size_overflow`);
/// chunk extensions (`;name`, `;name=token`, `;name="quoted"`, BWS around) are checked
/// lexically and discarded; every line ends in CRLF, bare CR/LF fail; chunk data must be
/// followed by exactly CRLF; trailer fields are validated with head field rules and
/// discarded. Errors have code `invalid_chunk` or `chunk_size_overflow` and status 400,
/// or 502 when the decoder was created with `forResponse: true` (upstream bodies).
public struct ChunkedDecoder: Sendable {
    /// One decoding event, as returned by ``next(_:)``.
    public enum Step: Sendable, Equatable {
        /// Body bytes at these indices of the input buffer.
        case data(Range<Int>)
        /// Input exhausted before the body ended.
        case needMore
        /// Last chunk and trailer section consumed; the body is complete.
        case done
    }

    private enum State: Sendable {
        case size            // reading hex digits
        case sizeBWS         // whitespace after the size, must lead to ';'
        case ext             // inside chunk extensions (unquoted)
        case extQuoted       // inside a quoted-string extension value
        case extQuotedPair   // after a backslash in a quoted string
        case sizeLF          // CR seen at end of size line
        case data            // `remaining` data bytes left
        case dataCR          // expecting CR after data
        case dataLF          // expecting LF after data
        case trailer         // reading a trailer line (or the final empty line)
        case trailerLF       // CR seen at end of a trailer line
        case done
    }

    private let maxChunkLineBytes: Int
    private let maxTrailerBytes: Int
    private let forResponse: Bool
    private var state: State = .size
    private var size: UInt64 = 0
    private var digits = 0
    private var lineBytes = 0
    private var remaining: UInt64 = 0
    private var trailerBytes = 0
    private var trailerLine: [UInt8] = []

    /// `maxChunkLineBytes` bounds a chunk-size line including extensions;
    /// `maxTrailerBytes` bounds the whole trailer section. `forResponse` only changes the
    /// `status` of thrown errors (502 instead of 400).
    public init(maxChunkLineBytes: Int = 4096, maxTrailerBytes: Int = 8192, forResponse: Bool = false) {
        self.maxChunkLineBytes = maxChunkLineBytes
        self.maxTrailerBytes = maxTrailerBytes
        self.forResponse = forResponse
    }

    /// True once the last chunk and trailers have been consumed.
    public var isFinished: Bool {
        if case .done = state { return true }
        return false
    }

    /// Consumes `input`, calling `onData` with each run of body bytes (slices of `input`).
    /// Returns the bytes consumed and whether the body is complete. When not finished,
    /// all of `input` was consumed; call again with the next bytes.
    public mutating func decode(_ input: UnsafeRawBufferPointer,
                                _ onData: (UnsafeRawBufferPointer) -> Void) throws(HTTPParseError) -> (consumed: Int, finished: Bool) {
        var offset = 0
        while true {
            let (step, consumed) = try next(UnsafeRawBufferPointer(rebasing: input[offset...]))
            switch step {
            case .data(let r):
                onData(UnsafeRawBufferPointer(rebasing: input[(offset + r.lowerBound)..<(offset + r.upperBound)]))
                offset += consumed
            case .needMore:
                return (offset + consumed, false)
            case .done:
                return (offset + consumed, true)
            }
        }
    }

    /// Pull-style decoding: consumes framing bytes of `input` until the next event.
    /// Returns the event and how many bytes of `input` were consumed (for `.data`, the
    /// range ends exactly at `consumed`).
    public mutating func next(_ input: UnsafeRawBufferPointer) throws(HTTPParseError) -> (step: Step, consumed: Int) {
        do {
            return try step(input)
        } catch {
            if forResponse { throw HTTPParseError(status: 502, code: error.code, message: error.message) }
            throw error
        }
    }

    private mutating func step(_ input: UnsafeRawBufferPointer) throws(HTTPParseError) -> (step: Step, consumed: Int) {
        let t = ByteClass.shared
        let n = input.count
        var i = 0
        while i < n {
            let b = input[i]
            switch state {
            case .size:
                if let v = b.hexValue {
                    digits += 1
                    if digits > 16 || size > 0x07FF_FFFF_FFFF_FFFF { throw .chunkSizeOverflow() }
                    size = size << 4 | UInt64(v)
                } else if digits == 0 {
                    throw .invalidChunk("chunk size must start with a hex digit")
                } else if b == UInt8(ascii: ";") {
                    state = .ext
                } else if b.isOWS {
                    state = .sizeBWS
                } else if b == asciiCR {
                    state = .sizeLF
                } else {
                    throw .invalidChunk("invalid character in chunk size line")
                }
                try countLineByte()
            case .sizeBWS:
                if b == UInt8(ascii: ";") {
                    state = .ext
                } else if !b.isOWS {
                    throw .invalidChunk("whitespace after chunk size must precede an extension")
                }
                try countLineByte()
            case .ext:
                if b == asciiCR {
                    state = .sizeLF
                } else if b == UInt8(ascii: "\"") {
                    state = .extQuoted
                } else if !(t[b] & ByteClass.tchar != 0 || b == UInt8(ascii: ";")
                            || b == UInt8(ascii: "=") || b.isOWS) {
                    throw .invalidChunk("invalid character in chunk extension")
                }
                try countLineByte()
            case .extQuoted:
                if b == UInt8(ascii: "\"") {
                    state = .ext
                } else if b == UInt8(ascii: "\\") {
                    state = .extQuotedPair
                } else if t[b] & ByteClass.fieldValue == 0 {
                    throw .invalidChunk("control character in chunk extension")
                }
                try countLineByte()
            case .extQuotedPair:
                if t[b] & ByteClass.fieldValue == 0 { throw .invalidChunk("control character in chunk extension") }
                state = .extQuoted
                try countLineByte()
            case .sizeLF:
                guard b == asciiLF else { throw .invalidChunk("chunk size line must end with CRLF") }
                lineBytes = 0
                digits = 0
                if size == 0 {
                    state = .trailer
                } else {
                    remaining = size
                    size = 0
                    state = .data
                }
            case .data:
                let take = UInt64(n - i) < remaining ? n - i : Int(remaining)
                remaining -= UInt64(take)
                if remaining == 0 { state = .dataCR }
                return (.data(i..<(i + take)), i + take)
            case .dataCR:
                guard b == asciiCR else { throw .invalidChunk("chunk data must be followed by CRLF") }
                state = .dataLF
            case .dataLF:
                guard b == asciiLF else { throw .invalidChunk("chunk data must be followed by CRLF") }
                state = .size
            case .trailer:
                if b == asciiCR {
                    state = .trailerLF
                } else if b == asciiLF {
                    throw .invalidChunk("bare LF in trailer section")
                } else {
                    trailerBytes += 1
                    if trailerBytes > maxTrailerBytes { throw .invalidChunk("trailer section too large") }
                    trailerLine.append(b)
                }
            case .trailerLF:
                guard b == asciiLF else { throw .invalidChunk("bare CR in trailer section") }
                trailerBytes += 2
                if trailerLine.isEmpty {
                    state = .done
                    return (.done, i + 1)
                }
                if trailerBytes > maxTrailerBytes { throw .invalidChunk("trailer section too large") }
                try validateTrailerLine()
                trailerLine.removeAll(keepingCapacity: true)
                state = .trailer
            case .done:
                return (.done, i)
            }
            i += 1
        }
        if case .done = state { return (.done, n) }
        return (.needMore, n)
    }

    @inline(__always)
    private mutating func countLineByte() throws(HTTPParseError) {
        lineBytes += 1
        if lineBytes > maxChunkLineBytes { throw .invalidChunk("chunk size line too long") }
    }

    private func validateTrailerLine() throws(HTTPParseError) {
        let result = trailerLine.withUnsafeBytes { (p) -> HTTPParseError? in
            do throws(HTTPParseError) {
                _ = try HeadScanner.parseFieldLine(p, 0, p.count, role: .request)
                return nil
            } catch {
                return error
            }
        }
        if let error = result { throw .invalidChunk("invalid trailer field: \(error.message)") }
    }
}
