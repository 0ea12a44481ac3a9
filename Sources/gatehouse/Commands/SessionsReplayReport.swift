import GatewayConfig
import Recording

/// The text `sessions replay` prints: one block per request (recorded
/// status against the new one) and a summary of the differences.
struct ReplayReport {
    /// What happened to one replayed request.
    enum Result {
        case answered(ReplayResponse)
        case failed(String)
        case skipped(String)
    }

    private(set) var sent = 0
    private(set) var sameStatus = 0
    private(set) var errors = 0
    private(set) var skipped = 0
    private(set) var bodiesDiffer = 0
    /// `[2] 200 -> 500` for each status that changed.
    private(set) var statusChanges: [String] = []

    /// Records one request's result and returns its lines.
    mutating func add(_ request: ReplayRequest, _ result: Result) -> String {
        let e = request.exchange
        var text = "[\(request.index)] \(request.method) \(request.target)  recorded \(Self.recorded(e))"
        switch result {
        case .skipped(let reason):
            skipped += 1
            text += "  skipped: \(reason)\n"
        case .failed(let message):
            sent += 1
            errors += 1
            text += "  error: \(message)\n"
        case .answered(let response):
            sent += 1
            if response.status == e.responseStatus {
                sameStatus += 1
                text += "  now \(response.status)  same\n"
            } else {
                statusChanges.append("[\(request.index)] \(e.responseStatus.map(String.init) ?? "-") -> \(response.status)")
                text += "  now \(response.status)  DIFFERENT\n"
            }
            if let note = Self.bodyDifference(e, response) {
                bodiesDiffer += 1
                text += "    \(note)\n"
            }
        }
        text += Self.droppedNote(request)
        return text
    }

    /// The closing summary.
    var summary: String {
        var text = "\nSummary: \(sent) sent, \(sameStatus) same status, \(statusChanges.count) different status, "
            + "\(errors) errors, \(skipped) skipped; \(bodiesDiffer) response bodies differ\n"
        if !statusChanges.isEmpty { text += "Status differences: \(statusChanges.joined(separator: ", "))\n" }
        return text
    }

    /// The `--dry-run` output: every request exactly as it would be sent.
    static func dryRun(_ requests: [ReplayRequest], sessionID: Int64, target: UpstreamURL) -> String {
        var text = "Dry run: would replay session \(sessionID) (\(requests.count) requests) to \(target); nothing is sent.\n"
        for r in requests {
            text += "\n[\(r.index)] \(r.method) \(r.target)  recorded \(recorded(r.exchange))\n"
            if let reason = r.skipReason {
                text += "    would skip: \(reason)\n"
                continue
            }
            text += "    > \(r.method) \(r.target) HTTP/1.1\n"
            for h in r.headers { text += "    > \(h.name): \(h.value)\n" }
            if !r.body.isEmpty { text += "    > (body: \(r.body.count) bytes)\n" }
            text += droppedNote(r)
        }
        return text
    }

    /// `200`, `403 (denied)`, or `- (in_flight)` when no status was recorded.
    static func recorded(_ e: RecordedExchange) -> String {
        let status = e.responseStatus.map(String.init) ?? "-"
        return e.outcome == Outcome.completed.rawValue ? status : "\(status) (\(e.outcome))"
    }

    private static func droppedNote(_ r: ReplayRequest) -> String {
        guard !r.droppedRedacted.isEmpty else { return "" }
        return "    not re-sent: \(r.droppedRedacted.joined(separator: ", ")) (redacted in the recording; the credential was never stored)\n"
    }

    /// A note when the new body differs from a complete recorded body.
    private static func bodyDifference(_ e: RecordedExchange, _ r: ReplayResponse) -> String? {
        guard e.responseStatus != nil, !e.responseBodyTruncated, e.responseBody.count == e.responseBodySize,
              r.body.count == r.bodySize else { return nil }
        if e.responseBody == r.body { return nil }
        return "response body differs (recorded \(e.responseBodySize) bytes, now \(r.bodySize) bytes)"
    }
}
