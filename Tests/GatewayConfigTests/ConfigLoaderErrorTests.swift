@testable import GatewayConfig
import XCTest

/// Every fixture's complete diagnostic output, exactly as `gatehouse check` prints it.
final class ConfigLoaderErrorTests: XCTestCase {
    func testUnknownKeysEverywhere() throws {
        XCTAssertEqual(try errorLines("bad-unknown-keys.json"), [
            "bad-unknown-keys.json:3:45: unknown key \"adress\" in listener; expected one of: address, description, name, port, tls",
            "bad-unknown-keys.json:5:15: unknown key \"max_conections\" in limits; expected one of: max_body_bytes, max_connections, max_header_bytes, max_header_count, max_request_line_bytes",
            "bad-unknown-keys.json:6:17: unknown key \"drain\" in timeouts; expected one of: body_read_ms, drain_ms, header_read_ms, idle_keepalive_ms, upstream_connect_ms, upstream_response_ms",
            "bad-unknown-keys.json:7:19: unknown key \"name\" in request_id; expected one of: header, trust_incoming",
            "bad-unknown-keys.json:8:18: unknown key \"pseudonym\" in forwarded; expected one of: trust_incoming, via",
            "bad-unknown-keys.json:13:19: \"max_connections\" is a global limit; set it in the top-level \"limits\", not in a route",
            "bad-unknown-keys.json:13:41: unknown key \"bogus\" in route limits; expected one of: max_body_bytes, max_header_bytes, max_header_count, max_request_line_bytes",
            "bad-unknown-keys.json:14:21: \"drain_ms\" is a global timeout; set it in the top-level \"timeouts\", not in a route",
            "bad-unknown-keys.json:14:36: unknown key \"bogus\" in route timeouts; expected one of: body_read_ms, header_read_ms, idle_keepalive_ms, upstream_connect_ms, upstream_response_ms",
            "bad-unknown-keys.json:15:7: unknown key \"hots\" in route; expected one of: description, hosts, identity, limits, name, path_prefix, recording, strip_prefix, timeouts, tls, upstream",
            "bad-unknown-keys.json:18:3: unknown key \"extra\" in the top-level object; expected one of: access_log, forwarded, identity, limits, listeners, loops, policy_dir, recording, request_id, routes, timeouts",
        ])
    }

    func testWrongTypesAreReportedAtTheValue() throws {
        XCTAssertEqual(try errorLines("bad-types.json"), [
            "bad-types.json:2:12: \"loops\" in the top-level object must be an integer, got string",
            "bad-types.json:3:17: \"access_log\" in the top-level object must be a boolean (true or false), got string",
            "bad-types.json:4:13: \"limits\" in the top-level object must be an object, got array",
            "bad-types.json:5:29: \"drain_ms\" in timeouts must be an integer, got 1.5",
            "bad-types.json:7:39: \"port\" in listener must be an integer, got 80.0",
            "bad-types.json:8:5: listener must be an object, got string",
            "bad-types.json:9:18: \"address\" in listener must be a string, got number",
            "bad-types.json:9:34: \"port\" in listener must be an integer, got string",
            "bad-types.json:9:55: \"description\" in listener must be a string, got number",
            "bad-types.json:12:15: \"name\" in route must be a string, got number",
            "bad-types.json:12:51: \"hosts\" in route must be an array, got string",
            "bad-types.json:12:72: \"strip_prefix\" in route must be a boolean (true or false), got number",
            "bad-types.json:13:32: \"upstream\" in route must be a string, got array",
            "bad-types.json:13:56: each entry of \"hosts\" in route must be a string, got number",
            "bad-types.json:13:59: each entry of \"hosts\" in route must be a string, got null",
            "bad-types.json:13:76: \"limits\" in route must be an object, got string",
        ])
    }

    func testInvalidValues() throws {
        XCTAssertEqual(try errorLines("bad-values.json"), [
            "bad-values.json:2:12: \"loops\" in the top-level object must be between 1 and 256, got 0",
            "bad-values.json:3:33: \"max_body_bytes\" in limits must be between 1 and 9007199254740992, got 0",
            "bad-values.json:3:56: \"max_header_bytes\" in limits must be between 1024 and 1048576, got 100",
            "bad-values.json:4:29: \"drain_ms\" in timeouts must be between 1 and 86400000, got 86400001",
            "bad-values.json:5:29: \"header\" in request_id must be a valid header name (an HTTP token), got \"X Request\"",
            "bad-values.json:6:25: \"via\" in forwarded must be an HTTP token (letters, digits and !#$%&'*+-.^_`|~), got \"edge proxy\"",
            "bad-values.json:8:15: \"name\" in listener must be 1 to 64 characters from A-Z, a-z, 0-9, '.', '_' and '-', got \"main listener\"",
            "bad-values.json:8:43: \"address\" in listener must be an IPv4 or IPv6 address literal, got \"localhost\"",
            "bad-values.json:8:64: \"port\" in listener must be between 0 and 65535, got 70000",
            "bad-values.json:9:18: \"address\" in listener must be an IPv4 or IPv6 address literal, got \"[::1]\" (write IPv6 addresses without brackets)",
            "bad-values.json:9:35: \"port\" in listener must be between 0 and 65535, got -1",
            "bad-values.json:12:30: host pattern \"example.com:8080\" must not include a port (hosts are matched without the port)",
            "bad-values.json:12:50: host pattern \"a.*.com\" is invalid: '*' is only allowed as \"*\" or as the first label, as in \"*.example.com\"",
            "bad-values.json:12:61: host pattern must not be empty",
            "bad-values.json:12:65: host pattern \"Example.COM.\" must not end with '.'",
            "bad-values.json:12:97: \"path_prefix\" in route must start with '/', got \"api\"",
            "bad-values.json:12:116: upstream scheme \"wss\" is not supported; use http:// or https://",
            "bad-values.json:13:35: \"path_prefix\" in route contains a space, control or non-ASCII character, which must be percent-encoded, got \"/a b\"",
            "bad-values.json:13:55: upstream scheme \"ftp\" is not supported; use http:// or https://",
            "bad-values.json:14:32: upstream must not contain user information ('user@')",
            "bad-values.json:15:32: upstream must not contain a query ('?')",
            "bad-values.json:16:32: upstream port must be a number between 1 and 65535, got 0",
            "bad-values.json:17:32: upstream \"127.0.0.1:9000\" must be an absolute URL such as \"http://127.0.0.1:9000\"",
            "bad-values.json:17:59: \"hosts\" in route must not be empty",
        ])
    }

    func testMissingRequiredKeysAreReportedAtTheObject() throws {
        XCTAssertEqual(try errorLines("bad-missing.json"), [
            "bad-missing.json:2:18: missing required key \"address\" in listener",
            "bad-missing.json:4:5: missing required key \"upstream\" in route",
            "bad-missing.json:5:5: missing required key \"name\" in route",
            "bad-missing.json:5:5: missing required key \"upstream\" in route",
        ])
        XCTAssertEqual(try errorLines("bad-missing-top.json"), [
            "bad-missing-top.json:1:1: missing required key \"identity\" in the top-level object: configure token issuers (\"identity\": {\"issuers\": {…}}) or write \"identity\": {\"mode\": \"off\"} to run without identity checks (Docs/IDENTITY.md)",
            "bad-missing-top.json:1:1: missing required key \"listeners\" in the top-level object",
            "bad-missing-top.json:1:1: missing required key \"routes\" in the top-level object",
        ])
        XCTAssertEqual(try errorLines("bad-empty-arrays.json"), [
            "bad-empty-arrays.json:1:16: \"listeners\" in the top-level object must not be empty",
            "bad-empty-arrays.json:1:30: \"routes\" in the top-level object must not be empty",
        ])
    }

    func testDuplicatesAcrossListenersAndRoutes() throws {
        XCTAssertEqual(try errorLines("bad-duplicates.json"), [
            "bad-duplicates.json:4:15: duplicate listener name \"a\" (first used at line 3, column 15)",
            "bad-duplicates.json:5:31: listener \"c\" uses 127.0.0.1:8080, which listener \"a\" (line 3, column 5) already uses",
            "bad-duplicates.json:7:31: listener \"e\" uses [0:0:0:0:0:0:0:1]:8080, which listener \"d\" (line 6, column 5) already uses",
            "bad-duplicates.json:11:15: duplicate route name \"r1\" (first used at line 10, column 15)",
            "bad-duplicates.json:12:31: route \"r3\" can never be selected for host \"example.com\" with path_prefix \"/\": route \"r1\" (line 10, column 31) already claims it",
            "bad-duplicates.json:12:55: warning: host \"x.com\" is listed more than once in route \"r3\"",
            "bad-duplicates.json:13:5: route \"r4\" can never be selected for host \"*\" with path_prefix \"/\": route \"r1\" (line 10, column 46) already claims it",
        ])
    }

    func testSyntaxErrorsStopAtTheFirst() throws {
        XCTAssertEqual(try errorLines("bad-syntax.json"), ["bad-syntax.json:3:18: trailing comma is not allowed before ']'"])
        XCTAssertEqual(try errorLines("bad-duplicate-key.json"),
                       ["bad-duplicate-key.json:3:66: duplicate key \"name\" (first defined at line 3, column 16)"])
    }

    func testEmptyFileAndNonObjectTopLevel() throws {
        XCTAssertEqual(try errorLines("empty.json"), ["empty.json:1:1: configuration file is empty; expected a JSON object"])
        XCTAssertEqual(try errorLines("bad-top-level-array.json"),
                       ["bad-top-level-array.json:1:1: the top-level value must be an object, got array"])
        guard case .failure(let errors) = parseText("") else { return XCTFail("empty text loaded") }
        XCTAssertEqual(errors.description, "inline.json:1:1: configuration file is empty; expected a JSON object")
    }

    func testConfigErrorsDescriptionIsOneDiagnosticPerLine() throws {
        guard case .failure(let errors) = try Fixtures.parse("bad-missing-top.json") else { return XCTFail("loaded") }
        XCTAssertEqual(errors.description, """
            bad-missing-top.json:1:1: missing required key "identity" in the top-level object: configure token issuers ("identity": {"issuers": {…}}) or write "identity": {"mode": "off"} to run without identity checks (Docs/IDENTITY.md)
            bad-missing-top.json:1:1: missing required key "listeners" in the top-level object
            bad-missing-top.json:1:1: missing required key "routes" in the top-level object
            """)
        XCTAssertEqual(errors.diagnostics.map(\.severity), [.error, .error, .error])
        XCTAssertEqual(errors.diagnostics.first?.line, 1)
        XCTAssertEqual(errors.diagnostics.first?.column, 1)
        XCTAssertEqual(errors.diagnostics.first?.file, "bad-missing-top.json")
    }

    func testErrorsInsideMultibyteTextUseCharacterColumns() {
        let text = "{\"listeners\": [{\"name\": \"é\", \"address\": \"ü\", \"port\": 1}], \"routes\": [{\"name\": \"r\", \"upstream\": \"http://a\"}], \"identity\": {\"mode\": \"off\"}}"
        guard case .failure(let errors) = parseText(text) else { return XCTFail("loaded") }
        XCTAssertEqual(errors.diagnostics.map(\.description), [
            "inline.json:1:25: \"name\" in listener must be 1 to 64 characters from A-Z, a-z, 0-9, '.', '_' and '-', got \"é\"",
            "inline.json:1:41: \"address\" in listener must be an IPv4 or IPv6 address literal, got \"ü\"",
        ])
    }
}
