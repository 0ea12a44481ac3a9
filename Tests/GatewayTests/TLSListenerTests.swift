#if canImport(Glibc)
import Glibc
#endif
import Foundation
import GatehouseCore
import Gateway
import GatewayConfig
import GatehouseTestSupport
import TLS
import XCTest

/// TLS listeners: curl with `--cacert`, plain HTTP to the TLS port, a
/// stalled handshake, client certificates, and certificate reload without
/// dropping established connections.
final class TLSListenerTests: XCTestCase {
    private var certs: TestCertificates { TestCertificates.shared }

    private struct Running {
        let server: GatewayServer
        let stub: StubUpstream
        var port: Int { server.listenAddresses[0].port }
        func stop() {
            server.drain()
            server.waitUntilStopped()
            stub.stop()
        }
    }

    private func start(tls: ListenerTLSConfig) throws -> Running {
        let stub = try StubUpstream()
        let route = RouteConfig(name: "r", upstream: UpstreamURL(host: "127.0.0.1", port: stub.port))
        let config = GatehouseConfig(loops: 1,
                                     listeners: [ListenerConfig(name: "tls", address: "127.0.0.1", port: 0, tls: tls)],
                                     routes: [route], accessLog: false)
        let server = try GatewayServer(config: config)
        try server.start()
        return Running(server: server, stub: stub)
    }

    private func serverTLS(_ name: String = "server", clients: ListenerTLSConfig.ClientCertificates = .none,
                           handshakeMs: Int = 10_000) -> ListenerTLSConfig {
        ListenerTLSConfig(certificate: certs.pem(name), privateKey: certs.key(name), clientCertificates: clients,
                          handshakeTimeoutMs: handshakeMs)
    }

    /// Runs curl; returns (exit status, stdout).
    private func curl(_ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["curl", "-sS", "--max-time", "10"] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func testCurlWithCACert() throws {
        let gw = try start(tls: serverTLS())
        defer { gw.stop() }
        let (status, body) = try curl(["--cacert", certs.caBundle, "-w", "\n%{http_code} %{http_version}",
                                       "--resolve", "localhost:\(gw.port):127.0.0.1",
                                       "https://localhost:\(gw.port)/hello?x=1"])
        XCTAssertEqual(status, 0)
        XCTAssertTrue(body.hasSuffix("200 1.1"), body)
        XCTAssertTrue(body.contains("\"target\":\"/hello?x=1\""), "the echo upstream saw the request: \(body)")
        let seen = try XCTUnwrap(gw.stub.requests.last)
        XCTAssertEqual(seen.header("x-forwarded-proto"), "https")
        XCTAssertTrue(seen.header("forwarded")?.contains("proto=https") ?? false)

        // curl without the CA refuses our certificate (it is verified, not trusted blindly).
        let (refused, _) = try curl(["--resolve", "localhost:\(gw.port):127.0.0.1", "https://localhost:\(gw.port)/"])
        XCTAssertEqual(refused, 60, "curl: peer certificate cannot be authenticated")
    }

    func testPlainHTTPToTheTLSPortIsClosedAndTheGatewayKeepsRunning() throws {
        let gw = try start(tls: serverTLS())
        defer { gw.stop() }
        let s = try BlockingSocket.connect(port: gw.port, timeoutSeconds: 5)
        try s.send(get("/"))
        XCTAssertEqual(try s.readToEnd(), [], "a clean close, no bytes")
        s.close()
        let driver = try connectTLS(port: gw.port)
        defer { driver.socket.close() }
        try driver.write(get("/after", extra: "Connection: close\r\n"))
        XCTAssertTrue(try readResponse(driver).hasPrefix("HTTP/1.1 200"))
    }

    func testStalledHandshakeIsClosedAtItsDeadline() throws {
        let gw = try start(tls: serverTLS(handshakeMs: 300))
        defer { gw.stop() }
        let s = try BlockingSocket.connect(port: gw.port, timeoutSeconds: 5)
        defer { s.close() }
        try s.send([22, 3, 1])  // the start of a record header, then nothing
        let started = Date()
        XCTAssertTrue(peerClosed(s))
        let elapsed = Date().timeIntervalSince(started)
        XCTAssertGreaterThan(elapsed, 0.2)
        XCTAssertLessThan(elapsed, 3)
    }

    func testALPNAndKeepAliveOverTLS() throws {
        let gw = try start(tls: serverTLS())
        defer { gw.stop() }
        let driver = try connectTLS(port: gw.port)
        defer { driver.socket.close() }
        XCTAssertEqual(driver.tls.negotiatedProtocol, "http/1.1")
        for i in 0..<3 {
            try driver.write(get("/k/\(i)"))
            let text = try readResponse(driver)
            XCTAssertTrue(text.hasPrefix("HTTP/1.1 200"), text)
            XCTAssertTrue(text.contains("\"target\":\"/k/\(i)\""), text)
        }
    }

    func testRequiredClientCertificates() throws {
        let gw = try start(tls: serverTLS(clients: .required(caBundle: certs.caBundle)))
        defer { gw.stop() }
        let files = TLSCertificateFiles(certificatePath: certs.pem("client"), privateKeyPath: certs.key("client"))
        let withCert = try connectTLS(port: gw.port, client: files)
        defer { withCert.socket.close() }
        try withCert.write(get("/", extra: "Connection: close\r\n"))
        XCTAssertTrue(try readResponse(withCert).hasPrefix("HTTP/1.1 200"))

        let (status, _) = try curl(["--cacert", certs.caBundle, "--resolve", "localhost:\(gw.port):127.0.0.1",
                                    "https://localhost:\(gw.port)/"])
        XCTAssertNotEqual(status, 0, "no client certificate: the handshake fails")
    }

    func testCertificateReloadKeepsEstablishedConnections() throws {
        let dir = NSTemporaryDirectory() + "gatehouse-reload-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let cert = dir + "/gw.pem", key = dir + "/gw.key"
        func install(_ name: String) throws {
            try? FileManager.default.removeItem(atPath: cert)
            try? FileManager.default.removeItem(atPath: key)
            try FileManager.default.copyItem(atPath: certs.pem(name), toPath: cert)
            try FileManager.default.copyItem(atPath: certs.key(name), toPath: key)
        }
        try install("server")
        let gw = try start(tls: ListenerTLSConfig(certificate: cert, privateKey: key))
        defer { gw.stop() }

        let before = try connectTLS(port: gw.port)
        defer { before.socket.close() }
        XCTAssertEqual(before.tls.peerCertificateSubject, "CN=localhost")
        try before.write(get("/1"))
        XCTAssertTrue(try readResponse(before).hasPrefix("HTTP/1.1 200"))

        // Rotate to a different certificate: new connections get it.
        try install("wrong-name")
        XCTAssertEqual(gw.server.reloadCertificates(), [])
        let after = try connectTLS(port: gw.port, serverName: "wrong.example")
        defer { after.socket.close() }
        XCTAssertEqual(after.tls.peerCertificateSubject, "CN=wrong.example")

        // The connection from before the reload still works.
        try before.write(get("/2"))
        XCTAssertTrue(try readResponse(before).contains("\"target\":\"/2\""))

        // A broken certificate at reload keeps the last good one and says why.
        try "not a certificate".write(toFile: cert, atomically: true, encoding: .utf8)
        let problems = gw.server.reloadCertificates()
        XCTAssertEqual(problems.count, 1)
        XCTAssertTrue(problems.first?.contains(cert) ?? false, "\(problems)")
        let still = try connectTLS(port: gw.port, serverName: "wrong.example")
        defer { still.socket.close() }
        XCTAssertEqual(still.tls.peerCertificateSubject, "CN=wrong.example")
    }
}

/// TLS test-client helpers shared by the listener tests.
extension XCTestCase {
    /// A test TLS client trusting the test CA, connected and handshaken.
    func connectTLS(port: Int, serverName: String = "localhost",
                            client: TLSCertificateFiles? = nil) throws -> TLSSocketDriver {
        let context = try TLSContext(client: TLSClientConfiguration(trust: .caBundle(path: TestCertificates.shared.caBundle),
                                                                    clientCertificate: client))
        let socket = try BlockingSocket.connect(port: port, timeoutSeconds: 5)
        let driver = TLSSocketDriver(tls: TLSConnection(client: context, serverName: serverName), socket: socket)
        XCTAssertEqual(try driver.handshake(), .done)
        return driver
    }

    /// Reads one response (head + Content-Length body) over TLS.
    func readResponse(_ driver: TLSSocketDriver) throws -> String {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        for _ in 0..<1000 {
            let text = String(decoding: bytes, as: UTF8.self)
            if let headEnd = text.range(of: "\r\n\r\n") {
                let head = text[..<headEnd.lowerBound].lowercased()
                let length = head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                if text[headEnd.upperBound...].utf8.count >= length { return text }
            }
            switch buffer.withUnsafeMutableBytes({ driver.tls.readPlaintext(into: $0) }) {
            case .bytes(let n): bytes += buffer[0..<n]
            case .wantRead:
                try driver.flush()
                try driver.feed()
            case .closed, .failed: return String(decoding: bytes, as: UTF8.self)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
