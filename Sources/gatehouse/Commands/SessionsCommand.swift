import ArgumentParser

/// `gatehouse sessions …`: browse, export and replay the session recording.
/// Every subcommand reads the database read-only, safely while the daemon
/// writes to it.
struct SessionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sessions",
        abstract: "Browse, export and replay recorded sessions (read-only; safe while the daemon runs).",
        subcommands: [SessionsList.self, SessionsShow.self, SessionsExport.self, SessionsReplay.self])
}
