import Foundation
import XCTest
@testable import Inspection

/// Adversarial input must never crash or hang the tokenizers, walkers,
/// validators or maskers: random bytes biased towards each grammar's
/// special characters, plus truncations of real corpus-like inputs.
final class RandomInputTests: XCTestCase {
    func randomBytes(_ n: Int, alphabet: [UInt8], _ rng: inout JSONMaskingPropertyTests.LCG) -> [UInt8] {
        (0..<n).map { _ in Bool.random(using: &rng) ? alphabet.randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng) }
    }

    func testScannersAndMaskersSurviveRandomBytes() throws {
        var rng = JSONMaskingPropertyTests.LCG(state: 99)
        let inspector = Shared.all
        let scratch = try inspector.makeScratch()
        let alphabet = Array("{}[]\",:\\u0123456789abcdefABCDEF@.-+ \n/=%&eyJAKIAghp_xoxb-----BEGIN PRIVATE KEY".utf8)
        for _ in 0..<400 {
            let bytes = randomBytes(Int.random(in: 0..<300, using: &rng), alphabet: alphabet, &rng)
            try bytes.withUnsafeBytes { raw in
                let text = try inspector.scan(raw, scratch: scratch)
                for f in text { XCTAssertTrue(f.range.lowerBound >= 0 && f.range.upperBound <= raw.count) }
                _ = Masker.maskText(raw, findings: text, plan: .all(.partial(keep: 4)))
                let form = try inspector.scanForm(raw, scratch: scratch)
                _ = Masker.maskForm(raw, findings: form, plan: .all(.redact))
                if let json = try? inspector.scanJSON(raw, scratch: scratch) {
                    _ = Masker.maskJSON(raw, findings: json, plan: .all(.redact))
                }
            }
        }
    }

    func testValidJSONWithRandomStringsStaysValidAfterMasking() throws {
        var rng = JSONMaskingPropertyTests.LCG(state: 5)
        let scratch = try Shared.all.makeScratch()
        let pieces = ["4111 1111 1111 1111", "a@b.io", "\\u0040", "\\n", "\\\"", "é", "😀", "+1 415 555 2671", "536-22-8901", " ", "x", "2001:db8::1"]
        for _ in 0..<300 {
            var s = ""
            for _ in 0..<Int.random(in: 1..<8, using: &rng) { s += pieces.randomElement(using: &rng)! }
            let json = Array("{\"a\":[\"\(s)\",12,{\"b\":\"\(s)\"}]}".utf8)
            let masked: [UInt8]? = try json.withUnsafeBytes { raw in
                Masker.maskJSON(raw, findings: try Shared.all.scanJSON(raw, scratch: scratch), plan: .all(.partial(keep: 4)))
            }
            if let masked {
                XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(masked)), String(decoding: masked, as: UTF8.self))
            }
        }
    }

    func testClassifiersSurviveRandomText() {
        var rng = JSONMaskingPropertyTests.LCG(state: 17)
        let sqlAlphabet = Array("'\"`[]$;()-/*#\\ eEnNuU&xXtagSELECTDROP\n".utf8)
        let shAlphabet = Array("'\"`$(){};&|<>\\ \n#*~=-rfmcbash".utf8)
        for _ in 0..<500 {
            let sql = randomBytes(Int.random(in: 0..<200, using: &rng), alphabet: sqlAlphabet, &rng)
            sql.withUnsafeBytes { _ = SQLClassifier.analyze($0) }
            let sh = randomBytes(Int.random(in: 0..<200, using: &rng), alphabet: shAlphabet, &rng)
            _ = ShellClassifier.analyze(String(decoding: sh, as: UTF8.self))
        }
    }
}
