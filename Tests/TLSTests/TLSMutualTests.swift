import GatehouseTestSupport
import TLS
import XCTest

/// Client certificates (mTLS), verified by the server.
final class TLSMutualTests: XCTestCase {
    private func run(clientCert: String?, verification: TLSServerConfiguration.ClientVerification)
        throws -> (client: TLSConnection, server: TLSConnection, results: (client: TLSHandshakeResult, server: TLSHandshakeResult)) {
        let client = TLSConnection(client: try TestContexts.client(certificate: clientCert), serverName: "localhost")
        let server = TLSConnection(server: try TestContexts.server(clients: verification))
        let results = TLSPump.handshake(client: client, server: server)
        return (client, server, results)
    }

    private var required: TLSServerConfiguration.ClientVerification { .required(caBundlePath: TestContexts.certs.caBundle) }

    func testRequiredClientCertificatePresented() throws {
        let (client, server, results) = try run(clientCert: "client", verification: required)
        XCTAssertEqual(results.client, .done)
        XCTAssertEqual(results.server, .done)
        XCTAssertTrue(server.hasPeerCertificate)
        XCTAssertEqual(server.peerCertificateSubject, "CN=agent-7")
        let echoed = TLSPump.send(Array("ping".utf8), from: client, to: server)
        XCTAssertEqual(echoed, Array("ping".utf8))
    }

    func testRequiredClientCertificateMissing() throws {
        let (client, server, results) = try run(clientCert: nil, verification: required)
        guard case .failed(let error) = results.server else { return XCTFail("server must refuse: \(results.server)") }
        XCTAssertEqual(error.kind, .handshakeFailed)
        XCTAssertTrue(error.detail.contains("certificate"), error.detail)
        // In TLS 1.3 the client may consider its side done; its next read
        // then reports the server's alert.
        if results.client == .done {
            var got: [UInt8] = []
            guard case .failed(let clientError) = TLSPump.drainPlaintext(client, into: &got) else {
                return XCTFail("client should see the alert")
            }
            XCTAssertTrue(clientError.detail.contains("certificate required"), clientError.detail)
        }
        _ = server
    }

    func testClientCertificateFromUnknownCA() throws {
        let (_, _, results) = try run(clientCert: "stranger-client", verification: required)
        guard case .failed(let error) = results.server else { return XCTFail("server must refuse") }
        XCTAssertEqual(error.kind, .verifyFailed(reason: .unknownCA), error.description)
    }

    func testOptionalVerificationAdmitsClientWithoutCertificate() throws {
        let (_, server, results) = try run(clientCert: nil,
                                           verification: .optional(caBundlePath: TestContexts.certs.caBundle))
        XCTAssertEqual(results.client, .done)
        XCTAssertEqual(results.server, .done)
        XCTAssertFalse(server.hasPeerCertificate)
    }
}
