/// The HTTP/1.x protocol versions this module accepts.
public enum HTTPVersion: Sendable, Equatable {
    case http1_0
    case http1_1

    /// Outcome of matching the 8 bytes of an `HTTP-version` token.
    enum Match {
        case version(HTTPVersion)
        /// Well-formed `HTTP/x.y` but not 1.0/1.1.
        case unsupported
        case malformed
    }

    /// Matches `HTTP/DIGIT.DIGIT` (case-sensitive, as RFC 9112 requires) in `p[start..<end]`.
    static func match(_ p: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Match {
        guard end - start == 8,
              p[start] == UInt8(ascii: "H"), p[start + 1] == UInt8(ascii: "T"),
              p[start + 2] == UInt8(ascii: "T"), p[start + 3] == UInt8(ascii: "P"),
              p[start + 4] == UInt8(ascii: "/"), p[start + 6] == UInt8(ascii: ".")
        else { return .malformed }
        let major = p[start + 5] &- 0x30
        let minor = p[start + 7] &- 0x30
        guard major < 10, minor < 10 else { return .malformed }
        if major == 1 && minor == 1 { return .version(.http1_1) }
        if major == 1 && minor == 0 { return .version(.http1_0) }
        return .unsupported
    }
}
