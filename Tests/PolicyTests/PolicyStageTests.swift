import Foundation
import Synchronization
import GatehouseCore
import HTTP1
import Inspection
import Policy
import XCTest

/// The stage's verdicts, driven as the pipeline driver would, without sockets.
final class PolicyStageTests: XCTestCase {
    let policyText = """
    {"route_defaults": {"*": "allow", "locked": "deny"}, "rules": [
      {"id": "no-rm", "match": {"routes": ["mcp"], "methods": ["POST"], "body": [{"path": "method", "equals": "tools/call"}],
        "shell": {"field": "params.arguments.command", "risks": ["rm_rf"]}},
       "action": {"deny": {"status": 403, "message": "destructive shell command"}}},
      {"id": "ddl", "match": {"routes": ["db"], "sql": {"field": "query", "classes": ["ddl"]}}, "action": "require_approval"},
      {"id": "mask-req", "match": {"routes": ["crm"]}, "action": {"mask": {"detectors": ["credit_card"], "fields": ["/customer/ssn"], "strategy": "partial", "direction": "request"}}},
      {"id": "mask-resp", "match": {"routes": ["crm"]}, "action": {"mask": {"detectors": ["us_ssn"], "direction": "response"}}},
      {"id": "audit-db", "match": {"routes": ["db"]}, "action": "audit"}
    ]}
    """

    func stage(limit: Int = 4096) throws -> PolicyStage {
        try PolicyStage(policy: try PolicyTest.compile(policyText), bodyLimit: limit, hashKey: PolicyTest.key)
    }

    func context(route: String, method: String = "POST", target: String = "/", headers: [(String, String)] = [],
                 body: String?) -> ExchangeContext {
        var h = PolicyTest.headers(headers)
        var framing = BodyFraming.none
        if let body {
            h.append(name: "Content-Type", value: "application/json")
            h.append(name: "Content-Length", value: String(body.utf8.count))
            framing = .contentLength(UInt64(body.utf8.count))
        }
        let head = RequestHead(method: method, target: target, headers: h, host: "gw", framing: framing)
        return ExchangeContext(requestID: "req-1", routeName: route, clientAddress: "127.0.0.1:1", head: head)
    }

    /// Runs the stage; on `.needBody` buffers `body` (as the driver does, 413 above the limit) and runs it again.
    func run(_ stage: PolicyStage, _ ctx: inout ExchangeContext, body: String?) -> (verdicts: [String], final: StageVerdict) {
        var verdicts: [String] = []
        var v = stage.evaluate(&ctx)
        if case .needBody(let limit) = v {
            verdicts.append("needBody(\(limit))")
            let bytes = Array((body ?? "").utf8)
            if bytes.count > limit { return (verdicts + ["413"], v) }
            ctx.body = bytes
            v = stage.evaluate(&ctx)
        }
        switch v {
        case .proceed: verdicts.append("proceed")
        case .respond(let r): verdicts.append("respond \(r.status) \(r.code)")
        case .hold: verdicts.append("hold")
        case .needBody(let l): verdicts.append("needBody(\(l)) again")
        }
        return (verdicts, v)
    }

    func testNoBodyNeededWhenNoBodyRuleCanApply() throws {
        let s = try stage()
        var ctx = context(route: "other", body: #"{"method": "tools/call"}"#)
        XCTAssertEqual(run(s, &ctx, body: nil).verdicts, ["proceed"], "route other has no body rules")
        XCTAssertNil(ctx.body)
        var get = context(route: "mcp", method: "GET", body: nil)
        XCTAssertEqual(run(s, &get, body: nil).verdicts, ["proceed"], "GET without a body")
        var locked = context(route: "locked", method: "GET", body: nil)
        XCTAssertEqual(run(s, &locked, body: nil).verdicts, ["respond 403 policy_default_deny"])
        XCTAssertEqual(locked.policyAttributes[PolicyAttributes.outcome], "policy_default_deny")
    }

    func testDenyAfterReadingTheBody() throws {
        let s = try stage()
        let body = #"{"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "shell", "arguments": {"command": "rm -rf ~/"}}}"#
        var ctx = context(route: "mcp", body: body)
        let (verdicts, final) = run(s, &ctx, body: body)
        XCTAssertEqual(verdicts, ["needBody(4096)", "respond 403 policy_denied"])
        guard case .respond(let r) = final else { return XCTFail() }
        XCTAssertEqual(r.message, "destructive shell command")
        XCTAssertEqual(ctx.policyAttributes[PolicyAttributes.decidedBy], "no-rm")
        // What the recorder stores: the rule that decided, once (not again
        // for the run that only asked for the body).
        XCTAssertEqual(ctx.decisions.map(\.ruleID), ["no-rm"])
        XCTAssertEqual(ctx.decisions.map(\.action), ["deny"])
        XCTAssertEqual(ctx.decisions.first?.decided, true)
        let safe = #"{"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "shell", "arguments": {"command": "ls ~/"}}}"#
        var ok = context(route: "mcp", body: safe)
        XCTAssertEqual(run(s, &ok, body: safe).verdicts, ["needBody(4096)", "proceed"])
        XCTAssertEqual(ok.body, Array(safe.utf8), "unchanged body")
    }

    func testRequireApprovalFailsClosed() throws {
        let s = try stage()
        let body = #"{"query": "ALTER TABLE users ADD COLUMN x int"}"#
        var ctx = context(route: "db", body: body)
        XCTAssertEqual(run(s, &ctx, body: body).verdicts, ["needBody(4096)", "respond 403 approval_unavailable"])
        XCTAssertEqual(ctx.policyAttributes[PolicyAttributes.audit], "audit-db")
        XCTAssertEqual(ctx.policyAttributes[PolicyAttributes.matched], "ddl,audit-db")
    }

    func testFailClosedVerdicts() throws {
        let s = try stage(limit: 64)
        let big = #"{"query": "\#(String(repeating: "a", count: 100))"}"#
        var ctx = context(route: "db", body: big)
        XCTAssertEqual(run(s, &ctx, body: big).verdicts, ["needBody(64)", "413"])
        let bad = #"{"query": "#
        var malformed = context(route: "db", body: bad)
        XCTAssertEqual(run(s, &malformed, body: bad).verdicts, ["needBody(64)", "respond 400 body_malformed"])
        var gz = context(route: "db", headers: [("Content-Encoding", "gzip")], body: "{}")
        XCTAssertEqual(run(s, &gz, body: "{}").verdicts, ["needBody(64)", "respond 415 body_uninspectable"])
    }

    func testRequestMasksRewriteTheBufferedBody() throws {
        let s = try stage()
        let body = #"{"customer": {"name": "Ann", "ssn": "536-22-8901", "card": "4111 1111 1111 1111"}, "n": 4111111111111111}"#
        var ctx = context(route: "crm", headers: [("Content-MD5", "abc"), ("Digest", "sha-256=x")], body: body)
        XCTAssertEqual(run(s, &ctx, body: body).verdicts, ["needBody(4096)", "proceed"])
        let masked = String(decoding: try XCTUnwrap(ctx.body), as: UTF8.self)
        XCTAssertEqual(masked, #"{"customer": {"name": "Ann", "ssn": "***-**-8901", "card": "**** **** **** 1111"}, "n": "************1111"}"#)
        XCTAssertFalse(ctx.head.headers.contains("content-md5"))
        XCTAssertFalse(ctx.head.headers.contains("digest"))
        XCTAssertEqual(ctx.policyAttributes[PolicyAttributes.requestMaskRules], "mask-req")
        XCTAssertEqual(ctx.policyAttributes[PolicyAttributes.responseMaskRules], "mask-resp")
        XCTAssertEqual(ctx.policyAttributes[PolicyAttributes.outcome], "allow")
        // The card detector fired (twice); the SSN went by its field mask, which is the rule's, not a label.
        XCTAssertEqual(ctx.requestMaskedLabels, ["credit_card"])
    }

    func testRequestBodyTheMasksCannotRewriteIsRefused() throws {
        let s = try stage()
        let bad = #"{"customer": "#
        var ctx = context(route: "crm", body: bad)
        XCTAssertEqual(run(s, &ctx, body: bad).verdicts, ["needBody(4096)", "respond 400 body_malformed"])
        // The decision allowed; the refusal replaces the outcome in the summary.
        XCTAssertEqual(ctx.policyDecision?.outcome, .allow(ruleID: nil))
        XCTAssertEqual(ctx.policyRefusal, "body_malformed")
        XCTAssertEqual(ctx.policyAttributes[PolicyAttributes.outcome], "body_malformed")
        XCTAssertNil(ctx.policyAttributes[PolicyAttributes.decidedBy])
        XCTAssertEqual(ctx.policyAttributes[PolicyAttributes.requestMaskRules], "mask-req")
        XCTAssertEqual(ctx.decisions.last?.action, "body_malformed")
        XCTAssertNil(ctx.requestMaskedLabels, "masking did not run to the end")
    }

    /// A stage that has seen other requests (and kept their decisions by
    /// route and method, `DecisionCache`) decides each request as a fresh
    /// stage does: kept decisions never stand for ones that read the path,
    /// headers or body, and a refusal stays with its own exchange.
    func testKeptDecisionsEqualFreshOnes() throws {
        let shared = try stage()
        let rm = #"{"method": "tools/call", "params": {"arguments": {"command": "rm -rf ~/"}}}"#
        let ls = #"{"method": "tools/call", "params": {"arguments": {"command": "ls"}}}"#
        let card = #"{"customer": {"card": "4111 1111 1111 1111"}}"#
        let cases: [(route: String, method: String, body: String?)] = [
            ("crm", "GET", nil), ("locked", "GET", nil), ("other", "DELETE", nil),
            ("mcp", "POST", rm), ("mcp", "POST", ls), ("db", "POST", #"{"query": "DROP TABLE t"}"#),
            ("db", "POST", #"{"query": "SELECT 1"}"#), ("crm", "POST", card), ("crm", "POST", #"{"customer": "#),
            ("crm", "POST", card), ("locked", "GET", nil), ("crm", "GET", nil),
        ]
        for _ in 0..<2 {
            for c in cases {
                var kept = context(route: c.route, method: c.method, body: c.body)
                var fresh = context(route: c.route, method: c.method, body: c.body)
                let label = "\(c.method) \(c.route) \(c.body ?? "-")"
                XCTAssertEqual(run(shared, &kept, body: c.body).verdicts, run(try stage(), &fresh, body: c.body).verdicts, label)
                XCTAssertEqual(kept.policyDecision, fresh.policyDecision, label)
                XCTAssertEqual(kept.policyRefusal, fresh.policyRefusal, label)
                XCTAssertEqual(kept.decisions, fresh.decisions, label)
                XCTAssertEqual(kept.body, fresh.body, label)
                XCTAssertEqual(kept.responseMasking?.masks, fresh.responseMasking?.masks, label)
            }
        }
    }

    func testSummaryIsBuiltOnDemandNotWrittenToAttributes() throws {
        let s = try stage()
        var ctx = context(route: "locked", method: "GET", body: nil)
        XCTAssertTrue(ctx.policyAttributes.isEmpty, "no summary before the stage ran")
        XCTAssertEqual(run(s, &ctx, body: nil).verdicts, ["respond 403 policy_default_deny"])
        XCTAssertTrue(ctx.attributes.isEmpty, "the stage writes no attributes")
        var expected: [String: String] = [:]
        PolicyAttributes.record(try XCTUnwrap(ctx.policyDecision), into: &expected)
        XCTAssertEqual(ctx.policyAttributes, expected)
        XCTAssertEqual(expected, [PolicyAttributes.outcome: "policy_default_deny"])
    }

    func testConcurrentEvaluationsEachUseTheirOwnScratch() throws {
        let s = try stage()
        let body = #"{"customer": {"card": "4111 1111 1111 1111"}}"#
        let template = context(route: "crm", body: body)
        let expected = #"{"customer": {"card": "**** **** **** 1111"}}"#
        let wrong = Mutex(0)
        DispatchQueueless.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<50 {
                var ctx = template
                guard case .needBody = s.evaluate(&ctx) else { wrong.withLock { $0 += 1 }; continue }
                ctx.body = Array(body.utf8)
                guard case .proceed = s.evaluate(&ctx),
                      ctx.body.map({ String(decoding: $0, as: UTF8.self) }) == expected else { wrong.withLock { $0 += 1 }; continue }
            }
        }
        XCTAssertEqual(wrong.withLock { $0 }, 0)
    }
}

/// Runs `body` on `iterations` threads at once (no Foundation dispatch needed).
enum DispatchQueueless {
    static func concurrentPerform(iterations: Int, _ body: @escaping @Sendable (Int) -> Void) {
        var threads: [Thread] = []
        let done = Mutex(0)
        for i in 0..<iterations {
            let t = Thread { body(i); done.withLock { $0 += 1 } }
            threads.append(t)
            t.start()
        }
        while done.withLock({ $0 }) < iterations { usleep(1000) }
    }
}
