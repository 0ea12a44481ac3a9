import GatehouseCore
import GatewayConfig
import HTTP1
import Policy
import Reactor
import Recording

/// Request side of an exchange: routing, the policy pipeline, holds, body
/// buffering for stages, and forwarding.
extension DownstreamConnection {
    /// Starts the exchange for `head`, which it takes: the exchange's
    /// context then holds the head's storage alone, so a stage that edits
    /// the fields (policy's `Accept-Encoding: identity`) does not copy them.
    func beginExchange(head: consuming RequestHead, headBytes: Int) {
        let config = ctx.config
        var requestID = ""
        if config.trustIncomingRequestID, let incoming = head.headers.firstValue(config.requestIDHeaderLower),
           RequestIDGenerator.isAcceptable(incoming) {
            requestID = incoming
        } else {
            requestID = ctx.ids.make()
        }

        // Documents the gateway serves itself (RFC 9728 protected-resource
        // metadata), answered before routing: they belong to no upstream.
        if !config.servedDocuments.isEmpty, head.method == "GET" || head.method == "HEAD",
           let document = config.servedDocuments[String(head.path)] {
            respondStandalone(document, requestID: requestID, head: head, route: "-", outcome: "ok",
                              close: head.framing != .none || !head.keepAlive)
            return
        }
        guard let routeIndex = Self.route(config.routeTable, head) else {
            let bodyPending = head.framing != .none
            respondStandalone(GatewayError.noRoute, requestID: requestID, head: head, route: "-",
                              outcome: "no_route", close: bodyPending || !head.keepAlive)
            return
        }
        let route = config.routes[routeIndex]
        let fieldCount = head.headers.count, framing = head.framing
        let ex = Exchange(requestID: requestID, route: route, config: config, head: consume head,
                          clientAddress: peerDescription, startNs: ctx.loop.now)
        ex.bytesIn = UInt64(headBytes)
        exchange = ex
        if drainRequested { ex.closeAfter = true }

        // Route-specific head limits (parsing used the largest of all routes).
        if headBytes > route.headLimits.maxHeaderBytes || fieldCount > route.headLimits.maxHeaderCount {
            finishLocally(ex, response: LocalResponse(status: 431, code: "header_too_large",
                                                      message: "request header fields exceed the route's limit"),
                          outcome: "rejected", close: true)
            return
        }
        if case .contentLength(let n) = framing, n > route.maxBodyBytes {
            // Refused before any 100 Continue is sent.
            finishLocally(ex, response: GatewayError.bodyTooLarge, outcome: "rejected", close: true)
            return
        }
        let action = ex.runner.start()
        perform(action, for: ex)
    }

    /// Route lookup on the head's bytes, without building Strings.
    private static func route(_ table: RouteTable, _ head: RequestHead) -> Int? {
        var answered = false
        var result: Int?
        _ = head.host.utf8.withContiguousStorageIfAvailable { host in
            _ = head.path.utf8.withContiguousStorageIfAvailable { path in
                result = table.route(host: host, path: path)
                answered = true
            }
        }
        if answered { return result }
        return table.route(host: head.host, path: String(head.path))
    }

    /// Carries out what the pipeline asks for, evaluating stages inline
    /// until one holds, needs the body, answers, or all proceed.
    func perform(_ first: PipelineRunner.Action, for ex: Exchange) {
        var action = first
        var steps = 0
        while steps < 10_000 {
            steps += 1
            switch action {
            case .evaluate(let index):
                let verdict = ex.config.stages[index].evaluate(&ex.context)
                if case .hold(let ticket, _, _) = verdict { ex.holdTicket = ticket }
                action = ex.runner.event(.verdict(consume verdict))
            case .forward:
                forward(ex)
                return
            case .respond(let response, let outcome):
                let bodyUnread = !ex.requestBodyDone
                finishLocally(ex, response: response, outcome: outcome.rawValue, close: bodyUnread || ex.closeAfter)
                return
            case .hold(let timeoutMs):
                hold(ex, timeoutMs: timeoutMs)
                return
            case .readBody(let limit):
                startBuffering(ex, limit: limit)
                return
            case .abandon:
                ex.outcome = "abandoned"
                ex.errorCode = "client_closed"
                ex.status = 499
                close()
                return
            }
        }
        finishLocally(ex, response: LocalResponse(status: 500, code: "pipeline_error", message: "the pipeline did not settle"),
                      outcome: "pipeline_error", close: true)
    }

    // MARK: hold

    private func hold(_ ex: Exchange, timeoutMs: Int) {
        state = .held
        holdDeadline = ctx.loop.now &+ nanoseconds(ms: timeoutMs)
        rearmTimer()
        updateInterest()
        guard let ticket = ex.holdTicket else { return }
        let loop = ctx.loop
        let target = LoopBound(self)
        let token = LoopBound(ex)
        ticket.bind { verdict in
            loop.post { target.value.holdResolved(verdict, exchange: token.value) }
        }
    }

    /// A ticket was resolved (delivered on this loop via post).
    func holdResolved(_ verdict: StageVerdict, exchange ex: Exchange) {
        guard state == .held, exchange === ex else { return }  // stale: expired, abandoned or a later exchange
        holdDeadline = 0
        ex.holdTicket = nil
        let action = ex.runner.event(.holdResolved(verdict))
        perform(action, for: ex)
        processInput()
        flush()
    }

    // MARK: body for stages

    private func startBuffering(_ ex: Exchange, limit: Int) {
        let cap = min(UInt64(max(limit, 0)), ex.route.maxBodyBytes)
        if case .contentLength(let n) = ex.context.head.framing, n > cap {
            let action = ex.runner.event(.bodyTooLarge)
            perform(action, for: ex)
            return
        }
        ex.bufferLimit = Int(cap)
        ex.bufferedBody = []
        // The length is known and within the limit: one allocation, no doubling.
        if case .contentLength(let n) = ex.context.head.framing { ex.bufferedBody?.reserveCapacity(Int(n)) }
        state = .bufferingBody
        sendContinueIfExpected(ex)
        bodyDeadline = ctx.loop.now &+ ex.route.bodyReadNs
        rearmTimer()
        if !bufferBody() { updateInterest() }
    }

    /// Moves buffered input into the exchange's body. Returns true when the
    /// state changed (body complete or refused), false when it needs more.
    func bufferBody() -> Bool {
        guard let ex = exchange else { return false }
        if ex.peekingForRecording {
            switch readAheadStatus(ex) {
            case .needMore:
                if input.count > ex.peekedBytes {  // the client is sending: it is not slow
                    ex.peekedBytes = input.count
                    bodyDeadline = ctx.loop.now &+ ex.route.bodyReadNs
                    rearmTimer()
                }
                return false
            case .complete, .malformed:
                ex.peekingForRecording = false  // read it for real below: it completes, or is answered 400
            case .tooLong:
                ex.peekingForRecording = false
                ex.bufferingForRecording = false
                ex.readAheadDeclined = true
                ex.bufferedBody = nil
                bodyDeadline = 0
                state = .awaitingHead
                forward(ex)
                return true
            }
        }
        var overflow = false
        var failure: HTTPParseError?
        if !input.isEmpty {
            let consumed = input.withReadable { bytes -> Int in
                do throws(HTTPParseError) {
                    return try ex.requestBody.read(bytes) { piece in
                        if (ex.bufferedBody?.count ?? 0) + piece.count > ex.bufferLimit { overflow = true; return }
                        ex.bufferedBody?.append(contentsOf: piece)
                    }
                } catch {
                    failure = error
                    return 0
                }
            }
            input.consume(consumed)
            ex.bytesIn &+= UInt64(consumed)
            if consumed > 0 { bodyDeadline = ctx.loop.now &+ ex.route.bodyReadNs; rearmTimer() }
        }
        if let failure {
            finishLocally(ex, response: LocalResponse(status: failure.status, code: failure.code, message: failure.message),
                          outcome: "rejected", close: true)
            return true
        }
        if overflow && ex.bufferingForRecording {
            // Not reachable (the limit is within max_body_bytes); answered as the streaming path would.
            finishLocally(ex, response: GatewayError.bodyTooLarge, outcome: "body_too_large", close: true)
            return true
        }
        if overflow {
            ex.bufferedBody = nil
            let action = ex.runner.event(.bodyTooLarge)
            state = .awaitingHead
            perform(action, for: ex)
            return true
        }
        if ex.requestBodyDone {
            bodyDeadline = 0
            state = .awaitingHead
            ex.context.body = ex.bufferedBody
            if ex.bufferingForRecording {
                ex.bufferingForRecording = false
                forward(ex)
                return true
            }
            let action = ex.runner.event(.bodyBufferedSize(ex.bufferedBody?.count ?? 0))
            perform(action, for: ex)
            return true
        }
        return false
    }

    private func sendContinueIfExpected(_ ex: Exchange) {
        if ex.context.head.expectsContinue && !ex.continueSent && !ex.requestBodyDone {
            ex.continueSent = true
            output.append(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
        }
    }

    // MARK: forwarding

    func forward(_ ex: Exchange) {
        if ex.bufferedBody == nil, !ex.readAheadDeclined, let limit = strictRecordingBodyLimit(ex) {
            ex.bufferingForRecording = true
            if case .chunked = ex.context.head.framing { ex.peekingForRecording = true }
            startBuffering(ex, limit: limit)
            return
        }
        state = .proxying
        if !ex.runner.hasBufferedBody { sendContinueIfExpected(ex) }
        let requestFraming = ex.context.head.framing
        // A stage may have rewritten the buffered body (policy request masks): forward what it left.
        if ex.bufferedBody != nil, let staged = ex.context.body { ex.bufferedBody = staged }
        if let body = ex.bufferedBody {
            ex.upstreamFraming = (!body.isEmpty || requestFraming != .none) ? .contentLength(UInt64(body.count)) : .none
            ex.upstreamWriter = .none
        } else {
            switch requestFraming {
            case .none: ex.upstreamFraming = .none; ex.upstreamWriter = .none
            case .contentLength(let n): ex.upstreamFraming = .contentLength(n); ex.upstreamWriter = .raw
            case .chunked, .untilClose: ex.upstreamFraming = .chunked; ex.upstreamWriter = .chunked
            }
        }
        // Replayable on a fresh connection if the whole request is at hand.
        ex.replayable = ex.bufferedBody != nil || requestFraming == .none
        recordStartThenForward(ex)
    }

    /// The most a strict route reads of a body before its start record:
    /// memory held per connection before the upstream is contacted, so it
    /// is the size of the connection's read-ahead (64 KiB), not the body
    /// cap (which may be 1 GiB). JSON-RPC and REST bodies fit; an upload
    /// streams.
    static let strictReadAheadBytes = 64 * 1024

    /// Strict recording commits the start record before the first byte goes
    /// upstream. A body that no stage buffered would reach the upstream
    /// before any record held it, so a body up to `strictReadAheadBytes`
    /// (and the recording's body cap, and `max_body_bytes`) is read in full
    /// first and the start holds it: a `Content-Length` body of that size,
    /// or a chunked one whose end arrives within that many bytes (looked at
    /// without consuming, `readAheadStatus`). Larger bodies are forwarded
    /// as they arrive, and the outcome record holds them
    /// (`Exchange.streamedRequestBody`). Returns the limit to read with, or
    /// nil to forward at once.
    private func strictRecordingBodyLimit(_ ex: Exchange) -> Int? {
        let limit = min(UInt64(max(min(ex.config.recordingBodyCap, Self.strictReadAheadBytes), 0)), ex.route.maxBodyBytes)
        guard ex.durability == .strict, ctx.shared.recorder != nil, !ex.requestBodyDone, limit > 0 else { return nil }
        switch ex.context.head.framing {
        case .contentLength(let n): return n > 0 && n <= limit ? Int(n) : nil
        case .chunked: return Int(limit)
        case .none, .untilClose: return nil
        }
    }

    enum ReadAhead { case complete, needMore, tooLong, malformed }

    /// Whether the chunked body being read ahead for the strict start ends
    /// within the first `bufferLimit` bytes of input, without consuming
    /// anything: a copy of the body reader (`Exchange.readAheadProbe`)
    /// runs over the input, fed only the bytes it has not taken yet. The
    /// decoded body is never longer than its framing, so one that ends
    /// there fits the buffer.
    private func readAheadStatus(_ ex: Exchange) -> ReadAhead {
        var probe = ex.readAheadProbe ?? ex.requestBody
        let limit = ex.bufferLimit
        let status = input.withReadable { bytes -> ReadAhead in
            let end = min(bytes.count, limit)
            if ex.readAheadOffset < end {
                do throws(HTTPParseError) {
                    ex.readAheadOffset += try probe.read(UnsafeRawBufferPointer(rebasing: bytes[ex.readAheadOffset..<end])) { _ in }
                } catch {
                    return .malformed
                }
            }
            if probe.finished { return .complete }
            return bytes.count >= limit ? .tooLong : .needMore
        }
        ex.readAheadProbe = probe
        return status
    }

    /// Opens or reuses an upstream connection and writes the request head (and
    /// a buffered body) straight into its output queue.
    func sendUpstream(_ ex: Exchange, fresh: Bool = false) {
        ex.attempts += 1
        let pool = ctx.pool(for: ex.route.upstream)
        var conn: UpstreamConnection? = nil
        while !fresh, let idle = pool.take() {
            if idle.isReusable { conn = idle; break }
            idle.close()
        }
        if conn == nil {
            guard let address = ex.route.upstream.nextAddress() else {
                upstreamFailed(GatewayError.upstreamUnavailable, outcome: "upstream_error")
                return
            }
            do {
                conn = try UpstreamConnection.open(to: address, pool: pool, ctx: ctx, connectNs: ex.route.upstreamConnectNs)
            } catch {
                ctx.logError("upstream connect failed", [("request_id", ex.requestID), ("error", error.description)])
                upstreamFailed(GatewayError.upstreamConnectFailed, outcome: "upstream_error")
                return
            }
        }
        guard let up = conn else { return }
        ex.upstream = up
        ex.upstreamAddress = up.addressDescription
        if ex.upstreamStartNs == 0 { ex.upstreamStartNs = ctx.loop.now }
        up.begin(owner: self, method: ex.method, responseTimeoutNs: ex.route.upstreamResponseNs)
        // After begin(): it is what marks a reused pooled connection as wasUsed.
        ex.canRetry = ex.replayable && up.wasUsed && ex.attempts == 1
        let peerIP = self.peerIP
        let lines = clientLines
        up.output.withAppendableArray { out in
            HeaderShaping.writeUpstreamRequest(ex.context.head, target: ex.route.upstreamTarget(for: ex.context.head.target),
                                               framing: ex.upstreamFraming, config: ex.config, route: ex.route,
                                               requestID: ex.requestID, clientIP: peerIP, lines: lines, into: &out)
            if let body = ex.bufferedBody { out.append(contentsOf: body) }
        }
        if !ex.canRetry { ex.bufferedBody = nil }
        if ex.requestBodyDone {
            up.requestComplete = true
        } else {
            bodyDeadline = ctx.loop.now &+ ex.route.bodyReadNs
            rearmTimer()
            pumpRequestBody(ex)
        }
        up.flush()
    }

    /// Moves buffered client body bytes to the upstream, re-framed, until the
    /// body ends or the upstream's buffer is full (then reading pauses).
    func pumpRequestBody(_ ex: Exchange) {
        guard let up = ex.upstream, !ex.requestBodyDone else { return }
        var failure: HTTPParseError?
        // Only a chunked body can pass max_body_bytes here (a larger
        // Content-Length was refused up front): stop it at the limit.
        let maxBody = ex.route.maxBodyBytes
        while !input.isEmpty && !ex.requestBodyDone && up.output.count < Self.highWater {
            let writer = ex.upstreamWriter
            let base = ex.requestBody.delivered
            var seen: UInt64 = 0
            var overflow = false
            let consumed = input.withReadable { bytes -> Int in
                let slice = UnsafeRawBufferPointer(rebasing: bytes[0..<min(bytes.count, Self.highWater)])
                do throws(HTTPParseError) {
                    return try ex.requestBody.read(slice) { piece in
                        seen &+= UInt64(piece.count)
                        if overflow || base &+ seen > maxBody { overflow = true; return }
                        writer.write(piece, into: &up.output)
                        ex.streamedRequestBody?.append(piece)
                    }
                } catch {
                    failure = error
                    return 0
                }
            }
            if overflow {
                let r = GatewayError.bodyTooLarge
                failure = HTTPParseError(status: r.status, code: r.code, message: r.message)
            }
            if failure != nil { break }
            if consumed == 0 { break }
            input.consume(consumed)
            ex.bytesIn &+= UInt64(consumed)
            bodyDeadline = ctx.loop.now &+ ex.route.bodyReadNs
        }
        if let failure {
            // The agent's body framing broke mid-stream: nothing more goes up.
            ex.upstream = nil
            up.detachOwner()
            up.close()
            if ex.responseStarted {
                abort(reason: failure.code)
            } else {
                finishLocally(ex, response: LocalResponse(status: failure.status, code: failure.code, message: failure.message),
                              outcome: "rejected", close: true)
                flush()  // may run from upstreamCanTakeMore, which is not followed by a flush
            }
            return
        }
        if ex.requestBodyDone {
            ex.upstreamWriter.finish(into: &up.output)
            up.requestComplete = true
            bodyDeadline = 0
        } else if up.output.count >= Self.highWater {
            upstreamBackpressure = true
            bodyDeadline = 0  // the client is not at fault while we are not reading
        }
        rearmTimer()
        up.flush()
    }

    func bodyTimedOut(_ ex: Exchange) {
        if ex.responseStarted {
            ex.outcome = "client_timeout"
            abort(reason: "body_timeout")
        } else {
            if let up = ex.upstream { ex.upstream = nil; up.detachOwner(); up.close() }
            finishLocally(ex, response: GatewayError.bodyTimeout, outcome: "client_timeout", close: true)
        }
    }

    // MARK: local answers

    /// Ends `ex` with a local response (no upstream involved, or the
    /// upstream failed before any response byte reached the client).
    func finishLocally(_ ex: Exchange, response: LocalResponse, outcome: String, close: Bool) {
        if let up = ex.upstream { ex.upstream = nil; up.detachOwner(); up.close() }
        let closing = close || ex.closeAfter || drainRequested || !ex.requestBodyDone
        ex.status = response.status
        ex.outcome = outcome
        ex.errorCode = response.code
        let before = output.count
        output.withAppendableArray {
            LocalResponseWriter.write(response, requestID: ex.requestID, requestIDHeader: ex.config.requestIDHeader,
                                      close: closing, headOnly: ex.isHead, into: &$0)
        }
        ex.bytesOut &+= UInt64(output.count - before)
        if ex.durability != nil {
            ex.responseHeaders = [HeaderField("Content-Type", "application/json")]
            ex.responseBody = CapturedBody(LocalResponseWriter.body(response, requestID: ex.requestID),
                                           cap: ex.config.recordingBodyCap)
        }
        endExchange(ex, closing: closing)
    }

    /// A local answer before an exchange object exists (no route).
    private func respondStandalone(_ response: LocalResponse, requestID: String, head: RequestHead, route: String,
                                   outcome: String, close: Bool) {
        let closing = close || drainRequested
        output.withAppendableArray {
            LocalResponseWriter.write(response, requestID: requestID, requestIDHeader: ctx.config.requestIDHeader,
                                      close: closing, headOnly: head.method == "HEAD", into: &$0)
        }
        logLocal(requestID: requestID, method: head.method, path: String(head.path), route: route, status: response.status,
                 outcome: outcome, code: response.code)
        if ctx.config.recordingDefault != nil {
            recordRejected(requestID: requestID, method: head.method, target: head.target,
                           headers: ExchangeRecording.headerList(head.headers), response: response, outcome: outcome)
        }
        if closing { state = .closing } else { startIdle() }
    }

    /// Logs the exchange and moves the connection on: next request, or close.
    func endExchange(_ ex: Exchange, closing: Bool) {
        ex.holdTicket?.cancel()
        logExchange(ex)
        exchange = nil
        bodyDeadline = 0
        holdDeadline = 0
        upstreamBackpressure = false
        if recordEnd(ex, closing: closing) { return }  // strict: continues in outcomeCommitted
        if closing {
            state = .closing
        } else {
            startIdle()
        }
    }

    /// Ready for the next request on a kept-alive connection.
    func startIdle() {
        state = .awaitingHead
        parser.reset()
        headerDeadline = 0
        if drainRequested && input.isEmpty { state = .closing; return }
        idleDeadline = ctx.loop.now &+ ctx.config.idleKeepAliveNs
        rearmTimer()
    }

    func logExchange(_ ex: Exchange) {
        guard ctx.config.accessLog else { return }
        let now = ctx.loop.now
        ctx.logAccess(AccessRecord(requestID: ex.requestID, route: ex.route.name, method: ex.method, path: ex.path,
                                   status: ex.status, bytesIn: ex.bytesIn, bytesOut: ex.bytesOut,
                                   totalNs: now &- ex.startNs,
                                   upstreamNs: ex.upstreamStartNs == 0 ? nil : now &- ex.upstreamStartNs,
                                   outcome: ex.outcome, errorCode: ex.errorCode, client: peerDescription,
                                   upstream: ex.upstreamAddress))
    }
}
