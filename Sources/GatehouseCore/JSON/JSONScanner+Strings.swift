extension JSONScanner {
    /// string = quotation-mark *char quotation-mark. The cursor is on the
    /// opening quote. Validates UTF-8 and escapes.
    mutating func parseString() throws(JSONParseError) -> String {
        let startLocation = location
        advance()  // opening quote
        let contentStart = index
        // Fast path: no escapes — decode straight from the input.
        while let byte = peek {
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: bytes[contentStart..<index], as: UTF8.self)
                advance()
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            try consumeStringCharacter(byte)
        }
        guard !atEnd else { throw error("unterminated string", at: startLocation) }
        // Slow path: copy what we have, then decode escapes into the scratch buffer.
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: bytes[contentStart..<index])
        while let byte = peek {
            if byte == UInt8(ascii: "\"") {
                advance()
                return String(decoding: scratch, as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") {
                try parseEscape()
            } else {
                let from = index
                try consumeStringCharacter(byte)
                scratch.append(contentsOf: bytes[from..<index])
            }
        }
        throw error("unterminated string", at: startLocation)
    }

    /// Consumes one unescaped character (1–4 bytes), validating it.
    mutating func consumeStringCharacter(_ byte: UInt8) throws(JSONParseError) {
        if byte < 0x20 {
            let hint = byte == UInt8(ascii: "\n") ? " (a string cannot span lines; write \\n)" : ""
            throw error("unescaped control character \(Self.hexScalar(UInt32(byte))) in string\(hint)")
        }
        if byte < 0x80 {
            advance()
            return
        }
        guard let (_, length) = UTF8Validation.decode(bytes, at: index) else {
            throw error("invalid UTF-8 in string (byte 0x\(Self.hex(UInt32(byte), width: 2)))")
        }
        for _ in 0..<length { advance() }
    }

    /// Decodes one escape sequence into `scratch`. The cursor is on the backslash.
    mutating func parseEscape() throws(JSONParseError) {
        let escapeLocation = location
        advance()  // backslash
        guard let byte = peek else { throw error("unterminated string") }
        let simple: UInt8?
        switch byte {
        case UInt8(ascii: "\""): simple = UInt8(ascii: "\"")
        case UInt8(ascii: "\\"): simple = UInt8(ascii: "\\")
        case UInt8(ascii: "/"): simple = UInt8(ascii: "/")
        case UInt8(ascii: "b"): simple = 0x08
        case UInt8(ascii: "f"): simple = 0x0C
        case UInt8(ascii: "n"): simple = 0x0A
        case UInt8(ascii: "r"): simple = 0x0D
        case UInt8(ascii: "t"): simple = 0x09
        case UInt8(ascii: "u"): simple = nil
        default:
            let shown = byte >= 0x21 && byte < 0x7F ? "\\\(Character(Unicode.Scalar(byte)))" : "\\ followed by \(describeCurrent())"
            throw error("invalid escape sequence '\(shown)' in string", at: escapeLocation)
        }
        if let simple {
            advance()
            scratch.append(simple)
            return
        }
        advance()  // u
        let unit = try parseHex4(escapeLocation: escapeLocation)
        var scalarValue = UInt32(unit)
        switch unit {
        case 0xD800...0xDBFF:
            let lowLocation = location
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                throw error("lone high surrogate \\u\(Self.hex(UInt32(unit), width: 4)) in string; it must be followed by a \\u low surrogate", at: escapeLocation)
            }
            advance(); advance()
            let low = try parseHex4(escapeLocation: lowLocation)
            guard (0xDC00...0xDFFF).contains(low) else {
                throw error("high surrogate \\u\(Self.hex(UInt32(unit), width: 4)) is followed by \\u\(Self.hex(UInt32(low), width: 4)), which is not a low surrogate", at: escapeLocation)
            }
            scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
        case 0xDC00...0xDFFF:
            throw error("lone low surrogate \\u\(Self.hex(UInt32(unit), width: 4)) in string", at: escapeLocation)
        default:
            break
        }
        // Surrogates were handled above, so this always succeeds.
        guard let scalar = Unicode.Scalar(scalarValue) else {
            throw error("invalid \\u escape in string", at: escapeLocation)
        }
        if let encoded = UTF8.encode(scalar) { scratch.append(contentsOf: encoded) }
    }

    /// Reads exactly four hex digits.
    mutating func parseHex4(escapeLocation: SourceLocation) throws(JSONParseError) -> UInt16 {
        var value: UInt16 = 0
        for _ in 0..<4 {
            guard let byte = peek, let digit = Self.hexValue(byte) else {
                throw error("invalid \\u escape in string: expected 4 hex digits", at: escapeLocation)
            }
            value = value << 4 | UInt16(digit)
            advance()
        }
        return value
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
