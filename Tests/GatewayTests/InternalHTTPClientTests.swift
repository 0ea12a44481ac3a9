#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Gateway
import GatehouseTestSupport
import TLS
import XCTest

/// The gateway's own client (OIDC discovery, JWKS, token endpoints):
/// verified TLS, strict parsing, bounded time and size, never on a proxy loop.
final class InternalHTTPClientTests: XCTestCase {
    private var certs: TestCertificates { TestCertificates.shared }

    private func fetch(_ client: InternalHTTPClient, _ request: HTTPClientRequest,
                       tls: TLSContext? = nil) -> Result<HTTPClientResponse, HTTPClientError>? {
        let box = Locked<Result<HTTPClientResponse, HTTPClientError>?>(nil)
        let done = DispatchSemaphore(value: 0)
        client.send(request, tls: tls) { result in
            box.set(result)
            done.signal()
        }
        XCTAssertEqual(done.wait(timeout: .now() + 15), .success, "completion called")
        return box.get()
    }

    func testHTTPSWithAPrivateCAAndConcurrentRequests() throws {
        let nginx = try TestNginx(certificate: certs.pem("server"), key: certs.key("server"))
        defer { nginx.stop() }
        let client = try InternalHTTPClient()
        defer { client.shutdown() }
        let tls = try TLSContext(client: TLSClientConfiguration(trust: .caBundle(path: certs.caBundle)))
        let results = Locked<[Int]>([])
        let group = DispatchGroup()
        for i in 0..<20 {
            group.enter()
            client.send(HTTPClientRequest(url: "https://127.0.0.1:\(nginx.port)/.well-known/jwks.json?n=\(i)"),
                        tls: tls) { result in
                if case .success(let r) = result, String(decoding: r.body, as: UTF8.self).hasPrefix("nginx says hi") {
                    results.set(results.get() + [r.status])
                }
                group.leave()
            }
        }
        XCTAssertEqual(group.wait(timeout: .now() + 20), .success)
        XCTAssertEqual(results.get(), Array(repeating: 200, count: 20))
    }

    func testSystemTrustRejectsThePrivateCA() throws {
        let nginx = try TestNginx(certificate: certs.pem("server"), key: certs.key("server"))
        defer { nginx.stop() }
        let client = try InternalHTTPClient()
        defer { client.shutdown() }
        guard case .failure(let error) = fetch(client, HTTPClientRequest(url: "https://127.0.0.1:\(nginx.port)/")) else {
            return XCTFail("an unknown CA must fail")
        }
        guard case .tls(let tlsError) = error.kind else { return XCTFail("\(error)") }
        XCTAssertEqual(tlsError.code, "verify_failed_unknown_ca")
    }

    func testPlainHTTPPostWithBodyAndHeaders() throws {
        let stub = try StubUpstream()  // echoes method, target and body size as JSON
        defer { stub.stop() }
        let client = try InternalHTTPClient()
        defer { client.shutdown() }
        let request = HTTPClientRequest(method: "POST", url: "http://127.0.0.1:\(stub.port)/token?x=1",
                                        headers: [("Content-Type", "application/x-www-form-urlencoded")],
                                        body: Array("grant_type=client_credentials".utf8))
        guard case .success(let response) = fetch(client, request) else { return XCTFail() }
        XCTAssertEqual(response.status, 200)
        let text = String(decoding: response.body, as: UTF8.self)
        XCTAssertTrue(text.contains("\"target\":\"/token?x=1\""), text)
        XCTAssertTrue(text.contains("\"body_bytes\":29"), text)
        XCTAssertEqual(stub.requests.last?.header("content-type"), "application/x-www-form-urlencoded")
    }

    func testHostNameResolvedOffTheLoop() throws {
        // "localhost" goes through the resolver thread; if it yields ::1
        // first (where nothing listens), the next address is tried.
        let stub = try StubUpstream()
        defer { stub.stop() }
        let client = try InternalHTTPClient()
        defer { client.shutdown() }
        guard case .success(let response) = fetch(client, HTTPClientRequest(url: "http://localhost:\(stub.port)/jwks"))
        else { return XCTFail("localhost did not resolve to a reachable address") }
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(stub.requests.last?.header("host"), "localhost:\(stub.port)")
    }

    func testTimeoutTooLargeAndBadURL() throws {
        let client = try InternalHTTPClient()
        defer { client.shutdown() }
        let (listener, port) = try TestPorts.listen()  // accepts into the backlog, never answers
        defer { close(listener) }
        let started = Date()
        guard case .failure(let slow) = fetch(client, HTTPClientRequest(url: "http://127.0.0.1:\(port)/", timeoutMs: 300))
        else { return XCTFail() }
        XCTAssertEqual(slow.kind, .timeout)
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)

        let big = try StubUpstream { _, conn in
            try conn.respond(status: 200, body: Array(repeating: UInt8(ascii: "x"), count: 100_000))
        }
        defer { big.stop() }
        guard case .failure(let tooLarge) = fetch(client, HTTPClientRequest(url: "http://127.0.0.1:\(big.port)/",
                                                                            maxResponseBytes: 10_000))
        else { return XCTFail() }
        XCTAssertEqual(tooLarge.kind, .responseTooLarge)

        guard case .failure(let bad) = fetch(client, HTTPClientRequest(url: "ftp://example.com/")) else { return XCTFail() }
        XCTAssertEqual(bad.kind, .invalidURL)
        guard case .failure(let refused) = fetch(client, HTTPClientRequest(url: "http://127.0.0.1:\(try TestPorts.free())/"))
        else { return XCTFail() }
        XCTAssertEqual(refused.kind, .connectFailed)
    }
}
