/// The parser's cursor: the byte input plus the current position.
/// Grammar rules live in extensions (`JSONScanner+Values`, `+Strings`, `+Numbers`).
struct JSONScanner {
    let bytes: [UInt8]
    var index = 0
    var line = 1
    var column = 1
    /// Reused buffer for strings that contain escapes.
    var scratch: [UInt8] = []

    init(bytes: [UInt8]) {
        self.bytes = bytes
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            index = 3  // byte order mark: skipped, not counted as a column
        }
    }

    var location: SourceLocation { SourceLocation(line: line, column: column) }

    var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    var atEnd: Bool { index >= bytes.count }

    /// Consumes one byte, keeping line and column up to date. The column
    /// advances on every byte that is not a UTF-8 continuation byte, so it
    /// counts Unicode scalars.
    mutating func advance() {
        let byte = bytes[index]
        index += 1
        if byte == UInt8(ascii: "\n") {
            line += 1
            column = 1
        } else if byte & 0xC0 != 0x80 {
            column += 1
        }
    }

    mutating func skipWhitespace() {
        while let byte = peek,
              byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n")
              || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") {
            advance()
        }
    }

    func error(_ message: String, at location: SourceLocation) -> JSONParseError {
        JSONParseError(location: location, message: message)
    }

    func error(_ message: String) -> JSONParseError {
        JSONParseError(location: location, message: message)
    }

    /// Parses one value and requires that only whitespace follows it.
    mutating func parseDocument() throws(JSONParseError) -> JSONNode {
        let node = try parseValue(depth: 0)
        skipWhitespace()
        if !atEnd {
            throw error("unexpected \(describeCurrent()) after the JSON value; a document holds exactly one value")
        }
        return node
    }
}

extension JSONScanner {
    static func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "$")
    }

    /// The run of word characters starting at the cursor, for messages.
    func currentWord() -> String {
        var end = index
        while end < bytes.count, Self.isWordByte(bytes[end]), end - index < 32 { end += 1 }
        return String(decoding: bytes[index..<end], as: UTF8.self)
    }

    /// Describes the character at the cursor for an error message, e.g.
    /// `character 'x'`, `character U+00E9`, `invalid UTF-8 byte 0xFF`.
    func describeCurrent() -> String {
        guard let byte = peek else { return "end of input" }
        if byte >= 0x21 && byte < 0x7F { return "character '\(Character(Unicode.Scalar(byte)))'" }
        if byte < 0x80 { return "character \(Self.hexScalar(UInt32(byte)))" }
        if let (scalar, _) = UTF8Validation.decode(bytes, at: index) {
            return "character \(Self.hexScalar(scalar.value))"
        }
        return "invalid UTF-8 byte 0x\(Self.hex(UInt32(byte), width: 2))"
    }

    static func hexScalar(_ value: UInt32) -> String { "U+" + hex(value, width: 4) }

    static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
