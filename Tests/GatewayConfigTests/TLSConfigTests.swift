import GatewayConfig
import XCTest

final class TLSConfigTests: XCTestCase {
    func testValidTLSSettingsAndRelativePaths() throws {
        let config = try loadOK("valid-tls.json")
        // Fixtures load with the bare file name as their path, so relative
        // paths stay relative (the resolution itself is tested below).
        let dir = "certs/"
        let tls = try XCTUnwrap(config.listeners[0].tls)
        XCTAssertEqual(tls.certificate, dir + "gw.pem")
        XCTAssertEqual(tls.privateKey, "/etc/gatehouse/gw.key", "absolute paths are kept")
        XCTAssertEqual(tls.chain, dir + "chain.pem")
        XCTAssertEqual(tls.clientCertificates, .optional(caBundle: dir + "agents-ca.pem"))
        XCTAssertEqual(tls.handshakeTimeoutMs, 5000)
        XCTAssertNil(config.listeners[1].tls)

        let crm = config.routes[0]
        XCTAssertEqual(crm.upstream.description, "https://crm.internal.example/api")
        XCTAssertEqual(crm.upstream.port, 443)
        XCTAssertEqual(crm.upstreamTLS, UpstreamTLSConfig(caBundle: dir + "internal-ca.pem",
                                                         clientCertificate: dir + "gw-client.pem",
                                                         clientKey: dir + "gw-client.key"))
        XCTAssertNil(config.routes[1].upstreamTLS, "no tls object: system trust store, no client certificate")
        XCTAssertTrue(config.routes[1].upstream.isHTTPS)
    }

    func testPathsResolveAgainstTheConfigDirectory() throws {
        let text = """
        {"identity": {"mode": "off"}, "listeners": [{"address": "127.0.0.1", "port": 0, "tls": {"certificate": "c.pem", "private_key": "/abs/k.pem"}}],
         "routes": [{"name": "r", "upstream": "https://h", "tls": {"ca_bundle": "ca/root.pem"}}]}
        """
        let config = try ConfigLoader.parse(bytes: Array(text.utf8), path: "/etc/gatehouse/gatehouse.json").get()
        XCTAssertEqual(config.listeners[0].tls?.certificate, "/etc/gatehouse/c.pem")
        XCTAssertEqual(config.listeners[0].tls?.privateKey, "/abs/k.pem")
        XCTAssertEqual(config.routes[0].upstreamTLS?.caBundle, "/etc/gatehouse/ca/root.pem")
    }

    func testUnknownTLSKeysAreNamed() throws {
        XCTAssertEqual(try errorLines("bad-tls-keys.json"), [
            "bad-tls-keys.json:4:16: unknown key \"cert\" in listener tls; expected one of: certificate, chain, client_certificates, handshake_timeout_ms, private_key",
            "bad-tls-keys.json:5:84: unknown key \"depth\" in listener tls client_certificates; expected one of: ca_bundle, mode",
            "bad-tls-keys.json:8:54: unknown key \"insecure_skip_verify\" in route tls; expected one of: ca_bundle, client_certificate, client_key",
        ])
    }

    func testBadTLSValuesAreLocated() throws {
        XCTAssertEqual(try errorLines("bad-tls-values.json"), [
            "bad-tls-values.json:3:65: missing required key \"private_key\" in listener tls",
            "bad-tls-values.json:3:82: \"certificate\" in listener tls must be a non-empty file path",
            "bad-tls-values.json:5:97: \"mode\" in listener tls client_certificates must be \"none\", \"optional\" or \"required\", got \"sometimes\"",
            "bad-tls-values.json:7:87: \"ca_bundle\" in listener tls client_certificates is required when \"mode\" is \"required\"",
            "bad-tls-values.json:8:40: \"handshake_timeout_ms\" in listener tls must be between 100 and 600000, got 10",
            "bad-tls-values.json:11:55: route \"tls\" applies only to an https:// upstream",
            "bad-tls-values.json:12:76: \"client_certificate\" and \"client_key\" in route tls must be given together",
        ])
    }
}
