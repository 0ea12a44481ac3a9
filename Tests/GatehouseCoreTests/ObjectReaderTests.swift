import GatehouseCore
import XCTest

final class ObjectReaderTests: XCTestCase {
    func messages(_ sink: JSONDiagnosticSink) -> [String] { sink.sortedDiagnostics.map(\.description) }

    func testReadsTypedFieldsWithLocations() throws {
        let node = try JSONParser.parse(#"{"name": "a", "port": 80, "on": true, "list": [1], "sub": {"k": "v"}}"#)
        let sink = JSONDiagnosticSink()
        let reader = try XCTUnwrap(ObjectReader(node, context: "thing", sink: sink))
        XCTAssertEqual(reader.string("name"), Located("a", at: SourceLocation(line: 1, column: 10)))
        XCTAssertEqual(reader.int("port", in: 0...65535)?.value, 80)
        XCTAssertEqual(reader.bool("on")?.value, true)
        XCTAssertEqual(reader.array("list")?.value.count, 1)
        let sub = try XCTUnwrap(reader.object("sub", context: "thing sub"))
        XCTAssertEqual(sub.string("k")?.value, "v")
        XCTAssertNil(reader.string("absent"))
        sub.finish()
        reader.finish()
        XCTAssertEqual(sink.diagnostics, [])
    }

    func testReportsTypeErrorsMissingKeysAndUnknownKeys() throws {
        let text = """
        {
          "port": "80",
          "zeta": 1,
          "big": 70000,
          "frac": 1.5,
          "flag": "yes",
          "list": [],
          "alpha": null
        }
        """
        let sink = JSONDiagnosticSink()
        let reader = try XCTUnwrap(ObjectReader(try JSONParser.parse(text), context: "listener", sink: sink))
        XCTAssertNil(reader.int("port", in: 0...65535))
        XCTAssertNil(reader.int("big", in: 0...65535))
        XCTAssertNil(reader.int("frac", in: 1...Int.max))
        XCTAssertNil(reader.bool("flag"))
        XCTAssertNil(reader.array("list", nonEmpty: true))
        XCTAssertNil(reader.string("address", required: true))
        reader.finish()
        XCTAssertEqual(messages(sink), [
            "1:1: missing required key \"address\" in listener",
            "2:11: \"port\" in listener must be an integer, got string",
            "3:3: unknown key \"zeta\" in listener; expected one of: address, big, flag, frac, list, port",
            "4:10: \"big\" in listener must be between 0 and 65535, got 70000",
            "5:11: \"frac\" in listener must be an integer, got 1.5",
            "6:11: \"flag\" in listener must be a boolean (true or false), got string",
            "7:11: \"list\" in listener must not be empty",
            "8:3: unknown key \"alpha\" in listener; expected one of: address, big, flag, frac, list, port",
        ])
        XCTAssertTrue(sink.hasErrors)
    }

    func testNonObjectAndNestedObjectErrors() throws {
        let sink = JSONDiagnosticSink()
        XCTAssertNil(ObjectReader(try JSONParser.parse("[1]"), context: "configuration",
                                  description: "the top-level value", sink: sink))
        let reader = try XCTUnwrap(ObjectReader(try JSONParser.parse(#"{"limits": 5}"#), context: "route", sink: sink))
        XCTAssertNil(reader.object("limits", context: "route limits"))
        reader.finish()
        XCTAssertEqual(messages(sink), [
            "1:1: the top-level value must be an object, got array",
            "1:12: \"limits\" in route must be an object, got number",
        ])
    }

    func testRejectGivesSpecificMessageInsteadOfUnknownKey() throws {
        let sink = JSONDiagnosticSink()
        let reader = try XCTUnwrap(ObjectReader(try JSONParser.parse(#"{"a": 1, "global": 2}"#), context: "x", sink: sink))
        _ = reader.int("a", in: 0...9)
        reader.reject("global", message: "\"global\" can only be set at the top level")
        reader.reject("other", message: "never shown")
        reader.finish()
        XCTAssertEqual(messages(sink), ["1:10: \"global\" can only be set at the top level"])
    }

    func testEmptyExpectedList() throws {
        let sink = JSONDiagnosticSink()
        let reader = try XCTUnwrap(ObjectReader(try JSONParser.parse(#"{"a": 1}"#), context: "empty", sink: sink))
        reader.finish()
        reader.finish()
        XCTAssertEqual(messages(sink), ["1:2: unknown key \"a\" in empty; no keys are allowed here"])
    }

    func testWarningsAndOrdering() {
        let sink = JSONDiagnosticSink()
        sink.error("second", at: SourceLocation(line: 2, column: 1))
        sink.warning("first", at: SourceLocation(line: 1, column: 5))
        XCTAssertEqual(messages(sink), ["1:5: warning: first", "2:1: second"])
        XCTAssertTrue(sink.hasErrors)
        let onlyWarnings = JSONDiagnosticSink()
        onlyWarnings.warning("w", at: SourceLocation(line: 1, column: 1))
        XCTAssertFalse(onlyWarnings.hasErrors)
    }

    func testIntRangeDescriptions() throws {
        let sink = JSONDiagnosticSink()
        let node = try JSONParser.parse("-5")
        XCTAssertNil(node.expectInt("n", in: 0...Int.max, sink: sink))
        XCTAssertNil(try JSONParser.parse("99999999999999999999").expectInt("n", in: 0...Int.max, sink: sink))
        XCTAssertEqual(messages(sink), ["1:1: n must be at least 0, got -5", "1:1: n must be at least 0, got 99999999999999999999"])
    }
}
