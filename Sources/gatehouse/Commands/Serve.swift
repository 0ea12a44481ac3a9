#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import CLinuxShims
import GatehouseCore
import Gateway
import GatewayConfig
import Inspection

/// `gatehouse serve --config PATH`: runs the daemon until SIGTERM/SIGINT,
/// then drains and exits 0.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the gateway.")

    @Option(name: .long, help: "Path to the gatehouse JSON config.")
    var config: String

    func run() throws {
        // Block the lifecycle signals before any thread starts, so every
        // thread inherits the mask and only the signalfd below sees them.
        let signals: [Int32] = [SIGTERM, SIGINT, SIGHUP]
        _ = signals.withUnsafeBufferPointer { gh_block_signals($0.baseAddress, Int32($0.count)) }
        signal(SIGPIPE, SIG_IGN)
        let sfd = signals.withUnsafeBufferPointer { gh_signalfd_for($0.baseAddress, Int32($0.count)) }
        if sfd < 0 {
            printToStderr("gatehouse: \(SystemError("signalfd"))")
            throw ExitCode(1)
        }

        let loaded: GatehouseConfig
        switch ConfigLoader.load(path: config) {
        case .success(let c): loaded = c
        case .failure(let errors):
            printToStderr(errors.description)
            throw ExitCode(1)
        }

        if loaded.identityNotice != nil {
            LogSink.shared.line("{\"level\":\"warn\",\"msg\":\"identity is OFF on every route: no identity issuers are configured; agents reach upstreams without a verified token\"}")
        }
        let server: GatewayServer
        do {
            server = try GatewayServer(config: loaded)
            try server.start()
        } catch {
            printToStderr("gatehouse: cannot start: \(error)")
            throw ExitCode(1)
        }
        if PatternDatabase.runtimeBypassesDispatch {
            // Only on a CPU where the Hyperscan library's own choice misses matches (Docs/INSPECTION.md).
            LogSink.shared.line("{\"level\":\"warn\",\"msg\":\"pattern engine: the installed Hyperscan library misses matches with its own choice of matcher for this CPU; scanning with another build of it\",\"entry\":\"\(PatternDatabase.runtimeDescription.prefix { $0 != " " })\"}")
        }
        let addrs = server.listenAddresses.map(\.description).joined(separator: ",")
        LogSink.shared.line("{\"level\":\"info\",\"msg\":\"gatehouse started\",\"version\":\"\(Gatehouse.version)\",\"listen\":\"\(addrs)\",\"loops\":\(loaded.loops),\"pid\":\(getpid())}")

        while true {
            var pfd = pollfd(fd: sfd, events: Int16(POLLIN), revents: 0)
            let rc = poll(&pfd, 1, -1)
            if rc < 0 && errno == EINTR { continue }
            let signo = gh_signalfd_read(sfd)
            if signo == SIGTERM || signo == SIGINT {
                LogSink.shared.line("{\"level\":\"info\",\"msg\":\"draining\",\"signal\":\(signo)}")
                server.drain()
                server.waitUntilStopped()
                LogSink.shared.line("{\"level\":\"info\",\"msg\":\"stopped\"}")
                LogSink.shared.flush()
                return
            }
            if signo == SIGHUP {
                // Certificates are re-read from their files; the rest of the
                // config is not reloaded yet (Docs/OPERATIONS.md).
                LogSink.shared.line("{\"level\":\"info\",\"msg\":\"SIGHUP received; reloading TLS certificates\"}")
                server.reloadCertificates()
            }
        }
    }
}

func printToStderr(_ text: String) {
    var t = text
    if !t.hasSuffix("\n") { t += "\n" }
    var bytes = Array(t.utf8)
    var off = 0
    while off < bytes.count {
        let n = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress! + off, $0.count - off) }
        if n <= 0 { break }
        off += n
    }
}
