import Foundation
import GatehouseCore
import GatehouseTestSupport
import Inspection
import Policy
import XCTest

/// PolicyStage in the real driver: a masked request body is what goes
/// upstream, with its new length; a denied one goes nowhere.
final class PolicyStageGatewayTests: XCTestCase {
    func stage() throws -> PolicyStage {
        let result = PolicyCompiler.compile([PolicySource(path: "p.json", text: """
        {"route_defaults": {"test": "allow"}, "rules": [
          {"id": "no-drop", "match": {"sql": {"field": "q", "classes": ["ddl"]}}, "action": "deny"},
          {"id": "mask-cards", "action": {"mask": {"detectors": ["credit_card"], "strategy": "partial", "direction": "request"}}}
        ]}
        """)])
        let policy = try XCTUnwrap(result.policy, result.diagnostics.description)
        return try PolicyStage(policy: policy, bodyLimit: 4096, hashKey: MaskKey(Secret(Array("k".utf8))))
    }

    func testMaskedBodyIsForwardedWithItsNewLength() throws {
        let gw = try GatewayFixture(stages: [try stage()])
        defer { gw.stop() }
        let body = #"{"q": "SELECT 1", "card": "4111111111111111"}"#
        let r = try gw.exchange("POST /q HTTP/1.1\r\nHost: example.test\r\nContent-Type: application/json\r\nContent-MD5: x\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
        XCTAssertEqual(r?.status, 200)
        let up = try XCTUnwrap(gw.upstream?.requests.first)
        let masked = #"{"q": "SELECT 1", "card": "************1111"}"#
        XCTAssertEqual(up.bodyString, masked)
        XCTAssertEqual(up.headers.first { $0.name.lowercased() == "content-length" }?.value, String(masked.utf8.count))
        XCTAssertNil(up.headers.first { $0.name.lowercased() == "content-md5" })
    }

    func testDeniedBodyIsNotForwarded() throws {
        let gw = try GatewayFixture(stages: [try stage()])
        defer { gw.stop() }
        let body = #"{"q": "DROP TABLE t"}"#
        let r = try gw.exchange("POST /q HTTP/1.1\r\nHost: example.test\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
        assertError(r, status: 403, code: "policy_denied")
        XCTAssertEqual(gw.upstream?.requests.count, 0)
    }
}
