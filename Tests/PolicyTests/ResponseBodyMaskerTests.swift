import GatehouseCore
import HTTP1
import Inspection
import Policy
import XCTest

/// The response phase without sockets: `PolicyStage` hands over the plan,
/// `ResponseBodyMasker` picks the mode, masks, or refuses with a stable code.
final class ResponseBodyMaskerTests: XCTestCase {
    static let policyText = """
    {"route_defaults": {"*": "allow"},
     "rules": [
       {"id": "pii", "match": {"routes": ["crm"]},
        "action": {"mask": {"detectors": ["credit_card", "email"], "strategy": "partial", "keep": 4, "direction": "response"}}},
       {"id": "tax", "match": {"routes": ["tax"]},
        "action": {"mask": {"fields": ["customers.*.tax_id"], "strategy": "redact", "direction": "response"}}},
       {"id": "req", "match": {"routes": ["reqonly"]},
        "action": {"mask": {"detectors": ["email"], "direction": "request"}}}
     ]}
    """

    /// The plan `PolicyStage` leaves on the context for a GET on `route`.
    private func plan(_ route: String) throws -> (ResponseMaskingPlan?, ExchangeContext) {
        let stage = try PolicyStage(policy: try PolicyTest.compile(Self.policyText), hashKey: PolicyTest.key)
        let head = RequestHead(method: "GET", target: "/x", headers: PolicyTest.headers([("Accept-Encoding", "gzip, br"), ("Range", "bytes=0-9")]),
                               host: "gw", framing: .none)
        var ctx = ExchangeContext(requestID: "r", routeName: route, clientAddress: "127.0.0.1:1", head: head)
        guard case .proceed = stage.evaluate(&ctx) else { XCTFail("not allowed"); return (nil, ctx) }
        return (ctx.responseMasking, ctx)
    }

    private func mask(_ plan: ResponseMaskingPlan, _ headers: [(String, String)], _ framing: BodyFraming,
                      _ pieces: [String]) -> Result<(ResponseBodyMasker.Mode, String), ResponseMaskProblem> {
        switch ResponseBodyMasker.begin(plan, headers: PolicyTest.headers(headers), framing: framing) {
        case .failure(let p): return .failure(p)
        case .success(var m):
            var out: [UInt8] = []
            for p in pieces {
                if let problem = Array(p.utf8).withUnsafeBytes({ m.append($0, into: &out) }) { return .failure(problem) }
            }
            if let problem = m.finish(into: &out) { return .failure(problem) }
            return .success((m.mode, String(decoding: out, as: UTF8.self)))
        }
    }

    private func code(_ r: Result<(ResponseBodyMasker.Mode, String), ResponseMaskProblem>) -> String? {
        if case .failure(let p) = r { return p.code } else { return nil }
    }

    func testStageSetsThePlanAndAsksForIdentityOnlyWithResponseMasks() throws {
        let (p, ctx) = try plan("crm")
        XCTAssertNotNil(p)
        XCTAssertEqual(ctx.head.headers.values("accept-encoding"), ["identity"])
        XCTAssertNil(ctx.head.headers.firstValue("range"))
        let (none, plain) = try plan("reqonly")
        XCTAssertNil(none)
        XCTAssertEqual(plain.head.headers.values("accept-encoding"), ["gzip, br"])
        XCTAssertEqual(plain.head.headers.firstValue("range"), "bytes=0-9")
        XCTAssertNil(try plan("other").0)
    }

    func testExchangesDecidedByTheSameRulesShareOnePlan() throws {
        let stage = try PolicyStage(policy: try PolicyTest.compile(Self.policyText), hashKey: PolicyTest.key)
        func planFor(_ route: String) -> ResponseMaskingPlan? {
            let head = RequestHead(method: "GET", target: "/x", headers: HTTPHeaders(), host: "gw", framing: .none)
            var ctx = ExchangeContext(requestID: "r", routeName: route, clientAddress: "127.0.0.1:1", head: head)
            _ = stage.evaluate(&ctx)
            return ctx.responseMasking
        }
        let a = try XCTUnwrap(planFor("crm")), b = try XCTUnwrap(planFor("crm")), c = try XCTUnwrap(planFor("tax"))
        XCTAssertTrue(a === b)
        XCTAssertFalse(a === c)
        XCTAssertEqual(c.masks.ruleIDs, ["tax"])
    }

    /// The labels a masker reports after masking `pieces` (nil if refused).
    private func labels(_ plan: ResponseMaskingPlan, _ headers: [(String, String)], _ framing: BodyFraming,
                        _ pieces: [String]) -> [String]? {
        guard case .success(let m) = ResponseBodyMasker.begin(plan, headers: PolicyTest.headers(headers), framing: framing) else {
            return nil
        }
        var out: [UInt8] = []
        for p in pieces {
            if Array(p.utf8).withUnsafeBytes({ m.append($0, into: &out) }) != nil { return nil }
        }
        if m.finish(into: &out) != nil { return nil }
        return m.maskedLabels.names
    }

    /// Every masking path reports the detectors it masked (the recorder's
    /// response decision), never the values; field masks are not labels.
    func testMaskedLabelsNameWhatEachPathMasked() throws {
        let crm = try XCTUnwrap(try plan("crm").0)
        let json = [("Content-Type", "application/json")]
        let both = #"{"pan":"4111 1111 1111 1111","who":"bob\u0040example.com"}"#
        XCTAssertEqual(labels(crm, json, .contentLength(UInt64(both.utf8.count)), [both]), ["credit_card", "email"])
        let clean = #"{"id":"ord-1234"}"#
        XCTAssertEqual(labels(crm, json, .contentLength(UInt64(clean.utf8.count)), [clean]), [])
        let text = "mail bob@example.com"
        XCTAssertEqual(labels(crm, [("Content-Type", "text/plain")], .contentLength(UInt64(text.utf8.count)), [text]), ["email"])
        XCTAssertEqual(labels(crm, json, .chunked, [#"{"pan":"4111 11"#, #"11 1111 1111"}"#]), ["credit_card"])
        XCTAssertEqual(labels(crm, [("Content-Type", "text/event-stream")], .chunked,
                              ["data: {\"who\":\"bob@exa", "mple.com\"}\n\n"]), ["email"])
        let tax = try XCTUnwrap(try plan("tax").0)
        let customers = #"{"customers":[{"tax_id":"12-3456789","card":"4111 1111 1111 1111"}]}"#
        XCTAssertEqual(labels(tax, json, .contentLength(UInt64(customers.utf8.count)), [customers]), [])
    }

    func testContentLengthJSONIsMaskedWhole() throws {
        let p = try XCTUnwrap(try plan("crm").0)
        let body = #"{"pan":"4111 1111 1111 1111","who":"bob\u0040example.com"}"#
        let r = mask(p, [("Content-Type", "application/json")], .contentLength(UInt64(body.utf8.count)), [body])
        guard case .success(let (mode, out)) = r else { return XCTFail("\(r)") }
        XCTAssertEqual(mode, .wholeBody)
        XCTAssertEqual(out, #"{"pan":"**** **** **** 1111","who":"***@******e.com"}"#)
    }

    /// A Content-Length JSON body in one piece is masked as it arrives (no
    /// copy into the buffer), in pieces at the end: the same output, and a
    /// problem of either is reported by `finish`, not by `append`. Buffers
    /// lent from one masker to the next (`lendBuffer`, `takeBuffer`) carry
    /// no bytes over.
    func testWholeJSONBodyInOnePieceOrManyAndLentBuffers() throws {
        let p = try XCTUnwrap(try plan("crm").0)
        let json = [("Content-Type", "application/json")]
        let body = #"{"pan":"4111 1111 1111 1111","who":"bob\u0040example.com"}"#
        let masked = #"{"pan":"**** **** **** 1111","who":"***@******e.com"}"#
        let clean = #"{"id":"ord-1234"}"#
        let bad = #"{"a":"b",}"#
        var lent: [UInt8] = Array("stale bytes".utf8)
        for (text, expected) in [(body, masked), (clean, clean), (bad, nil), (body, masked), ("", "")] {
            let framing = BodyFraming.contentLength(UInt64(text.utf8.count))
            let split = [String(text.prefix(5)), String(text.dropFirst(5))]
            if let expected {
                XCTAssertEqual(try mask(p, json, framing, split).get().1, expected)
            } else {
                XCTAssertEqual(code(mask(p, json, framing, split)), "response_malformed")
            }
            guard case .success(let m) = ResponseBodyMasker.begin(p, headers: PolicyTest.headers(json), framing: framing) else {
                return XCTFail()
            }
            m.lendBuffer(&lent)
            var out: [UInt8] = []
            XCTAssertNil(Array(text.utf8).withUnsafeBytes { m.append($0, into: &out) }, "problems wait for finish")
            XCTAssertTrue(out.isEmpty, "nothing before finish")
            let problem = m.finish(into: &out)
            if let expected {
                XCTAssertNil(problem)
                XCTAssertEqual(String(decoding: out, as: UTF8.self), expected)
            } else {
                XCTAssertEqual(problem?.code, "response_malformed")
            }
            lent = m.takeBuffer()
            XCTAssertTrue(lent.isEmpty)
        }
    }

    func testChunkedJSONIsStreamedAndSSEStreamedWhateverTheFraming() throws {
        let p = try XCTUnwrap(try plan("crm").0)
        let r = mask(p, [("Content-Type", "application/json; charset=utf-8")], .chunked, [#"{"pan":"4111 11"#, #"11 1111 1111"}"#])
        guard case .success(let (mode, out)) = r else { return XCTFail("\(r)") }
        XCTAssertEqual(mode, .streaming)
        XCTAssertEqual(out, #"{"pan":"**** **** **** 1111"}"#)
        for ct in [" Application/JSON ; charset=utf-8", "application/problem+json", "APPLICATION/VND.API+JSON"] {
            // JSON by content type: the escape is decoded and the masked number becomes a string
            let j = mask(p, [("Content-Type", ct)], .chunked, [#"{"a":"x\u0040example.com","n":4111111111111111}"#])
            guard case .success(let (_, jout)) = j else { return XCTFail("\(j)") }
            XCTAssertEqual(jout, #"{"a":"*@******e.com","n":"************1111"}"#, ct)
        }
        // not JSON: scanned as text, so the escaped form is not an email
        let t = mask(p, [("Content-Type", "application/jsonx")], .chunked, [#"{"a":"x\u0040example.com"}"#])
        guard case .success(let (_, tout)) = t else { return XCTFail("\(t)") }
        XCTAssertEqual(tout, #"{"a":"x\u0040example.com"}"#)
        let sse = mask(p, [("Content-Type", "text/event-stream")], .contentLength(40), ["data: 4111 1111 1111 1111\n\n"])
        guard case .success(let (smode, sout)) = sse else { return XCTFail("\(sse)") }
        XCTAssertEqual(smode, .streaming)
        XCTAssertEqual(sout, "data: **** **** **** 1111\n\n")
    }

    func testRefusals() throws {
        let p = try XCTUnwrap(try plan("crm").0)
        XCTAssertEqual(code(mask(p, [("Content-Encoding", "gzip")], .contentLength(3), ["abc"])), "response_uninspectable")
        XCTAssertEqual(code(mask(p, [("Content-Encoding", "identity, br")], .chunked, ["abc"])), "response_uninspectable")
        XCTAssertNil(code(mask(p, [("Content-Encoding", "identity")], .contentLength(3), ["abc"])))
        XCTAssertEqual(code(mask(p, [], .contentLength(UInt64(p.bodyLimit + 1)), [])), "response_too_large")
        XCTAssertEqual(code(mask(p, [("Content-Type", "application/json")], .contentLength(9), [#"{"a":"b",}"#])), "response_malformed")
        XCTAssertEqual(code(mask(p, [("Content-Type", "application/json")], .chunked, [#"{"a":"b"#, #"" x}"#])), "response_malformed")
        XCTAssertEqual(code(mask(p, [("Content-Type", "application/json")], .chunked, [#"{"a":"#])), "response_malformed")
    }

    func testFieldMasksBufferAnyFramingAndRefuseEventStreams() throws {
        let p = try XCTUnwrap(try plan("tax").0)
        let body = #"{"customers":[{"name":"a","tax_id":"12-3456789"},{"name":"b","tax_id":987}]}"#
        let r = mask(p, [("Content-Type", "application/json")], .chunked, [String(body.prefix(20)), String(body.dropFirst(20))])
        guard case .success(let (mode, out)) = r else { return XCTFail("\(r)") }
        XCTAssertEqual(mode, .wholeBody)
        XCTAssertEqual(out, #"{"customers":[{"name":"a","tax_id":"[REDACTED:field:customers.*.tax_id]"},{"name":"b","tax_id":"[REDACTED:field:customers.*.tax_id]"}]}"#)
        XCTAssertEqual(code(mask(p, [("Content-Type", "text/event-stream")], .chunked, ["data: x\n\n"])), "response_uninspectable")
        XCTAssertEqual(code(mask(p, [("Content-Type", "text/plain")], .chunked, ["not json"])), "response_malformed")
    }
    /// The fields a masked response drops: the body digests and the length, in any case; nothing else.
    func testDroppedFieldsOfAMaskedResponse() {
        func dropped(_ name: String) -> Bool {
            Array(name.utf8).withUnsafeBytes { ResponseBodyMasker.isDroppedFromMaskedResponse($0) }
        }
        for name in ResponseBodyMasker.bodyDigestHeaders + ["content-length"] {
            XCTAssertTrue(dropped(name), name)
            XCTAssertTrue(dropped(name.uppercased()), name)
            XCTAssertTrue(dropped(name.prefix(1).uppercased() + name.dropFirst()), name)
        }
        // `\r` | 0x20 is `-`: only letters may fold.
        for name in ["content-type", "etags", "Date", "x-digest", "content-lengt", "Content-Location", "", "e", "content\rlength"] {
            XCTAssertFalse(dropped(name), name)
        }
    }

    /// The word-at-a-time comparison against a byte-wise reference: every
    /// dropped name with each of its bytes replaced by every byte value
    /// (in names of 4 to 14 bytes: the short loop, and whole and
    /// overlapping words).
    func testDroppedFieldsMatchByteWiseReference() {
        let names = ResponseBodyMasker.bodyDigestHeaders + ["content-length"]
        func reference(_ bytes: [UInt8]) -> Bool {
            let lowered = bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
            return names.contains { Array($0.utf8) == lowered }
        }
        for name in names {
            let base = Array(name.utf8)
            for k in base.indices {
                for v in 0...255 {
                    var bytes = base
                    bytes[k] = UInt8(v)
                    let got = bytes.withUnsafeBytes { ResponseBodyMasker.isDroppedFromMaskedResponse($0) }
                    XCTAssertEqual(got, reference(bytes), "\(name) with byte \(k) = \(v)")
                }
            }
        }
    }

    /// `Content-Type` in any case, with parameters and spaces: JSON is
    /// validated (a malformed body is refused), anything else is text.
    func testMediaTypeInAnyCase() throws {
        let p = try XCTUnwrap(try plan("crm").0)
        let bad = #"{"card": "4111 1111 1111 1111""#
        for type in ["APPLICATION/JSON", "Application/Json; charset=utf-8", " application/vnd.api+JSON ", "text/x+Json"] {
            XCTAssertEqual(code(mask(p, [("Content-Type", type)], .contentLength(UInt64(bad.utf8.count)), [bad])),
                           "response_malformed", type)
        }
        for type in ["application/jsonx", "application/json5", "json", "application/jso", "APPLICATION/JSON+X"] {
            XCTAssertNil(code(mask(p, [("Content-Type", type)], .contentLength(UInt64(bad.utf8.count)), [bad])), type)
        }
    }
}
