#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest
import GatehouseTestSupport
import GatewayConfig

final class UpstreamFailureTests: XCTestCase {
    func testStalledUpstreamGets504() throws {
        let release = DispatchSemaphore(value: 0)
        let gw = try GatewayFixture(handler: { _, _ in _ = release.wait(timeout: .now() + 5) },
                                    timeouts: TimeoutsConfig(upstreamResponseMs: 300))
        defer { release.signal(); gw.stop() }
        let start = Date()
        let r = try gw.exchange(get("/stall"))
        assertError(r, status: 504, code: "upstream_timeout")
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(start), 0.28)
        XCTAssertEqual(gw.upstream!.requests.count, 1)
    }

    func testUpstreamDownGets502() throws {
        let gw = try GatewayFixture(upstream: nil, upstreamPort: closedPort())
        defer { gw.stop() }
        let s = try gw.connect()
        defer { s.close() }
        try s.send(get("/down"))
        assertError(try TestHTTP.read(from: s, isResponse: true), status: 502, code: "upstream_connect_failed")
        // A GET has no body left unread: the client connection stays usable.
        try s.send(get("/down2"))
        assertError(try TestHTTP.read(from: s, isResponse: true), status: 502, code: "upstream_connect_failed")
    }

    func testManyPipelinedRequestsToADownUpstreamAreAnsweredInOrder() throws {
        // A refused connect fails synchronously inside forwarding; each answer
        // must not nest the next pipelined request on the stack.
        let gw = try GatewayFixture(upstream: nil, upstreamPort: closedPort())
        defer { gw.stop() }
        let s = try gw.connect()
        defer { s.close() }
        let count = 400
        try s.send((0..<count).map { get("/p\($0)") }.joined())
        for _ in 0..<count {
            assertError(try TestHTTP.read(from: s, isResponse: true), status: 502, code: "upstream_connect_failed")
        }
    }

    func testUpstreamConnectTimeoutGets503() throws {
        let raw = try RawListener(backlog: 0)
        defer { raw.close() }
        guard raw.fillBacklog() else {
            throw XCTSkip("could not fill the listen backlog on this kernel; connect timeout not reproducible")
        }
        let gw = try GatewayFixture(upstream: nil, upstreamPort: raw.port,
                                    timeouts: TimeoutsConfig(upstreamConnectMs: 300))
        defer { gw.stop() }
        let start = Date()
        assertError(try gw.exchange(get("/slow-connect")), status: 503, code: "upstream_connect_timeout")
        let elapsed = Date().timeIntervalSince(start)
        XCTAssertGreaterThanOrEqual(elapsed, 0.28)
        XCTAssertLessThan(elapsed, 3)
    }

    /// Reads a response that the gateway must cut off: either the read fails
    /// with a reset, or the message is incomplete. Returns the body bytes seen.
    private func readCutOff(_ s: BlockingSocket, file: StaticString = #filePath, line: UInt = #line) -> Int {
        do {
            guard let r = try TestHTTP.read(from: s, isResponse: true) else { return 0 }
            XCTAssertFalse(r.complete, "a cut-off upstream response must not look complete to the client", file: file, line: line)
            XCTAssertEqual(r.status, 200, file: file, line: line)
            return r.body.count
        } catch let e as TestIOError {
            XCTAssertEqual(e.errno, ECONNRESET, "\(e)", file: file, line: line)
            return -1
        } catch {
            XCTFail("\(error)", file: file, line: line)
            return -1
        }
    }

    func testUpstreamResetMidContentLengthBody() throws {
        let gw = try GatewayFixture(handler: { _, conn in
            try conn.sendRaw("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + String(repeating: "a", count: 100))
            usleep(100_000)
            conn.reset()
        })
        defer { gw.stop() }
        let s = try gw.connect()
        defer { s.close() }
        try s.send(get("/reset"))
        let got = readCutOff(s)
        XCTAssertLessThan(got, 1000)
    }

    func testUpstreamResetMidChunkedBody() throws {
        let gw = try GatewayFixture(handler: { _, conn in
            try conn.sendRaw("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n64\r\n" + String(repeating: "b", count: 100) + "\r\n")
            usleep(100_000)
            conn.reset()
        })
        defer { gw.stop() }
        let s = try gw.connect()
        defer { s.close() }
        try s.send(get("/reset-chunked"))
        _ = readCutOff(s)
    }

    func testUpstreamCleanCloseMidBodyIsAlsoCutOff() throws {
        let gw = try GatewayFixture(handler: { _, conn in
            try conn.sendRaw("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + String(repeating: "c", count: 100))
            usleep(50_000)
            conn.close()
        })
        defer { gw.stop() }
        let s = try gw.connect()
        defer { s.close() }
        try s.send(get("/fin"))
        XCTAssertLessThan(readCutOff(s), 1000)
    }

    func testTwoResponsesToOneRequestOnlyFirstDeliveredAndConnectionNotReused() throws {
        let first = AtomicCounter()
        let gw = try GatewayFixture(handler: { req, conn in
            if req.target == "/double" {
                first.add(1)
                try conn.sendRaw("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst"
                                 + "HTTP/1.1 200 OK\r\nContent-Length: 6\r\nX-Smuggled: 1\r\n\r\nsecond")
            } else {
                try StubUpstream.echo(req, conn)
            }
        })
        defer { gw.stop() }
        let s = try gw.connect()
        defer { s.close() }
        try s.send(get("/double"))
        let r1 = try XCTUnwrap(TestHTTP.read(from: s, isResponse: true))
        XCTAssertEqual(r1.status, 200)
        XCTAssertEqual(r1.bodyString, "first")
        XCTAssertFalse(readable(s, withinMs: 100), "nothing after the first response")
        try s.send(get("/fresh"))
        let r2 = try XCTUnwrap(TestHTTP.read(from: s, isResponse: true))
        XCTAssertEqual(r2.status, 200)
        XCTAssertNil(r2.header("x-smuggled"))
        XCTAssertTrue(r2.bodyString.contains("\"target\":\"/fresh\""), r2.bodyString)
        XCTAssertEqual(gw.upstream!.connectionCount, 2, "the polluted upstream connection was not reused")
        XCTAssertEqual(first.value, 1)
    }

    func testMalformedUpstreamResponsesGet502() throws {
        let bad = [
            "HTTTP/1.1 200 OK\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello",
            "HTTP/1.1 200 OK\r\nX-A: b\r\n folded\r\nContent-Length: 0\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            "HTTP/1.1 2000 OK\r\nContent-Length: 0\r\n\r\n",
        ]
        let gw = try GatewayFixture(handler: { req, conn in
            let i = Int(req.target.dropFirst()) ?? 0
            try conn.sendRaw(bad[i])
        })
        defer { gw.stop() }
        for i in bad.indices {
            let r = try gw.exchange(get("/\(i)"))
            assertError(r, status: 502, code: "upstream_malformed_response")
        }
        XCTAssertEqual(gw.upstream!.requests.count, bad.count)
    }

    func testMalformedChunkInUpstreamBodyCutsClientOff() throws {
        let gw = try GatewayFixture(handler: { _, conn in
            try conn.sendRaw("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\n")
        })
        defer { gw.stop() }
        let s = try gw.connect()
        defer { s.close() }
        try s.send(get("/badchunk"))
        _ = readCutOff(s)
    }
}
