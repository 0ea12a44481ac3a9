import ArgumentParser
import Recording

/// `gatehouse sessions export --format jsonl`: one JSON object per
/// exchange, in the order exchanges finished (those still in flight last),
/// for SIEM ingestion.
struct SessionsExport: SessionsSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write exchanges as JSON Lines (one object per exchange, in the order they finished) to standard output.")

    @OptionGroup var database: SessionsDatabaseOptions
    @OptionGroup var filters: SessionsFilterOptions

    @Option(name: .long, help: "Output format; only jsonl is supported.")
    var format: String = "jsonl"

    @Option(name: .long, help: "Only this session's exchanges.")
    var session: String?

    @Option(name: .long, help: "Most exchanges written (default: all).")
    var limit: Int?

    func perform(to out: SessionsOutput, now: Int64) throws {
        guard format == "jsonl" else { throw SessionsFailure("--format must be jsonl; got \"\(format)\"") }
        try SessionsFilterOptions.checkLimit(limit)
        let resolved = try filters.resolve(now: now)
        let sessionID = try session.map { text throws(SessionsFailure) in try SessionsShow.parseID(text) }
        let (reader, _) = try database.openReader()
        let query = ExchangeQuery(since: resolved.since, until: resolved.until, subject: filters.subject,
                                  route: filters.route, action: filters.decision, outcome: resolved.outcome,
                                  sessionID: sessionID, limit: limit)
        try reader.exportJSONL(query) { out.write(bytes: $0) }
    }
}
