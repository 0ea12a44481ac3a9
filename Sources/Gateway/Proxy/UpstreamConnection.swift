#if canImport(Glibc)
import Glibc
#endif
import CLinuxShims
import GatehouseCore
import HTTP1
import Policy
import Reactor
import TLS

/// Drives one connection to an upstream: connects (nonblocking, with a
/// deadline), writes the request, parses the response strictly and streams
/// it to its owner. Returns to its pool only after a clean, complete
/// exchange; a connection whose response was malformed, cut short, or
/// followed by unsolicited bytes is closed, never reused. For an `https://`
/// upstream the bytes go through `transport`'s TLS session: the handshake
/// (verification, SNI, session resumption) runs on the first write and
/// reads, within the connect deadline.
final class UpstreamConnection: LoopHandler {
    enum State { case connecting, active, idle, closed }

    let fd: Int32
    let address: SocketAddress
    /// `ip:port`, formatted once per connection for logs.
    let addressDescription: String
    unowned(unsafe) let ctx: LoopContext
    unowned(unsafe) let pool: UpstreamPool
    private(set) var state: State
    var output = ByteQueue()
    private var input = ByteQueue()
    private var parser: ResponseHeadParser
    private var owner: DownstreamConnection?
    private var method = "GET"
    /// The response head has arrived (only what is needed afterwards is kept,
    /// not the head itself: copying heads showed up in the profile).
    private var haveHead = false
    private var responseKeepAlive = false
    private var responseCloseDelimited = false
    private var body = BodyReader(framing: .none)
    private var registeredEvents: UInt32 = 0
    /// The socket, plain or TLS.
    private var transport: StreamTransport
    /// All request bytes are queued (head and body).
    var requestComplete = false
    /// Served at least one exchange before (so it may have gone stale).
    private(set) var wasUsed = false
    private var receivedAny = false
    private(set) var readPaused = false
    private var connectDeadline: UInt64 = 0
    private var responseDeadline: UInt64 = 0
    private var responseTimeoutNs: UInt64 = 0

    private init(fd: Int32, address: SocketAddress, pool: UpstreamPool, ctx: LoopContext, connected: Bool) {
        self.fd = fd
        let target = pool.target
        if let context = target.tls {
            transport = StreamTransport(fd: fd, tls: TLSConnection(client: context, serverName: target.url.host,
                                                                   sessionKey: target.sessionKey))
        } else {
            transport = StreamTransport(fd: fd)
        }
        self.address = address
        self.addressDescription = address.description
        self.pool = pool
        self.ctx = ctx
        self.state = connected ? .active : .connecting
        self.parser = ResponseHeadParser(limits: HTTPLimits(maxRequestLineBytes: 8192, maxHeaderBytes: 65536,
                                                            maxHeaderCount: 200))
        super.init()
    }

    /// Starts a nonblocking connect to `address`.
    static func open(to address: SocketAddress, pool: UpstreamPool, ctx: LoopContext,
                     connectNs: UInt64) throws(SystemError) -> UpstreamConnection {
        // Fail closed: an https upstream is never spoken to in plain text.
        precondition(!pool.target.url.isHTTPS || pool.target.tls != nil, "https upstream without a TLS context")
        let (fd, connected) = try Socket.connect(to: address)
        let conn = UpstreamConnection(fd: fd, address: address, pool: pool, ctx: ctx, connected: connected)
        conn.registeredEvents = GH_EPOLLOUT | GH_EPOLLRDHUP
        do {
            try ctx.loop.register(fd: fd, handler: conn, events: conn.registeredEvents)
        } catch {
            Socket.close(fd)
            throw error
        }
        if !connected || !conn.transport.isEstablished {
            // Covers the TCP connect and, for TLS, the handshake.
            conn.connectDeadline = ctx.loop.now &+ connectNs
            conn.rearmTimer()
        }
        return conn
    }

    /// Whether an idle pooled connection can take a new request.
    var isReusable: Bool { state == .idle && input.isEmpty }

    /// Binds this connection to an exchange.
    func begin(owner: DownstreamConnection, method: String, responseTimeoutNs: UInt64) {
        self.owner = owner
        self.method = method
        self.responseTimeoutNs = responseTimeoutNs
        haveHead = false
        parser.reset()
        requestComplete = false
        receivedAny = false
        readPaused = false
        if state == .idle { state = .active; wasUsed = true }
        responseDeadline = ctx.loop.now &+ responseTimeoutNs
        rearmTimer()
    }

    /// The owner went away; this connection must not call back.
    func detachOwner() { owner = nil }

    // MARK: events

    override func onEvents(_ events: UInt32) {
        switch state {
        case .closed:
            return
        case .idle:
            // An idle pooled connection has nothing to say: data or EOF
            // means it is unusable (e.g. an unsolicited second response).
            // Over TLS the server may still send a late session ticket or
            // a key update, which is no reason to drop the connection.
            if transport.tls != nil, events & (GH_EPOLLRDHUP | GH_EPOLLHUP | GH_EPOLLERR) == 0,
               case .received(0) = transport.receive(into: &input, scratch: ctx.scratch),
               input.isEmpty, transport.pendingEnd == nil {
                return
            }
            pool.remove(self)
            close()
        case .connecting:
            if events & (GH_EPOLLOUT | GH_EPOLLERR | GH_EPOLLHUP) != 0 {
                let err = Socket.pendingError(fd)
                if err != 0 {
                    ctx.logError("upstream connect failed", [("upstream", addressDescription),
                                                             ("error", SystemError("connect", errno: err).description)])
                    fail(GatewayError.upstreamConnectFailed)
                    return
                }
                state = .active
                if transport.isEstablished { connectDeadline = 0 }
                flush()
            }
        case .active:
            if events & GH_EPOLLOUT != 0 { flush() }
            if state != .active { return }
            if events & (GH_EPOLLIN | GH_EPOLLRDHUP | GH_EPOLLHUP | GH_EPOLLERR) != 0 && !readPaused {
                readAvailable()
            }
        }
    }

    private func readAvailable() {
        let wasEstablished = transport.isEstablished
        let r = transport.receive(into: &input, scratch: ctx.scratch)
        switch r {
        case .received(let n):
            if !wasEstablished && transport.isEstablished { handshakeFinished() }
            if n == 0 {
                // Handshake progress or a TLS record without data.
                if !output.isEmpty { flush() }
                updateInterest()
                return
            }
            receivedAny = true
            responseDeadline = ctx.loop.now &+ responseTimeoutNs
            processResponse()
            owner?.flush()
            if let end = transport.pendingEnd, state == .active, !readPaused { streamEnded(end) }
        case .wouldBlock:
            return
        case .closed, .failed, .tlsFailed:
            streamEnded(r)
        }
    }

    /// The upstream's stream ended: `closed` is a clean end (TCP EOF, or
    /// close_notify over TLS); a TLS EOF without close_notify counts as a
    /// reset, so a close-delimited body is never taken as complete.
    private func streamEnded(_ end: StreamTransport.ReceiveResult) {
        switch end {
        case .tlsFailed(let error) where !transport.isEstablished:
            tlsHandshakeFailed(error)
        case .tlsFailed(let error):
            if haveHead || receivedAny {
                ctx.logWarning("upstream TLS stream failed", [("upstream", addressDescription), ("tls", error.description)])
            }
            peerClosed(reset: true)
        case .closed:
            peerClosed(reset: false)
        default:
            peerClosed(reset: true)
        }
    }

    private func handshakeFinished() {
        connectDeadline = 0
        rearmTimer()
    }

    /// Verification failures become 502 `upstream_tls_verify_failed` with the
    /// reason (expired, unknown CA, name mismatch) in the log; other
    /// handshake failures 502 `upstream_tls_handshake_failed`.
    private func tlsHandshakeFailed(_ error: TLSError) {
        ctx.logError("upstream TLS handshake failed",
                     [("upstream", addressDescription), ("host", pool.target.url.host), ("tls", error.code),
                      ("detail", error.detail)])
        if case .verifyFailed = error.kind {
            fail(GatewayError.upstreamTLSVerifyFailed)
        } else {
            fail(GatewayError.upstreamTLSHandshakeFailed)
        }
    }

    private func processResponse() {
        var steps = 0
        while steps < 64, state == .active, let owner, !readPaused {
            steps += 1
            if !haveHead {
                if input.isEmpty { break }
                let result = input.withReadable { parser.parse($0, requestMethod: method) }
                // Consumed: the head moves to the client side (see `upstreamResponseHead`).
                switch consume result {
                case .needMore:
                    updateInterest()
                    return
                case .failed(let error):
                    ctx.logError("malformed upstream response", [("upstream", addressDescription), ("code", error.code)])
                    fail(GatewayError.upstreamMalformed)
                    return
                case .complete(let h, let consumed):
                    input.consume(consumed)
                    if h.status == 101 {
                        fail(GatewayError.upstreamProtocol)
                        return
                    }
                    if h.isInformational {
                        parser.reset()  // 1xx interim responses are not relayed
                        continue
                    }
                    haveHead = true
                    responseKeepAlive = h.keepAlive
                    responseCloseDelimited = h.framing == .untilClose
                    body = BodyReader(framing: h.framing, forResponse: true)
                    owner.upstreamResponseHead(consume h)
                    if let p = owner.responseMaskProblem { fail(p.response, outcome: "response_refused"); return }
                    if body.finished { finishResponse(); return }
                }
            } else {
                if input.isEmpty { break }
                var failure: HTTPParseError?
                let consumed = input.withReadable { bytes -> Int in
                    do throws(HTTPParseError) {
                        return try body.read(bytes) { owner.upstreamBodyData($0) }
                    } catch {
                        failure = error
                        return 0
                    }
                }
                if failure != nil {
                    ctx.logError("malformed upstream body", [("upstream", addressDescription), ("code", failure!.code)])
                    fail(GatewayError.upstreamMalformed)
                    return
                }
                input.consume(consumed)
                if let p = owner.responseMaskProblem { fail(p.response, outcome: "response_refused"); return }
                if body.finished { finishResponse(); return }
                if owner.clientBackpressured { readPaused = true }
            }
        }
        updateInterest()
    }

    /// The client drained its buffer: continue with what we hold, then read.
    func resumeReading() {
        guard readPaused, state == .active else { return }
        readPaused = false
        processResponse()
        if let end = transport.pendingEnd, state == .active, !readPaused { streamEnded(end); return }
        updateInterest()
    }

    private func finishResponse() {
        guard haveHead else { return }
        let extra = !input.isEmpty
        if extra {
            ctx.logWarning("upstream sent bytes after a complete response; discarding the connection",
                           [("upstream", addressDescription)])
        }
        let reusable = responseKeepAlive && requestComplete && output.isEmpty && !extra
            && !responseCloseDelimited && !ctx.draining
        let o = owner
        owner = nil
        haveHead = false
        responseDeadline = 0
        if reusable && transport.pendingEnd == nil && pool.put(self) {
            state = .idle
            input.releaseIfEmpty()
            output.releaseIfEmpty()
            transport.releaseIdleBuffers()
            updateInterest()
        } else {
            close()
        }
        o?.upstreamResponseComplete()
    }

    private func peerClosed(reset: Bool) {
        if haveHead, !reset, body.peerClosed() {
            finishResponse()
            return
        }
        if !haveHead && !receivedAny && wasUsed, let o = owner {
            // A stale keep-alive connection: the request may be replayed once.
            owner = nil
            close()
            if o.retryUpstream() { return }
            o.upstreamFailed(GatewayError.upstreamClosed, outcome: "upstream_error")
            return
        }
        fail(GatewayError.upstreamClosed)
    }

    /// Ends the exchange with an upstream error and closes this connection.
    private func fail(_ response: LocalResponse, outcome: String = "upstream_error") {
        let o = owner
        owner = nil
        close()
        o?.upstreamFailed(response, outcome: outcome)
    }

    // MARK: writing

    func flush() {
        guard state == .active else { return }
        let before = output.count
        let r = transport.send(&output, scratch: ctx.scratch)
        if output.count != before { responseDeadline = ctx.loop.now &+ responseTimeoutNs }
        switch r {
        case .done:
            break
        case .pending:
            updateInterest()
            return
        case .tlsFailed(let error) where !transport.isEstablished:
            tlsHandshakeFailed(error)
            return
        case .failed, .tlsFailed:
            // Writing failed; a response may still be readable (e.g. an
            // early 413 from the upstream). Stop sending and let reads decide.
            output.removeAll()
            requestComplete = false
            updateInterest()
            return
        }
        if output.count < DownstreamConnection.lowWater, let o = owner { o.upstreamCanTakeMore() }
        updateInterest()
    }

    private func updateInterest() {
        guard state != .closed else { return }
        var ev: UInt32 = GH_EPOLLRDHUP
        switch state {
        case .connecting: ev |= GH_EPOLLOUT
        case .idle: ev |= GH_EPOLLIN
        case .active:
            if !readPaused { ev |= GH_EPOLLIN }
            if transport.writeBlocked { ev |= GH_EPOLLOUT }
        case .closed: return
        }
        if readPaused { ev &= ~GH_EPOLLRDHUP }
        if ev != registeredEvents {
            registeredEvents = ev
            ctx.loop.modify(fd: fd, handler: self, events: ev)
        }
    }

    // MARK: timers

    private func rearmTimer() {
        var d: UInt64 = .max
        if connectDeadline != 0 { d = min(d, connectDeadline) }
        if responseDeadline != 0 { d = min(d, responseDeadline) }
        if d != .max { ctx.loop.arm(self, at: d) }
    }

    override func onTimer(now: UInt64) {
        if state == .closed { return }
        if connectDeadline != 0 && now >= connectDeadline {
            if state == .connecting {
                fail(GatewayError.upstreamConnectTimeout)
                return
            }
            if state == .active && !transport.isEstablished {
                ctx.logError("upstream TLS handshake timed out", [("upstream", addressDescription)])
                fail(GatewayError.upstreamTLSHandshakeTimeout)
                return
            }
        }
        if responseDeadline != 0 && now >= responseDeadline && state == .active && owner != nil {
            if readPaused {
                // We stopped reading because the client is slow; not the upstream's fault.
                responseDeadline = now &+ responseTimeoutNs
            } else {
                fail(GatewayError.upstreamTimeout)
                return
            }
        }
        rearmTimer()
    }

    func close() {
        if state == .closed { return }
        // A polite close_notify keeps the TLS session resumable (best effort).
        if transport.tls != nil && transport.isEstablished { transport.sendCloseNotify(scratch: ctx.scratch) }
        state = .closed
        owner = nil
        ctx.loop.unregister(fd: fd)
        ctx.loop.detach(self)
        Socket.close(fd)
        input.removeAll()
        output.removeAll()
    }
}
