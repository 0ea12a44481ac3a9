import ArgumentParser
import Recording

/// `gatehouse sessions show ID`: one session's readable transcript.
struct SessionsShow: SessionsSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print a session's transcript: each exchange's request, decisions, response and timings.")

    @OptionGroup var database: SessionsDatabaseOptions

    @Argument(help: "The session ID (from `sessions list`).")
    var id: String

    func perform(to out: SessionsOutput, now: Int64) throws {
        let sessionID = try Self.parseID(id)
        let (reader, path) = try database.openReader()
        guard let session = try reader.session(id: sessionID) else {
            throw SessionsFailure("no session \(sessionID) in \(path)")
        }
        out.write(SessionRendering.transcript(session, try reader.exchanges(sessionID: sessionID)))
    }

    /// A session ID: a positive integer.
    static func parseID(_ text: String) throws(SessionsFailure) -> Int64 {
        guard let n = Int64(text), n > 0 else {
            throw SessionsFailure("session ID must be a positive integer (see `gatehouse sessions list`); got \"\(text)\"")
        }
        return n
    }
}
