import GatehouseCore
import HTTP1
import Policy
import Reactor
import Recording

/// Recording of exchanges (issue: session recording). In `strict` mode the
/// request record is committed before the first byte goes upstream, and the
/// outcome record before the response's last byte is released: the driver
/// waits for the recorder's completion, which the writer thread delivers
/// through the loop's `post`. If the store cannot take a record the
/// exchange is refused with 503 `audit_unavailable` (nothing forwarded), or,
/// once the response is under way, the connection is reset before its last
/// byte so the agent never receives an unrecorded complete response.
extension DownstreamConnection {
    static let auditUnavailable = LocalResponse(status: 503, code: "audit_unavailable",
                                                message: "the audit store cannot record this exchange; nothing was forwarded")

    /// Records the start (per the route's durability), then forwards.
    ///
    /// Async: the start is held on the loop (`Exchange.heldStart`) instead
    /// of being queued at once. An exchange that ends within
    /// `recordingAsyncHoldNs` (the recorder's own async delay) is then
    /// submitted as one `complete` record: one hand-over to the writer, one
    /// record to encode, nothing in the writer's in-flight index. One that
    /// takes longer has its start submitted when the hold runs out
    /// (`submitHeldStart`), so a long exchange is visible, and survives a
    /// crash, as in flight. Async records already wait up to that delay in
    /// the recorder's queue; holding the start widens what a crash can lose
    /// by at most the same again (Docs/RECORDING.md, "Durability modes").
    func recordStartThenForward(_ ex: Exchange) {
        guard let durability = ex.durability, let recorder = ctx.shared.recorder else {
            sendUpstream(ex)
            return
        }
        let start = ExchangeRecording.start(ex, clientAddress: peerDescription, durability: durability,
                                            bodyCap: ex.config.recordingBodyCap)
        if ex.bufferedBody == nil && ex.context.head.framing != .none {
            ex.streamedRequestBody = CapturedBody(cap: ex.config.recordingBodyCap)
        }
        if durability == .async {
            let hold = ctx.config.recordingAsyncHoldNs
            if hold > 0 {
                ex.heldStart = start
                heldStartDeadline = ctx.loop.now &+ hold
                ctx.loop.arm(self, at: heldStartDeadline)
            } else {
                ex.startRecorded = recorder.submit(.start(start))
            }
            sendUpstream(ex)
            return
        }
        ex.startRecorded = true
        state = .recordingStart
        updateInterest()
        let loop = ctx.loop
        let me = LoopBound(self)
        let token = LoopBound(ex)
        let accepted = recorder.submit(.start(start)) { result in
            let ok: Bool
            if case .success = result { ok = true } else { ok = false }
            loop.post { me.value.startCommitted(token.value, ok: ok) }
        }
        if !accepted {
            ex.startRecorded = false
            refuseUnrecorded(ex)
        }
    }

    /// The hold of an async start ran out before its exchange ended: the
    /// start goes to the recorder alone, and the end will be an `outcome`.
    /// If the queue refuses it, it stays held and goes with the outcome.
    func submitHeldStart(_ ex: Exchange) {
        guard let start = ex.heldStart.take(), let recorder = ctx.shared.recorder else { return }
        if recorder.submit(.start(start)) {
            ex.startRecorded = true
        } else {
            ex.heldStart = start
        }
    }

    /// The record of `ex`'s end: its `outcome` when the start went to the
    /// recorder, else one `complete` record with the held start (async) or
    /// a start built now (never forwarded, or its start was refused).
    private func endRecord(_ ex: Exchange, durability: DurabilityMode) -> AuditRecord {
        heldStartDeadline = 0
        let outcome = ExchangeRecording.outcome(ex, nowNs: ctx.loop.now, durability: durability)
        if ex.startRecorded { return .outcome(outcome) }
        let start = ex.heldStart.take() ?? ExchangeRecording.start(ex, clientAddress: peerDescription, durability: durability,
                                                                   bodyCap: ex.config.recordingBodyCap)
        return .complete(start, outcome)
    }

    /// The start record's commit finished (on this loop, via post).
    func startCommitted(_ ex: Exchange, ok: Bool) {
        guard state == .recordingStart, exchange === ex else { return }  // the client left meanwhile
        if ok {
            state = .proxying
            sendUpstream(ex)
        } else {
            ex.startRecorded = false
            refuseUnrecorded(ex)
        }
        processInput()
        flush()
    }

    /// 503 audit_unavailable; this response itself cannot be recorded.
    private func refuseUnrecorded(_ ex: Exchange) {
        ex.recordingFailed = true
        ctx.logError("audit store unavailable; exchange refused", [("request_id", ex.requestID)])
        finishLocally(ex, response: Self.auditUnavailable, outcome: "audit_unavailable", close: !ex.requestBodyDone)
    }

    /// Records the end of `ex`. Returns true when the caller must wait for
    /// the strict commit (`outcomeCommitted` continues); false to go on now.
    func recordEnd(_ ex: Exchange, closing: Bool) -> Bool {
        guard let durability = ex.durability, let recorder = ctx.shared.recorder, !ex.recordingFailed else { return false }
        let record = endRecord(ex, durability: durability)
        if durability == .async {
            _ = recorder.submit(record)
            return false
        }
        state = .committing
        commitPending = ex
        commitThenClose = closing
        // Withhold everything not yet sent, not only the last byte: the
        // client cannot use a response without its end, and sending all but
        // one byte costs a second write here and a second wake-up there.
        holdBack = output.count
        let loop = ctx.loop
        let me = LoopBound(self)
        let token = LoopBound(ex)
        let accepted = recorder.submit(record) { result in
            let ok: Bool
            if case .success = result { ok = true } else { ok = false }
            loop.post { me.value.outcomeCommitted(token.value, ok: ok) }
        }
        if !accepted {
            // Cannot wait for a commit that will never come: cut the response short.
            ctx.logError("audit store unavailable; response cut before its last byte", [("request_id", ex.requestID)])
            holdBack = 0
            commitPending = nil
            abortUnrecorded()
        }
        return true
    }

    /// The outcome record's commit finished (on this loop, via post).
    func outcomeCommitted(_ ex: Exchange, ok: Bool) {
        guard state == .committing, commitPending === ex else { return }
        commitPending = nil
        holdBack = 0
        if !ok {
            ctx.logError("outcome not recorded; response cut before its last byte", [("request_id", ex.requestID)])
            abortUnrecorded()
            return
        }
        if commitThenClose { state = .closing } else { startIdle() }
        processInput()
        flush()
    }

    private func abortUnrecorded() {
        Socket.setLingerZero(fd)
        close()
    }

    /// The client is gone (or the connection is being torn down): record what
    /// happened without waiting, since there is nothing left to withhold.
    func recordWithoutWaiting(_ ex: Exchange) {
        guard let durability = ex.durability, let recorder = ctx.shared.recorder, !ex.recordingFailed else { return }
        ex.recordingFailed = true  // exactly once
        _ = recorder.submit(endRecord(ex, durability: durability))
    }

    /// Records a request answered before it had a route (malformed HTTP, no
    /// route, a timeout before the head was complete). There is no route
    /// policy to follow, so it uses the global durability, and it is written
    /// without withholding the answer (the connection closes or the request
    /// is trivially refused; documented in RECORDING.md).
    func recordRejected(requestID: String, method: String, target: String, headers: HeaderList,
                        response: LocalResponse, outcome: String) {
        guard let durability = ctx.config.recordingDefault, let recorder = ctx.shared.recorder else { return }
        let now = RecordingClock.nowMillis()
        let start = ExchangeStart(requestID: requestID, startedAt: now, route: "-", clientAddress: peerDescription,
                                  identity: nil, method: method, target: TargetRedaction.redact(target), requestHeaders: headers,
                                  durability: durability)
        let end = ExchangeOutcome(requestID: requestID, finishedAt: now,
                                  outcome: ExchangeRecording.recordedOutcome(outcome), responseStatus: response.status,
                                  responseHeaders: [HeaderField("Content-Type", "application/json")],
                                  responseBody: CapturedBody(LocalResponseWriter.body(response, requestID: requestID),
                                                             cap: ctx.config.recordingBodyCap),
                                  errorCode: response.code, durability: durability)
        _ = recorder.submit(.complete(start, end))
    }
}
