import Foundation
import Policy
import XCTest

/// The compiler's complete output for broken and suspicious files, exactly
/// as `gatehouse check` will print it.
final class CompilerDiagnosticsTests: XCTestCase {
    func lines(_ name: String, knownRoutes: Set<String>? = ["db"]) throws -> [String] {
        let bytes = [UInt8](try Data(contentsOf: PolicyTest.fixtures.appendingPathComponent(name)))
        return PolicyCompiler.compile([PolicySource(path: name, bytes: bytes)], options: PolicyCompileOptions(knownRoutes: knownRoutes))
            .diagnostics.map(\.description)
    }

    func testUnknownKeysAndWrongTypes() throws {
        XCTAssertEqual(try lines("bad-keys-types.json"), [
            "bad-keys-types.json:3:3: unknown key \"rulez\" in the policy file; expected one of: $schema, description, patterns, route_defaults, rules",
            "bad-keys-types.json:5:27: unknown key \"route\" in rule match; expected one of: body, detected, headers, identity, methods, paths, query, routes, shell, sql",
            "bad-keys-types.json:6:28: \"dry_run\" in rule must be a boolean (true or false), got string",
            "bad-keys-types.json:7:38: \"methods\" in rule match must be an array, got string",
            "bad-keys-types.json:7:77: \"status\" in deny action must be an integer, got string",
            "bad-keys-types.json:8:47: \"status\" in deny action must be between 400 and 599, got 200",
            "bad-keys-types.json:8:52: unknown key \"mesage\" in deny action; expected one of: message, status",
            "bad-keys-types.json:9:40: action object must have exactly one key, one of: \"allow\", \"audit\", \"deny\", \"mask\", \"require_approval\"",
            "bad-keys-types.json:10:27: unknown action \"block\"; expected one of: \"allow\", \"audit\", \"deny\", \"mask\", \"require_approval\"",
            "bad-keys-types.json:11:65: \"equals\" in header condition must be a string, got number",
            "bad-keys-types.json:12:36: body condition has \"equals\" and \"glob\"; use exactly one test per condition (list several conditions to combine them)",
            "bad-keys-types.json:13:5: missing required key \"id\" in rule",
            "bad-keys-types.json:14:12: \"id\" in rule must be 1 to 128 characters from A-Z, a-z, 0-9, '.', '_', '-' and ':', got \"bad id!\"",
        ])
    }

    func testBadGlobsPointersDetectorsRegexesAndValues() throws {
        XCTAssertEqual(try lines("bad-values.json"), [
            "bad-values.json:3:33: invalid regex for pattern \"ticket\": Missing close parenthesis for group started at index 4.",
            "bad-values.json:4:14: pattern name \"email\" is the name of a built-in detector; choose another",
            "bad-values.json:5:14: \"name\" in pattern must be 1 to 64 characters from a-z, 0-9 and '_', got \"Bad-Name\"",
            "bad-values.json:8:41: path glob \"admin/*\" must start with '/'",
            "bad-values.json:8:52: path glob \"/a/**b\" uses '**' inside a segment; '**' must be a whole segment, as in /a/**/b",
            "bad-values.json:8:62: path glob \"/x?y=1\" must not contain '?' (paths are matched without the query; use \"query\" conditions)",
            "bad-values.json:9:52: JSON Pointer \"/a/~2\" is invalid: '~' must be followed by '0' or '1' (RFC 6901)",
            "bad-values.json:9:88: field path \"a..b\" has an empty segment; write a.b.c, or a JSON Pointer such as /a/b for keys containing '.'",
            "bad-values.json:10:61: unknown detector \"credit_crad\"; known detectors: aws_access_key_id, aws_secret_access_key, credit_card, email, generic_secret, github_token, google_api_key, iban, ipv4, ipv6, jwt, phone, private_key, slack_token, us_ssn",
            "bad-values.json:10:112: unknown pattern \"nope\"; define it in \"patterns\" of a policy file",
            "bad-values.json:11:63: unknown value \"writes\" in \"classes\" in sql condition; expected one of: admin, ddl, privilege, read, transaction, write",
            "bad-values.json:12:51: unknown value \"rm-rf\" in \"risks\" in shell condition; expected one of: chmod_recursive_root, dd_device, fork_bomb, git_force_push, kubectl_delete, mkfs, pipe_to_shell, rm_rf, shutdown, terraform_destroy",
            "bad-values.json:13:54: unknown detector or pattern \"ssn\"; known detectors: aws_access_key_id, aws_secret_access_key, credit_card, email, generic_secret, github_token, google_api_key, iban, ipv4, ipv6, jwt, phone, private_key, slack_token, us_ssn",
            "bad-values.json:13:74: unknown masking strategy \"scramble\"; expected one of: hash, partial, redact",
            "bad-values.json:13:99: unknown mask direction \"up\"; expected one of: both, request, response",
            "bad-values.json:14:95: \"keep\" only applies to the \"partial\" strategy",
            "bad-values.json:15:12: duplicate rule id \"globs\" (first defined at bad-values.json:8:12)",
        ])
    }

    func testWarningsNeverMatchShadowedUnused() throws {
        let result = try lines("warnings.json")
        XCTAssertEqual(result, [
            "warnings.json:2:36: warning: route default for \"ghost\", which is not defined in the configuration",
            "warnings.json:3:25: warning: pattern \"unused\" is not used by any rule",
            "warnings.json:5:12: warning: rule \"never-route\" can never match: no route named \"ghost\" is defined in the configuration",
            "warnings.json:6:12: warning: rule \"never-count\" can never match: detection of \"email\" needs at least 3 and at most 1 findings",
            "warnings.json:7:12: warning: rule \"never-header\" can never match: header \"x-a\" must be absent and also equals \"1\"",
            "warnings.json:8:12: warning: rule \"never-anon\" can never match: \"authenticated\": false excludes every subject, group, client ID and scope it also requires",
            "warnings.json:9:12: warning: rule \"allow-db\" is shadowed by rule \"deny-db\" (warnings.json:10:5): same match, and its deny action is evaluated first, so this rule never takes effect",
            "warnings.json:11:12: warning: rule \"deny-db-again\" is shadowed by rule \"deny-db\" (warnings.json:10:5): same match, and its deny action is evaluated first, so this rule never takes effect",
            "warnings.json:12:61: warning: method \"get\" is not upper case; methods are case-sensitive, so it only matches requests sent with \"get\"",
        ])
        let bytes = [UInt8](try Data(contentsOf: PolicyTest.fixtures.appendingPathComponent("warnings.json")))
        XCTAssertNotNil(PolicyCompiler.compile([PolicySource(path: "w", bytes: bytes)]).policy, "warnings do not stop loading")
        XCTAssertFalse(try lines("warnings.json", knownRoutes: nil).contains { $0.contains("ghost") }, "route checks need the config")
    }

    func testSyntaxErrorsEmptyFilesAndTopLevelType() {
        XCTAssertEqual(PolicyTest.diagnostics("{\n  \"rules\": [,]\n}"), ["p.json:2:13: unexpected character ','; expected a JSON value"])
        XCTAssertEqual(PolicyTest.diagnostics(#"{"rules": [{"id": "x", "action": "allow"}], "rules": []}"#),
                       ["p.json:1:45: duplicate key \"rules\" (first defined at line 1, column 2)"])
        XCTAssertEqual(PolicyTest.diagnostics(" \n"), ["p.json:1:1: policy file is empty; expected a JSON object"])
        XCTAssertEqual(PolicyTest.diagnostics("[]"), ["p.json:1:1: a policy file must be an object, got array"])
    }

    func testAcrossFiles() {
        let a = PolicySource(path: "a.json", text: """
        {"patterns": [{"name": "ticket", "regex": "T-[0-9]+"}],
         "route_defaults": {"db": "deny"},
         "rules": [{"id": "r1", "action": "audit"}]}
        """)
        let b = PolicySource(path: "b.json", text: """
        {"route_defaults": {"db": "allow"},
         "rules": [{"id": "r1", "action": "allow"},
                   {"id": "r2", "match": {"detected": [{"pattern": "ticket"}]}, "action": "deny"},
                   {"id": "r3", "match": {"detected": [{"pattern": "credit_card"}]}, "action": "deny"},
                   {"id": "r4", "match": {"detected": [{"detector": "ticket"}]}, "action": "deny"}]}
        """)
        XCTAssertEqual(PolicyCompiler.compile([a, b]).diagnostics.map(\.description), [
            "b.json:1:21: conflicting default for route \"db\" (first set at a.json:2:21)",
            "b.json:2:19: duplicate rule id \"r1\" (first defined at a.json:3:19)",
            "b.json:4:60: unknown pattern \"credit_card\"; define it in \"patterns\" of a policy file (\"credit_card\" is a built-in detector: use \"detector\")",
            "b.json:5:61: unknown detector \"ticket\"; known detectors: aws_access_key_id, aws_secret_access_key, credit_card, email, generic_secret, github_token, google_api_key, iban, ipv4, ipv6, jwt, phone, private_key, slack_token, us_ssn (\"ticket\" is a custom pattern: use \"pattern\")",
        ])
        let unreadable = PolicyCompiler.compile(paths: ["/nonexistent/p.json"])
        XCTAssertNil(unreadable.policy)
        XCTAssertEqual(unreadable.diagnostics.map(\.description), ["/nonexistent/p.json:0:0: cannot read file: No such file or directory"])
    }
}
