import Foundation
import GatehouseCore
import GatehouseTestSupport
import TLS
import XCTest

/// Our server against a TLS client Gatehouse did not write: `openssl
/// s_client`, accepted on a blocking test listener and pumped through a
/// server `TLSConnection`. (Not `-quiet`: it implies `-ign_eof`, and the
/// client must close when its stdin ends.)
final class TLSOpenSSLClientTests: XCTestCase {
    private var certs: TestCertificates { TestContexts.certs }

    private func accept(alpn: String, stdin: String) throws -> (TLSSocketDriver, OpenSSLProcess) {
        let (listener, port) = try TestPorts.listen()
        defer { close(listener) }
        let client = try OpenSSLProcess(["s_client", "-connect", "127.0.0.1:\(port)", "-servername", "localhost",
                                         "-CAfile", certs.caBundle, "-verify_return_error", "-alpn", alpn])
        client.send(stdin)
        client.closeInput()
        let socket = try TestPorts.accept(listener)
        return (TLSSocketDriver(tls: TLSConnection(server: try TestContexts.server()), socket: socket), client)
    }

    func testOpenSSLClientNegotiatesHTTP11AndSendsData() throws {
        let (driver, client) = try accept(alpn: "http/1.1", stdin: "ping\n")
        defer { driver.socket.close() }
        XCTAssertEqual(try driver.handshake(), .done)
        XCTAssertEqual(driver.tls.negotiatedProtocol, "http/1.1")
        let (bytes, end) = try driver.readToEnd()
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), "ping\n")
        // s_client ends with close_notify, or just closes.
        if case .failed(let error) = end { XCTAssertEqual(error.kind, .unexpectedEOF, error.description) }
        _ = client
    }

    func testClientOfferingOnlyH2IsRefused() throws {
        let (driver, client) = try accept(alpn: "h2", stdin: "")
        defer { driver.socket.close() }
        guard case .failed(let error) = try driver.handshake() else { return XCTFail("h2-only client must be refused") }
        XCTAssertEqual(error.kind, .handshakeFailed)
        XCTAssertTrue(error.detail.contains("application protocol"), error.detail)
        _ = client
    }
}
