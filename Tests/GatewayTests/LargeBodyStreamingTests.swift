import Foundation
import XCTest
import GatehouseTestSupport
import GatewayConfig

/// 200 MiB through the gateway in each direction, with the process's
/// resident memory (gateway, stub and client all live in this process)
/// sampled throughout: streaming must not buffer whole bodies.
final class LargeBodyStreamingTests: XCTestCase {
    static let total = 200 << 20
    static let block: [UInt8] = (0..<65536).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
    static let rssBudget = 64 << 20

    private static func streamingHandler() -> StubUpstream.Handler {
        { req, conn in
            let block = LargeBodyStreamingTests.block
            let blocks = LargeBodyStreamingTests.total / block.count
            switch req.target {
            case "/download":
                try conn.sendRaw("HTTP/1.1 200 OK\r\nContent-Length: \(LargeBodyStreamingTests.total)\r\n\r\n")
                for _ in 0..<blocks { try conn.sock.send(block) }
            case "/download-chunked":
                try conn.sendRaw("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
                let chunk = Array("10000\r\n".utf8) + block + Array("\r\n".utf8)
                for _ in 0..<blocks { try conn.sock.send(chunk) }
                try conn.sendRaw("0\r\n\r\n")
            default:
                try StubUpstream.echo(req, conn)
            }
        }
    }

    private func makeGateway() throws -> GatewayFixture {
        try GatewayFixture(handler: Self.streamingHandler(), discardBodies: true,
                           limits: LimitsConfig(maxBodyBytes: 1 << 30))
    }

    private func upload(chunked: Bool) throws {
        let gw = try makeGateway()
        defer { gw.stop() }
        // Warm up (threads, pools, buffers) before the baseline.
        XCTAssertEqual(try gw.exchange(get("/warm"))?.status, 200)
        let baseline = residentBytes()
        let sampler = RSSSampler()
        let s = try gw.connect(timeoutSeconds: 30)
        defer { s.close() }
        let response = ResultBox<TestMessage?>()
        let reader = Worker { response.set(try TestHTTP.read(from: s, isResponse: true)) }
        let framing = chunked ? "Transfer-Encoding: chunked" : "Content-Length: \(Self.total)"
        try s.send("POST /upload HTTP/1.1\r\nHost: example.test\r\n\(framing)\r\n\r\n")
        let piece = chunked ? Array("10000\r\n".utf8) + Self.block + Array("\r\n".utf8) : Self.block
        for _ in 0..<(Self.total / Self.block.count) { try s.send(piece) }
        if chunked { try s.send("0\r\n\r\n") }
        try reader.join(seconds: 90)
        let peak = sampler.stop()
        let r = try XCTUnwrap(response.value ?? nil)
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(gw.upstream!.receivedBodyBytes, Self.total)
        print("upload chunked=\(chunked): \(Self.total >> 20) MiB, peak RSS growth \((peak - baseline) >> 20) MiB")
        XCTAssertLessThan(peak - baseline, Self.rssBudget,
                          "RSS grew by \((peak - baseline) >> 20) MiB during a \(Self.total >> 20) MiB upload")
    }

    /// The probe itself must see memory growth, or the budget checks below prove nothing.
    func testRSSProbeSeesAllocations() {
        let before = residentBytes()
        XCTAssertGreaterThan(before, 1 << 20)
        let sampler = RSSSampler()
        let p = UnsafeMutableRawPointer.allocate(byteCount: 96 << 20, alignment: 4096)
        defer { p.deallocate() }
        p.initializeMemory(as: UInt8.self, repeating: 1, count: 96 << 20)
        usleep(60_000)
        XCTAssertGreaterThan(sampler.stop() - before, 80 << 20)
    }

    func testUpload200MiBContentLength() throws { try upload(chunked: false) }
    func testUpload200MiBChunked() throws { try upload(chunked: true) }

    private func download(path: String, expectChunked: Bool) throws {
        let gw = try makeGateway()
        defer { gw.stop() }
        XCTAssertEqual(try gw.exchange(get("/warm"))?.status, 200)
        let baseline = residentBytes()
        let sampler = RSSSampler()
        let s = try gw.connect(timeoutSeconds: 30)
        defer { s.close() }
        try s.send(get(path))
        var received = 0
        var mismatches = 0
        let block = Self.block
        let r = try XCTUnwrap(TestHTTP.read(from: s, isResponse: true, sink: { slice in
            // Spot-check content: the first byte of every slice at its offset.
            if let first = slice.first, first != block[received % block.count] { mismatches += 1 }
            received += slice.count
        }))
        let peak = sampler.stop()
        XCTAssertEqual(r.status, 200)
        XCTAssertTrue(r.complete)
        XCTAssertEqual(r.chunked, expectChunked)
        XCTAssertEqual(received, Self.total)
        XCTAssertEqual(mismatches, 0)
        print("download \(path): \(received >> 20) MiB, peak RSS growth \((peak - baseline) >> 20) MiB")
        XCTAssertLessThan(peak - baseline, Self.rssBudget,
                          "RSS grew by \((peak - baseline) >> 20) MiB during a \(Self.total >> 20) MiB download")
    }

    func testDownload200MiBContentLength() throws { try download(path: "/download", expectChunked: false) }
    func testDownload200MiBChunked() throws { try download(path: "/download-chunked", expectChunked: true) }
}
