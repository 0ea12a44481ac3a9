import Foundation
import XCTest
@testable import Inspection

/// Randomized: PII embedded in JSON strings with random escaping is found,
/// and masking keeps the document valid JSON with the PII gone.
final class JSONMaskingPropertyTests: XCTestCase {
    struct LCG: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state }
    }

    /// JSON-encodes `s`, escaping each character as `\uXXXX` with probability 1/3.
    func encode(_ s: String, _ rng: inout LCG) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            if u == "\"" || u == "\\" || u.value < 0x20 || Bool.random(using: &rng) && Int.random(in: 0..<3, using: &rng) == 0 {
                if u.value > 0xFFFF {
                    let v = u.value - 0x10000
                    out += String(format: "\\u%04x\\u%04x", 0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF))
                } else {
                    out += String(format: "\\u%04x", u.value)
                }
            } else {
                out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }

    func testRandomEscapingIsDetectedAndMaskedValidly() throws {
        var rng = LCG(state: 42)
        let scratch = try Shared.defaults.makeScratch()
        let pii = ["4111 1111 1111 1111", "alice@example.com", "536-22-8901", "DE89370400440532013000", "ghp_" + "aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dE3fG5", "192.168.10.20"]
        let fillers = ["note: ", "émoji 😀 ", "quote \" and \\ ", "tab\tnew\nline ", ""]
        for _ in 0..<300 {
            let secret = pii.randomElement(using: &rng)!
            let value = fillers.randomElement(using: &rng)! + secret + " " + fillers.randomElement(using: &rng)!
            let json = "{\"k\":" + encode(value, &rng) + ",\"n\":[1,\"x\"]}"
            let bytes = Array(json.utf8)
            let masked: [UInt8]? = try bytes.withUnsafeBytes { raw in
                let f = try Shared.defaults.scanJSON(raw, scratch: scratch)
                XCTAssertFalse(f.isEmpty, json)
                XCTAssertTrue(f.allSatisfy { $0.pointer == "/k" }, json)
                return Masker.maskJSON(raw, findings: f, plan: .all(.redact))
            }
            let out = try XCTUnwrap(masked, json)
            let obj = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(out)) as? [String: Any], json)
            let k = try XCTUnwrap(obj["k"] as? String)
            XCTAssertFalse(k.contains(secret), json)
            XCTAssertTrue(k.contains("[REDACTED:"), json)
        }
    }
}
