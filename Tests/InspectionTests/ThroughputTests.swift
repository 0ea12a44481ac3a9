import Foundation
import XCTest
@testable import Inspection

/// Rough scan+mask throughput on ~1 MiB of synthetic JSON API responses
/// with about 1% PII. Not a benchmark (that is `Benchmarks/inspect`, see
/// Docs/BENCHMARKS.md): it only runs when `INSPECTION_THROUGHPUT=1`, and is
/// meaningful in release builds only.
final class ThroughputTests: XCTestCase {
    static func corpus() -> [UInt8] {
        var rng = JSONMaskingPropertyTests.LCG(state: 7)
        var items: [String] = []
        var size = 0
        var n = 0
        while size < 1 << 20 {
            n += 1
            let pii = Int.random(in: 0..<100, using: &rng) == 0
            let email = pii ? "user\(n)@example.com" : "user\(n)"
            let card = pii ? "4111111111111111" : "order-\(n)"
            let item = """
            {"id":"ord_\(n)","customer":{"name":"Customer \(n)","login":"\(email)","tier":"gold"},\
            "payment":{"method":"card","ref":"\(card)","amount":\(n % 997).\(n % 100),"currency":"EUR"},\
            "items":[{"sku":"SKU-\(n % 1000)","qty":\(n % 5 + 1),"title":"Widget número \(n)"}],\
            "created":"2024-01-15T10:\(n % 60):00Z","tags":["a","b"],"note":"Thanks for your order, see https://shop.example.com/o/\(n)"}
            """
            size += item.utf8.count + 1
            items.append(item)
        }
        return Array(("{\"data\":[" + items.joined(separator: ",") + "]}").utf8)
    }

    func testScanAndMaskThroughput() throws {
        guard ProcessInfo.processInfo.environment["INSPECTION_THROUGHPUT"] == "1" else { throw XCTSkip("set INSPECTION_THROUGHPUT=1") }
        let body = Self.corpus()
        let inspector = Shared.defaults
        let scratch = try inspector.makeScratch()
        var findings = 0
        let rounds = 20
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<rounds {
            try body.withUnsafeBytes { raw in
                let f = try inspector.scanJSON(raw, scratch: scratch)
                findings = f.count
                _ = Masker.maskJSON(raw, findings: f, plan: .all(.redact))
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let mbps = Double(body.count * rounds) / seconds / 1e6
        print("scanJSON+mask: \(body.count) bytes, \(findings) findings, \(String(format: "%.1f", mbps)) MB/s")
        // Plain block scan of the same bytes, for comparison.
        let t0 = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<rounds { _ = try body.withUnsafeBytes { try inspector.scan($0, scratch: scratch) } }
        let s2 = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        print("scan (raw text): \(String(format: "%.1f", Double(body.count * rounds) / s2 / 1e6)) MB/s")
    }
}
