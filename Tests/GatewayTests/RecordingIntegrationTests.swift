#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest
@testable import Gateway
import GatewayConfig
import GatehouseTestSupport
import Policy
@testable import Recording
import Synchronization

/// The proxy with recording on: strict ordering (the record is committed
/// before the upstream sees the request), outcomes as the agent saw them,
/// denied exchanges recorded, redaction on disk, async mode, and refusal
/// with 503 audit_unavailable when the store cannot write.
final class RecordingIntegrationTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("gh-rec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if let dir { _ = system("chattr -i '\(dir.path)'/* 2>/dev/null") ; try? FileManager.default.removeItem(at: dir) }
    }

    private func system(_ cmd: String) -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", cmd]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return -1 }
        p.waitUntilExit()
        return p.terminationStatus
    }

    private func startGateway(upstream: StubUpstream, durability: RecordingDurability = .strict,
                              stages: [any RequestStage] = []) throws -> (GatewayServer, Int, String) {
        let dbPath = dir.appendingPathComponent("audit.db").path
        let route = RouteConfig(name: "rec", upstream: UpstreamURL(host: "127.0.0.1", port: upstream.port))
        let cfg = GatehouseConfig(loops: 1, listeners: [ListenerConfig(name: "t", address: "127.0.0.1", port: 0)],
                                  routes: [route], accessLog: false,
                                  recording: RecordingConfig(path: dbPath, durability: durability))
        let server = try GatewayServer(config: cfg, stages: stages)
        try server.start()
        return (server, server.listenAddresses[0].port, dbPath)
    }

    private func allExchanges(_ db: String) throws -> [RecordedExchange] {
        let reader = try RecordingReader(path: db)
        var out: [RecordedExchange] = []
        try reader.forEachExchange(ExchangeQuery()) { out.append($0) }
        return out
    }

    func testStrictStartIsCommittedBeforeTheUpstreamSeesTheRequest() throws {
        let dbBox = Mutex<String?>(nil)
        let missing = Mutex<[String]>([])
        let seen = Mutex<Int>(0)
        let upstream = try StubUpstream { request, conn in
            // At the moment the upstream sees the request, its record must be on disk.
            if let db = dbBox.withLock({ $0 }), let id = request.header("x-request-id") {
                let found = (try? RecordingReader(path: db)).flatMap { reader -> Bool? in
                    var hit = false
                    try? reader.forEachExchange(ExchangeQuery()) { if $0.requestID == id { hit = true } }
                    return hit
                } ?? false
                if !found { missing.withLock { $0.append(id) } }
                seen.withLock { $0 += 1 }
            }
            try conn.respond(status: 200, body: Array("ok".utf8))
        }
        defer { upstream.stop() }
        let (server, port, db) = try startGateway(upstream: upstream)
        dbBox.withLock { $0 = db }
        defer { server.drain(); server.waitUntilStopped() }

        let sock = try BlockingSocket.connect(port: port)
        defer { sock.close() }
        for i in 0..<20 {
            try sock.send("GET /item/\(i) HTTP/1.1\r\nHost: api.test\r\nAuthorization: Bearer SECRET-AGENT-TOKEN-123\r\n\r\n")
            let r = try XCTUnwrap(try TestHTTP.read(from: sock, isResponse: true))
            XCTAssertEqual(r.status, 200)
        }
        XCTAssertEqual(seen.withLock { $0 }, 20)
        XCTAssertEqual(missing.withLock { $0 }, [], "the upstream saw requests whose record was not yet committed")

        // Every outcome is committed before the last byte: all 20 are completed now.
        let rows = try allExchanges(db)
        XCTAssertEqual(rows.count, 20)
        XCTAssertEqual(Set(rows.map { $0.outcome }), ["completed"])
        XCTAssertEqual(Set(rows.compactMap { $0.responseStatus }), [200])
        XCTAssertEqual(rows.first { $0.target == "/item/3" }?.responseBody, Array("ok".utf8))
    }

    /// Strict mode withholds what is left of the response, not only its
    /// last byte, until the outcome is committed: with the writer stalled,
    /// the client receives nothing; once it commits, the whole response.
    func testStrictResponseIsWithheldUntilItsOutcomeIsCommitted() throws {
        let stalled = Latch()
        let gate = Latch()
        let recorderBox = Mutex<Recorder?>(nil)
        let body = [UInt8](repeating: UInt8(ascii: "x"), count: 10_000)
        let upstream = try StubUpstream { _, conn in
            // The start record is committed (the request reached us): stall
            // the writer before answering, so the outcome cannot commit.
            if let recorder = recorderBox.withLock({ $0 }) {
                Thread.detachNewThread {
                    _ = recorder.onWriter(timeoutMs: 10_000) { _ in stalled.open(); _ = gate.wait(timeoutMs: 10_000) }
                }
                XCTAssertTrue(stalled.wait(timeoutMs: 5_000), "the writer did not stall")
            }
            try conn.respond(status: 200, body: body)
        }
        defer { upstream.stop() }
        let (server, port, _) = try startGateway(upstream: upstream)
        recorderBox.withLock { $0 = server.shared.recorder }
        defer { gate.open(); server.drain(); server.waitUntilStopped() }

        let sock = try BlockingSocket.connect(port: port)
        defer { sock.close() }
        try sock.send("GET /held HTTP/1.1\r\nHost: api.test\r\n\r\n")
        XCTAssertTrue(stalled.wait(timeoutMs: 5_000))
        var pfd = pollfd(fd: sock.fd, events: Int16(POLLIN), revents: 0)
        XCTAssertEqual(poll(&pfd, 1, 500), 0, "a byte of the response reached the client before its outcome was committed")
        gate.open()
        let r = try XCTUnwrap(try TestHTTP.read(from: sock, isResponse: true))
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(r.body, body)
    }

    /// Pipelined requests under strict recording: the connection keeps
    /// reading while it waits for each commit, and answers them in order,
    /// each recorded.
    func testPipelinedRequestsAreAnsweredInOrderWhileCommitsAreAwaited() throws {
        let upstream = try StubUpstream { request, conn in
            try conn.respond(status: 200, body: Array(request.target.utf8))
        }
        defer { upstream.stop() }
        let (server, port, db) = try startGateway(upstream: upstream)
        let sock = try BlockingSocket.connect(port: port)
        var batch = ""
        for i in 0..<5 { batch += "GET /p/\(i) HTTP/1.1\r\nHost: api.test\r\n\r\n" }
        try sock.send(batch)
        for i in 0..<5 {
            let r = try XCTUnwrap(try TestHTTP.read(from: sock, isResponse: true))
            XCTAssertEqual(r.status, 200)
            XCTAssertEqual(r.bodyString, "/p/\(i)")
        }
        sock.close()
        server.drain()
        server.waitUntilStopped()
        let rows = try allExchanges(db)
        XCTAssertEqual(Set(rows.map(\.target)), Set((0..<5).map { "/p/\($0)" }))
        XCTAssertEqual(Set(rows.map(\.outcome)), ["completed"])
    }

    /// The request side's decisions: the policy's rule records, then the
    /// request masking with the labels it masked (only when it ran).
    func testRequestDecisionsListTheRulesThenTheRequestMasking() {
        let rules = [RuleRecord(ruleID: "mask-pii", action: "mask", detectors: [], dryRun: false, decided: false),
                     RuleRecord(ruleID: nil, action: "allow", detectors: [], dryRun: false, decided: true)]
        XCTAssertEqual(ExchangeRecording.requestDecisions(rules, masked: ["credit_card", "email"]), [
            RecordedDecision(stage: "policy", ruleID: "mask-pii", action: "mask"),
            RecordedDecision(stage: "policy", action: "allow"),
            RecordedDecision(stage: "request_masking", action: "mask", detectors: ["credit_card", "email"]),
        ])
        XCTAssertEqual(ExchangeRecording.requestDecisions(rules, masked: nil).map(\.stage), ["policy", "policy"])
    }

    func testDeniedExchangeIsRecordedAndSecretsNeverReachTheDatabase() throws {
        let upstream = try StubUpstream()
        defer { upstream.stop() }
        let (server, port, db) = try startGateway(upstream: upstream, stages: [DenyByHeaderStage(header: "x-deny")])
        let s = try BlockingSocket.connect(port: port)
        try s.send("GET /secret HTTP/1.1\r\nHost: api.test\r\nX-Deny: 1\r\nCookie: session=COOKIE-SECRET-456\r\n"
                   + "Authorization: Bearer SECRET-AGENT-TOKEN-789\r\n\r\n")
        let r = try XCTUnwrap(try TestHTTP.read(from: s, isResponse: true))
        XCTAssertEqual(r.status, 403)
        s.close()
        server.drain()
        server.waitUntilStopped()
        XCTAssertEqual(upstream.requests.count, 0)

        let rows = try allExchanges(db)
        XCTAssertEqual(rows.count, 1)
        XCTAssertEqual(rows.first?.outcome, "denied")
        XCTAssertEqual(rows.first?.responseStatus, 403)
        XCTAssertEqual(rows.first?.errorCode, "denied_by_test_stage")

        // Grep the database and its WAL byte for byte.
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
            let bytes = try Data(contentsOf: dir.appendingPathComponent(name))
            for secret in ["SECRET-AGENT-TOKEN-789", "COOKIE-SECRET-456"] {
                XCTAssertNil(bytes.range(of: Data(secret.utf8)), "\(secret) found in \(name)")
            }
        }
    }

    func testRequestsRefusedBeforeRoutingAreRecordedToo() throws {
        let upstream = try StubUpstream()
        defer { upstream.stop() }
        let (server, port, db) = try startGateway(upstream: upstream)
        let s = try BlockingSocket.connect(port: port)
        try s.send("GET /x HTTP/1.1\r\nHost: a.test\r\nHost: b.test\r\n\r\n")
        let r = try XCTUnwrap(try TestHTTP.read(from: s, isResponse: true))
        XCTAssertEqual(r.status, 400)
        s.close()
        server.drain()
        server.waitUntilStopped()
        let rows = try allExchanges(db)
        XCTAssertEqual(rows.count, 1)
        XCTAssertEqual(rows.first?.errorCode, "duplicate_host")
        XCTAssertEqual(rows.first?.responseStatus, 400)
        XCTAssertEqual(rows.first?.route, "-")
        XCTAssertEqual(upstream.requests.count, 0)
    }

    func testAsyncModeForwardsAndRecords() throws {
        let upstream = try StubUpstream()
        defer { upstream.stop() }
        let (server, port, db) = try startGateway(upstream: upstream, durability: .async)
        for i in 0..<5 {
            let s = try BlockingSocket.connect(port: port)
            try s.send("POST /a/\(i) HTTP/1.1\r\nHost: api.test\r\nContent-Length: 5\r\n\r\nhello")
            let r = try XCTUnwrap(try TestHTTP.read(from: s, isResponse: true))
            XCTAssertEqual(r.status, 200)
            s.close()
        }
        server.drain()
        server.waitUntilStopped()  // closes the recorder: the async queue is drained
        let rows = try allExchanges(db)
        XCTAssertEqual(rows.count, 5)
        XCTAssertEqual(Set(rows.map { $0.durability }), ["async"])
    }

    /// Reads the exchanges every 20 ms, for at most 5 s, until `done` holds
    /// for them (the writer is on its own thread); returns the last read.
    private func waitForExchanges(_ db: String, until done: ([RecordedExchange]) -> Bool) -> [RecordedExchange] {
        let deadline = Date().addingTimeInterval(5)
        var rows = (try? allExchanges(db)) ?? []
        while !done(rows) && Date() < deadline {
            usleep(20_000)
            rows = (try? allExchanges(db)) ?? []
        }
        return rows
    }

    /// The record kinds (`start`, `outcome`, `complete`) of one request ID, in the order written.
    private func recordKinds(_ db: String, requestID: String) throws -> [String] {
        let conn = try Database(path: db, mode: .readOnly)
        let q = try conn.prepare("SELECT kind FROM exchange_records WHERE request_id = ?1 ORDER BY block_id, position")
        try q.bind(1, requestID)
        var kinds: [String] = []
        while try q.step() { kinds.append(q.text(0) ?? "?") }
        return kinds
    }

    /// Exchanges that end within the hold (5 ms) are one `complete` record.
    /// On a loaded machine one may take longer and be a `start` then an
    /// `outcome`; each must be one or the other, and on a warm keep-alive
    /// connection (about 0.2 ms an exchange) most are `complete`.
    func testAsyncExchangesShorterThanTheHoldAreOneCompleteRecord() throws {
        let upstream = try StubUpstream()
        defer { upstream.stop() }
        let (server, port, db) = try startGateway(upstream: upstream, durability: .async)
        let s = try BlockingSocket.connect(port: port)
        for i in 0..<20 {
            try s.send("POST /short/\(i) HTTP/1.1\r\nHost: api.test\r\nContent-Length: 5\r\n\r\nhello")
            XCTAssertEqual(try XCTUnwrap(try TestHTTP.read(from: s, isResponse: true)).status, 200)
        }
        s.close()
        server.drain()
        server.waitUntilStopped()
        let rows = try allExchanges(db)
        XCTAssertEqual(rows.count, 20)
        var complete = 0
        for row in rows {
            let kinds = try recordKinds(db, requestID: row.requestID)
            XCTAssertTrue(kinds == ["complete"] || kinds == ["start", "outcome"], "\(row.target): \(kinds)")
            if kinds == ["complete"] { complete += 1 }
            XCTAssertEqual(row.outcome, "completed")
            XCTAssertEqual(String(decoding: row.requestBody, as: UTF8.self), "hello")
        }
        XCTAssertGreaterThan(complete, 0, "no exchange was recorded as one complete record")
    }

    /// A streamed body the exchange ended before forwarding in full is
    /// stored as truncated, not as if it were the whole body. (Async: a
    /// strict route would read this short body ahead and forward nothing.)
    func testStreamedBodyCutShortIsRecordedTruncated() throws {
        let upstream = try StubUpstream()
        defer { upstream.stop() }
        let (server, port, db) = try startGateway(upstream: upstream, durability: .async)
        let s = try BlockingSocket.connect(port: port)
        try s.send("POST /cut HTTP/1.1\r\nHost: api.test\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcde\r\n")
        let deadline = Date().addingTimeInterval(5)
        while upstream.connectionCount == 0 && Date() < deadline { usleep(10_000) }
        usleep(50_000)
        s.close()
        _ = waitForExchanges(db) { ($0.first?.outcome ?? "in_flight") != "in_flight" }
        server.drain()
        server.waitUntilStopped()
        let row = try XCTUnwrap(try allExchanges(db).first)
        XCTAssertEqual(row.outcome, "abandoned")
        XCTAssertEqual(String(decoding: row.requestBody, as: UTF8.self), "abcde")
        XCTAssertTrue(row.requestBodyTruncated, "an incomplete body must not look whole")
    }

    /// Strict: a body no stage asked for, up to 64 KiB, is read in full
    /// first (`Content-Length` or chunked), so the start record committed
    /// before forwarding holds it. A larger one is forwarded as it arrives,
    /// and the outcome record holds it, as forwarded.
    func testStrictRequestBodiesAreRecordedAsForwarded() throws {
        let dbBox = Mutex<String?>(nil)
        let seenAtForward = Mutex<[String: String]>([:])
        let upstream = try StubUpstream { request, conn in
            if let db = dbBox.withLock({ $0 }), let id = request.header("x-request-id") {
                var recorded = "<no record>"
                try? RecordingReader(path: db).forEachExchange(ExchangeQuery()) {
                    if $0.requestID == id { recorded = String(decoding: $0.requestBody, as: UTF8.self) }
                }
                seenAtForward.withLock { $0[request.target] = recorded }
            }
            try conn.respond(status: 200, body: Array("ok".utf8))
        }
        defer { upstream.stop() }
        let (server, port, db) = try startGateway(upstream: upstream)
        dbBox.withLock { $0 = db }
        let s = try BlockingSocket.connect(port: port)
        try s.send("POST /cl HTTP/1.1\r\nHost: api.test\r\nContent-Length: 11\r\n\r\nhello")
        usleep(50_000)  // the rest of the body arrives later: nothing may reach the upstream meanwhile
        XCTAssertEqual(upstream.connectionCount, 0, "the upstream was contacted before the body was complete and recorded")
        try s.send(" world")
        XCTAssertEqual(try XCTUnwrap(try TestHTTP.read(from: s, isResponse: true)).status, 200)
        // In two pieces, the first ending inside a chunk-size line: the look
        // ahead resumes where it stopped (checked below: at forwarding, the
        // committed start holds the whole body).
        try s.send("POST /chunked HTTP/1.1\r\nHost: api.test\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcde\r\n3\r")
        usleep(50_000)
        try s.send("\nfgh\r\n0\r\n\r\n")
        XCTAssertEqual(try XCTUnwrap(try TestHTTP.read(from: s, isResponse: true)).status, 200)
        // Over the read-ahead bound: streamed, and held by the outcome record.
        let big = String(repeating: "x", count: 100 * 1024)
        try s.send("POST /big HTTP/1.1\r\nHost: api.test\r\nContent-Length: \(big.utf8.count)\r\n\r\n" + big)
        XCTAssertEqual(try XCTUnwrap(try TestHTTP.read(from: s, isResponse: true)).status, 200)
        let tenKiB = String(repeating: "y", count: 10 * 1024)
        try s.send("POST /bigchunked HTTP/1.1\r\nHost: api.test\r\nTransfer-Encoding: chunked\r\n\r\n"
                   + String(repeating: "2800\r\n\(tenKiB)\r\n", count: 10) + "0\r\n\r\n")
        XCTAssertEqual(try XCTUnwrap(try TestHTTP.read(from: s, isResponse: true)).status, 200)
        s.close()
        server.drain()
        server.waitUntilStopped()
        XCTAssertEqual(seenAtForward.withLock { $0["/cl"] }, "hello world", "the committed start must hold the body")
        XCTAssertEqual(seenAtForward.withLock { $0["/big"] }, "", "a body over the read-ahead bound is streamed")
        XCTAssertEqual(seenAtForward.withLock { $0["/chunked"] }, "abcdefgh", "a short chunked body is read ahead too")
        XCTAssertEqual(seenAtForward.withLock { $0["/bigchunked"] }, "", "a long chunked body is streamed")
        let rows = try allExchanges(db)
        let byTarget = Dictionary(rows.map { ($0.target, $0) }, uniquingKeysWith: { a, _ in a })
        let cl = try XCTUnwrap(byTarget["/cl"])
        XCTAssertEqual(String(decoding: cl.requestBody, as: UTF8.self), "hello world")
        XCTAssertEqual(cl.requestBodySize, 11)
        XCTAssertFalse(cl.requestBodyTruncated)
        XCTAssertEqual(upstream.requests.first { $0.target == "/cl" }.map { String(decoding: $0.body, as: UTF8.self) }, "hello world")
        let chunked = try XCTUnwrap(byTarget["/chunked"])
        XCTAssertEqual(String(decoding: chunked.requestBody, as: UTF8.self), "abcdefgh", "the payload, not the chunk framing")
        XCTAssertEqual(chunked.requestBodySize, 8)
        XCTAssertEqual(try recordKinds(db, requestID: chunked.requestID), ["start", "outcome"])
        for target in ["/big", "/bigchunked"] {
            let row = try XCTUnwrap(byTarget[target])
            XCTAssertEqual(row.requestBodySize, 100 * 1024, target)
            XCTAssertEqual(row.requestBody.count, 100 * 1024, target)
            XCTAssertFalse(row.requestBodyTruncated, target)
        }
        XCTAssertEqual(upstream.requests.first { $0.target == "/bigchunked" }?.body.count, 100 * 1024)
        // The SQL views read a body from the outcome record too.
        let conn = try Database(path: db, mode: .readOnly)
        XCTAssertEqual(try conn.scalarInt("SELECT request_body_size FROM exchanges WHERE target = '/bigchunked'"), 100 * 1024)
    }

    func testStrictMalformedChunkedBodyReadAheadIsRefusedAndNothingForwarded() throws {
        let upstream = try StubUpstream()
        defer { upstream.stop() }
        let (server, port, db) = try startGateway(upstream: upstream)
        let s = try BlockingSocket.connect(port: port)
        try s.send("POST /bad HTTP/1.1\r\nHost: api.test\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n")
        let r = try XCTUnwrap(try TestHTTP.read(from: s, isResponse: true))
        XCTAssertEqual(r.status, 400)
        s.close()
        server.drain()
        server.waitUntilStopped()
        XCTAssertEqual(upstream.connectionCount, 0)
        XCTAssertEqual(try allExchanges(db).first?.responseStatus, 400)
    }

    func testStrictClientLeavingWhileItsBodyIsReadIsRecordedAbandonedAndNothingForwarded() throws {
        let upstream = try StubUpstream()
        defer { upstream.stop() }
        let (server, port, db) = try startGateway(upstream: upstream)
        let s = try BlockingSocket.connect(port: port)
        try s.send("POST /partial HTTP/1.1\r\nHost: api.test\r\nContent-Length: 11\r\n\r\nhello")
        usleep(50_000)
        s.close()
        _ = waitForExchanges(db) { !$0.isEmpty }
        server.drain()
        server.waitUntilStopped()
        let rows = try allExchanges(db)
        XCTAssertEqual(rows.count, 1)
        XCTAssertEqual(rows.first?.outcome, "abandoned")
        XCTAssertEqual(upstream.requests.count, 0)
    }

    func testAsyncExchangeOutlivingTheHoldIsRecordedInFlightThenFinished() throws {
        let release = DispatchSemaphore(value: 0)
        let upstream = try StubUpstream { _, conn in
            _ = release.wait(timeout: .now() + 10)
            try conn.respond(status: 200, body: Array("late".utf8))
        }
        defer { upstream.stop() }
        let (server, port, db) = try startGateway(upstream: upstream, durability: .async)
        let s = try BlockingSocket.connect(port: port)
        try s.send("GET /slow HTTP/1.1\r\nHost: api.test\r\n\r\n")
        // While the upstream holds the request, its start reaches the database on its own.
        let inFlight = waitForExchanges(db) { $0.contains { $0.target == "/slow" } }.first { $0.target == "/slow" }
        release.signal()
        let found = try XCTUnwrap(inFlight, "the held start was never written while the exchange was in flight")
        XCTAssertEqual(found.outcome, "in_flight")
        let r = try XCTUnwrap(try TestHTTP.read(from: s, isResponse: true))
        XCTAssertEqual(r.status, 200)
        s.close()
        server.drain()
        server.waitUntilStopped()
        XCTAssertEqual(try recordKinds(db, requestID: found.requestID), ["start", "outcome"])
        XCTAssertEqual(try allExchanges(db).first?.outcome, "completed")
    }

    func testStoreThatCannotWriteRefusesWith503AndForwardsNothing() throws {
        guard system("command -v chattr") == 0 else { throw XCTSkip("chattr not available") }
        let upstream = try StubUpstream()
        defer { upstream.stop() }
        let (server, port, db) = try startGateway(upstream: upstream)
        defer { server.drain(); server.waitUntilStopped() }
        // One normal exchange so the files exist, then make them immutable.
        XCTAssertEqual(try exchange(port, "/before")?.status, 200)
        guard system("chattr +i '\(db)' '\(db)-wal' 2>/dev/null") == 0 else {
            throw XCTSkip("chattr +i not permitted here (needs root and a supporting filesystem)")
        }
        let before = upstream.requests.count
        let refused = try XCTUnwrap(try exchange(port, "/during"))
        XCTAssertEqual(refused.status, 503)
        XCTAssertTrue(refused.bodyString.contains("\"audit_unavailable\""), refused.bodyString)
        XCTAssertEqual(upstream.requests.count, before, "nothing may be forwarded while the store cannot write")

        // Recovers when the store can write again.
        XCTAssertEqual(system("chattr -i '\(db)' '\(db)-wal'"), 0)
        var recovered = false
        for _ in 0..<50 where !recovered {
            if try exchange(port, "/after")?.status == 200 { recovered = true } else { usleep(100_000) }
        }
        XCTAssertTrue(recovered)
    }

    private func exchange(_ port: Int, _ path: String) throws -> TestMessage? {
        let s = try BlockingSocket.connect(port: port)
        defer { s.close() }
        try s.send("GET \(path) HTTP/1.1\r\nHost: api.test\r\n\r\n")
        return try TestHTTP.read(from: s, isResponse: true)
    }
}
