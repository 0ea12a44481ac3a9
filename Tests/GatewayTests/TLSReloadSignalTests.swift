#if canImport(Glibc)
import Glibc
#endif
import Foundation
import GatehouseTestSupport
import XCTest

/// `kill -HUP` against the real daemon: a rotated certificate is served to
/// new connections, established ones keep working, and a broken file at
/// reload keeps the last good certificate.
final class TLSReloadSignalTests: XCTestCase {
    func testSIGHUPRotatesTheListenerCertificate() throws {
        guard let bin = GracefulDrainTests.binary() else { throw XCTSkip("gatehouse binary not found; build first") }
        let certs = TestCertificates.shared
        let stub = try StubUpstream()
        defer { stub.stop() }
        let dir = NSTemporaryDirectory() + "gatehouse-hup-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        /// Writes aside, then renames over: a reload never sees half a file.
        func install(_ name: String) throws {
            for (from, to) in [(certs.pem(name), "gw.pem"), (certs.key(name), "gw.key")] {
                try? FileManager.default.removeItem(atPath: dir + "/tmp")
                try FileManager.default.copyItem(atPath: from, toPath: dir + "/tmp")
                XCTAssertEqual(rename(dir + "/tmp", dir + "/" + to), 0)
            }
        }
        try install("server")
        let config = """
        {"loops": 1, "access_log": false,
         "identity": {"mode": "off"}, "listeners": [{"address": "127.0.0.1", "port": 0, "tls": {"certificate": "gw.pem", "private_key": "gw.key"}}],
         "routes": [{"name": "r", "upstream": "http://127.0.0.1:\(stub.port)"}]}
        """
        try config.write(toFile: dir + "/gatehouse.json", atomically: true, encoding: .utf8)
        let daemon = try CrashDaemon(binary: bin, config: URL(fileURLWithPath: dir + "/gatehouse.json"))
        defer { daemon.cleanup() }
        let port = try XCTUnwrap(daemon.listenPort(), daemon.stderrText)

        let before = try connectTLS(port: port)
        defer { before.socket.close() }
        XCTAssertEqual(before.tls.peerCertificateSubject, "CN=localhost")

        try install("wrong-name")
        kill(daemon.process.processIdentifier, SIGHUP)
        XCTAssertTrue(waitUntil(10) { daemon.stderrText.contains("TLS certificate reloaded") }, daemon.stderrText)
        let after = try connectTLS(port: port, serverName: "wrong.example")
        defer { after.socket.close() }
        XCTAssertEqual(after.tls.peerCertificateSubject, "CN=wrong.example")
        try before.write(get("/still-here"))
        XCTAssertTrue(try readResponse(before).contains("\"target\":\"/still-here\""))

        try "garbage".write(toFile: dir + "/gw.pem", atomically: true, encoding: .utf8)
        kill(daemon.process.processIdentifier, SIGHUP)
        XCTAssertTrue(waitUntil(10) { daemon.stderrText.contains("certificate reload failed") }, daemon.stderrText)
        let still = try connectTLS(port: port, serverName: "wrong.example")
        defer { still.socket.close() }
        XCTAssertEqual(still.tls.peerCertificateSubject, "CN=wrong.example")
        XCTAssertTrue(daemon.terminate(seconds: 10))
    }
}
