import ArgumentParser
import Recording

/// `gatehouse sessions list`: sessions, newest first, as a table or JSON.
struct SessionsList: SessionsSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List recorded sessions, newest first.")

    @OptionGroup var database: SessionsDatabaseOptions
    @OptionGroup var filters: SessionsFilterOptions

    @Option(name: .long, help: "Most sessions listed.")
    var limit: Int = 100

    @Flag(name: .long, help: "Print a JSON array instead of a table.")
    var json = false

    func perform(to out: SessionsOutput, now: Int64) throws {
        try SessionsFilterOptions.checkLimit(limit)
        let resolved = try filters.resolve(now: now)
        let (reader, _) = try database.openReader()
        let query = SessionQuery(since: resolved.since, until: resolved.until, subject: filters.subject,
                                 route: filters.route, action: filters.decision, outcome: resolved.outcome,
                                 limit: limit)
        let sessions = try reader.listSessions(query)
        out.write(json ? SessionRendering.json(sessions) + "\n" : SessionRendering.table(sessions))
    }
}
