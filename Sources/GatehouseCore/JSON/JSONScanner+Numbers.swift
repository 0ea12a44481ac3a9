extension JSONScanner {
    static func isDigit(_ byte: UInt8?) -> Bool {
        guard let byte else { return false }
        return byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// number = [ "-" ] int [ frac ] [ exp ]
    mutating func parseNumber() throws(JSONParseError) -> JSONNumber {
        let start = index
        let startLocation = location
        var isInteger = true
        if peek == UInt8(ascii: "-") {
            advance()
            let word = currentWord()
            if word == "Infinity" || word == "NaN" {
                throw error("\(word) is not allowed in JSON", at: startLocation)
            }
        }
        if peek == UInt8(ascii: "0") {
            advance()
            if Self.isDigit(peek) {
                throw error("leading zeros are not allowed in numbers", at: startLocation)
            }
        } else if Self.isDigit(peek) {
            while Self.isDigit(peek) { advance() }
        } else {
            throw error("expected a digit after '-'")
        }
        if peek == UInt8(ascii: ".") {
            isInteger = false
            advance()
            guard Self.isDigit(peek) else { throw error("expected a digit after the decimal point") }
            while Self.isDigit(peek) { advance() }
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            isInteger = false
            advance()
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { advance() }
            guard Self.isDigit(peek) else { throw error("expected a digit in the exponent") }
            while Self.isDigit(peek) { advance() }
        }
        if let next = peek, Self.isWordByte(next) || next == UInt8(ascii: ".") {
            throw error("invalid number: unexpected \(describeCurrent())")
        }
        let literal = String(decoding: bytes[start..<index], as: UTF8.self)
        return JSONNumber(validatedLiteral: literal, isInteger: isInteger)
    }
}
