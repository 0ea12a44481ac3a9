import GatehouseCore

/// The export format: one JSON object per exchange (JSON Lines), stable
/// field names, for SIEM ingestion. Docs/RECORDING.md lists the fields.
/// Bodies that are valid UTF-8 are given as `body`; others as `body_base64`.
public enum ExchangeJSON {
    /// The exchange as one JSON object (no trailing newline).
    public static func encode(_ e: RecordedExchange) -> String {
        var out: [UInt8] = []
        append(e, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func append(_ e: RecordedExchange, to out: inout [UInt8]) {
        var w = JSONObjectWriter()
        w.int("id", e.id)
        w.string("request_id", e.requestID)
        w.int("session_id", e.sessionID)
        w.string("time", RecordingClock.rfc3339(millis: e.startedAt))
        w.int("started_at_ms", e.startedAt)
        w.int("finished_at_ms", e.finishedAt)
        w.string("route", e.route)
        w.string("client_address", e.clientAddress)
        if let id = e.identity {
            var iw = JSONObjectWriter()
            iw.string("subject", id.subject)
            iw.string("client_id", id.clientID)
            iw.raw("groups", JSONFragments.strings(id.groups))
            w.raw("identity", iw.finish())
        } else {
            w.raw("identity", "null")
        }
        w.string("method", e.method)
        w.string("target", e.target)

        var req = JSONObjectWriter()
        req.raw("headers", JSONFragments.headers(e.requestHeaders))
        body(e.requestBody, size: e.requestBodySize, truncated: e.requestBodyTruncated, into: &req)
        w.raw("request", req.finish())

        var resp = JSONObjectWriter()
        resp.int("status", e.responseStatus.map(Int64.init))
        resp.raw("headers", JSONFragments.headers(e.responseHeaders))
        body(e.responseBody, size: e.responseBodySize, truncated: e.responseBodyTruncated, into: &resp)
        w.raw("response", resp.finish())

        var decisions = "["
        for (i, d) in e.decisions.enumerated() {
            var dw = JSONObjectWriter()
            dw.string("phase", d.phase)
            dw.string("stage", d.decision.stage)
            dw.string("rule_id", d.decision.ruleID)
            dw.string("action", d.decision.action)
            dw.raw("detectors", JSONFragments.strings(d.decision.detectors))
            dw.bool("dry_run", d.decision.dryRun)
            decisions += (i > 0 ? "," : "") + dw.finish()
        }
        w.raw("decisions", decisions + "]")

        var tw = JSONObjectWriter()
        let t = e.timings
        for (k, v) in [("request", t.request), ("policy", t.policy), ("hold", t.hold), ("connect", t.connect),
                       ("first_byte", t.firstByte), ("total", t.total)] {
            tw.int(k, v.map { Int64($0 / 1000) })
        }
        w.raw("timings_us", tw.finish())
        w.int("bytes_in", e.bytesIn)
        w.int("bytes_out", e.bytesOut)
        w.string("upstream", e.upstreamAddress)
        w.string("error_code", e.errorCode)
        w.string("error_reason", e.errorReason)
        w.string("outcome", e.outcome)
        w.string("durability", e.durability)
        out.append(contentsOf: w.finish().utf8)
    }

    private static func body(_ bytes: [UInt8], size: Int, truncated: Bool, into w: inout JSONObjectWriter) {
        if let text = String(validating: bytes, as: UTF8.self) {
            w.string("body", text)
        } else {
            w.string("body_base64", Base64.encode(bytes))
        }
        w.int("body_size", Int64(size))
        w.bool("body_truncated", truncated)
    }
}

/// Builds one JSON object, member by member.
struct JSONObjectWriter {
    private var bytes: [UInt8] = [UInt8(ascii: "{")]

    private mutating func key(_ k: String) {
        if bytes.count > 1 { bytes.append(UInt8(ascii: ",")) }
        JSONOutput.appendString(k, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func string(_ k: String, _ v: String?) {
        key(k)
        if let v { JSONOutput.appendString(v, to: &bytes) } else { bytes.append(contentsOf: "null".utf8) }
    }

    mutating func int(_ k: String, _ v: Int64?) {
        key(k)
        if let v { JSONOutput.appendInt(v, to: &bytes) } else { bytes.append(contentsOf: "null".utf8) }
    }

    mutating func bool(_ k: String, _ v: Bool) {
        key(k)
        bytes.append(contentsOf: (v ? "true" : "false").utf8)
    }

    /// A member whose value is already-valid JSON text.
    mutating func raw(_ k: String, _ json: String) {
        key(k)
        bytes.append(contentsOf: json.utf8)
    }

    func finish() -> String {
        String(decoding: bytes + [UInt8(ascii: "}")], as: UTF8.self)
    }
}
