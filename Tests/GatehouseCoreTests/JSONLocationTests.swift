import GatehouseCore
import XCTest

final class JSONLocationTests: XCTestCase {
    func loc(_ line: Int, _ column: Int) -> SourceLocation { SourceLocation(line: line, column: column) }

    func testValueAndKeyLocations() throws {
        let text = """
        {
          "name": "x",
          "list": [1, true,
            null],
        \t"n": -2.5
        }
        """
        let root = try XCTUnwrap(parseOK(text))
        XCTAssertEqual(root.location, loc(1, 1))
        let members = try XCTUnwrap(root.objectValue)
        XCTAssertEqual(members[0].keyLocation, loc(2, 3))
        XCTAssertEqual(members[0].node.location, loc(2, 11))
        XCTAssertEqual(members[1].keyLocation, loc(3, 3))
        let list = try XCTUnwrap(members[1].node.arrayValue)
        XCTAssertEqual(members[1].node.location, loc(3, 11))
        XCTAssertEqual(list.map(\.location), [loc(3, 12), loc(3, 15), loc(4, 5)])
        XCTAssertEqual(members[2].keyLocation, loc(5, 2), "a tab counts as one column")
        XCTAssertEqual(members[2].node.location, loc(5, 7))
    }

    func testColumnsCountCharactersNotBytes() throws {
        // "é" is 2 bytes, "€" 3 bytes, U+1F600 4 bytes: each counts as one column.
        let text = "{\"é€\u{1F600}\": \"ü\", \"k\": 1}"
        let members = try XCTUnwrap(parseOK(text)?.objectValue)
        XCTAssertEqual(members[0].keyLocation, loc(1, 2))
        XCTAssertEqual(members[0].node.location, loc(1, 9))
        XCTAssertEqual(members[1].keyLocation, loc(1, 14))
        XCTAssertEqual(members[1].node.location, loc(1, 19))
    }

    func testErrorColumnAfterMultibyteCharacters() {
        assertRejects("[\"日本語\", tru]", at: 1, 9, "invalid literal \"tru\"")
    }

    func testCRLFLineEndings() throws {
        let members = try XCTUnwrap(parseOK("{\r\n  \"a\": 1,\r\n  \"b\": 2\r\n}")?.objectValue)
        XCTAssertEqual(members[1].keyLocation, loc(3, 3))
    }

    func testEscapesAdvanceColumnsBySourceCharacters() throws {
        let members = try XCTUnwrap(parseOK(#"{"\u00e9\n": 1, "b": 2}"#)?.objectValue)
        XCTAssertEqual(members[0].key, "é\n")
        XCTAssertEqual(members[1].keyLocation, loc(1, 17))
    }

    func testByteOrderMarkDoesNotCountAsColumn() {
        assertRejects([0xEF, 0xBB, 0xBF] + Array("[x]".utf8), at: 1, 2, "invalid literal \"x\"")
    }
}
