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

    private func accept(alpn: String = "http/1.1", stdin: String = "", extra: [String] = [],
                        certificate: String = "server") throws -> (TLSSocketDriver, OpenSSLProcess) {
        let (listener, port) = try TestPorts.listen()
        defer { close(listener) }
        let client = try OpenSSLProcess(["s_client", "-connect", "127.0.0.1:\(port)", "-servername", "localhost",
                                         "-CAfile", certs.caBundle, "-verify_return_error", "-alpn", alpn] + extra)
        client.send(stdin)
        client.closeInput()
        let socket = try TestPorts.accept(listener)
        let server = TLSConnection(server: try TestContexts.server(certificate))
        return (TLSSocketDriver(tls: server, socket: socket), client)
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

    /// Every Mozilla-intermediate TLS 1.2 suite an RSA or ECDSA key can use
    /// is accepted, including DHE with automatic parameters.
    func testTLS12MozillaSuites() throws {
        let suites = [("server", "ECDHE-ECDSA-AES128-GCM-SHA256"), ("server", "ECDHE-ECDSA-CHACHA20-POLY1305"),
                      ("rsa-server", "ECDHE-RSA-AES256-GCM-SHA384"), ("rsa-server", "DHE-RSA-AES128-GCM-SHA256")]
        for (certificate, suite) in suites {
            let (driver, client) = try accept(extra: ["-tls1_2", "-cipher", suite], certificate: certificate)
            defer { driver.socket.close() }
            XCTAssertEqual(try driver.handshake(), .done, suite)
            XCTAssertEqual(driver.tls.protocolVersion, "TLSv1.2", suite)
            XCTAssertEqual(driver.tls.cipherName, suite)
            _ = client
        }
    }

    /// Suites outside the list (no forward secrecy, CBC) and TLS 1.1 are refused.
    func testWeakSuitesAndOldVersionsAreRefused() throws {
        let attempts = [["-tls1_2", "-cipher", "AES128-GCM-SHA256"], ["-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA"],
                        ["-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0"]]
        for extra in attempts {
            let (driver, client) = try accept(extra: extra)
            defer { driver.socket.close() }
            guard case .failed(let error) = try driver.handshake() else {
                XCTFail("\(extra) must be refused")
                continue
            }
            XCTAssertEqual(error.kind, .handshakeFailed, "\(extra): \(error)")
            _ = client
        }
    }
}
