import GatehouseTestSupport
import TLS
import XCTest

/// Client session cache: a second connection to the same peer (same
/// session key, same client context) resumes.
final class TLSSessionResumptionTests: XCTestCase {
    /// Handshakes, then lets the client read so it processes the TLS 1.3
    /// session tickets the server sent after the handshake.
    private func connect(_ clientContext: TLSContext, _ serverContext: TLSContext, key: String? = nil)
        -> (client: TLSConnection, server: TLSConnection) {
        let client = TLSConnection(client: clientContext, serverName: "localhost", sessionKey: key)
        let server = TLSConnection(server: serverContext)
        let results = TLSPump.handshake(client: client, server: server)
        XCTAssertEqual(results.client, .done)
        XCTAssertEqual(results.server, .done)
        var ignored: [UInt8] = []
        XCTAssertEqual(TLSPump.drainPlaintext(client, into: &ignored), .wantRead)
        return (client, server)
    }

    func testSecondConnectionResumes() throws {
        let clientContext = try TestContexts.client()
        let serverContext = try TestContexts.server()
        let first = connect(clientContext, serverContext, key: "localhost:8443")
        XCTAssertFalse(first.client.isResumed)
        for _ in 0..<3 {
            let next = connect(clientContext, serverContext, key: "localhost:8443")
            XCTAssertTrue(next.client.isResumed)
            XCTAssertTrue(next.server.isResumed)
            XCTAssertEqual(next.client.negotiatedProtocol, "http/1.1")
        }
    }

    func testDifferentPeerKeyDoesNotResume() throws {
        let clientContext = try TestContexts.client()
        let serverContext = try TestContexts.server()
        _ = connect(clientContext, serverContext, key: "localhost:8443")
        XCTAssertFalse(connect(clientContext, serverContext, key: "localhost:9443").client.isResumed)
    }

    func testSeparateClientContextsDoNotShareSessions() throws {
        let serverContext = try TestContexts.server()
        _ = connect(try TestContexts.client(), serverContext)
        XCTAssertFalse(connect(try TestContexts.client(), serverContext).client.isResumed)
    }

    func testResumptionWithClientCertificates() throws {
        let clientContext = try TestContexts.client(certificate: "client")
        let serverContext = try TestContexts.server(clients: .required(caBundlePath: TestContexts.certs.caBundle))
        _ = connect(clientContext, serverContext)
        let next = connect(clientContext, serverContext)
        XCTAssertTrue(next.client.isResumed)
        XCTAssertTrue(next.server.hasPeerCertificate, "the resumed session keeps the verified client certificate")
    }

    func testCacheEvictsTheOldestPeer() throws {
        let clientContext = try TestContexts.client(sessionCacheCapacity: 1)
        let serverContext = try TestContexts.server()
        _ = connect(clientContext, serverContext, key: "a:443")
        _ = connect(clientContext, serverContext, key: "b:443")
        XCTAssertFalse(connect(clientContext, serverContext, key: "a:443").client.isResumed, "a was evicted by b")
        XCTAssertFalse(connect(clientContext, serverContext, key: "b:443").client.isResumed, "b was evicted by a")
    }
}
