import ArgumentParser
import GatewayConfig
import Recording

/// `gatehouse sessions replay ID --target URL [--dry-run]`: re-sends a
/// session's recorded requests, in order, and compares the statuses.
struct SessionsReplay: SessionsSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Re-send a session's recorded requests, in order, to a target and print the status differences.",
        discussion: """
            Headers whose recorded value is a redaction marker (Authorization, Cookie, \
            Proxy-Authorization and configured headers) are not re-sent. Requests whose body was \
            cut at the recording cap are skipped. Exits 1 if a request got no response.
            """)

    @OptionGroup var database: SessionsDatabaseOptions

    @Argument(help: "The session ID (from `sessions list`).")
    var id: String

    @Option(name: .long, help: "Where to send the requests: http://host[:port][/base/path].")
    var target: String

    @Flag(name: .long, help: "Print what would be sent, without sending anything.")
    var dryRun = false

    @Option(name: .long, help: "Time allowed for each request, in milliseconds.")
    var timeoutMs: Int = 10_000

    func perform(to out: SessionsOutput, now: Int64) throws {
        let sessionID = try SessionsShow.parseID(id)
        let url = try Self.parseTarget(target)
        guard timeoutMs >= 1 else { throw SessionsFailure("--timeout-ms must be at least 1; got \(timeoutMs)") }
        let (reader, path) = try database.openReader()
        guard try reader.session(id: sessionID) != nil else { throw SessionsFailure("no session \(sessionID) in \(path)") }
        let requests = ReplayPlan.requests(for: try reader.exchanges(sessionID: sessionID), target: url)
        if dryRun {
            out.write(ReplayReport.dryRun(requests, sessionID: sessionID, target: url))
            return
        }
        out.write("Replaying session \(sessionID) (\(requests.count) requests) to \(url)\n")
        let client = ReplayClient(host: url.host, port: url.port, timeoutMs: timeoutMs)
        var report = ReplayReport()
        for request in requests {
            let result: ReplayReport.Result
            if let reason = request.skipReason {
                result = .skipped(reason)
            } else {
                do {
                    result = .answered(try client.send(request.wireBytes, method: request.method))
                } catch {
                    result = .failed(error.message)
                }
            }
            out.write(report.add(request, result))
        }
        out.write(report.summary)
        if report.errors > 0 {
            throw SessionsFailure("\(report.errors) of \(requests.count) replayed requests got no response")
        }
    }

    /// `http://host[:port][/base/path]`; https is refused for now.
    static func parseTarget(_ text: String) throws(SessionsFailure) -> UpstreamURL {
        if text.lowercased().hasPrefix("https://") {
            throw SessionsFailure("--target must be an http:// URL; https targets are not supported yet")
        }
        do {
            return try UpstreamURL(parsing: text)
        } catch {
            throw SessionsFailure("--target: \(error.message)")
        }
    }
}
