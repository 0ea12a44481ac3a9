import GatehouseCore
import XCTest

/// Parses `text` and fails the test on a syntax error.
func parseOK(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> JSONNode? {
    do {
        return try JSONParser.parse(text)
    } catch {
        XCTFail("unexpected parse error \(error)", file: file, line: line)
        return nil
    }
}

/// Parses `bytes`, expecting a syntax error; returns it.
func parseError(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) -> JSONParseError? {
    do {
        let node = try JSONParser.parse(bytes)
        XCTFail("expected a parse error, got \(node.value)", file: file, line: line)
        return nil
    } catch {
        return error
    }
}

/// Asserts that `text` fails with exactly `line:column: message` (message may be a prefix).
func assertRejects(_ text: String, at expectedLine: Int, _ expectedColumn: Int, _ messagePrefix: String,
                   file: StaticString = #filePath, line: UInt = #line) {
    assertRejects(Array(text.utf8), at: expectedLine, expectedColumn, messagePrefix, file: file, line: line)
}

func assertRejects(_ bytes: [UInt8], at expectedLine: Int, _ expectedColumn: Int, _ messagePrefix: String,
                   file: StaticString = #filePath, line: UInt = #line) {
    guard let error = parseError(bytes, file: file, line: line) else { return }
    XCTAssertEqual(error.location, SourceLocation(line: expectedLine, column: expectedColumn),
                   "location of: \(error.message)", file: file, line: line)
    XCTAssertTrue(error.message.hasPrefix(messagePrefix),
                  "message \"\(error.message)\" does not start with \"\(messagePrefix)\"", file: file, line: line)
}
