import Foundation
import GatehouseCore
import XCTest
@testable import Inspection

final class MaskerTests: XCTestCase {
    func maskText(_ text: String, _ plan: MaskPlan) throws -> String {
        let bytes = Array(text.utf8)
        let scratch = try Shared.defaults.makeScratch()
        return try bytes.withUnsafeBytes { raw in
            let f = try Shared.defaults.scan(raw, scratch: scratch)
            return String(decoding: Masker.maskText(raw, findings: f, plan: plan) ?? bytes, as: UTF8.self)
        }
    }

    func maskJSON(_ json: String, _ plan: MaskPlan) throws -> String {
        let bytes = Array(json.utf8)
        let scratch = try Shared.defaults.makeScratch()
        return try bytes.withUnsafeBytes { raw in
            let f = try Shared.defaults.scanJSON(raw, scratch: scratch)
            return String(decoding: Masker.maskJSON(raw, findings: f, plan: plan) ?? bytes, as: UTF8.self)
        }
    }

    func testRedact() throws {
        XCTAssertEqual(try maskText("card 4111 1111 1111 1111 and 536-22-8901", .all(.redact)),
                       "card [REDACTED:credit_card] and [REDACTED:us_ssn]")
    }

    func testPartialKeepsLastFourAndSeparators() throws {
        XCTAssertEqual(try maskText("card 4111-1111-1111-1111.", .all(.partial(keep: 4))), "card ****-****-****-1111.")
        XCTAssertEqual(try maskText("ssn 536-22-8901", .all(.partial(keep: 4))), "ssn ***-**-8901")
    }

    func testOnlyPlannedKindsAreMasked() throws {
        let plan = MaskPlan(strategies: [.detector(.ssn): .redact])
        XCTAssertEqual(try maskText("4111111111111111 536-22-8901", plan), "4111111111111111 [REDACTED:us_ssn]")
        XCTAssertNil(Array("clean".utf8).withUnsafeBytes { Masker.maskText($0, findings: [], plan: .all(.redact)) })
    }

    func testHashIsStableKeyedAndLabelled() throws {
        let k1 = MaskKey(Secret(Array("session-key-1".utf8)))
        let k2 = MaskKey(Secret(Array("session-key-2".utf8)))
        let a = try maskText("to alice@example.com", .all(.hash(k1)))
        let b = try maskText("cc alice@example.com", .all(.hash(k1)))
        let c = try maskText("to alice@example.com", .all(.hash(k2)))
        XCTAssertTrue(a.hasPrefix("to [HMAC:email:"), a)
        XCTAssertEqual(a.dropFirst(3), b.dropFirst(3))
        XCTAssertNotEqual(a, c)
        XCTAssertEqual(a.count, "to [HMAC:email:]".count + 16)
        XCTAssertEqual("\(k1)", "[REDACTED]")
    }

    func testHashIsTheSameWhateverTheEncoding() throws {
        let key = MaskKey(Secret(Array("k".utf8)))
        let text = try maskText("alice@example.com", .all(.hash(key)))
        let json = try maskJSON(#"["alice\u0040example.com"]"#, .all(.hash(key)))
        XCTAssertEqual(json, "[\"" + text + "\"]")
    }

    func testCustomPatternsInEscapedJSONStrings() throws {
        let inspector = try Inspector(InspectorConfiguration(detectors: [], customPatterns: [CustomPattern(name: "ticket", expression: "TICKET-[0-9]{4}")]))
        let bytes = Array(#"{"a":"see TICKET\u002d1234","b":"TICKET-9876"}"#.utf8)
        let scratch = try inspector.makeScratch()
        let f = try bytes.withUnsafeBytes { try inspector.scanJSON($0, scratch: scratch) }
        XCTAssertEqual(f.map { String(decoding: bytes[$0.range], as: UTF8.self) }, [#"TICKET\u002d1234"#, "TICKET-9876"])
        XCTAssertEqual(f.map(\.pointer), ["/a", "/b"])
    }

    func testJSONMaskingKeepsDocumentValid() throws {
        let json = #"{"email":"alice\u0040example.com","note":"card 4111\u00201111\u00201111\u00201111 \"ok\"","n":[1,2]}"#
        let masked = try maskJSON(json, .all(.partial(keep: 4)))
        XCTAssertEqual(masked, #"{"email":"*****@******e.com","note":"card **** **** **** 1111 \"ok\"","n":[1,2]}"#)
        let obj = try JSONSerialization.jsonObject(with: Data(masked.utf8)) as? [String: Any]
        XCTAssertEqual(obj?["email"] as? String, "*****@******e.com")
        let redacted = try maskJSON(json, .all(.redact))
        XCTAssertEqual(redacted, #"{"email":"[REDACTED:email]","note":"card [REDACTED:credit_card] \"ok\"","n":[1,2]}"#)
    }

    func testCardInJSONNumberBecomesString() throws {
        XCTAssertEqual(try maskJSON(#"{"pan":4111111111111111,"n":2}"#, .all(.partial(keep: 4))), #"{"pan":"************1111","n":2}"#)
        XCTAssertEqual(try maskJSON(#"[5555555555554444]"#, .all(.redact)), #"["[REDACTED:credit_card]"]"#)
    }

    func testPointersForKeysValuesAndNumbers() throws {
        let bytes = Array(#"{"a":[{"x":"bob@example.com"}],"alice@example.com":1,"n":{"pan":4111111111111111}}"#.utf8)
        let scratch = try Shared.defaults.makeScratch()
        let f = try bytes.withUnsafeBytes { try Shared.defaults.scanJSON($0, scratch: scratch) }
        XCTAssertEqual(f.map(\.pointer), ["/a/0/x", "/alice@example.com", "/n/pan"])
    }

    func testJSONPartialReescapesSpecialCharacters() {
        // A custom finding over a value containing a quote and a newline: partial keeps them, re-escaped.
        let json = Array(#"["ab\"c\nd1234"]"#.utf8)
        let finding = Finding(kind: .custom("x"), range: 2..<14)
        let out = json.withUnsafeBytes { Masker.maskJSON($0, findings: [finding], plan: .all(.partial(keep: 4))) }
        XCTAssertEqual(out.map { String(decoding: $0, as: UTF8.self) }, #"["**\"*\n*1234"]"#)
    }

    func testPEMInJSONIsMaskedWhole() throws {
        let pem = "-----BEGIN PRIVATE KEY-----\n" + String(repeating: "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", count: 4) + "\n-----END PRIVATE KEY-----"
        let json = String(decoding: try JSONSerialization.data(withJSONObject: ["k": pem, "user": "bob"], options: [.sortedKeys]), as: UTF8.self)
        XCTAssertEqual(try maskJSON(json, .all(.redact)), #"{"k":"[REDACTED:private_key]","user":"bob"}"#)
    }
    /// The prepared-plan path (response masking) writes exactly what the
    /// plain one returns, after what `out` held, and nothing when no finding
    /// has a strategy; whatever the strategies, fallback and labels.
    func testPreparedPlanAppendsWhatThePlainPlanReturns() throws {
        let key = MaskKey(Secret(Array("k1".utf8)))
        let plans: [MaskPlan] = [
            .all(.redact), .all(.partial(keep: 4)), .all(.hash(key)),
            MaskPlan(strategies: [.detector(.email): .redact, .detector(.creditCard): .partial(keep: 4)]),
            MaskPlan(strategies: [.detector(.ssn): .hash(key), .custom("ticket"): .redact], fallback: .partial(keep: 2)),
            MaskPlan(strategies: [.custom("ticket"): .redact]),
            MaskPlan(strategies: [.custom("x\"y"): .redact, .detector(.ipv4): .redact]),
        ]
        let inspector = try Inspector(InspectorConfiguration(customPatterns: [CustomPattern(name: "ticket", expression: "TICKET-[0-9]{4}"),
                                                                              CustomPattern(name: "x\"y", expression: "XY-[0-9]{3}")]))
        let scratch = try inspector.makeScratch()
        let bodies = [
            #"{"email":"alice\u0040example.com","note":"card 4111\u00201111\u00201111\u00201111 \"ok\"","n":[1,2]}"#,
            #"{"pan":4111111111111111,"ssn":"536-22-8901","t":"TICKET-1234 and XY-123","ip":"10.1.2.3"}"#,
            #"[5555555555554444, "nothing here", {"k": "bob@example.com bob@example.com"}]"#,
            #"{"clean":"no findings at all","n":12}"#,
        ]
        for plan in plans {
            let prepared = PreparedMaskPlan(plan)
            for body in bodies {
                let bytes = Array(body.utf8)
                try bytes.withUnsafeBytes { raw in
                    let f = try inspector.scanJSON(raw, scratch: scratch, pointers: false)
                    let plain = Masker.maskJSON(raw, findings: f, plan: plan)
                    var out: [UInt8] = Array("prefix".utf8)
                    let masked = Masker.maskJSON(raw, findings: f, plan: prepared, into: &out)
                    XCTAssertEqual(masked, plain != nil, body)
                    XCTAssertEqual(out, Array("prefix".utf8) + (plain ?? []), body)
                    if let plain { XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(plain)), body) }
                }
            }
        }
    }

    /// Every built-in detector has a bit; labels are reported sorted,
    /// each once, and only for findings the plan masks.
    func testMaskedLabelsNoteOnlyMaskedKindsOnce() {
        XCTAssertLessThanOrEqual(Detector.allCases.count, 64, "MaskedLabels keeps detectors in a 64-bit set")
        let plan = MaskPlan(strategies: [.detector(.email): .redact, .detector(.ssn): .redact, .custom("order_ref"): .redact])
        let findings = [Finding(kind: .detector(.email), range: 0..<5), Finding(kind: .detector(.phone), range: 6..<9),
                        Finding(kind: .custom("order_ref"), range: 10..<12), Finding(kind: .detector(.email), range: 13..<20)]
        var a = MaskedLabels()
        XCTAssertTrue(a.isEmpty)
        a.note(findings, plan: plan)
        XCTAssertEqual(a.names, ["email", "order_ref"], "phone has no strategy: not masked")
        var b = MaskedLabels()
        b.note(findings, plan: PreparedMaskPlan(plan))
        XCTAssertEqual(a, b)
        b.insert(.detector(.ssn))
        b.insert(.custom("order_ref"))
        a.formUnion(b)
        XCTAssertEqual(a.names, ["email", "order_ref", "us_ssn"])
        XCTAssertEqual(MaskedLabels().names, [])
    }
}
