import GatehouseCore
import XCTest

final class JSONParserValidTests: XCTestCase {
    func testScalarsAtTopLevel() throws {
        XCTAssertEqual(parseOK("null")?.value, .null)
        XCTAssertEqual(parseOK(" true ")?.value, .bool(true))
        XCTAssertEqual(parseOK("false")?.value, .bool(false))
        XCTAssertEqual(parseOK("\"hi\"")?.value, .string("hi"))
        XCTAssertEqual(parseOK("0")?.value, .number(JSONNumber(0)))
    }

    func testNumbersKeepLiteralText() throws {
        let cases: [(String, Bool, Int?, Double?)] = [
            ("0", true, 0, 0), ("-0", true, 0, 0), ("42", true, 42, 42), ("-17", true, -17, -17),
            ("1.5", false, nil, 1.5), ("1e3", false, nil, 1000), ("1E+3", false, nil, 1000),
            ("2.5e-1", false, nil, 0.25), ("1.0", false, nil, 1),
            ("9223372036854775807", true, Int.max, 9.223372036854775807e18),
            ("9223372036854775808", true, nil, 9.223372036854775808e18),
            ("1e400", false, nil, nil),
        ]
        for (literal, isInteger, int, double) in cases {
            guard case .number(let n) = parseOK(literal)?.value else {
                XCTFail("\(literal) is not a number"); continue
            }
            XCTAssertEqual(n.literal, literal)
            XCTAssertEqual(n.isInteger, isInteger, literal)
            XCTAssertEqual(n.asInt, int, literal)
            XCTAssertEqual(n.asDouble, double, literal)
        }
    }

    func testNestedStructurePreservesOrder() throws {
        let node = try XCTUnwrap(parseOK(#"{"b": [1, {"x": null}], "a": "s", "c": {}}"#))
        let members = try XCTUnwrap(node.objectValue)
        XCTAssertEqual(members.map(\.key), ["b", "a", "c"])
        XCTAssertEqual(node["b"]?.arrayValue?.count, 2)
        XCTAssertEqual(node["b"]?.arrayValue?[1]["x"]?.value, .null)
        XCTAssertEqual(node["c"]?.objectValue?.count, 0)
        XCTAssertEqual(node["a"]?.stringValue, "s")
        XCTAssertNil(node["zzz"])
    }

    func testEmptyContainersAndWhitespace() throws {
        XCTAssertEqual(parseOK(" \t\r\n[ ]\r\n")?.value, .array([]))
        XCTAssertEqual(parseOK("{\n}")?.value, .object([]))
    }

    func testSimpleEscapes() throws {
        XCTAssertEqual(parseOK(#""\"\\\/\b\f\n\r\t""#)?.stringValue, "\"\\/\u{8}\u{C}\n\r\t")
        XCTAssertEqual(parseOK(#""a\nb""#)?.stringValue, "a\nb")
    }

    func testUnicodeEscapes() throws {
        XCTAssertEqual(parseOK(#""\u0041\u00e9\u00E9""#)?.stringValue, "Aéé")
        XCTAssertEqual(parseOK(#""\u20AC""#)?.stringValue, "€")
        XCTAssertEqual(parseOK(#""\u0000""#)?.stringValue, "\u{0}")
        // Surrogate pair for U+1F600 GRINNING FACE.
        XCTAssertEqual(parseOK(#""x\uD83D\uDE00y""#)?.stringValue, "x\u{1F600}y")
        XCTAssertEqual(parseOK(#""\ud834\udd1e""#)?.stringValue, "\u{1D11E}")
        XCTAssertEqual(parseOK(#""\uFFFF""#)?.stringValue, "\u{FFFF}")
    }

    func testRawMultibyteUTF8() throws {
        XCTAssertEqual(parseOK("\"héllo € \u{1F600}\"")?.stringValue, "héllo € \u{1F600}")
        // Mixed: raw multi-byte before an escape (slow path copies the prefix).
        XCTAssertEqual(parseOK("\"é\\n€\"")?.stringValue, "é\n€")
    }

    func testByteOrderMarkIsSkipped() throws {
        let node = try JSONParser.parse([0xEF, 0xBB, 0xBF] + Array("[1]".utf8))
        XCTAssertEqual(node.location, SourceLocation(line: 1, column: 1))
    }

    func testMaximumDepthIsAccepted() throws {
        let depth = JSONParser.maxDepth
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        XCTAssertNotNil(parseOK(text))
        let objects = String(repeating: #"{"a":"#, count: depth - 1) + "[]" + String(repeating: "}", count: depth - 1)
        XCTAssertNotNil(parseOK(objects))
    }

    func testStringParseFromStringOverload() throws {
        XCTAssertEqual(try JSONParser.parse("[true]").arrayValue?.first?.value, .bool(true))
    }
}
