import GatehouseTestSupport
import Foundation
import TLS
import XCTest

/// Loading PEM files: every error names the file and gives a reason.
final class TLSContextTests: XCTestCase {
    private var certs: TestCertificates { TestContexts.certs }

    private func serverError(_ files: TLSCertificateFiles, file: StaticString = #filePath, line: UInt = #line)
        -> TLSConfigurationError? {
        do {
            _ = try TLSContext(server: TLSServerConfiguration(certificate: files))
            XCTFail("context should not load", file: file, line: line)
            return nil
        } catch {
            return error
        }
    }

    func testMissingCertificateNamesTheFile() {
        let missing = certs.path("nope.pem")
        let error = serverError(TLSCertificateFiles(certificatePath: missing, privateKeyPath: certs.key("server")))
        XCTAssertEqual(error?.path, missing)
        XCTAssertTrue(error?.reason.contains("No such file") ?? false, "\(String(describing: error))")
    }

    func testMalformedCertificate() throws {
        let bad = certs.path("garbage.pem")
        try "not a certificate\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let error = serverError(TLSCertificateFiles(certificatePath: bad, privateKeyPath: certs.key("server")))
        XCTAssertEqual(error?.path, bad)
        XCTAssertTrue(error?.reason.hasPrefix("loading certificate: ") ?? false, "\(String(describing: error))")
        XCTAssertTrue(error?.reason.contains("no start line") ?? false, "\(String(describing: error))")
    }

    func testKeyThatDoesNotMatchCertificate() {
        let error = serverError(TLSCertificateFiles(certificatePath: certs.pem("server"), privateKeyPath: certs.key("client")))
        XCTAssertEqual(error?.path, certs.key("client"))
        XCTAssertTrue(error?.reason.contains("mismatch") ?? false, "\(String(describing: error))")
    }

    func testChainFileWithoutCertificates() throws {
        let empty = certs.path("empty-chain.pem")
        try "".write(toFile: empty, atomically: true, encoding: .utf8)
        let error = serverError(TLSCertificateFiles(certificatePath: certs.pem("chained"), privateKeyPath: certs.key("chained"),
                                                    chainPath: empty))
        XCTAssertEqual(error?.path, empty)
    }

    func testMissingCABundleNamesTheFile() {
        let missing = certs.path("no-ca.pem")
        XCTAssertThrowsError(try TLSContext(client: TLSClientConfiguration(trust: .caBundle(path: missing)))) { error in
            XCTAssertEqual((error as? TLSConfigurationError)?.path, missing)
        }
        let files = TLSCertificateFiles(certificatePath: certs.pem("server"), privateKeyPath: certs.key("server"))
        XCTAssertThrowsError(try TLSContext(server: TLSServerConfiguration(certificate: files,
                                                                           clientVerification: .required(caBundlePath: missing))))
    }

    func testErrorDescriptionStartsWithThePath() {
        let error = TLSConfigurationError(path: "/etc/gatehouse/tls.pem", reason: "cannot read: Permission denied")
        XCTAssertEqual(error.description, "/etc/gatehouse/tls.pem: cannot read: Permission denied")
    }

    func testCertificateSummaryForTheReloadLog() throws {
        let now = Int(Date().timeIntervalSince1970)
        let summary = try XCTUnwrap(try TestContexts.server().certificateSummary)
        XCTAssertEqual(summary.subject, "CN=localhost")
        XCTAssertEqual(Double(summary.notAfter - now), 30 * 86_400, accuracy: 3_600)
        let expired = try XCTUnwrap(try TestContexts.server("expired").certificateSummary)
        XCTAssertLessThan(expired.notAfter, now, "an expired certificate still loads; the summary shows it")
        XCTAssertEqual(try TestContexts.client(certificate: "client").certificateSummary?.subject, "CN=agent-7")
        XCTAssertNil(try TestContexts.client().certificateSummary)
    }
}
