extension JSONScanner {
    /// value = object / array / string / number / true / false / null
    mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONNode {
        skipWhitespace()
        let start = location
        guard let byte = peek else {
            throw error("unexpected end of input; expected a JSON value")
        }
        switch byte {
        case UInt8(ascii: "{"):
            return JSONNode(value: try parseObject(depth: depth + 1), location: start)
        case UInt8(ascii: "["):
            return JSONNode(value: try parseArray(depth: depth + 1), location: start)
        case UInt8(ascii: "\""):
            return JSONNode(value: .string(try parseString()), location: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return JSONNode(value: .number(try parseNumber()), location: start)
        default:
            return JSONNode(value: try parseLiteral(), location: start)
        }
    }

    /// `true`, `false`, `null`; anything else is an error with a hint.
    mutating func parseLiteral() throws(JSONParseError) -> JSONValue {
        guard let byte = peek else { throw error("unexpected end of input; expected a JSON value") }
        if Self.isWordByte(byte) {
            let word = currentWord()
            let value: JSONValue
            switch word {
            case "true": value = .bool(true)
            case "false": value = .bool(false)
            case "null": value = .null
            case "NaN", "Infinity": throw error("\(word) is not allowed in JSON")
            default: throw error("invalid literal \"\(word)\"; expected a JSON value (strings need double quotes)")
            }
            for _ in word.utf8 { advance() }
            return value
        }
        throw unexpectedCharacter(expected: "a JSON value")
    }

    /// An error for the character at the cursor, with hints for common mistakes.
    func unexpectedCharacter(expected: String) -> JSONParseError {
        switch peek {
        case UInt8(ascii: "/"):
            return error("comments are not allowed in JSON")
        case UInt8(ascii: "'"):
            return error("strings must be enclosed in double quotes, not single quotes")
        case UInt8(ascii: "+"):
            return error("numbers must not start with '+'")
        case UInt8(ascii: "."):
            return error("numbers must start with a digit, not '.'")
        case nil:
            return error("unexpected end of input; expected \(expected)")
        default:
            return error("unexpected \(describeCurrent()); expected \(expected)")
        }
    }

    mutating func enter(depth: Int) throws(JSONParseError) {
        if depth > JSONParser.maxDepth {
            throw error("nesting is deeper than the maximum of \(JSONParser.maxDepth) levels")
        }
        advance()  // the opening bracket
    }

    /// object = "{" [ member *( "," member ) ] "}"
    mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONValue {
        try enter(depth: depth)
        var members: [JSONMember] = []
        var firstSeen: [String: SourceLocation] = [:]
        skipWhitespace()
        if peek == UInt8(ascii: "}") {
            advance()
            return .object(members)
        }
        while true {
            skipWhitespace()
            let keyLocation = location
            guard peek == UInt8(ascii: "\"") else {
                if let byte = peek, Self.isWordByte(byte) {
                    throw error("object keys must be strings in double quotes; found \"\(currentWord())\"")
                }
                throw unexpectedCharacter(expected: "a string key")
            }
            let key = try parseString()
            if let first = firstSeen[key] {
                throw error("duplicate key \"\(key)\" (first defined at line \(first.line), column \(first.column))",
                            at: keyLocation)
            }
            firstSeen[key] = keyLocation
            skipWhitespace()
            guard peek == UInt8(ascii: ":") else {
                throw unexpectedCharacter(expected: "':' after object key")
            }
            advance()
            let node = try parseValue(depth: depth)
            members.append(JSONMember(key: key, keyLocation: keyLocation, node: node))
            skipWhitespace()
            switch peek {
            case UInt8(ascii: ","):
                let commaLocation = location
                advance()
                skipWhitespace()
                if peek == UInt8(ascii: "}") {
                    throw error("trailing comma is not allowed before '}'", at: commaLocation)
                }
            case UInt8(ascii: "}"):
                advance()
                return .object(members)
            default:
                throw unexpectedCharacter(expected: "',' or '}' after object member")
            }
        }
    }

    /// array = "[" [ value *( "," value ) ] "]"
    mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
        try enter(depth: depth)
        var elements: [JSONNode] = []
        skipWhitespace()
        if peek == UInt8(ascii: "]") {
            advance()
            return .array(elements)
        }
        while true {
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            switch peek {
            case UInt8(ascii: ","):
                let commaLocation = location
                advance()
                skipWhitespace()
                if peek == UInt8(ascii: "]") {
                    throw error("trailing comma is not allowed before ']'", at: commaLocation)
                }
            case UInt8(ascii: "]"):
                advance()
                return .array(elements)
            default:
                throw unexpectedCharacter(expected: "',' or ']' after array element")
            }
        }
    }
}
