import Foundation
import GatehouseCore
import Inspection
import Policy
import XCTest

/// Keeps Docs/schema/policy.schema.json in step with the compiler.
final class PolicySchemaTests: XCTestCase {
    var schemaURL: URL { PolicyTest.repositoryRoot.appendingPathComponent("Docs/schema/policy.schema.json") }

    func schema() throws -> JSONNode { try JSONParser.parse([UInt8](try Data(contentsOf: schemaURL))) }

    func keys(_ node: JSONNode?, file: StaticString = #filePath, line: UInt = #line) -> Set<String> {
        guard let members = node?["properties"]?.objectValue else {
            XCTFail("no properties", file: file, line: line)
            return []
        }
        return Set(members.map(\.key))
    }

    func enumValues(_ node: JSONNode?) -> Set<String> {
        Set(node?["enum"]?.arrayValue?.compactMap(\.stringValue) ?? [])
    }

    func testSchemaPropertiesMatchCompilerKeys() throws {
        let s = try schema()
        XCTAssertEqual(s["$schema"]?.stringValue, "https://json-schema.org/draft/2020-12/schema")
        let defs = s["$defs"]
        XCTAssertEqual(keys(s), PolicyKeys.file)
        XCTAssertEqual(keys(defs?["pattern"]), PolicyKeys.pattern)
        XCTAssertEqual(keys(defs?["rule"]), PolicyKeys.rule)
        XCTAssertEqual(keys(defs?["match"]), PolicyKeys.match)
        XCTAssertEqual(keys(defs?["header"]), PolicyKeys.header)
        XCTAssertEqual(keys(defs?["query"]), PolicyKeys.query)
        XCTAssertEqual(keys(defs?["bodyField"]), PolicyKeys.bodyField)
        XCTAssertEqual(keys(defs?["identity"]), PolicyKeys.identity)
        XCTAssertEqual(keys(defs?["detection"]), PolicyKeys.detection)
        XCTAssertEqual(keys(defs?["sql"]), PolicyKeys.sql)
        XCTAssertEqual(keys(defs?["shell"]), PolicyKeys.shell)
        XCTAssertEqual(keys(defs?["action"]?["oneOf"]?.arrayValue?[1]), PolicyKeys.action)
        XCTAssertEqual(keys(defs?["defaultAction"]?["oneOf"]?.arrayValue?[1]), ["allow", "deny"])
        XCTAssertEqual(keys(defs?["allow"]), PolicyKeys.allow)
        XCTAssertEqual(keys(defs?["audit"]), PolicyKeys.audit)
        XCTAssertEqual(keys(defs?["deny"]), PolicyKeys.deny)
        XCTAssertEqual(keys(defs?["mask"]), PolicyKeys.mask)
        XCTAssertEqual(keys(defs?["requireApproval"]), PolicyKeys.requireApproval)
        XCTAssertEqual(Set(defs?["rule"]?["required"]?.arrayValue?.compactMap(\.stringValue) ?? []), ["id", "action"])
    }

    func testSchemaEnumsMatchTheLibrary() throws {
        let defs = try schema()["$defs"]
        XCTAssertEqual(enumValues(defs?["detection"]?["properties"]?["detector"]), Set(Detector.allCases.map(\.rawValue)))
        XCTAssertEqual(enumValues(defs?["sql"]?["properties"]?["classes"]?["items"]), Set(SQLClass.allCases.map(\.rawValue)))
        XCTAssertEqual(enumValues(defs?["sql"]?["properties"]?["flags"]?["items"]), Set(SQLFlag.allCases.map(\.rawValue)))
        XCTAssertEqual(enumValues(defs?["shell"]?["properties"]?["risks"]?["items"]), Set(ShellRisk.allCases.map(\.rawValue)))
        XCTAssertEqual(enumValues(defs?["detection"]?["properties"]?["in"]?["items"]), Set(DetectionScope.allCases.map(\.rawValue)))
        XCTAssertEqual(enumValues(defs?["mask"]?["properties"]?["direction"]), Set(MaskDirection.allCases.map(\.rawValue)))
        XCTAssertEqual(enumValues(defs?["action"]?["oneOf"]?.arrayValue?[0]), PolicyKeys.action.subtracting(["mask"]))
    }

    func testEveryObjectSchemaForbidsAdditionalProperties() throws {
        var checked = 0
        func walk(_ node: JSONNode, path: String) {
            if case .object(let members) = node.value {
                if node["properties"] != nil {
                    checked += 1
                    XCTAssertEqual(node["additionalProperties"]?.value, .bool(false), "at \(path)")
                }
                for m in members { walk(m.node, path: "\(path)/\(m.key)") }
            } else if case .array(let elements) = node.value {
                for (i, e) in elements.enumerated() { walk(e, path: "\(path)/\(i)") }
            }
        }
        walk(try schema(), path: "#")
        XCTAssertEqual(checked, 18)
    }

    /// The unknown-key messages list exactly `PolicyKeys`, so the decoders,
    /// `PolicyKeys` and (above) the schema agree.
    func testUnknownKeyMessagesListPolicyKeys() {
        let text = """
        {"x": 1, "patterns": [{"name": "p", "regex": "a", "x": 1}], "rules": [
          {"id": "r", "x": 1, "match": {"x": 1, "identity": {"x": 1}, "headers": [{"name": "a", "present": true, "x": 1}],
            "query": [{"name": "a", "present": true, "x": 1}], "body": [{"path": "a", "present": true, "x": 1}],
            "detected": [{"pattern": "p", "x": 1}], "sql": {"classes": ["read"], "x": 1}, "shell": {"x": 1}}, "action": "allow"},
          {"id": "d", "action": {"deny": {"x": 1}}}, {"id": "m", "action": {"mask": {"fields": ["a"], "x": 1}}},
          {"id": "a", "action": {"require_approval": {"x": 1}}}, {"id": "al", "action": {"allow": {"x": 1}}},
          {"id": "au", "action": {"audit": {"x": 1}}}
        ]}
        """
        var expected: [String: Set<String>] = [:]
        for line in PolicyTest.diagnostics(text) {
            guard let inRange = line.range(of: "unknown key \"x\" in ") else { continue }
            let rest = line[inRange.upperBound...]
            if let list = rest.range(of: "; expected one of: ") {
                expected[String(rest[..<list.lowerBound])] = Set(rest[list.upperBound...].components(separatedBy: ", "))
            } else if let none = rest.range(of: "; no keys are allowed here") {
                expected[String(rest[..<none.lowerBound])] = []
            }
        }
        XCTAssertEqual(expected, [
            "the policy file": PolicyKeys.file, "pattern": PolicyKeys.pattern, "rule": PolicyKeys.rule,
            "rule match": PolicyKeys.match, "identity condition": PolicyKeys.identity, "header condition": PolicyKeys.header,
            "query condition": PolicyKeys.query, "body condition": PolicyKeys.bodyField, "detection condition": PolicyKeys.detection,
            "sql condition": PolicyKeys.sql, "shell condition": PolicyKeys.shell, "deny action": PolicyKeys.deny,
            "mask action": PolicyKeys.mask, "require_approval action": PolicyKeys.requireApproval,
            "allow action": PolicyKeys.allow, "audit action": PolicyKeys.audit,
        ])
    }

    /// Python's `jsonschema` (when installed) agrees with the compiler on the examples and fixtures.
    func testSchemaAgreesWithTheCompilerOnFilesWhenJsonschemaIsAvailable() throws {
        let script = """
        import json, sys
        try:
            import jsonschema
        except ImportError:
            sys.exit(77)
        schema = json.load(open(sys.argv[1]))
        jsonschema.Draft202012Validator.check_schema(schema)
        v = jsonschema.Draft202012Validator(schema)
        for path in sys.argv[2:]:
            print("valid" if v.is_valid(json.load(open(path))) else "invalid")
        """
        let examplesDir = PolicyTest.repositoryRoot.appendingPathComponent("Config/policies").path
        let examples = try PolicyFiles.list(directory: examplesDir).get()
        let valid = ["warnings.json"].map { PolicyTest.fixtures.appendingPathComponent($0).path }
        let invalid = ["bad-keys-types.json", "bad-values.json"].map { PolicyTest.fixtures.appendingPathComponent($0).path }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, schemaURL.path] + examples + valid + invalid
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { throw XCTSkip("python3 is not available") }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        if process.terminationStatus == 77 || process.terminationStatus == 127 { throw XCTSkip("python3 with jsonschema is not available") }
        XCTAssertEqual(process.terminationStatus, 0)
        let results = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        XCTAssertEqual(results, (examples + valid).map { _ in "valid" } + invalid.map { _ in "invalid" })
        XCTAssertNotNil(PolicyCompiler.compile(paths: examples + valid).policy)
        for path in invalid { XCTAssertNil(PolicyCompiler.compile(paths: [path]).policy, path) }
    }
}
