import Foundation
import GatehouseCore
@testable import GatewayConfig
import XCTest

/// Keeps Docs/schema/gatehouse.schema.json in step with the loader.
final class SchemaTests: XCTestCase {
    var schemaURL: URL { Fixtures.repositoryRoot.appendingPathComponent("Docs/schema/gatehouse.schema.json") }

    func schema() throws -> JSONNode {
        try JSONParser.parse([UInt8](try Data(contentsOf: schemaURL)))
    }

    func keys(_ node: JSONNode?, file: StaticString = #filePath, line: UInt = #line) -> Set<String> {
        guard let members = node?["properties"]?.objectValue else {
            XCTFail("no properties", file: file, line: line)
            return []
        }
        return Set(members.map(\.key))
    }

    func required(_ node: JSONNode?) -> Set<String> {
        Set(node?["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
    }

    func testSchemaPropertiesMatchLoaderKeys() throws {
        let schema = try schema()
        XCTAssertEqual(schema["$schema"]?.stringValue, "https://json-schema.org/draft/2020-12/schema")
        let defs = schema["$defs"]
        XCTAssertEqual(keys(schema), ConfigKeys.topLevel)
        XCTAssertEqual(keys(defs?["listener"]), ConfigKeys.listener)
        XCTAssertEqual(keys(defs?["route"]), ConfigKeys.route)
        XCTAssertEqual(keys(defs?["limits"]), ConfigKeys.globalLimits)
        XCTAssertEqual(keys(defs?["routeLimits"]), ConfigKeys.routeLimits)
        XCTAssertEqual(keys(defs?["timeouts"]), ConfigKeys.globalTimeouts)
        XCTAssertEqual(keys(defs?["routeTimeouts"]), ConfigKeys.routeTimeouts)
        XCTAssertEqual(keys(defs?["requestId"]), ConfigKeys.requestID)
        XCTAssertEqual(keys(defs?["forwarded"]), ConfigKeys.forwarded)
        XCTAssertEqual(keys(defs?["recording"]), ConfigKeys.recording)
        XCTAssertEqual(keys(defs?["recordingRetention"]), ConfigKeys.recordingRetention)
        XCTAssertEqual(keys(defs?["routeRecording"]), ConfigKeys.routeRecording)
        XCTAssertEqual(keys(defs?["identity"]), ConfigKeys.identity)
        XCTAssertEqual(keys(defs?["identityIssuer"]), ConfigKeys.identityIssuer)
        XCTAssertEqual(keys(defs?["identityClaims"]), ConfigKeys.identityClaims)
        XCTAssertEqual(keys(defs?["identityJWKSCache"]), ConfigKeys.identityJWKSCache)
        XCTAssertEqual(keys(defs?["routeIdentity"]), ConfigKeys.routeIdentity)
        XCTAssertEqual(keys(defs?["identityForwardHeaders"]), ConfigKeys.identityForwardHeaders)
        XCTAssertEqual(required(defs?["identityIssuer"]), ["issuer", "audiences"])
        XCTAssertEqual(keys(defs?["listenerTls"]), ConfigKeys.listenerTLS)
        XCTAssertEqual(keys(defs?["listenerClientCertificates"]), ConfigKeys.listenerClientCertificates)
        XCTAssertEqual(keys(defs?["routeTls"]), ConfigKeys.routeTLS)
        XCTAssertEqual(required(defs?["recording"]), ["path"])
        XCTAssertEqual(required(schema), ["listeners", "routes", "identity"])
        XCTAssertEqual(required(defs?["listener"]), ["address", "port"])
        XCTAssertEqual(required(defs?["route"]), ["name", "upstream"])
    }

    func testEveryObjectSchemaForbidsAdditionalProperties() throws {
        var checked = 0
        func walk(_ node: JSONNode, path: String) {
            if case .object(let members) = node.value {
                if node["properties"] != nil {
                    checked += 1
                    XCTAssertEqual(node["additionalProperties"]?.value, .bool(false), "at \(path)")
                }
                for member in members {
                    walk(member.node, path: "\(path)/\(member.key)")
                }
            } else if case .array(let elements) = node.value {
                for (i, element) in elements.enumerated() { walk(element, path: "\(path)/\(i)") }
            }
        }
        walk(try schema(), path: "#")
        XCTAssertEqual(checked, 21)
    }

    /// The unknown-key messages list exactly the keys in `ConfigKeys`, so the
    /// decoders, `ConfigKeys` and (via the test above) the schema agree.
    func testDecoderExpectedKeysMatchConfigKeys() throws {
        XCTAssertEqual(try expectedKeyLists("bad-unknown-keys.json"), [
            "the top-level object": ConfigKeys.topLevel,
            "listener": ConfigKeys.listener,
            "route": ConfigKeys.route,
            "limits": ConfigKeys.globalLimits,
            "route limits": ConfigKeys.routeLimits,
            "timeouts": ConfigKeys.globalTimeouts,
            "route timeouts": ConfigKeys.routeTimeouts,
            "request_id": ConfigKeys.requestID,
            "forwarded": ConfigKeys.forwarded,
        ])
        XCTAssertEqual(try expectedKeyLists("bad-recording-keys.json"), [
            "recording": ConfigKeys.recording,
            "recording retention": ConfigKeys.recordingRetention,
            "route recording": ConfigKeys.routeRecording,
        ])
        XCTAssertEqual(try expectedKeyLists("bad-tls-keys.json"), [
            "listener tls": ConfigKeys.listenerTLS,
            "listener tls client_certificates": ConfigKeys.listenerClientCertificates,
            "route tls": ConfigKeys.routeTLS,
        ])
    }

    /// From a fixture's unknown-key messages ("… in CONTEXT; expected one
    /// of: a, b"), the keys each context's decoder accepts.
    private func expectedKeyLists(_ fixture: String) throws -> [String: Set<String>] {
        var lists: [String: Set<String>] = [:]
        for line in try errorLines(fixture) {
            guard let inRange = line.range(of: " in "), let listRange = line.range(of: "; expected one of: ") else { continue }
            let context = String(line[inRange.upperBound..<listRange.lowerBound])
            lists[context] = Set(line[listRange.upperBound...].components(separatedBy: ", "))
        }
        return lists
    }

    /// Validates fixtures with Python's `jsonschema` when it is installed.
    func testSchemaAgreesWithLoaderOnFixtures() throws {
        let script = """
        import json, sys
        try:
            import jsonschema
        except ImportError:
            sys.exit(77)
        schema = json.load(open(sys.argv[1]))
        jsonschema.Draft202012Validator.check_schema(schema)
        v = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
        for path in sys.argv[2:]:
            print("valid" if v.is_valid(json.load(open(path))) else "invalid")
        """
        let valid = ["valid-minimal.json", "valid-full.json", "warning-duplicate-host.json",
                     "valid-recording.json", "valid-recording-minimal.json", "warning-recording-off.json",
                     "valid-tls.json", "valid-identity.json"]
        let invalid = ["bad-unknown-keys.json", "bad-types.json", "bad-values.json", "bad-missing.json",
                       "bad-missing-top.json", "bad-empty-arrays.json", "bad-top-level-array.json",
                       "bad-recording-values.json", "bad-recording-keys.json",
                       "bad-tls-keys.json", "bad-tls-values.json", "bad-identity-keys.json"]
        let example = Fixtures.repositoryRoot.appendingPathComponent("Config/gatehouse.example.json").path
        let paths = try [example] + (valid + invalid).map { try Fixtures.url($0).path }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, schemaURL.path] + paths
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw XCTSkip("python3 is not available")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        if process.terminationStatus == 77 || process.terminationStatus == 127 {
            throw XCTSkip("python3 with jsonschema is not available")
        }
        XCTAssertEqual(process.terminationStatus, 0)
        let results = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        XCTAssertEqual(results, ["valid"] + valid.map { _ in "valid" } + invalid.map { _ in "invalid" })
        // And the loader agrees on the same files.
        for name in valid { XCTAssertNoThrow(try Fixtures.parse(name).get(), name) }
        for name in invalid {
            if case .success = try Fixtures.parse(name) { XCTFail("\(name) loaded") }
        }
    }
}
