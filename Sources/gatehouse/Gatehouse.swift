import ArgumentParser

/// The `gatehouse` command line.
@main
struct Gatehouse: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "gatehouse",
        abstract: "A policy gateway between AI agents and internal HTTP services.",
        version: version,
        subcommands: [Serve.self, Check.self, Explain.self, SessionsCommand.self]
    )
}
