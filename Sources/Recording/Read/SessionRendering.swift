/// Human-readable and JSON renderings of what the reader returns, for the
/// `gatehouse sessions` subcommands. Pure functions: the CLI prints them.
public enum SessionRendering {
    /// `sessions list`: a fixed-width table, newest first, one line per session.
    public static func table(_ sessions: [SessionSummary]) -> String {
        let header = ["ID", "STARTED", "LAST SEEN", "SUBJECT", "ROUTE", "EXCH", "OUTCOMES"]
        var rows = [header]
        for s in sessions {
            rows.append([String(s.id), RecordingClock.rfc3339(millis: s.startedAt), RecordingClock.rfc3339(millis: s.lastSeen),
                         s.subject ?? (s.keyKind == "address" ? "(\(s.key))" : "-"), s.firstRoute,
                         String(s.exchangeCount), s.outcomeSummary])
        }
        var widths = [Int](repeating: 0, count: header.count)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        return rows.map { r in
            r.enumerated().map { i, c in i == r.count - 1 ? c : c + String(repeating: " ", count: widths[i] - c.count) }
                .joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    /// `sessions list --json`: a JSON array of session objects.
    public static func json(_ sessions: [SessionSummary]) -> String {
        "[" + sessions.map(json).joined(separator: ",") + "]"
    }

    /// One session as a JSON object.
    public static func json(_ s: SessionSummary) -> String {
        var w = JSONObjectWriter()
        w.int("id", s.id)
        w.string("key_kind", s.keyKind)
        w.string("key", s.key)
        w.string("started_at", RecordingClock.rfc3339(millis: s.startedAt))
        w.string("last_seen", RecordingClock.rfc3339(millis: s.lastSeen))
        w.string("subject", s.subject)
        w.string("client_id", s.clientID)
        w.string("client_address", s.clientAddress)
        w.string("first_route", s.firstRoute)
        w.int("exchanges", Int64(s.exchangeCount))
        w.int("completed", Int64(s.completedCount))
        w.int("denied", Int64(s.deniedCount))
        w.int("failed", Int64(s.failedCount))
        w.int("abandoned", Int64(s.abandonedCount))
        w.int("in_flight", Int64(s.inFlightCount))
        w.int("bytes_in", s.bytesIn)
        w.int("bytes_out", s.bytesOut)
        return w.finish()
    }

    /// Longest body prefix shown in a transcript.
    public static let transcriptBodyLimit = 4096

    /// `sessions show`: the session's header, then each exchange's request,
    /// decisions, response and timings.
    public static func transcript(_ s: SessionSummary, _ exchanges: [RecordedExchange]) -> String {
        var t = "Session \(s.id) (\(s.keyKind) \(s.key))\n"
        t += "  identity: \(s.subject ?? "-")\(s.clientID.map { " client \($0)" } ?? "") from \(s.clientAddress)\n"
        t += "  \(RecordingClock.rfc3339(millis: s.startedAt)) .. \(RecordingClock.rfc3339(millis: s.lastSeen))\n"
        t += "  \(s.exchangeCount) exchanges: \(s.outcomeSummary); bytes in \(s.bytesIn), out \(s.bytesOut)\n"
        for (n, e) in exchanges.enumerated() {
            t += "\n[\(n + 1)] \(RecordingClock.rfc3339(millis: e.startedAt))  \(e.requestID)  route \(e.route)"
            t += "  \(e.outcome)  (\(e.durability))\n"
            t += "  > \(e.method) \(e.target)\n"
            for h in e.requestHeaders { t += "  > \(h.name): \(h.value)\n" }
            t += bodyLines(e.requestBody, size: e.requestBodySize, truncated: e.requestBodyTruncated, prefix: "  > ")
            for d in e.decisions {
                t += "  * \(d.phase) \(d.decision.stage): \(d.decision.action)"
                if let r = d.decision.ruleID { t += " rule \(r)" }
                if !d.decision.detectors.isEmpty { t += " detectors \(d.decision.detectors.joined(separator: ","))" }
                if d.decision.dryRun { t += " (dry run)" }
                t += "\n"
            }
            if let status = e.responseStatus {
                t += "  < \(status)\n"
                for h in e.responseHeaders { t += "  < \(h.name): \(h.value)\n" }
                t += bodyLines(e.responseBody, size: e.responseBodySize, truncated: e.responseBodyTruncated, prefix: "  < ")
            }
            if let code = e.errorCode { t += "  ! \(code)\(e.errorReason.map { ": \($0)" } ?? "")\n" }
            t += "  timings:\(timings(e.timings)); bytes in \(e.bytesIn), out \(e.bytesOut)"
            if let u = e.upstreamAddress { t += "; upstream \(u)" }
            t += "\n"
        }
        return t
    }

    private static func bodyLines(_ body: [UInt8], size: Int, truncated: Bool, prefix: String) -> String {
        if size == 0 { return "" }
        let shown = Array(body.prefix(transcriptBodyLimit))
        var t = "\(prefix)\n"
        if let text = String(validating: shown, as: UTF8.self) {
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) { t += "\(prefix)\(line)\n" }
        } else {
            t += "\(prefix)<\(shown.count) bytes of binary data>\n"
        }
        if truncated || shown.count < body.count {
            t += "\(prefix)[\(shown.count) of \(size) bytes shown\(truncated ? "; stored copy truncated at \(body.count)" : "")]\n"
        }
        return t
    }

    private static func timings(_ t: PhaseTimings) -> String {
        let parts = [("request", t.request), ("policy", t.policy), ("hold", t.hold), ("connect", t.connect),
                     ("first byte", t.firstByte), ("total", t.total)]
        let shown = parts.compactMap { name, ns in ns.map { " \(name) \(millis($0))" } }
        return shown.isEmpty ? " -" : shown.joined(separator: ",")
    }

    private static func millis(_ ns: UInt64) -> String {
        let us = ns / 1000
        let frac = String(us % 1000)
        return "\(us / 1000).\(String(repeating: "0", count: 3 - frac.count))\(frac) ms"
    }
}
