import GatehouseCore
import XCTest

final class JSONParserRejectionTests: XCTestCase {
    func testEmptyInput() {
        assertRejects("", at: 1, 1, "unexpected end of input; expected a JSON value")
        assertRejects("  \n ", at: 2, 2, "unexpected end of input; expected a JSON value")
    }

    func testDuplicateKeyReportedAtSecondKey() {
        assertRejects("{\n  \"a\": 1,\n  \"b\": 2,\n  \"a\": 3\n}", at: 4, 3,
                      "duplicate key \"a\" (first defined at line 2, column 3)")
        // Duplicates are per object: the same key in sibling objects is fine.
        XCTAssertNotNil(parseOK(#"[{"a":1},{"a":2}]"#))
        // Keys are compared after unescaping.
        assertRejects(#"{"a":1,"\u0061":2}"#, at: 1, 8, "duplicate key \"a\"")
    }

    func testTrailingCommas() {
        assertRejects("[1, 2,]", at: 1, 6, "trailing comma is not allowed before ']'")
        assertRejects("{\"a\": 1,\n}", at: 1, 8, "trailing comma is not allowed before '}'")
        assertRejects("[,]", at: 1, 2, "unexpected character ','; expected a JSON value")
        assertRejects("[1,,2]", at: 1, 4, "unexpected character ','")
    }

    func testComments() {
        assertRejects("// hi\n{}", at: 1, 1, "comments are not allowed in JSON")
        assertRejects("{\"a\": 1 /* x */}", at: 1, 9, "comments are not allowed in JSON")
        assertRejects("[1, # x\n 2]", at: 1, 5, "unexpected character '#'")
    }

    func testNonFiniteNumbers() {
        assertRejects("[NaN]", at: 1, 2, "NaN is not allowed in JSON")
        assertRejects("[Infinity]", at: 1, 2, "Infinity is not allowed in JSON")
        assertRejects("[-Infinity]", at: 1, 2, "Infinity is not allowed in JSON")
        assertRejects("[-NaN]", at: 1, 2, "NaN is not allowed in JSON")
        assertRejects("[-Inf]", at: 1, 3, "expected a digit after '-'")
    }

    func testNumberGrammar() {
        assertRejects("[01]", at: 1, 2, "leading zeros are not allowed in numbers")
        assertRejects("[-007]", at: 1, 2, "leading zeros are not allowed in numbers")
        assertRejects("[+1]", at: 1, 2, "numbers must not start with '+'")
        assertRejects("[.5]", at: 1, 2, "numbers must start with a digit")
        assertRejects("[1.]", at: 1, 4, "expected a digit after the decimal point")
        assertRejects("[1e]", at: 1, 4, "expected a digit in the exponent")
        assertRejects("[1e+]", at: 1, 5, "expected a digit in the exponent")
        assertRejects("[-]", at: 1, 3, "expected a digit after '-'")
        assertRejects("[0x10]", at: 1, 3, "invalid number: unexpected character 'x'")
        assertRejects("[1.2.3]", at: 1, 5, "invalid number: unexpected character '.'")
    }

    func testInvalidLiterals() {
        assertRejects("[tru]", at: 1, 2, "invalid literal \"tru\"")
        assertRejects("[True]", at: 1, 2, "invalid literal \"True\"")
        assertRejects("[nulls]", at: 1, 2, "invalid literal \"nulls\"")
        assertRejects("{a: 1}", at: 1, 2, "object keys must be strings in double quotes; found \"a\"")
        assertRejects("['a']", at: 1, 2, "strings must be enclosed in double quotes")
        assertRejects("{1: 2}", at: 1, 2, "object keys must be strings in double quotes")
    }

    func testInvalidEscapes() {
        assertRejects(#"["a\x"]"#, at: 1, 4, #"invalid escape sequence '\x' in string"#)
        assertRejects(#"["\'"]"#, at: 1, 3, #"invalid escape sequence '\''"#)
        assertRejects(#"["\u12"]"#, at: 1, 3, #"invalid \u escape in string: expected 4 hex digits"#)
        assertRejects(#"["\u12G4"]"#, at: 1, 3, #"invalid \u escape"#)
        assertRejects("[\"\\", at: 1, 4, "unterminated string")
    }

    func testLoneSurrogates() {
        assertRejects(#"["\uD83D"]"#, at: 1, 3, #"lone high surrogate \uD83D in string"#)
        assertRejects(#"["\uD83Dx"]"#, at: 1, 3, #"lone high surrogate \uD83D"#)
        assertRejects(#"["ab\uDE00"]"#, at: 1, 5, #"lone low surrogate \uDE00 in string"#)
        assertRejects(#"["\uD83D\u0041"]"#, at: 1, 3, #"high surrogate \uD83D is followed by \u0041, which is not a low surrogate"#)
        assertRejects(#"["\uD83D\uD83D"]"#, at: 1, 3, "high surrogate")
        assertRejects(#"["\uD83D\n"]"#, at: 1, 3, "lone high surrogate")
    }

    func testControlCharactersInStrings() {
        assertRejects("[\"a\nb\"]", at: 1, 4, "unescaped control character U+000A in string (a string cannot span lines")
        assertRejects("[\"a\tb\"]", at: 1, 4, "unescaped control character U+0009 in string")
        assertRejects([0x22, 0x00, 0x22], at: 1, 2, "unescaped control character U+0000")
        assertRejects([0x22, 0x1F, 0x22], at: 1, 2, "unescaped control character U+001F")
        // DEL (0x7F) is not a control character for JSON.
        XCTAssertEqual(try? JSONParser.parse([0x22, 0x7F, 0x22]).stringValue, "\u{7F}")
    }

    func testUnterminated() {
        assertRejects("\n  \"abc", at: 2, 3, "unterminated string")
        assertRejects("[1, 2", at: 1, 6, "unexpected end of input; expected ',' or ']'")
        assertRejects("{\"a\": 1", at: 1, 8, "unexpected end of input; expected ',' or '}'")
        assertRejects("{\"a\" 1}", at: 1, 6, "unexpected character '1'; expected ':' after object key")
        assertRejects("{\"a\":}", at: 1, 6, "unexpected character '}'; expected a JSON value")
        assertRejects("[1 2]", at: 1, 4, "unexpected character '2'; expected ',' or ']'")
    }

    func testTrailingGarbage() {
        assertRejects("{} x", at: 1, 4, "unexpected character 'x' after the JSON value")
        assertRejects("{}\n{}", at: 2, 1, "unexpected character '{' after the JSON value")
        assertRejects("1 2", at: 1, 3, "unexpected character '2' after the JSON value")
        assertRejects([0x5B, 0x5D, 0x00], at: 1, 3, "unexpected character U+0000 after the JSON value")
    }

    func testInvalidUTF8() {
        // Bare continuation byte, overlong "/", encoded surrogate, > U+10FFFF, truncated sequence.
        let bad: [[UInt8]] = [[0x80], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
                              [0xE2, 0x82], [0xFF], [0xC3, 0x28]]
        for sequence in bad {
            let bytes: [UInt8] = Array("[\"é".utf8) + sequence + Array("\"]".utf8)
            guard let error = parseError(bytes) else { continue }
            XCTAssertEqual(error.location, SourceLocation(line: 1, column: 4), "\(sequence)")
            XCTAssertTrue(error.message.hasPrefix("invalid UTF-8 in string (byte 0x"), error.message)
        }
        assertRejects([0x5B, 0xFF, 0x5D], at: 1, 2, "unexpected invalid UTF-8 byte 0xFF; expected a JSON value")
        assertRejects(Array("[1]".utf8) + [0xC3, 0xA9], at: 1, 4, "unexpected character U+00E9 after the JSON value")
    }

    func testNestingTooDeep() {
        let depth = JSONParser.maxDepth + 1
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        assertRejects(text, at: 1, depth, "nesting is deeper than the maximum of 64 levels")
        let objects = String(repeating: "{\"a\":\n", count: depth) + "1" + String(repeating: "}", count: depth)
        assertRejects(objects, at: depth, 1, "nesting is deeper than the maximum of 64 levels")
        // Very deep input fails fast instead of overflowing the stack.
        let huge = String(repeating: "[", count: 100_000)
        assertRejects(huge, at: 1, 65, "nesting is deeper")
    }
}
