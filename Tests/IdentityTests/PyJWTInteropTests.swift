import XCTest
import Foundation
import Identity
import GatehouseTestSupport

/// Tokens and JWKS made by Python's PyJWT with `cryptography` (installed by
/// `scripts/install-deps.sh`): proves interoperability beyond the project's
/// own signer. Skipped when PyJWT is not installed.
final class PyJWTInteropTests: XCTestCase {
    private struct Output: Decodable {
        var tokens: [String: String]
    }

    func testTokensSignedByPyJWTVerify() throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/pyjwt_tokens.py")
        let issuerURL = "https://py-issuer.example/realm"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, issuerURL, "gatehouse"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { throw XCTSkip("python3 is not available") }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw XCTSkip("python3 with PyJWT and cryptography is not available") }

        // Serve the Python-made JWKS exactly as printed.
        let root = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let jwks = try JSONSerialization.data(withJSONObject: try XCTUnwrap(root?["jwks"]))
        let output = try JSONDecoder().decode(Output.self, from: data)
        let server = try StubUpstream { _, conn in
            try conn.respond(status: 200, headers: [("Content-Type", "application/json")], body: [UInt8](jwks))
        }
        defer { server.stop() }

        let settings = IssuerSettings(name: "py", issuer: issuerURL, audiences: ["gatehouse"],
                                      algorithms: [.rs256, .ps256, .es256, .es384, .edDSA])
        let keys = IssuerKeys(issuer: issuerURL, jwksURI: "http://127.0.0.1:\(server.port)/jwks", fetcher: PlainHTTPFetcher())
        let verifier = TokenVerifier(settings: settings, keys: keys)
        XCTAssertEqual(output.tokens.count, 6)
        for alg in ["RS256", "PS256", "ES256", "ES384", "EdDSA"] {
            let token = try XCTUnwrap(output.tokens[alg])
            let id = identity(verifySettled(verifier, token))
            XCTAssertEqual(id?.subject, "py-agent", alg)
            XCTAssertEqual(id?.clientID, "py-client", alg)
            XCTAssertEqual(id?.scopes, ["read", "write"], alg)
        }
        XCTAssertEqual(rejection(verifySettled(verifier, try XCTUnwrap(output.tokens["forged"]))), .badSignature)
        XCTAssertEqual(keys.currentKeys?.keys.count, 5)
    }
}
