#if canImport(Glibc)
import Glibc
#endif
import GatehouseCore
import GatewayConfig
import Identity
import Policy
import Reactor
import Recording
import Synchronization
import TLS

/// The daemon: N event loops (one thread each), each with its own
/// SO_REUSEPORT listener per configured listener, sharing one immutable
/// `RuntimeConfig`.
///
/// Lifecycle: `start()` binds and starts the loops; `drain()` (SIGTERM,
/// SIGINT) stops accepting, lets in-flight exchanges finish up to the drain
/// deadline, then stops; `waitUntilStopped()` blocks until every loop ended.
public final class GatewayServer: Sendable {
    public let config: RuntimeConfig
    /// Internal (not private) so tests can reach the recorder.
    let shared: GatewayShared
    private let loops: [EventLoop]
    private let contexts = Mutex<[Int: LoopBound<LoopContext>]>([:])
    private let stoppedLoops = Atomic<Int>(0)
    private let boundAddresses = Mutex<[SocketAddress]>([])
    private let started = Atomic<Bool>(false)
    private let stopping = Atomic<Bool>(false)
    /// Per listener (config order): the replaceable server context, nil for plain HTTP.
    private let listenerTLS: [ListenerTLS?]
    /// Fetches issuers' discovery and JWKS documents; nil without issuers
    /// or when the caller supplied its own fetcher.
    private let identityClient: InternalHTTPClient?

    /// Prepares the loops. Resolves upstream names (blocking): call off-loop.
    /// The identity stage (when issuers are configured) runs first, then the
    /// policy stage, then `stages`. `documentFetcher` replaces the internal
    /// HTTP client for key fetches (tests).
    public init(config: GatehouseConfig, stages: [any RequestStage] = [],
                documentFetcher: (any DocumentFetcher)? = nil) throws {
        var allStages: [any RequestStage] = []
        var client: InternalHTTPClient? = nil
        if config.identity?.issuers.isEmpty == false {
            let fetcher: any DocumentFetcher
            if let documentFetcher {
                fetcher = documentFetcher
            } else {
                let c = try InternalHTTPClient(name: "gh-identity")
                client = c
                fetcher = InternalDocumentFetcher(client: c)
            }
            if let stage = IdentitySetup.stage(for: config, fetcher: fetcher) { allStages.append(stage) }
        }
        identityClient = client
        if let compiled = PolicySetup.compile(config) {
            guard let policy = compiled.policy, !compiled.hasErrors else {
                throw PolicyLoadError(diagnostics: compiled.diagnostics.filter { !$0.contains(": warning:") })
            }
            allStages.append(try PolicySetup.stage(for: policy))
        }
        allStages.append(contentsOf: stages)
        self.config = try RuntimeConfig(config: config, stages: allStages)
        var tls: [ListenerTLS?] = []
        for listener in config.listeners {
            if let context = try TLSSetup.serverContext(for: listener, in: config) {
                Self.logCertificate(context, listener: listener.name, event: "serving")
                tls.append(ListenerTLS(listener: listener, context: context))
            } else {
                tls.append(nil)
            }
        }
        listenerTLS = tls
        var recorder: Recorder? = nil
        if let rc = RecorderSetup.configuration(for: config) {
            recorder = try Recorder(configuration: rc)
        }
        shared = GatewayShared(maxConnections: config.limits.maxConnections, recorder: recorder)
        var built: [EventLoop] = []
        for i in 0..<max(1, config.loops) { built.append(try EventLoop(index: i)) }
        loops = built
    }

    /// The addresses actually bound, in listener order (ports resolved when 0 was configured).
    public var listenAddresses: [SocketAddress] { boundAddresses.withLock { $0 } }

    /// Binds every listener on every loop and starts the loop threads.
    public func start() throws(SystemError) {
        precondition(!started.exchange(true, ordering: .acquiringAndReleasing), "start() called twice")
        // Bind on the calling thread so bind errors surface here.
        var perLoopFDs: [[(Int32, String, ListenerTLS?)]] = Array(repeating: [], count: loops.count)
        var bound: [SocketAddress] = []
        do throws(SystemError) {
            for (li, l) in config.source.listeners.enumerated() {
                guard var address = SocketAddress(ip: l.address, port: l.port) else {
                    throw SystemError("inet_pton", errno: EINVAL, note: "listener \(l.name): \(l.address)")
                }
                for loopIndex in 0..<loops.count {
                    let fd = try Socket.listen(on: address, reusePort: true)
                    if loopIndex == 0 && l.port == 0 {
                        // Every loop must share the ephemeral port the first bind got.
                        let actual = try Socket.localAddress(fd)
                        address = SocketAddress(ip: l.address, port: actual.port)!
                    }
                    perLoopFDs[loopIndex].append((fd, l.name.isEmpty ? "listener-\(li)" : l.name, listenerTLS[li]))
                }
                bound.append(address)
            }
        } catch {
            for fds in perLoopFDs { for (fd, _, _) in fds { Socket.close(fd) } }
            throw error
        }
        boundAddresses.withLock { $0 = bound }

        for (i, loop) in loops.enumerated() {
            let fds = perLoopFDs[i]
            let boundLoop = LoopBound(loop)
            let me = self
            OSThread.spawn(name: "gh-loop-\(i)") {
                let loop = boundLoop.value
                let ctx = LoopContext(loop: loop, shared: me.shared, config: me.config)
                me.contexts.withLock { $0[i] = LoopBound(ctx) }
                for (fd, name, tls) in fds {
                    do throws(SystemError) {
                        ctx.listeners.append(try Listener(fd: fd, name: name, tls: tls, ctx: ctx))
                    } catch {
                        EventLog.emit(level: "error", message: "listener registration failed",
                                      fields: [("error", error.description)])
                        Socket.close(fd)
                    }
                }
                loop.run()
                me.stoppedLoops.wrappingAdd(1, ordering: .releasing)
                _ = ctx  // keep the context alive for the loop's life
            }
        }
        startResolver()
    }

    /// Graceful stop: no new connections; in-flight exchanges finish, up to
    /// the configured drain deadline, then everything left is aborted.
    public func drain() {
        if stopping.exchange(true, ordering: .acquiringAndReleasing) { return }
        let drainNs = config.drainNs
        for loop in loops {
            let boundLoop = LoopBound(loop)
            let me = self
            loop.post {
                guard let ctx = me.contexts.withLock({ $0[boundLoop.value.index] })?.value else {
                    boundLoop.value.stop()
                    return
                }
                let deadline = ctx.loop.now &+ drainNs
                let timer = DrainTimer(ctx: ctx)
                ctx.loop.attach(timer)
                ctx.loop.arm(timer, at: deadline)
                ctx.beginDrain(deadline: deadline)
            }
        }
    }

    /// Re-reads every TLS listener's certificate, chain and key from the
    /// files the config names (SIGHUP; call off the loops). All or nothing:
    /// if any listener's files fail to load, every listener keeps its
    /// current context and the reasons are returned (and logged). New
    /// connections use the new contexts; established ones keep theirs.
    @discardableResult
    public func reloadCertificates() -> [String] {
        var replacements: [(ListenerTLS, TLSContext)] = []
        var problems: [String] = []
        for holder in listenerTLS {
            guard let holder else { continue }
            do throws(TLSSetupError) {
                if let context = try TLSSetup.serverContext(for: holder.config, in: config.source) {
                    replacements.append((holder, context))
                }
            } catch {
                problems.append(error.description)
            }
        }
        if !problems.isEmpty {
            for p in problems {
                EventLog.emit(level: "error", message: "certificate reload failed; keeping the current certificates",
                              fields: [("error", p)])
            }
            return problems
        }
        for (holder, context) in replacements {
            holder.replace(with: context)
            Self.logCertificate(context, listener: holder.listenerName, event: "reloaded")
        }
        return []
    }

    /// Logs what a listener serves; warns when it expires within 14 days
    /// (or already has: it still loads, as in nginx, so a mistaken renewal
    /// never takes a listener down).
    private static func logCertificate(_ context: TLSContext, listener: String, event: String) {
        guard let summary = context.certificateSummary else { return }
        let now = Int(time(nil))
        let days = (summary.notAfter - now) / 86_400
        let expired = summary.notAfter <= now
        let fields = [("listener", listener), ("subject", summary.subject), ("not_after", String(summary.notAfter)),
                      ("days_left", String(days))]
        if expired || days < 14 {
            EventLog.emit(level: "warn", message: expired ? "TLS certificate has expired" : "TLS certificate expires soon",
                          fields: fields)
        } else {
            EventLog.emit(level: "info", message: "TLS certificate \(event)", fields: fields)
        }
    }

    /// Blocks until every loop has stopped.
    public func waitUntilStopped() {
        while stoppedLoops.load(ordering: .acquiring) < loops.count { usleep(10_000) }
        // Every loop has stopped: nothing more will be submitted. Drain the
        // recorder's queue, checkpoint, close.
        _ = shared.recorder?.close()
        identityClient?.shutdown()
    }

    /// Open client connections right now (all loops).
    public var openConnections: Int { shared.openConnections }

    /// Re-resolves upstream names every 30 s on its own thread, never on a loop.
    private func startResolver() {
        let targets = config.targets.filter { SocketAddress(ip: $0.url.host, port: $0.url.port) == nil }
        if targets.isEmpty { return }
        let me = self
        OSThread.spawn(name: "gh-resolver") {
            while !me.stopping.load(ordering: .relaxed) {
                for _ in 0..<300 where !me.stopping.load(ordering: .relaxed) { usleep(100_000) }
                for t in targets {
                    do throws(SystemError) {
                        let list = try Resolver.resolve(host: t.url.host, port: t.url.port)
                        t.update(list)
                    } catch {
                        // Keep the last good addresses.
                        EventLog.emit(level: "warn", message: "upstream re-resolution failed; keeping previous addresses",
                                      fields: [("host", t.url.host), ("error", error.description)])
                    }
                }
            }
        }
    }
}

/// Fires at the drain deadline and aborts what is still open.
final class DrainTimer: LoopHandler {
    unowned(unsafe) let ctx: LoopContext
    init(ctx: LoopContext) { self.ctx = ctx }
    override func onTimer(now: UInt64) { ctx.forceClose() }
}
