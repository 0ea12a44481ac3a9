import Foundation
import XCTest
import GatehouseTestSupport

final class ChunkedFramingTests: XCTestCase {
    func testChunkedRequestBodyIsReframedWithoutExtensions() throws {
        let raw = try RawListener()
        defer { raw.close() }
        let gw = try GatewayFixture(upstream: nil, upstreamPort: raw.port)
        defer { gw.stop() }
        let port = gw.port
        let result = ResultBox<TestMessage?>()
        let client = Worker {
            let s = try BlockingSocket.connect(port: port)
            defer { s.close() }
            try s.send("POST /up HTTP/1.1\r\nHost: example.test\r\nTransfer-Encoding: chunked\r\n\r\n"
                       + "5;ext=1\r\nhello\r\n6;name=\"quoted value\"\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n")
            result.set(try TestHTTP.read(from: s, isResponse: true))
        }
        let up = try raw.accept()
        defer { up.close() }
        let bytes = try readUntil(up, suffix: "\r\n0\r\n\r\n")
        let (head, body) = try XCTUnwrap(splitHead(bytes))
        XCTAssertTrue(head.hasPrefix("POST /up HTTP/1.1"), head)
        XCTAssertEqual(headerValues(head, "transfer-encoding"), ["chunked"])
        XCTAssertEqual(headerValues(head, "content-length"), [])
        let text = String(decoding: body, as: UTF8.self)
        XCTAssertFalse(text.contains("ext"), "chunk extension forwarded: \(text)")
        XCTAssertFalse(text.contains("quoted"), "chunk extension forwarded: \(text)")
        XCTAssertFalse(text.contains("X-Trailer"), "trailer forwarded: \(text)")
        XCTAssertEqual(strictDechunk(body).map { String(decoding: $0, as: UTF8.self) }, "hello world")
        try up.send("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        try client.join()
        let r = try XCTUnwrap(result.value ?? nil)
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(r.bodyString, "ok")
    }

    func testChunkedResponseReachesClientAsValidChunkedBody() throws {
        let gw = try GatewayFixture(handler: { _, conn in
            try conn.sendRaw("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n"
                             + "4;foo=bar\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nX-Trailer: t\r\n\r\n")
        })
        defer { gw.stop() }
        let s = try gw.connect()
        defer { s.close() }
        try s.send(get("/chunked"))
        let bytes = try readUntil(s, suffix: "\r\n0\r\n\r\n")
        let (head, body) = try XCTUnwrap(splitHead(bytes))
        XCTAssertTrue(head.hasPrefix("HTTP/1.1 200"), head)
        XCTAssertEqual(headerValues(head, "transfer-encoding"), ["chunked"])
        XCTAssertEqual(headerValues(head, "content-length"), [])
        let decoded = try XCTUnwrap(strictDechunk(body), "not strictly chunked: \(String(decoding: body, as: UTF8.self))")
        XCTAssertEqual(String(decoding: decoded, as: UTF8.self), "Wikipedia in\r\n\r\nchunks.")
        // The connection stays usable.
        try s.send(get("/again"))
        let r2 = try XCTUnwrap(TestHTTP.read(from: s, isResponse: true))
        XCTAssertEqual(r2.status, 200)
        XCTAssertTrue(r2.complete)
    }

    func testCloseDelimitedResponseIsRechunkedForHTTP11Client() throws {
        let gw = try GatewayFixture(handler: { req, conn in
            if req.target == "/eof" {
                try conn.sendRaw("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nbody until close")
                conn.close()
            } else {
                try StubUpstream.echo(req, conn)
            }
        })
        defer { gw.stop() }
        let s = try gw.connect()
        defer { s.close() }
        try s.send(get("/eof"))
        let bytes = try readUntil(s, suffix: "\r\n0\r\n\r\n")
        let (head, body) = try XCTUnwrap(splitHead(bytes))
        XCTAssertTrue(head.hasPrefix("HTTP/1.1 200"), head)
        XCTAssertEqual(headerValues(head, "transfer-encoding"), ["chunked"])
        XCTAssertEqual(strictDechunk(body).map { String(decoding: $0, as: UTF8.self) }, "body until close")
        // Re-chunked, so the client connection can be kept alive.
        try s.send(get("/next"))
        let r2 = try XCTUnwrap(TestHTTP.read(from: s, isResponse: true))
        XCTAssertEqual(r2.status, 200)
        XCTAssertTrue(r2.bodyString.contains("/next"))
    }

    func testCloseDelimitedResponseToHTTP10ClientEndsAtClose() throws {
        let gw = try GatewayFixture(handler: { _, conn in
            try conn.sendRaw("HTTP/1.1 200 OK\r\n\r\nold client body")
            conn.close()
        })
        defer { gw.stop() }
        let s = try gw.connect()
        defer { s.close() }
        try s.send("GET /old HTTP/1.0\r\nHost: example.test\r\n\r\n")
        let all = try s.readToEnd()
        let (head, body) = try XCTUnwrap(splitHead(all))
        XCTAssertEqual(headerValues(head, "transfer-encoding"), [])
        XCTAssertEqual(headerValues(head, "connection").map { $0.lowercased() }, ["close"])
        XCTAssertEqual(String(decoding: body, as: UTF8.self), "old client body")
    }
}

/// A value set on one thread and read on another.
final class ResultBox<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: T?
    func set(_ v: T) { lock.withLock { stored = v } }
    var value: T? { lock.withLock { stored } }
}
