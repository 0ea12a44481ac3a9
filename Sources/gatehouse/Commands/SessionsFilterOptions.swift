import ArgumentParser
import Recording

/// The filters shared by `sessions list` and `sessions export`.
struct SessionsFilterOptions: ParsableArguments {
    @Option(name: .long, help: "Only activity at or after this time: RFC 3339 (2026-01-02T03:04:05Z), a date, or a duration back from now (15m, 2h, 7d).")
    var since: String?

    @Option(name: .long, help: "Only activity that started at or before this time (same forms as --since).")
    var until: String?

    @Option(name: .long, help: "Only this verified subject.")
    var subject: String?

    @Option(name: .long, help: "Only this route.")
    var route: String?

    @Option(name: .long, help: "Only with a policy decision of this action (deny, mask, hold, allow, …).")
    var decision: String?

    @Option(name: .long, help: "Only with an exchange of this outcome (completed, denied, failed, abandoned, in_flight).")
    var outcome: String?

    /// The parsed `--since`, `--until` and `--outcome`.
    struct Resolved {
        var since: Int64?
        var until: Int64?
        var outcome: Outcome?
    }

    func resolve(now: Int64) throws(SessionsFailure) -> Resolved {
        func time(_ name: String, _ text: String?) throws(SessionsFailure) -> Int64? {
            guard let text else { return nil }
            guard let t = SessionsTime.parse(text, now: now) else {
                throw SessionsFailure("--\(name) must be \(SessionsTime.usage); got \"\(text)\"")
            }
            return t
        }
        var resolved = Resolved(since: try time("since", since), until: try time("until", until))
        if let outcome {
            guard let o = Outcome(rawValue: outcome) else {
                let all = Outcome.allCases.map(\.rawValue).joined(separator: ", ")
                throw SessionsFailure("--outcome must be one of \(all); got \"\(outcome)\"")
            }
            resolved.outcome = o
        }
        return resolved
    }

    /// Checks `--limit` (when given) is positive.
    static func checkLimit(_ limit: Int?) throws(SessionsFailure) {
        if let limit, limit < 1 { throw SessionsFailure("--limit must be at least 1; got \(limit)") }
    }
}
