#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Gateway
import GatewayConfig
import GatehouseTestSupport
import XCTest

/// `https://` upstreams: the gateway verifies them (system store or a
/// route's CA bundle), presents a client certificate when the route has
/// one, and maps each verification failure to 502
/// `upstream_tls_verify_failed`. The upstreams are real TLS servers
/// Gatehouse did not write: nginx, and `openssl s_server` for certificates
/// that must fail.
final class TLSUpstreamTests: XCTestCase {
    private var certs: TestCertificates { TestCertificates.shared }

    /// A gateway with one catch-all route to `https://host:port`.
    private func gateway(host: String = "127.0.0.1", port: Int, tls: UpstreamTLSConfig?,
                         connectMs: Int = 5_000) throws -> GatewayServer {
        var timeouts = TimeoutsConfig()
        timeouts.upstreamConnectMs = connectMs
        let route = RouteConfig(name: "secure", upstream: UpstreamURL(scheme: "https", host: host, port: port),
                                timeouts: timeouts, upstreamTLS: tls)
        let config = GatehouseConfig(loops: 1, listeners: [ListenerConfig(name: "test", address: "127.0.0.1", port: 0)],
                                     timeouts: timeouts, routes: [route], accessLog: false)
        let server = try GatewayServer(config: config)
        try server.start()
        return server
    }

    private func request(_ server: GatewayServer, _ raw: String = get("/")) throws -> TestMessage? {
        let s = try BlockingSocket.connect(port: server.listenAddresses[0].port, timeoutSeconds: 10)
        defer { s.close() }
        try s.send(raw)
        return try TestHTTP.read(from: s, isResponse: true)
    }

    private func stop(_ server: GatewayServer) {
        server.drain()
        server.waitUntilStopped()
    }

    func testVerifiedUpstreamThroughNginxWithKeepAliveAndResumption() throws {
        let nginx = try TestNginx(certificate: certs.pem("server"), key: certs.key("server"))
        defer { nginx.stop() }
        let server = try gateway(port: nginx.port, tls: UpstreamTLSConfig(caBundle: certs.caBundle))
        defer { stop(server) }
        let s = try BlockingSocket.connect(port: server.listenAddresses[0].port, timeoutSeconds: 10)
        defer { s.close() }
        for i in 0..<5 {
            try s.send(get("/item/\(i)"))
            let response = try XCTUnwrap(try TestHTTP.read(from: s, isResponse: true))
            XCTAssertEqual(response.status, 200, response.bodyString)
            XCTAssertTrue(response.bodyString.hasPrefix("nginx says hi; client=; sni=;"), "an IP upstream sends no SNI")
            XCTAssertTrue(response.bodyString.hasSuffix("reused=.\n"), "one kept-alive connection: \(response.bodyString)")
        }
    }

    func testNewPooledConnectionsResumeTheTLSSession() throws {
        // nginx closes after every request, so each request needs a new
        // upstream connection; all but the first resume the session.
        let nginx = try TestNginx(certificate: certs.pem("server"), key: certs.key("server"), keepaliveRequests: 1)
        defer { nginx.stop() }
        let server = try gateway(port: nginx.port, tls: UpstreamTLSConfig(caBundle: certs.caBundle))
        defer { stop(server) }
        var reused: [String] = []
        for _ in 0..<4 {
            let response = try XCTUnwrap(try request(server))
            XCTAssertEqual(response.status, 200)
            reused.append(response.bodyString.hasSuffix("reused=r\n") ? "r" : ".")
        }
        XCTAssertEqual(reused, [".", "r", "r", "r"])
    }

    func testUnknownCAWithTheSystemTrustStoreIs502() throws {
        // No route CA bundle: the system store does not know the test CA.
        let nginx = try TestNginx(certificate: certs.pem("server"), key: certs.key("server"))
        defer { nginx.stop() }
        let server = try gateway(port: nginx.port, tls: nil)
        defer { stop(server) }
        assertError(try request(server), status: 502, code: "upstream_tls_verify_failed")
    }

    func testUnknownCAWithAnotherBundleIs502() throws {
        let nginx = try TestNginx(certificate: certs.pem("server"), key: certs.key("server"))
        defer { nginx.stop() }
        let server = try gateway(port: nginx.port, tls: UpstreamTLSConfig(caBundle: certs.otherCABundle))
        defer { stop(server) }
        assertError(try request(server), status: 502, code: "upstream_tls_verify_failed")
    }

    func testExpiredCertificateIs502() throws {
        let nginx = try TestNginx(certificate: certs.pem("expired"), key: certs.key("expired"))
        defer { nginx.stop() }
        let server = try gateway(port: nginx.port, tls: UpstreamTLSConfig(caBundle: certs.caBundle))
        defer { stop(server) }
        assertError(try request(server), status: 502, code: "upstream_tls_verify_failed")
    }

    func testWrongNameIs502() throws {
        let nginx = try TestNginx(certificate: certs.pem("wrong-name"), key: certs.key("wrong-name"))
        defer { nginx.stop() }
        let server = try gateway(port: nginx.port, tls: UpstreamTLSConfig(caBundle: certs.caBundle))
        defer { stop(server) }
        assertError(try request(server), status: 502, code: "upstream_tls_verify_failed")
    }

    func testMutualTLSToAnUpstreamThatRequiresIt() throws {
        let nginx = try TestNginx(certificate: certs.pem("server"), key: certs.key("server"), clientCA: certs.caBundle)
        defer { nginx.stop() }
        let withCert = try gateway(port: nginx.port, tls: UpstreamTLSConfig(caBundle: certs.caBundle,
                                                                             clientCertificate: certs.pem("client"),
                                                                             clientKey: certs.key("client")))
        defer { stop(withCert) }
        let ok = try XCTUnwrap(try request(withCert))
        XCTAssertEqual(ok.status, 200)
        XCTAssertTrue(ok.bodyString.contains("client=CN=agent-7"), ok.bodyString)

        // Without a client certificate nginx answers 400 over TLS (its own page), never our credential.
        let without = try gateway(port: nginx.port, tls: UpstreamTLSConfig(caBundle: certs.caBundle))
        defer { stop(without) }
        XCTAssertEqual(try request(without)?.status, 400)
    }

    func testStalledHandshakeHitsTheDeadline() throws {
        // A TCP listener that accepts and never speaks TLS.
        let (listener, port) = try TestPorts.listen()
        defer { close(listener) }
        let server = try gateway(port: port, tls: UpstreamTLSConfig(caBundle: certs.caBundle), connectMs: 300)
        defer { stop(server) }
        let started = Date()
        assertError(try request(server), status: 504, code: "upstream_tls_handshake_timeout")
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
    }

    func testPlainHTTPUpstreamOnAnHTTPSRouteFails() throws {
        // A plain HTTP server where https was configured answers the
        // ClientHello with a plain-text 400: the gateway never downgrades.
        let (listener, port) = try TestPorts.listen()
        defer { close(listener) }
        let received = Locked<[UInt8]>([])
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            defer { done.signal() }
            guard let s = try? TestPorts.accept(listener) else { return }
            defer { s.close() }
            if let bytes = try? s.readSome() { received.set(bytes) }
            try? s.send("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        }
        let server = try gateway(port: port, tls: UpstreamTLSConfig(caBundle: certs.caBundle))
        defer { stop(server) }
        assertError(try request(server, get("/secret-path")), status: 502, code: "upstream_tls_handshake_failed")
        XCTAssertEqual(done.wait(timeout: .now() + 5), .success)
        let bytes = received.get()
        XCTAssertEqual(bytes.first, 22, "the upstream saw a TLS handshake record")
        XCTAssertFalse(String(decoding: bytes, as: UTF8.self).contains("secret-path"), "no request in plain text")
    }
}

/// A value shared with a test's helper thread.
final class Locked<T>: @unchecked Sendable {
    private var value: T
    private let lock = NSLock()
    init(_ value: T) { self.value = value }
    func get() -> T { lock.lock(); defer { lock.unlock() }; return value }
    func set(_ v: T) { lock.lock(); value = v; lock.unlock() }
}
