import GatehouseCore
import HTTP1
import Inspection
import Policy
import XCTest

/// Applying accumulated masks to whole bodies.
final class PolicyMaskingTests: XCTestCase {
    func masks(_ text: String) throws -> (CompiledPolicy, MaskSet) {
        let p = try PolicyTest.compile(text)
        let d = try PolicyTest.evaluate(p, PolicyTest.request())
        return (p, d.requestMasks)
    }

    func apply(_ p: CompiledPolicy, _ m: MaskSet, _ body: String, contentType: String?,
               headers: [(String, String)] = []) throws -> Result<String?, BodyProblem> {
        var pairs = headers
        if let contentType { pairs.append(("Content-Type", contentType)) }
        let scratch = try p.inspector.makeScratch()
        return PolicyMasking.mask(Array(body.utf8), headers: PolicyTest.headers(pairs), masks: m, policy: p,
                                  scratch: scratch, hashKey: PolicyTest.key).map { $0.map { String(decoding: $0, as: UTF8.self) } }
    }

    func testTextFormAndJSONBodies() throws {
        let (p, m) = try masks(#"{"route_defaults": {"*": "allow"}, "rules": [{"id": "m", "action": {"mask": {"detectors": ["email"]}}}]}"#)
        XCTAssertEqual(try apply(p, m, "mail alice@example.com now", contentType: "text/plain").get(), "mail [REDACTED:email] now")
        XCTAssertEqual(try apply(p, m, "to=alice%40example.com&x=1", contentType: "application/x-www-form-urlencoded").get(),
                       "to=%5BREDACTED%3Aemail%5D&x=1")
        XCTAssertEqual(try apply(p, m, #"{"to": "alice\u0040example.com"}"#, contentType: "application/json").get(),
                       #"{"to": "[REDACTED:email]"}"#)
        XCTAssertNil(try apply(p, m, #"{"to": "nobody"}"#, contentType: "application/json").get(), "unchanged: nil")
        XCTAssertEqual(try apply(p, m, #"{"to": "#, contentType: "application/json"), .failure(.malformed("1:8: unexpected end of input; expected a JSON value")))
        XCTAssertEqual(try apply(p, m, "x", contentType: "text/plain", headers: [("Content-Encoding", "br")]),
                       .failure(.uninspectable("Content-Encoding \"br\" is not decoded by the gateway")))
    }

    func testFieldMasksCoverEveryLeafUnderTheField() throws {
        let (p, m) = try masks("""
        {"route_defaults": {"*": "allow"}, "rules": [{"id": "m", "action": {"mask": {"fields": ["/user", "items.*.secret"], "strategy": "hash"}}}]}
        """)
        let body = #"{"user": {"name": "Ann", "age": 41, "tags": ["a"], "ok": true}, "items": [{"secret": "s1", "id": 1}, {"secret": 2}], "other": "x"}"#
        let out = try XCTUnwrap(try apply(p, m, body, contentType: nil).get())
        XCTAssertNoThrow(try JSONParser.parse(out))
        XCTAssertFalse(out.contains("Ann"))
        XCTAssertTrue(out.contains(#""ok": true"#), "booleans are not masked")
        XCTAssertTrue(out.contains(#""id": 1"#))
        XCTAssertTrue(out.contains(#""other": "x""#))
        XCTAssertTrue(out.contains(#""age": "[HMAC:field:/user:"#), out)
        XCTAssertTrue(out.contains(#""secret": "[HMAC:field:items.*.secret:"#), out)
        let again = try XCTUnwrap(try apply(p, m, body, contentType: nil).get())
        XCTAssertEqual(out, again, "hashes are stable for one key")
        XCTAssertEqual(try apply(p, m, "not json", contentType: "text/plain"), .failure(.malformed("1:1: invalid literal \"not\"; expected a JSON value (strings need double quotes)")),
                       "field masks need JSON")
    }

    func testFieldMasksOnAwkwardJSON() throws {
        let (p, m) = try masks("""
        {"route_defaults": {"*": "allow"}, "rules": [{"id": "m", "action": {"mask": {"fields": ["/ab", "list.1", "deep.*.*"]}}}]}
        """)
        let body = """
        { "a\\u0062" : -1.5e3 ,\n "list" : [ "keep", "mask \\"me\\"", [] ], "deep": {"x": {"y": [ {}, "z" ], "n": 0}, "e": []}, "ab2": "x" }
        """
        let out = try XCTUnwrap(try apply(p, m, body, contentType: "application/json").get())
        XCTAssertNoThrow(try JSONParser.parse(out), out)
        XCTAssertEqual(out, """
        { "a\\u0062" : "[REDACTED:field:/ab]" ,\n "list" : [ "keep", "[REDACTED:field:list.1]", [] ], "deep": {"x": {"y": [ {}, "[REDACTED:field:deep.*.*]" ], "n": "[REDACTED:field:deep.*.*]"}, "e": []}, "ab2": "x" }
        """)
    }
}
