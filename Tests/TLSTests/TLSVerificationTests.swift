import GatehouseTestSupport
import Foundation
import TLS
import XCTest

/// Client-side verification of the server certificate, one failure
/// category per case.
final class TLSVerificationTests: XCTestCase {
    private func clientResult(serverCert: String = "server", serverName: String = "localhost",
                              trust: TLSClientConfiguration.Trust? = nil) throws
        -> (client: TLSHandshakeResult, server: TLSHandshakeResult) {
        let client = TLSConnection(client: try TestContexts.client(trust: trust), serverName: serverName)
        let server = TLSConnection(server: try TestContexts.server(serverCert))
        return TLSPump.handshake(client: client, server: server)
    }

    private func assertVerifyFailure(_ result: TLSHandshakeResult, _ expected: TLSVerifyFailure,
                                     file: StaticString = #filePath, line: UInt = #line) {
        guard case .failed(let error) = result else {
            return XCTFail("expected verification failure, got \(result)", file: file, line: line)
        }
        XCTAssertEqual(error.kind, .verifyFailed(reason: expected), error.description, file: file, line: line)
        XCTAssertFalse(error.detail.isEmpty, file: file, line: line)
    }

    func testExpiredCertificate() throws {
        let result = try clientResult(serverCert: "expired")
        assertVerifyFailure(result.client, .expired)
        if case .failed(let error) = result.client {
            XCTAssertEqual(error.code, "verify_failed_expired")
            XCTAssertTrue(error.detail.contains("expired"), error.detail)
        }
        // The client's alert reaches the server, which fails too.
        guard case .failed = result.server else { return XCTFail("server should see the alert") }
    }

    func testUnknownCA() throws {
        let result = try clientResult(trust: .caBundle(path: TestContexts.certs.otherCABundle))
        assertVerifyFailure(result.client, .unknownCA)
    }

    func testSystemTrustStoreDoesNotTrustTheTestCA() throws {
        assertVerifyFailure(try clientResult(trust: .system).client, .unknownCA)
    }

    /// `.system` is OpenSSL's default store, which operators can point
    /// elsewhere with `SSL_CERT_FILE` (read when the context is built).
    func testSystemTrustHonoursSSLCertFile() throws {
        setenv("SSL_CERT_FILE", TestContexts.certs.caBundle, 1)
        let context: TLSContext
        do {
            defer { unsetenv("SSL_CERT_FILE") }
            context = try TestContexts.client(trust: .system)
        }
        let client = TLSConnection(client: context, serverName: "localhost")
        let server = TLSConnection(server: try TestContexts.server())
        XCTAssertEqual(TLSPump.handshake(client: client, server: server).client, .done)
    }

    func testWrongName() throws {
        assertVerifyFailure(try clientResult(serverCert: "wrong-name").client, .nameMismatch)
    }

    func testNameNotInCertificate() throws {
        assertVerifyFailure(try clientResult(serverName: "api.localhost").client, .nameMismatch)
    }

    func testIPAddressMatchesIPSAN() throws {
        let result = try clientResult(serverName: "127.0.0.1")
        XCTAssertEqual(result.client, .done)
        XCTAssertEqual(result.server, .done)
    }

    func testIPAddressMismatch() throws {
        assertVerifyFailure(try clientResult(serverName: "127.0.0.2").client, .nameMismatch)
        assertVerifyFailure(try clientResult(serverName: "[::1]").client, .nameMismatch)
    }

    func testIntermediateFromChainFile() throws {
        let client = TLSConnection(client: try TestContexts.client(), serverName: "localhost")
        let server = TLSConnection(server: try TestContexts.server("chained", chain: TestContexts.certs.intermediate))
        let result = TLSPump.handshake(client: client, server: server)
        XCTAssertEqual(result.client, .done)
        XCTAssertEqual(result.server, .done)
    }

    func testMissingIntermediateIsUnknownCA() throws {
        assertVerifyFailure(try clientResult(serverCert: "chained").client, .unknownCA)
    }

    func testSNIIsSentForNamesOnly() throws {
        for (name, expected) in [("localhost", "localhost"), ("localhost.", "localhost"), ("127.0.0.1", nil)] {
            let client = TLSConnection(client: try TestContexts.client(), serverName: name)
            let server = TLSConnection(server: try TestContexts.server())
            let results = TLSPump.handshake(client: client, server: server)
            XCTAssertEqual(results.client, .done, name)
            XCTAssertEqual(server.requestedServerName, expected, name)
        }
    }

    func testEmptyOrTruncatableNameNeverSkipsTheCheck() throws {
        for name in ["", ".", "[]", "localhost\u{0}.evil.example"] {
            let client = TLSConnection(client: try TestContexts.client(), serverName: name)
            guard case .failed(let error) = client.handshake() else { return XCTFail("\(name.debugDescription) must fail") }
            XCTAssertEqual(error.kind, .handshakeFailed)
            XCTAssertEqual(client.pendingCiphertextCount, 0, "no ClientHello for an invalid name")
        }
    }
}
