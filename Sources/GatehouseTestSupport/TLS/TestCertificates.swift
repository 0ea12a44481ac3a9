import Foundation

/// TEST-ONLY certificates and keys, generated once per test run with the
/// `openssl` CLI into a fresh temporary directory. Nothing here is ever a
/// real credential: every key is created at test time and thrown away.
///
/// - `ca`: the test root; `otherCA`: an unrelated root (unknown CA cases)
/// - `server`: "localhost" and IP 127.0.0.1, signed by `ca`
/// - `expired`: like `server` but its validity ended yesterday
/// - `wrongName`: SAN "wrong.example" only
/// - `chained`: "localhost" signed by `intermediate` (which `ca` signed)
/// - `rsa-server`: like `server` with an RSA key (ECDHE-RSA / DHE-RSA suites)
/// - `client` (signed by `ca`) and `strangerClient` (signed by `otherCA`)
public struct TestCertificates: Sendable {
    public let directory: String

    public var caBundle: String { path("ca.pem") }
    public var otherCABundle: String { path("other-ca.pem") }
    public var intermediate: String { path("intermediate.pem") }
    public func pem(_ name: String) -> String { path("\(name).pem") }
    public func key(_ name: String) -> String { path("\(name).key") }
    public func path(_ file: String) -> String { directory + "/" + file }

    public static let shared = TestCertificates.generate()

    private static func generate() -> TestCertificates {
        let dir = NSTemporaryDirectory() + "gatehouse-tls-tests-\(getpid())-\(UUID().uuidString.prefix(8))"
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let certs = TestCertificates(directory: dir)
        // Keys and certificates live only as long as the test process.
        atexit { try? FileManager.default.removeItem(atPath: TestCertificates.shared.directory) }
        certs.makeRoot("ca", subject: "Gatehouse Test CA (test only)")
        certs.makeRoot("other-ca", subject: "Unrelated Test CA (test only)")
        let serverExt = "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n"
        certs.makeLeaf("server", cn: "localhost", issuer: "ca", ext: serverExt, days: 30)
        certs.makeLeaf("rsa-server", cn: "localhost", issuer: "ca", ext: serverExt, days: 30, keyType: "rsa:2048")
        certs.makeLeaf("expired", cn: "localhost", issuer: "ca", ext: serverExt, days: -1)
        certs.makeLeaf("wrong-name", cn: "wrong.example", issuer: "ca",
                       ext: "subjectAltName=DNS:wrong.example\nextendedKeyUsage=serverAuth\n", days: 30)
        certs.makeLeaf("intermediate", cn: "Gatehouse Test Intermediate (test only)", issuer: "ca",
                       ext: "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n", days: 30)
        certs.makeLeaf("chained", cn: "localhost", issuer: "intermediate", ext: serverExt, days: 30)
        let clientExt = "extendedKeyUsage=clientAuth\n"
        certs.makeLeaf("client", cn: "agent-7", issuer: "ca", ext: clientExt, days: 30)
        certs.makeLeaf("stranger-client", cn: "stranger", issuer: "other-ca", ext: clientExt, days: 30)
        return certs
    }

    private func makeRoot(_ name: String, subject: String) {
        openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                 "-keyout", key(name), "-out", pem(name), "-days", "30", "-subj", "/CN=\(subject)"])
    }

    private func makeLeaf(_ name: String, cn: String, issuer: String, ext: String, days: Int, keyType: String = "ec") {
        let csr = path("\(name).csr"), extFile = path("\(name).ext")
        try! ext.write(toFile: extFile, atomically: true, encoding: .utf8)
        let keyOptions = keyType == "ec" ? ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"] : ["-newkey", keyType]
        openssl(["req", "-new"] + keyOptions + ["-nodes", "-keyout", key(name), "-out", csr, "-subj", "/CN=\(cn)"])
        openssl(["x509", "-req", "-in", csr, "-CA", pem(issuer), "-CAkey", key(issuer), "-CAcreateserial",
                 "-days", "\(days)", "-out", pem(name), "-extfile", extFile])
    }

    private func openssl(_ arguments: [String]) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try! process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        precondition(process.terminationStatus == 0, "openssl \(arguments.joined(separator: " ")) failed: \(text)")
    }
}
