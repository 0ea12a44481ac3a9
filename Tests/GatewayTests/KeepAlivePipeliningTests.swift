import Foundation
import XCTest
import GatehouseTestSupport

final class KeepAlivePipeliningTests: XCTestCase {
    func testSeveralRequestsOnOneConnectionReuseOneUpstreamConnection() throws {
        let gw = try GatewayFixture()
        defer { gw.stop() }
        let s = try gw.connect()
        defer { s.close() }
        var ids = Set<String>()
        for i in 0..<5 {
            try s.send(get("/k\(i)"))
            let r = try XCTUnwrap(TestHTTP.read(from: s, isResponse: true))
            XCTAssertEqual(r.status, 200)
            XCTAssertTrue(r.complete)
            XCTAssertTrue(r.bodyString.contains("\"target\":\"/k\(i)\""), r.bodyString)
            XCTAssertNotEqual(r.header("connection")?.lowercased(), "close")
            ids.insert(try XCTUnwrap(r.header("x-request-id")))
        }
        XCTAssertEqual(ids.count, 5, "every request gets its own ID")
        XCTAssertEqual(gw.upstream!.requests.map(\.target), (0..<5).map { "/k\($0)" })
        XCTAssertEqual(gw.upstream!.connectionCount, 1, "one upstream connection for all five requests")
    }

    func testSequentialClientConnectionsShareThePooledUpstreamConnection() throws {
        let gw = try GatewayFixture()
        defer { gw.stop() }
        for i in 0..<3 {
            let r = try XCTUnwrap(gw.exchange(get("/c\(i)")))
            XCTAssertEqual(r.status, 200)
        }
        XCTAssertEqual(gw.upstream!.requests.count, 3)
        XCTAssertEqual(gw.upstream!.connectionCount, 1)
    }

    func testConnectionCloseRequestGetsCloseAndEOF() throws {
        let gw = try GatewayFixture()
        defer { gw.stop() }
        let s = try gw.connect()
        defer { s.close() }
        try s.send(get("/bye", extra: "Connection: close\r\n"))
        let r = try XCTUnwrap(TestHTTP.read(from: s, isResponse: true))
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(r.header("connection")?.lowercased(), "close")
        XCTAssertTrue(peerClosed(s))
    }

    func testThreePipelinedRequestsAnsweredInOrder() throws {
        let gw = try GatewayFixture()
        defer { gw.stop() }
        let s = try gw.connect()
        defer { s.close() }
        try s.send(get("/a") + "POST /b HTTP/1.1\r\nHost: example.test\r\nContent-Length: 3\r\n\r\nxyz" + get("/c"))
        var ids: [String] = []
        for (path, bodyBytes) in [("/a", 0), ("/b", 3), ("/c", 0)] {
            let r = try XCTUnwrap(TestHTTP.read(from: s, isResponse: true))
            XCTAssertEqual(r.status, 200)
            XCTAssertTrue(r.bodyString.contains("\"target\":\"\(path)\""), "expected \(path), got \(r.bodyString)")
            XCTAssertTrue(r.bodyString.contains("\"body_bytes\":\(bodyBytes)"), r.bodyString)
            ids.append(try XCTUnwrap(r.header("x-request-id")))
        }
        XCTAssertEqual(Set(ids).count, 3, "request IDs distinct: \(ids)")
        XCTAssertEqual(gw.upstream!.requests.map(\.target), ["/a", "/b", "/c"])
        XCTAssertEqual(gw.upstream!.requests.map { $0.header("x-request-id") ?? "" }, ids,
                       "the ID sent upstream is the one returned")
        XCTAssertEqual(gw.upstream!.requests[1].bodyString, "xyz")
    }
}
