import XCTest
import GatehouseCore
@testable import Inspection

/// Streaming masking without sockets: secrets split at every offset across
/// pieces and SSE events, escapes and UTF-8 sequences split, fail-closed
/// cases, and random chunkings compared with whole-body masking.
final class StreamMaskerTests: XCTestCase {
    static let plan = MaskPlan.all(.redact)

    /// Feeds `pieces` and returns the released output; after every step the
    /// output so far must be a prefix of `expected` (nothing is released
    /// that a later step would have to take back).
    private func run(_ format: StreamMasker.Format, _ pieces: [[UInt8]], expected: [UInt8]? = nil,
                     limits: StreamMasker.Limits = .init(), eachValidUTF8: Bool = false,
                     file: StaticString = #filePath, line: UInt = #line) throws -> [UInt8] {
        let scratch = try Shared.all.makeScratch()
        var m = StreamMasker(format: format, inspector: Shared.all, plan: Self.plan, limits: limits)
        var out: [UInt8] = []
        for p in pieces {
            var step: [UInt8] = []
            try p.withUnsafeBytes { try m.feed($0, scratch: scratch, into: &step) }
            if eachValidUTF8 {
                XCTAssertNotNil(String(validating: step, as: UTF8.self), "released a split UTF-8 sequence", file: file, line: line)
            }
            out += step
            if let expected {
                XCTAssertTrue(expected.starts(with: out), "released \(String(decoding: out, as: UTF8.self)) which is not a prefix of the result", file: file, line: line)
            }
        }
        try m.finish(scratch: scratch, into: &out)
        if let expected { XCTAssertEqual(String(decoding: out, as: UTF8.self), String(decoding: expected, as: UTF8.self), file: file, line: line) }
        XCTAssertEqual(m.heldBytes, 0, file: file, line: line)
        return out
    }

    private func splits(_ s: String) -> [[[UInt8]]] {
        let b = Array(s.utf8)
        return (0...b.count).map { [Array(b[0..<$0]), Array(b[$0...])] }
    }

    // MARK: text

    func testCardSplitAtEveryOffsetInText() throws {
        let input = "pay with 4111 1111 1111 1111 today"
        let expected = Array("pay with [REDACTED:credit_card] today".utf8)
        for pieces in splits(input) { _ = try run(.text, pieces, expected: expected) }
    }

    func testEmailSplitIntoThreePiecesAtEveryPairOfOffsets() throws {
        let b = Array("to: alice.smith@example.com, thanks".utf8)
        let expected = Array("to: [REDACTED:email], thanks".utf8)
        for i in 0...b.count {
            for j in i...b.count {
                _ = try run(.text, [Array(b[0..<i]), Array(b[i..<j]), Array(b[j...])], expected: expected)
            }
        }
    }

    func testByteAtATime() throws {
        let input = "ssn 536-22-8901 and key AKIAQWERTYUIOPASDFGH end"
        let out = try run(.text, Array(input.utf8).map { [$0] })
        XCTAssertEqual(String(decoding: out, as: UTF8.self), "ssn [REDACTED:us_ssn] and key [REDACTED:aws_access_key_id] end")
    }

    func testMultiByteUTF8SplitAtEveryOffsetNeverReleasesHalfASequence() throws {
        let input = "名前: 山田 — mail 山田@example.jp, card 4111-1111-1111-1111 😀 end"
        let expectedText = "名前: 山田 — mail [REDACTED:email], card [REDACTED:credit_card] 😀 end"
        // a small window so that text is released while pieces still arrive
        let limits = StreamMasker.Limits(window: 24, lookBehind: 16)
        for pieces in splits(input) {
            let out = try run(.text, pieces, expected: Array(expectedText.utf8), limits: limits, eachValidUTF8: true)
            XCTAssertFalse(out.contains(0xEF) && String(decoding: out, as: UTF8.self).contains("\u{FFFD}"))
        }
    }

    func testReleasesEarlyTextBeforeTheEnd() throws {
        let scratch = try Shared.all.makeScratch()
        var m = StreamMasker(format: .text, inspector: Shared.all, plan: Self.plan, limits: .init(window: 32))
        var out: [UInt8] = []
        let text = Array(String(repeating: "lorem ipsum ", count: 20).utf8)
        try text.withUnsafeBytes { try m.feed($0, scratch: scratch, into: &out) }
        XCTAssertEqual(out.count, text.count - 32)
        XCTAssertEqual(m.heldBytes, 32)
    }

    func testTextUpToTheLastBreakerIsReleasedAtOnce() throws {
        let scratch = try Shared.all.makeScratch()
        var m = StreamMasker(format: .text, inspector: Shared.all, plan: Self.plan)
        var out: [UInt8] = []
        try Array("line one\nname: bob, card 4111 1111".utf8).withUnsafeBytes { try m.feed($0, scratch: scratch, into: &out) }
        XCTAssertEqual(String(decoding: out, as: UTF8.self), "line one\nname: bob,")
        try Array(" 1111 1111;".utf8).withUnsafeBytes { try m.feed($0, scratch: scratch, into: &out) }
        XCTAssertEqual(String(decoding: out, as: UTF8.self), "line one\nname: bob, card [REDACTED:credit_card];")
        XCTAssertEqual(m.heldBytes, 0)
    }

    func testCustomPatternsDisableBreakers() throws {
        let inspector = try Inspector(InspectorConfiguration(detectors: [.email],
                                                             customPatterns: [CustomPattern(name: "ticket", expression: #"T\d+,\d+"#)]))
        let scratch = try inspector.makeScratch()
        var m = StreamMasker(format: .text, inspector: inspector, plan: Self.plan)
        var out: [UInt8] = []
        try Array("see T12,".utf8).withUnsafeBytes { try m.feed($0, scratch: scratch, into: &out) }
        XCTAssertEqual(out, [])
        try Array("34 ok".utf8).withUnsafeBytes { try m.feed($0, scratch: scratch, into: &out) }
        try m.finish(scratch: scratch, into: &out)
        XCTAssertEqual(String(decoding: out, as: UTF8.self), "see [REDACTED:ticket] ok")
    }

    func testPEMKeyHeldFromBeginUntilEnd() throws {
        let body = (0..<30).map { _ in "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n" }.joined()
        let input = "cfg -----BEGIN PRIVATE KEY-----\n\(body)-----END PRIVATE KEY----- done"
        // the key is far longer than the window, fed in 40-byte pieces
        let b = Array(input.utf8)
        let pieces = stride(from: 0, to: b.count, by: 40).map { Array(b[$0..<min($0 + 40, b.count)]) }
        let out = try run(.text, pieces, limits: .init(window: 64))
        XCTAssertEqual(String(decoding: out, as: UTF8.self), "cfg [REDACTED:private_key] done")
    }

    func testGrowingKeyOverTheHoldBoundFails() throws {
        let scratch = try Shared.all.makeScratch()
        var m = StreamMasker(format: .text, inspector: Shared.all, plan: Self.plan, limits: .init(window: 64, maxHeld: 4096))
        var out: [UInt8] = []
        let line = Array("MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n".utf8)
        try Array("x -----BEGIN PRIVATE KEY-----\n".utf8).withUnsafeBytes { try m.feed($0, scratch: scratch, into: &out) }
        var failure: StreamMaskError?
        for _ in 0..<200 where failure == nil {
            do { try line.withUnsafeBytes { try m.feed($0, scratch: scratch, into: &out) } } catch { failure = error as? StreamMaskError }
        }
        XCTAssertEqual(failure, .heldTooLong(limit: 4096))
        XCTAssertFalse(String(decoding: out, as: UTF8.self).contains("BEGIN"))
        // once failed, it stays failed
        XCTAssertThrowsError(try line.withUnsafeBytes { try m.feed($0, scratch: scratch, into: &out) })
    }

    // MARK: JSON

    func testJSONEscapesAndSecretsSplitAtEveryOffset() throws {
        let input = #"{"note":"mail alice\u0040example.com now","pan":4111111111111111,"x":["\ud83d\ude00 ok",true,null,-1.5e3]}"#
        let expected = #"{"note":"mail [REDACTED:email] now","pan":"[REDACTED:credit_card]","x":["\ud83d\ude00 ok",true,null,-1.5e3]}"#
        for pieces in splits(input) {
            let out = try run(.json, pieces)
            XCTAssertEqual(try JSONParser.parse(out), try JSONParser.parse(expected), "split \(pieces[0].count)")
            XCTAssertFalse(String(decoding: out, as: UTF8.self).contains("example"))
        }
    }

    func testJSONUnmaskedStringsKeepTheirEscapes() throws {
        let input = #"{"a":"caf\u00e9 \"q\" \/ ok","n":[1,2]}"#
        for pieces in splits(input) {
            XCTAssertEqual(String(decoding: try run(.json, pieces), as: UTF8.self), input)
        }
    }

    func testMalformedJSONFails() throws {
        for bad in [#"{"a":1,}"#, #"{"a" 1}"#, #"["\x"]"#, #"["\ud800 "]"#, #"{"a":01}"#, #"[tru]"#, #"{"a":"b""#, "[\"a\u{01}\"]"] {
            XCTAssertThrowsError(try run(.json, [Array(bad.utf8)]), bad) { error in
                guard case .malformedJSON = error as? StreamMaskError else { return XCTFail("\(bad): \(error)") }
            }
        }
    }

    func testNDJSONValuesAreSeparateStrings() throws {
        // "4111 1111" and "1111 1111" in two separate strings must not join into a card
        let input = "{\"a\":\"4111 1111\"}\n{\"a\":\"1111 1111\"}\n"
        XCTAssertEqual(String(decoding: try run(.json, [Array(input.utf8)]), as: UTF8.self), input)
    }

    // MARK: SSE

    private func sse(_ datas: [String]) -> String { datas.map { "data: \($0)\n\n" }.joined() }

    func testSSESecretSplitAcrossJSONDeltaEventsAtEveryOffset() throws {
        let input = sse([#"{"id":"c1","choices":[{"delta":{"content":"card 4111 1111"}}]}"#,
                         #"{"id":"c1","choices":[{"delta":{"content":" 1111 1111 ok"}}]}"#]) + "event: end\ndata: [DONE]\n\n"
        let expected = sse([#"{"id":"c1","choices":[{"delta":{"content":"card [REDACTED:credit_card]"}}]}"#,
                            #"{"id":"c1","choices":[{"delta":{"content":" ok"}}]}"#]) + "event: end\ndata: [DONE]\n\n"
        for pieces in splits(input) { _ = try run(.eventStream, pieces, expected: Array(expected.utf8)) }
    }

    func testSSEPlainDataSplitAcrossEventsAndCRLF() throws {
        let input = "retry: 10\r\n: comment\r\ndata: call 415-555-\r\n\r\nid: 7\r\ndata: 2671 now\r\n\r\n"
        let expected = "retry: 10\r\n: comment\r\ndata: call [REDACTED:phone]\r\n\r\nid: 7\r\ndata:  now\r\n\r\n"
        for pieces in splits(input) { _ = try run(.eventStream, pieces, expected: Array(expected.utf8)) }
    }

    func testSSEEventsStayValidWithMultiLineData() throws {
        let input = "event: a\ndata: {\"k\":\ndata: \"bob@example.com\"}\n\ndata: line one\ndata: 536-22-8901\n\n"
        let out = String(decoding: try run(.eventStream, Array(input.utf8).map { [$0] }), as: UTF8.self)
        XCTAssertEqual(out, "event: a\ndata: {\"k\":\ndata: \"[REDACTED:email]\"}\n\ndata: line one\ndata: [REDACTED:us_ssn]\n\n")
    }

    func testSSEEventsAreNotHeldByPathsThatDoNotComeAgain() throws {
        // A first event with fields later events do not repeat, then plain data:
        // each event is released once the next data event shows its runs ended.
        for inspector in [Shared.all, try Inspector(InspectorConfiguration(detectors: [.email],
                                                   customPatterns: [CustomPattern(name: "t", expression: #"TK\d{4}"#)]))] {
            let scratch = try inspector.makeScratch()
            var m = StreamMasker(format: .eventStream, inspector: inspector, plan: Self.plan)
            var out: [UInt8] = []
            let first = "data: {\"type\":\"start\",\"id\":\"abc123\"}\n\n"
            try Array(first.utf8).withUnsafeBytes { try m.feed($0, scratch: scratch, into: &out) }
            let second = "data: {\"delta\":\"hel\"}\n\n"
            try Array(second.utf8).withUnsafeBytes { try m.feed($0, scratch: scratch, into: &out) }
            XCTAssertTrue(out.starts(with: Array(first.utf8)), String(decoding: out, as: UTF8.self))
            XCTAssertFalse(String(decoding: out, as: UTF8.self).contains("hel"))  // still in its window
            try Array(": keep-alive\n\ndata: plain text\n\n".utf8).withUnsafeBytes { try m.feed($0, scratch: scratch, into: &out) }
            XCTAssertTrue(out.starts(with: Array((first + second + ": keep-alive\n\n").utf8)), String(decoding: out, as: UTF8.self))
            try m.finish(scratch: scratch, into: &out)
            XCTAssertEqual(String(decoding: out, as: UTF8.self), first + second + ": keep-alive\n\ndata: plain text\n\n")
            XCTAssertEqual(m.heldBytes, 0)
        }
    }

    func testSSEEventLargerThanTheBoundFails() throws {
        let scratch = try Shared.all.makeScratch()
        var m = StreamMasker(format: .eventStream, inspector: Shared.all, plan: Self.plan, limits: .init(maxHeld: 1000))
        var out: [UInt8] = []
        let big = Array(("data: " + String(repeating: "x", count: 2000)).utf8)
        XCTAssertThrowsError(try big.withUnsafeBytes { try m.feed($0, scratch: scratch, into: &out) })
        XCTAssertTrue(out.isEmpty)
    }

    // MARK: random chunkings against whole-body masking

    func testRandomChunkingsMatchWholeBodyTextMasking() throws {
        var rng = SplitMix(seed: 0x5eed)
        let secrets = ["4111 1111 1111 1111", "536-22-8901", "bob@example.com", "+44 20 7946 0958", "GB82WEST12345698765432",
                       "ghp_" + String(repeating: "aB3", count: 12), "10.1.2.3"]
        let words = ["the", "order", "42", "id", "x-7", "ok,", "名前", "😀", "2024-01-02", "v1.2.3", "\n", "<", ">", "\"", "[", "];",
                     "\t", "a\\b"]
        let scratch = try Shared.all.makeScratch()
        let deadline = Date().addingTimeInterval(20)
        for _ in 0..<300 where Date() < deadline {
            var parts: [String] = []
            for _ in 0..<Int(rng.next() % 200) {
                parts.append(rng.next() % 8 == 0 ? secrets[Int(rng.next() % UInt64(secrets.count))] : words[Int(rng.next() % UInt64(words.count))])
            }
            let text = Array(parts.joined(separator: rng.next() % 3 == 0 ? "" : " ").utf8)
            let findings = try text.withUnsafeBytes { try Shared.all.scan($0, scratch: scratch) }
            let whole = text.withUnsafeBytes { Masker.maskText($0, findings: findings, plan: Self.plan) } ?? text
            var pieces: [[UInt8]] = []
            var at = 0
            while at < text.count {
                let n = Int(rng.next() % 40) + 1
                pieces.append(Array(text[at..<min(at + n, text.count)]))
                at += n
            }
            // the default window: glued words make emails up to ~100 bytes long
            _ = try run(.text, pieces, expected: whole)
        }
    }

    func testRandomChunkingsOfJSONMatchWholeBodyJSONMasking() throws {
        var rng = SplitMix(seed: 42)
        let values = [#""4111111111111111""#, #""mail bob\u0040example.com""#, #""ok \"quoted\"""#, "12", "-0.5", "true", "null",
                      #""536-22-8901 ssn""#, #""caf\u00e9 😀""#, "4111111111111111", #""plain text""#]
        let scratch = try Shared.all.makeScratch()
        let deadline = Date().addingTimeInterval(20)
        for _ in 0..<300 where Date() < deadline {
            let members = (0..<Int(rng.next() % 8)).map { i in "\"k\(i)\":\(values[Int(rng.next() % UInt64(values.count))])" }
            let arr = (0..<Int(rng.next() % 4)).map { _ in values[Int(rng.next() % UInt64(values.count))] }
            let doc = Array("{\((members + ["\"arr\":[\(arr.joined(separator: ", "))]"]).joined(separator: ","))}".utf8)
            let findings = try doc.withUnsafeBytes { try Shared.all.scanJSON($0, scratch: scratch) }
            let whole = doc.withUnsafeBytes { Masker.maskJSON($0, findings: findings, plan: Self.plan) } ?? doc
            var pieces: [[UInt8]] = []
            var at = 0
            while at < doc.count {
                let n = Int(rng.next() % 16) + 1
                pieces.append(Array(doc[at..<min(at + n, doc.count)]))
                at += n
            }
            let out = try run(.json, pieces, limits: .init(window: 40, lookBehind: 32))
            XCTAssertEqual(try JSONParser.parse(out), try JSONParser.parse(whole), String(decoding: doc, as: UTF8.self))
        }
    }
}

/// A small deterministic generator for the randomized tests.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
