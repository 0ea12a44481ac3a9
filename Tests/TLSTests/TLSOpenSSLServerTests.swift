import Foundation
import GatehouseCore
import GatehouseTestSupport
import TLS
import XCTest

/// Our client against a TLS server Gatehouse did not write:
/// `openssl s_server -www` on 127.0.0.1, reached with a plain blocking
/// socket whose bytes are pumped through `TLSConnection`.
final class TLSOpenSSLServerTests: XCTestCase {
    private var certs: TestCertificates { TestContexts.certs }

    private func startServer(_ extra: [String] = [], connections: Int = 1) throws -> (OpenSSLProcess, Int) {
        let port = try TestPorts.free()
        let server = try OpenSSLProcess(["s_server", "-accept", "127.0.0.1:\(port)", "-cert", certs.pem("server"),
                                         "-key", certs.key("server"), "-www", "-naccept", "\(connections)"] + extra)
        return (server, port)
    }

    /// Handshakes, sends `GET /`, reads the whole response.
    private func fetch(port: Int, context: TLSContext, key: String = "localhost") throws -> (TLSConnection, String) {
        let socket = try TestPorts.connect(port: port)
        defer { socket.close() }
        let driver = TLSSocketDriver(tls: TLSConnection(client: context, serverName: "localhost", sessionKey: key),
                                     socket: socket)
        let handshake = try driver.handshake()
        XCTAssertEqual(handshake, .done)
        guard handshake == .done else { return (driver.tls, "") }
        try driver.write("GET / HTTP/1.0\r\n\r\n")
        let (bytes, end) = try driver.readToEnd()
        if case .failed(let error) = end {
            // s_server may close without close_notify; the body is whole either way.
            XCTAssertEqual(error.kind, .unexpectedEOF, error.description)
        }
        if case .sent = driver.tls.shutdown() { try? driver.flush() }
        return (driver.tls, String(decoding: bytes, as: UTF8.self))
    }

    func testFetchFromOpenSSLServer() throws {
        let (server, port) = try startServer()
        let (tls, text) = try fetch(port: port, context: try TestContexts.client())
        XCTAssertTrue(text.hasPrefix("HTTP/1.0 200 ok"), text)
        XCTAssertTrue(text.contains("s_server"), text)
        XCTAssertEqual(tls.peerCertificateSubject, "CN=localhost")
        XCTAssertEqual(tls.protocolVersion, "TLSv1.3")
        _ = server
    }

    func testTLS12WithMozillaIntermediateCipherAndResumption() throws {
        let (server, port) = try startServer(["-tls1_2"], connections: 2)
        let context = try TestContexts.client()
        let (first, text) = try fetch(port: port, context: context)
        XCTAssertTrue(text.hasPrefix("HTTP/1.0 200 ok"), text)
        XCTAssertEqual(first.protocolVersion, "TLSv1.2")
        XCTAssertEqual(first.cipherName, "ECDHE-ECDSA-AES128-GCM-SHA256")
        XCTAssertFalse(first.isResumed)
        let (second, _) = try fetch(port: port, context: context)
        XCTAssertTrue(second.isResumed, "TLS 1.2 session resumed")
        _ = server
    }

    func testTLS11ServerIsRefused() throws {
        let (server, port) = try startServer(["-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0"])
        let socket = try TestPorts.connect(port: port)
        defer { socket.close() }
        let driver = TLSSocketDriver(tls: TLSConnection(client: try TestContexts.client(), serverName: "localhost"),
                                     socket: socket)
        guard case .failed(let error) = try driver.handshake() else { return XCTFail("TLS 1.1 must be refused") }
        XCTAssertEqual(error.kind, .handshakeFailed, error.description)
        _ = server
    }
}
