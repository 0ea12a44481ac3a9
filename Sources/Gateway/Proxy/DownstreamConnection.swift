#if canImport(Glibc)
import Glibc
#endif
import CLinuxShims
import GatehouseCore
import HTTP1
import Policy
import Reactor
import TLS

/// Drives one client connection: reads and parses requests, runs the
/// pipeline, hands the exchange to an upstream connection, and streams the
/// response back. Requests on a connection are handled one at a time, in
/// order (pipelined requests wait in the input buffer).
///
/// This file holds the connection's I/O and timers; the exchange logic is in
/// the `+Exchange` and `+Response` extensions. On a TLS listener the bytes
/// go through `transport`'s TLS session; everything above it sees plaintext.
final class DownstreamConnection: LoopHandler {
    enum State {
        /// Waiting for (the rest of) a request head.
        case awaitingHead
        /// Held by a stage until its ticket resolves or its deadline passes.
        case held
        /// Buffering the whole body for a stage that asked for it.
        case bufferingBody
        /// Waiting for the strict start record to commit before forwarding.
        case recordingStart
        /// Forwarded: streaming the request body up and/or the response down.
        case proxying
        /// Response written except its last byte; waiting for the strict outcome commit.
        case committing
        /// Writing a final response, then closing.
        case closing
        /// Output done; reading and discarding until the peer closes (lingering close).
        case lingering
        case closed
    }

    let fd: Int32
    let peer: SocketAddress
    let peerIP: String
    /// `ip:port` of the client, formatted once per connection.
    let peerDescription: String
    /// Forwarding header lines for this client, built once per connection.
    let clientLines: HeaderShaping.ClientLines
    unowned(unsafe) let ctx: LoopContext
    var state = State.awaitingHead
    var input = ByteQueue()
    var output = ByteQueue()
    var parser: RequestHeadParser
    var exchange: Exchange?
    private var registeredEvents: UInt32 = 0
    /// The socket, plain or TLS.
    var transport: StreamTransport
    /// The TLS handshake deadline (until it is done, the header deadline is not armed).
    private let handshakeNs: UInt64
    /// Bytes at the tail of `output` not to be written yet (strict recording
    /// withholds what is left of the response until its outcome is committed).
    var holdBack = 0
    /// The exchange whose outcome commit is awaited (state `.committing`).
    var commitPending: Exchange?
    /// Close after the pending commit instead of reading the next request.
    var commitThenClose = false
    /// Reading paused because the upstream's send buffer is full.
    var upstreamBackpressure = false
    var drainRequested = false

    // Deadlines (monotonic ns, 0 = none).
    var headerDeadline: UInt64 = 0
    var idleDeadline: UInt64 = 0
    var bodyDeadline: UInt64 = 0
    var holdDeadline: UInt64 = 0
    var lingerDeadline: UInt64 = 0
    /// When the current exchange's held async start must go to the recorder alone.
    var heldStartDeadline: UInt64 = 0

    /// Output above this pauses the upstream's reading; below the low mark resumes it.
    static let highWater = 256 * 1024
    static let lowWater = 64 * 1024
    /// Pipelined bytes read ahead while an exchange is in flight.
    static let pipelineBufferLimit = 64 * 1024

    init(fd: Int32, peer: SocketAddress, ctx: LoopContext, tls: ListenerTLS? = nil) {
        self.fd = fd
        if let tls {
            transport = StreamTransport(fd: fd, tls: TLSConnection(server: tls.current))
            handshakeNs = tls.handshakeNs
        } else {
            transport = StreamTransport(fd: fd)
            handshakeNs = 0
        }
        self.peer = peer
        self.peerIP = peer.ipString
        self.peerDescription = peer.description
        self.clientLines = HeaderShaping.ClientLines(clientIP: peerIP, tls: tls != nil)
        self.ctx = ctx
        self.parser = RequestHeadParser(limits: ctx.config.parseLimits)
        super.init()
    }

    func start() throws(SystemError) {
        ctx.downstreams[ObjectIdentifier(self)] = self
        registeredEvents = GH_EPOLLIN | GH_EPOLLRDHUP
        try ctx.loop.register(fd: fd, handler: self, events: registeredEvents)
        // With TLS the handshake has its own deadline; the header read
        // starts when it is done.
        headerDeadline = ctx.loop.now &+ (transport.isEstablished ? ctx.config.headerReadNs : handshakeNs)
        rearmTimer()
    }

    // MARK: events

    override func onEvents(_ events: UInt32) {
        if state == .closed { return }
        if events & GH_EPOLLOUT != 0 { flush() }
        if state == .closed { return }
        if events & GH_EPOLLIN != 0 {
            readAvailable()
        } else if events & (GH_EPOLLRDHUP | GH_EPOLLHUP | GH_EPOLLERR) != 0 {
            peerHungUp()
        }
    }

    private func readAvailable() {
        if state == .lingering {
            // Discard what the client still sends (no need to decrypt it).
            switch Socket.read(fd, into: ctx.scratch) {
            case .bytes, .wouldBlock: return
            case .eof, .failed: close()
            }
            return
        }
        let wasEstablished = transport.isEstablished
        let r = transport.receive(into: &input, scratch: ctx.scratch)
        switch r {
        case .received(let n):
            if !wasEstablished && transport.isEstablished {
                headerDeadline = ctx.loop.now &+ ctx.config.headerReadNs
                rearmTimer()
            }
            if n == 0 {
                updateInterest()  // handshake progress: its output was sent
                return
            }
            everReceived = true
            processInput()
            flush()
        case .wouldBlock:
            return
        case .tlsFailed(let error) where !wasEstablished || !transport.isEstablished:
            handshakeFailed(error)
        case .closed, .failed, .tlsFailed:
            peerHungUp()
        }
    }

    /// A client that fails the handshake (plain HTTP on the TLS port, no
    /// shared version or cipher, a bad client certificate) is closed
    /// without an HTTP answer: there is no channel to send one over.
    private func handshakeFailed(_ error: TLSError) {
        if case .notTLS = error.kind {
            ctx.logWarning("plain text on a TLS listener; closing", [("client", peerDescription)])
        } else {
            ctx.logWarning("client TLS handshake failed",
                           [("client", peerDescription), ("tls", error.code), ("detail", error.detail)])
        }
        close()
    }

    /// The client closed (or reset) its side.
    private func peerHungUp() {
        switch state {
        case .held, .bufferingBody:
            if let ex = exchange {
                // Buffering for the strict start record, not for a stage: the runner is done.
                let action = ex.bufferingForRecording ? .abandon : ex.runner.event(.clientGone)
                perform(action, for: ex)
            } else {
                close()
            }
        case .proxying, .recordingStart:
            if let ex = exchange {
                ex.outcome = "abandoned"
                ex.errorCode = "client_closed"
                if ex.status == 0 { ex.status = 499 }
            }
            abort(reason: "client_closed")
        default:
            close()
        }
    }

    // MARK: input

    /// Advances the connection with whatever input is buffered. Loops (not
    /// recursion) over pipelined requests answered locally.
    func processInput() {
        // Re-entrant calls (an upstream that fails synchronously inside
        // forwarding, then finishes the exchange) return at once: the outer
        // loop below sees the new state and carries on, so pipelined requests
        // never nest on the stack.
        if processingInput { return }
        processingInput = true
        defer { processingInput = false }
        var guardCount = 0
        while guardCount < 1024 {
            guardCount += 1
            switch state {
            case .awaitingHead:
                if input.isEmpty {
                    updateInterest()
                    return
                }
                if headerDeadline == 0 {
                    // first byte of a new request on a kept-alive connection
                    idleDeadline = 0
                    headerDeadline = ctx.loop.now &+ ctx.config.headerReadNs
                    rearmTimer()
                }
                let result = input.withReadable { parser.parse($0) }
                // Consumed: the head moves into the exchange (see `beginExchange`).
                switch consume result {
                case .needMore:
                    updateInterest()
                    return
                case .failed(let error):
                    rejectMalformed(error)
                    return
                case .complete(let head, let consumed):
                    input.consume(consumed)
                    headerDeadline = 0
                    beginExchange(head: consume head, headBytes: consumed)
                }
            case .bufferingBody:
                if !bufferBody() { updateInterest(); return }
            case .proxying:
                if let ex = exchange, !ex.requestBodyDone {
                    pumpRequestBody(ex)
                }
                updateInterest()
                return
            case .held, .recordingStart, .committing, .closing, .lingering, .closed:
                updateInterest()
                return
            }
        }
        updateInterest()
    }

    // MARK: output

    /// Writes as much pending output as the socket takes.
    func flush() {
        switch transport.send(&output, withholding: holdBack, scratch: ctx.scratch) {
        case .done:
            break
        case .pending:
            updateInterest()
            return
        case .failed, .tlsFailed:
            if let ex = exchange, ex.outcome == "ok" {
                ex.outcome = "abandoned"
                ex.errorCode = "client_write_failed"
            }
            abort(reason: "client_write_failed")
            return
        }
        // Output drained (up to any withheld tail).
        if holdBack > 0 { updateInterest(); return }
        if state == .closing {
            beginLingeringClose()
            return
        }
        if output.capacity > 256 * 1024 { output.releaseIfEmpty() }
        if state == .awaitingHead && input.isEmpty { transport.releaseIdleBuffers() }
        if let up = exchange?.upstream, up.readPaused { up.resumeReading() }
        updateInterest()
    }

    /// Called when the upstream side drained enough to accept more body.
    func upstreamCanTakeMore() {
        guard upstreamBackpressure else { return }
        upstreamBackpressure = false
        if let ex = exchange, state == .proxying {
            pumpRequestBody(ex)
            if !ex.requestBodyDone { bodyDeadline = ctx.loop.now &+ ex.route.bodyReadNs; rearmTimer() }
        }
        updateInterest()
    }

    // MARK: interest

    private var wantsRead: Bool {
        switch state {
        case .awaitingHead, .bufferingBody, .lingering: return true
        case .proxying:
            guard let ex = exchange else { return false }
            if !ex.requestBodyDone { return !upstreamBackpressure }
            // Waiting for the response: keep reading (pipelined requests,
            // hang-ups) but only up to a bound, so a pipelining client
            // cannot make us buffer without limit.
            return input.count < Self.pipelineBufferLimit
        case .recordingStart, .committing:
            // Waiting for a strict commit, which takes microseconds: keep
            // the same bounded read-ahead as above, so the wait does not
            // cost two epoll_ctl calls (interest off, then on again).
            return input.count < Self.pipelineBufferLimit
        case .held, .closing, .closed: return false
        }
    }

    func updateInterest() {
        if state == .closed { return }
        var ev: UInt32 = 0
        if wantsRead { ev |= GH_EPOLLIN }
        // Writes are optimistic; EPOLLOUT is wanted only after one would have blocked.
        if transport.writeBlocked { ev |= GH_EPOLLOUT }
        // Always watch for hang-up: it is how a held exchange learns the client left.
        ev |= GH_EPOLLRDHUP
        if ev != registeredEvents {
            registeredEvents = ev
            ctx.loop.modify(fd: fd, handler: self, events: ev)
        }
    }

    // MARK: timers

    func rearmTimer() {
        var d: UInt64 = .max
        for x in [headerDeadline, idleDeadline, bodyDeadline, holdDeadline, lingerDeadline, heldStartDeadline] where x != 0 {
            d = min(d, x)
        }
        if d != .max { ctx.loop.arm(self, at: d) }
    }

    override func onTimer(now: UInt64) {
        if state == .closed { return }
        if lingerDeadline != 0 && now >= lingerDeadline { close(); return }
        if idleDeadline != 0 && now >= idleDeadline { close(); return }
        if heldStartDeadline != 0 && now >= heldStartDeadline {
            heldStartDeadline = 0
            if let ex = exchange { submitHeldStart(ex) }
        }
        if headerDeadline != 0 && now >= headerDeadline {
            headerDeadline = 0
            if state == .awaitingHead {
                if !transport.isEstablished {
                    ctx.logWarning("client TLS handshake timed out", [("client", peerDescription)])
                    close()
                } else if input.isEmpty && exchange == nil && !everReceived {
                    // Nothing ever arrived: a silent close, not a 408 into the void.
                    close()
                } else {
                    respondAndClose(GatewayError.headerTimeout, requestID: ctx.ids.make(), outcome: "client_timeout")
                }
                return
            }
        }
        if bodyDeadline != 0 && now >= bodyDeadline {
            bodyDeadline = 0
            if let ex = exchange, state == .bufferingBody || (state == .proxying && !ex.requestBodyDone) {
                bodyTimedOut(ex)
                flush()  // a timer is not followed by a flush: send the 408 now
                return
            }
        }
        if holdDeadline != 0 && now >= holdDeadline {
            holdDeadline = 0
            if state == .held, let ex = exchange {
                ex.holdTicket?.cancel()
                let action = ex.runner.event(.holdExpired)
                perform(action, for: ex)
                flush()
                return
            }
        }
        rearmTimer()
    }

    /// Whether any request byte has arrived on this connection.
    var everReceived = false
    /// `processInput` is on the stack.
    var processingInput = false

    // MARK: closing

    /// Answers with a local error and closes after writing it (with a
    /// lingering close so the client reads the answer rather than an RST).
    func respondAndClose(_ response: LocalResponse, requestID: String, outcome: String) {
        if let ex = exchange {
            finishLocally(ex, response: response, outcome: outcome, close: true)
        } else {
            output.withAppendableArray {
                LocalResponseWriter.write(response, requestID: requestID, requestIDHeader: ctx.config.requestIDHeader,
                                          close: true, into: &$0)
            }
            logLocal(requestID: requestID, method: "-", path: "-", route: "-", status: response.status,
                     outcome: outcome, code: response.code)
            recordRejected(requestID: requestID, method: "-", target: "-", headers: [], response: response, outcome: outcome)
            state = .closing
            flush()
        }
    }

    private func rejectMalformed(_ error: HTTPParseError) {
        let response = LocalResponse(status: error.status, code: error.code, message: error.message)
        respondAndClose(response, requestID: ctx.ids.make(), outcome: "rejected")
    }

    func logLocal(requestID: String, method: String, path: String, route: String, status: Int,
                  outcome: String, code: String?) {
        guard ctx.config.accessLog else { return }
        ctx.logAccess(AccessRecord(requestID: requestID, route: route, method: method, path: path, status: status,
                                   bytesIn: 0, bytesOut: 0, totalNs: 0, upstreamNs: nil, outcome: outcome,
                                   errorCode: code, client: peerDescription, upstream: nil))
    }

    /// Half-closes our side and reads (discarding) until the client closes
    /// or 2 s pass, so unread request bytes don't turn our close into an RST
    /// that destroys the response in flight.
    private func beginLingeringClose() {
        state = .lingering
        transport.sendCloseNotify(scratch: ctx.scratch)
        Socket.shutdownWrite(fd)
        input.removeAll()
        headerDeadline = 0; idleDeadline = 0; bodyDeadline = 0; holdDeadline = 0
        lingerDeadline = ctx.loop.now &+ 2_000_000_000
        rearmTimer()
        updateInterest()
    }

    /// Drain (SIGTERM): idle connections close now; busy ones close after
    /// their current exchange.
    func drain() {
        drainRequested = true
        if state == .awaitingHead && input.isEmpty && exchange == nil { close() }
    }

    /// Closes at once with RST, cutting off any message in flight so the
    /// client sees an aborted message rather than a clean end.
    func abort(reason: String) {
        if state == .closed { return }
        if let ex = exchange {
            if ex.outcome == "ok" { ex.outcome = "aborted"; ex.errorCode = ex.errorCode ?? reason }
            if let up = ex.upstream { ex.upstream = nil; up.detachOwner(); up.close() }
            ex.holdTicket?.cancel()
            logExchange(ex)
            recordWithoutWaiting(ex)
            exchange = nil
        }
        Socket.setLingerZero(fd)
        close()
    }

    func close() {
        if state == .closed { return }
        if let ex = exchange {
            if let up = ex.upstream { ex.upstream = nil; up.detachOwner(); up.close() }
            ex.holdTicket?.cancel()
            if ex.outcome == "ok" { ex.outcome = "abandoned" }
            logExchange(ex)
            recordWithoutWaiting(ex)
            exchange = nil
        }
        state = .closed
        ctx.loop.unregister(fd: fd)
        ctx.loop.detach(self)
        Socket.close(fd)
        input.removeAll()
        output.removeAll()
        ctx.connectionClosed(self)
    }
}
