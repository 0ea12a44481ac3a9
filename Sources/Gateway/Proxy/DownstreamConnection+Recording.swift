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
    func recordStartThenForward(_ ex: Exchange) {
        guard let durability = ex.durability, let recorder = ctx.shared.recorder else {
            sendUpstream(ex)
            return
        }
        let start = ExchangeRecording.start(ex, clientAddress: peerDescription, durability: durability,
                                            bodyCap: ex.config.recordingBodyCap)
        ex.startRecorded = true
        if durability == .async {
            if !recorder.submit(.start(start)) { ex.startRecorded = false }
            sendUpstream(ex)
            return
        }
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
        let outcome = ExchangeRecording.outcome(ex, nowNs: ctx.loop.now, durability: durability)
        let record: AuditRecord
        if ex.startRecorded {
            record = .outcome(outcome)
        } else {
            record = .complete(ExchangeRecording.start(ex, clientAddress: peerDescription, durability: durability,
                                                       bodyCap: ex.config.recordingBodyCap), outcome)
        }
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
        let outcome = ExchangeRecording.outcome(ex, nowNs: ctx.loop.now, durability: durability)
        if ex.startRecorded {
            _ = recorder.submit(.outcome(outcome))
        } else {
            _ = recorder.submit(.complete(ExchangeRecording.start(ex, clientAddress: peerDescription, durability: durability,
                                                                  bodyCap: ex.config.recordingBodyCap), outcome))
        }
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
