import Foundation
import XCTest
import Gateway
import GatewayConfig
import GatehouseTestSupport
import Recording

/// Response masking on real sockets: a policy with response masks on route
/// `masked` (paths under /m/), none on route `plain` (everything else).
/// One chunk of a chunked body.
private func chunk(_ s: String) -> String { String(s.utf8.count, radix: 16) + "\r\n" + s + "\r\n" }

final class ResponseMaskingGatewayTests: XCTestCase {
    static let policy = """
    {
      "route_defaults": {"*": "allow"},
      "rules": [
        {"id": "mask-pii", "match": {"routes": ["masked"]},
         "action": {"mask": {"detectors": ["credit_card", "email", "us_ssn"], "strategy": "redact", "direction": "response"}}}
      ]
    }
    """

    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("gh-rmask-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Self.policy.write(to: dir.appendingPathComponent("10-mask.json"), atomically: true, encoding: .utf8)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    /// Starts a gateway in front of `upstream` and runs `body` with its port.
    private func withGateway(_ upstream: StubUpstream, _ body: (Int) throws -> Void) throws {
        let target = UpstreamURL(host: "127.0.0.1", port: upstream.port)
        let routes = [RouteConfig(name: "masked", pathPrefix: "/m/", upstream: target),
                      RouteConfig(name: "plain", upstream: target)]
        let config = GatehouseConfig(loops: 1, listeners: [ListenerConfig(name: "l", address: "127.0.0.1", port: 0)],
                                     routes: routes, accessLog: false, policyDirectory: dir.path)
        let server = try GatewayServer(config: config)
        try server.start()
        defer { server.drain(); server.waitUntilStopped() }
        try body(server.listenAddresses[0].port)
    }

    private func get(_ port: Int, _ path: String) throws -> TestMessage {
        let s = try BlockingSocket.connect(port: port)
        defer { s.close() }
        try s.send("GET \(path) HTTP/1.1\r\nHost: a\r\nAccept-Encoding: gzip\r\n\r\n")
        return try XCTUnwrap(try TestHTTP.read(from: s, isResponse: true))
    }

    func testJSONResponseIsMaskedWithCorrectLengthAndNoETag() throws {
        let body = #"{"customer":"bob","card":"4111-1111-1111-1111","contact":"bob\u0040example.com","n":1}"#
        let upstream = try StubUpstream { _, conn in
            try conn.respond(status: 200, headers: [("Content-Type", "application/json"), ("ETag", "\"v1\""),
                                                    ("Content-MD5", "abc")], body: Array(body.utf8))
        }
        defer { upstream.stop() }
        try withGateway(upstream) { port in
            let r = try get(port, "/m/customer")
            XCTAssertEqual(r.status, 200)
            XCTAssertEqual(r.bodyString, #"{"customer":"bob","card":"[REDACTED:credit_card]","contact":"[REDACTED:email]","n":1}"#)
            XCTAssertEqual(r.header("content-length"), String(r.body.count))
            XCTAssertNil(r.header("etag"))
            XCTAssertNil(r.header("content-md5"))
            XCTAssertEqual(r.header("content-type"), "application/json")
        }
        // The upstream was asked for an unencoded body.
        XCTAssertEqual(upstream.requests.first?.header("accept-encoding"), "identity")
    }

    func testChunkedResponseWithSecretSplitAcrossChunks() throws {
        let upstream = try StubUpstream { _, conn in
            try conn.sendRaw("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n")
            try conn.sendRaw(chunk("ssn 536-2"))
            usleep(50_000)
            try conn.sendRaw(chunk("2-8901, card 4111 1111 "))
            usleep(50_000)
            try conn.sendRaw(chunk("1111 1111 done") + "0\r\n\r\n")
        }
        defer { upstream.stop() }
        try withGateway(upstream) { port in
            let r = try get(port, "/m/text")
            XCTAssertEqual(r.status, 200)
            XCTAssertTrue(r.complete)
            XCTAssertTrue(r.chunked)
            XCTAssertEqual(r.bodyString, "ssn [REDACTED:us_ssn], card [REDACTED:credit_card] done")
        }
    }

    func testSSEStreamWithEventSplitSecret() throws {
        let events = [#"{"choices":[{"delta":{"content":"mail me at ali"}}]}"#,
                      #"{"choices":[{"delta":{"content":"ce@example.com please"}}]}"#]
        let upstream = try StubUpstream { _, conn in
            try conn.sendRaw("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n")
            for e in events {
                try conn.sendRaw(chunk("event: delta\ndata: \(e)\n\n"))
                usleep(30_000)
            }
            try conn.sendRaw(chunk("data: [DONE]\n\n") + "0\r\n\r\n")
        }
        defer { upstream.stop() }
        try withGateway(upstream) { port in
            let r = try get(port, "/m/stream")
            XCTAssertEqual(r.status, 200)
            XCTAssertTrue(r.complete)
            XCTAssertEqual(r.header("content-type"), "text/event-stream")
            XCTAssertEqual(r.bodyString, "event: delta\ndata: {\"choices\":[{\"delta\":{\"content\":\"mail me at [REDACTED:email]\"}}]}\n\n"
                + "event: delta\ndata: {\"choices\":[{\"delta\":{\"content\":\" please\"}}]}\n\ndata: [DONE]\n\n")
        }
    }

    func testUnknownContentEncodingIsRefused() throws {
        let upstream = try StubUpstream { _, conn in
            try conn.respond(status: 200, headers: [("Content-Type", "application/json"), ("Content-Encoding", "br")],
                             body: [1, 2, 3, 4])
        }
        defer { upstream.stop() }
        try withGateway(upstream) { port in
            let r = try get(port, "/m/x")
            XCTAssertEqual(r.status, 502)
            XCTAssertTrue(r.bodyString.contains(#""code":"response_uninspectable""#), r.bodyString)
            XCTAssertTrue(r.bodyString.contains(#""request_id""#))
        }
    }

    func testMalformedJSONAndOversizeBodiesAreRefused() throws {
        let upstream = try StubUpstream { req, conn in
            if req.target == "/m/bad" {
                try conn.respond(status: 200, headers: [("Content-Type", "application/json")], body: Array(#"{"a":"4111 1111 1111 1111""#.utf8))
            } else {
                try conn.respond(status: 200, headers: [("Content-Type", "text/plain")], body: [UInt8](repeating: 0x61, count: (1 << 20) + 1))
            }
        }
        defer { upstream.stop() }
        try withGateway(upstream) { port in
            let bad = try get(port, "/m/bad")
            XCTAssertEqual(bad.status, 502)
            XCTAssertTrue(bad.bodyString.contains("response_malformed"), bad.bodyString)
            XCTAssertFalse(bad.bodyString.contains("4111"))
            let big = try get(port, "/m/big")
            XCTAssertEqual(big.status, 502)
            XCTAssertTrue(big.bodyString.contains("response_too_large"), big.bodyString)
        }
    }

    func testStreamThatCannotBeMaskedIsCutNotLeaked() throws {
        // Malformed JSON in a chunked stream after some bytes went out: the client sees a truncated message.
        let upstream = try StubUpstream { _, conn in
            try conn.sendRaw("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
            try conn.sendRaw(chunk("[" + String(repeating: #""padding text","#, count: 100)))
            usleep(50_000)
            try conn.sendRaw(chunk(#""4111 1111 1111 1111" oops"#) + "0\r\n\r\n")
        }
        defer { upstream.stop() }
        try withGateway(upstream) { port in
            let s = try BlockingSocket.connect(port: port)
            defer { s.close() }
            try s.send("GET /m/s HTTP/1.1\r\nHost: a\r\n\r\n")
            var received: [UInt8] = []
            let msg = try? TestHTTP.read(from: s, isResponse: true) { received += $0 }
            XCTAssertNotEqual(msg?.complete, true)
            // the stream had started (the padding went out), then was cut before the card
            XCTAssertTrue(String(decoding: received, as: UTF8.self).contains("padding text"))
            XCTAssertFalse(String(decoding: received, as: UTF8.self).contains("4111"))
        }
    }

    func testRecorderStoresTheMaskedBody() throws {
        let json = #"{"card":"4111-1111-1111-1111"}"#
        let upstream = try StubUpstream { req, conn in
            if req.target == "/m/json" {
                try conn.respond(status: 200, headers: [("Content-Type", "application/json"), ("ETag", "\"v1\"")],
                                 body: Array(json.utf8))
            } else if req.target == "/m/clean" {
                try conn.respond(status: 200, headers: [("Content-Type", "text/plain")], body: Array("nothing to mask".utf8))
            } else {
                try conn.sendRaw("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n")
                try conn.sendRaw(chunk("data: ssn 536-22-") + chunk("8901\n\n") + "0\r\n\r\n")
            }
        }
        defer { upstream.stop() }
        let db = dir.appendingPathComponent("audit.db").path
        let target = UpstreamURL(host: "127.0.0.1", port: upstream.port)
        let config = GatehouseConfig(loops: 1, listeners: [ListenerConfig(name: "l", address: "127.0.0.1", port: 0)],
                                     routes: [RouteConfig(name: "masked", pathPrefix: "/m/", upstream: target)],
                                     accessLog: false, recording: RecordingConfig(path: db, durability: .strict),
                                     policyDirectory: dir.path)
        let server = try GatewayServer(config: config)
        try server.start()
        let port = server.listenAddresses[0].port
        let a = try get(port, "/m/json")
        let b = try get(port, "/m/sse")
        XCTAssertEqual(try get(port, "/m/clean").bodyString, "nothing to mask")
        server.drain()
        server.waitUntilStopped()
        XCTAssertEqual(a.bodyString, #"{"card":"[REDACTED:credit_card]"}"#)
        XCTAssertEqual(b.bodyString, "data: ssn [REDACTED:us_ssn]\n\n")
        let reader = try RecordingReader(path: db)
        var rows: [RecordedExchange] = []
        try reader.forEachExchange(ExchangeQuery()) { rows.append($0) }
        XCTAssertEqual(rows.first { $0.target == "/m/json" }?.responseBody, a.body)
        XCTAssertEqual(rows.first { $0.target == "/m/sse" }?.responseBody, b.body)
        XCTAssertFalse(rows.contains { $0.responseHeaders.contains { $0.name.lowercased() == "content-length" && $0.value == String(json.utf8.count) } })
        // The recorded head is the one sent: no upstream digest fields, the rest kept.
        XCTAssertFalse(rows.contains { $0.responseHeaders.contains { $0.name.lowercased() == "etag" } })
        XCTAssertEqual(rows.first { $0.target == "/m/json" }?.responseHeaders.first { $0.name.lowercased() == "content-type" }?.value,
                       "application/json")
        // The decisions are recorded: the policy's matching rule and the
        // route default that allowed the request, then masking on the
        // response side with the detectors it masked; names, no values.
        let fired = ["/m/json": ["credit_card"], "/m/sse": ["us_ssn"], "/m/clean": []]
        XCTAssertEqual(rows.count, 3)
        for row in rows {
            XCTAssertEqual(row.decisions, [
                StoredDecision(phase: "request", decision: RecordedDecision(stage: "policy", ruleID: "mask-pii", action: "mask")),
                StoredDecision(phase: "request", decision: RecordedDecision(stage: "policy", action: "allow")),
                StoredDecision(phase: "response", decision: RecordedDecision(stage: "response_masking", action: "mask",
                                                                              detectors: fired[row.target] ?? ["?"])),
            ], row.target)
        }
        XCTAssertEqual(try reader.listSessions(SessionQuery(action: "mask")).count, 1)
    }

    func testUnmaskedRouteIsUntouched() throws {
        let body = #"{"card":"4111-1111-1111-1111","e":"bob@example.com"}"#
        let upstream = try StubUpstream { _, conn in
            try conn.respond(status: 200, headers: [("Content-Type", "application/json"), ("ETag", "\"v1\""),
                                                    ("Content-Encoding", "identity")], body: Array(body.utf8))
        }
        defer { upstream.stop() }
        try withGateway(upstream) { port in
            let r = try get(port, "/other")
            XCTAssertEqual(r.bodyString, body)
            XCTAssertEqual(r.header("etag"), "\"v1\"")
            XCTAssertEqual(r.header("content-length"), String(body.utf8.count))
        }
        XCTAssertEqual(upstream.requests.first?.header("accept-encoding"), "gzip")
    }

    func testCurlSeesMaskedChunkedResponse() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/curl") else { throw XCTSkip("no curl") }
        let upstream = try StubUpstream { _, conn in
            try conn.sendRaw("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
            try conn.sendRaw(chunk(#"{"items":[{"pan":"4111 1111 "#))
            usleep(30_000)
            try conn.sendRaw(chunk(#"1111 1111","who":"\u00e9ve@example.com"}]}"#) + "0\r\n\r\n")
        }
        defer { upstream.stop() }
        try withGateway(upstream) { port in
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
            p.arguments = ["-sS", "--max-time", "10", "--compressed", "http://127.0.0.1:\(port)/m/items"]
            let pipe = Pipe()
            p.standardOutput = pipe
            try p.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            XCTAssertEqual(p.terminationStatus, 0)
            let obj = try JSONSerialization.jsonObject(with: data) as? [String: Any]
            let item = (obj?["items"] as? [[String: Any]])?.first
            XCTAssertEqual(item?["pan"] as? String, "[REDACTED:credit_card]")
            XCTAssertEqual(item?["who"] as? String, "[REDACTED:email]")
        }
    }
}
