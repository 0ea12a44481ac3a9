import HTTP1
import Policy

/// Response masking: runs only for exchanges whose policy decision has
/// response masks (`ExchangeContext.responseMasking`); every other response
/// takes the untouched pass-through path in `DownstreamConnection+Response`.
///
/// - Whole body: the head is held, the body buffered (bounded) and masked at
///   the end, then the head goes out with the new `Content-Length`. Nothing
///   reaches the client before that, so a refusal is a clean 502.
/// - Streaming: the head goes out at once (re-chunked, no `Content-Length`),
///   and masked bytes follow as the masker releases them. A refusal after
///   that cuts the connection: the client sees a truncated message.
///
/// `ETag`, `Content-MD5` and digest fields are dropped in both modes. The
/// recorder captures the body as sent to the client, after masking.
extension DownstreamConnection {

    /// The upstream connection checks this after each delivery and stops
    /// (ending the exchange with the problem) once it is set.
    var responseMaskProblem: ResponseMaskProblem? { exchange?.maskProblem }

    /// Starts masking `head`'s body. Returns the head to send now
    /// (streaming), or nil when it is held (whole body) or refused.
    func beginResponseMasking(_ ex: Exchange, _ head: consuming ResponseHead, _ plan: ResponseMaskingPlan) -> ResponseHead? {
        ex.canRetry = false
        ex.bufferedBody = nil
        ex.status = head.status
        switch ResponseBodyMasker.begin(plan, headers: head.headers, framing: head.framing) {
        case .failure(let problem):
            ex.maskProblem = problem
            return nil
        case .success(let masker):
            ex.responseMasker = masker
            // The body digests, and the length (the writer sets the new
            // framing): skipped when the head is written and recorded.
            ex.dropsMaskedResponseFields = true
            if masker.mode == .wholeBody {
                masker.lendBuffer(&ctx.maskInput)
                ex.heldResponseHead = consume head
                return nil
            }
            var streamed = consume head
            streamed.framing = .chunked
            return streamed
        }
    }

    /// Body bytes of a masked response.
    func maskedBodyData(_ ex: Exchange, _ data: UnsafeRawBufferPointer) {
        if ex.maskProblem != nil { return }
        var out: [UInt8] = []
        if let problem = ex.responseMasker!.append(data, into: &out) {
            ex.maskProblem = problem
            return
        }
        if !out.isEmpty { writeMaskedBody(ex, out) }
    }

    /// The upstream response ended: writes what the masker still held (for
    /// a whole body, the head and the masked body). Returns false when the
    /// exchange was ended instead (masking refused the response).
    func finishResponseMasking(_ ex: Exchange) -> Bool {
        var out: [UInt8] = []
        swap(&out, &ctx.maskedBody)
        defer {
            out.removeAll(keepingCapacity: true)
            if out.capacity <= 1 << 16 { swap(&out, &ctx.maskedBody) }
            if let masker = ex.responseMasker, masker.mode == .wholeBody {
                let input = masker.takeBuffer()
                if input.capacity <= 1 << 16 { ctx.maskInput = input }
            }
        }
        if let problem = ex.maskProblem ?? ex.responseMasker!.finish(into: &out) {
            ex.maskProblem = problem
            if ex.responseStarted {
                ex.outcome = "response_refused"
                ex.errorCode = problem.code
                abort(reason: problem.code)
            } else {
                finishLocally(ex, response: problem.response, outcome: "response_refused",
                              close: ex.closeAfter || !ex.requestBodyDone)
                processInput()
                flush()
            }
            return false
        }
        if var head = ex.heldResponseHead.take() {
            head.framing = .contentLength(UInt64(out.count))
            writeResponseHead(ex, head)
        }
        if !out.isEmpty { writeMaskedBody(ex, out) }
        return true
    }

    private func writeMaskedBody(_ ex: Exchange, _ bytes: [UInt8]) {
        if ex.responseBody != nil { bytes.withUnsafeBytes { ex.responseBody!.append($0) } }
        let before = output.count
        bytes.withUnsafeBytes { ex.clientWriter.write($0, into: &output) }
        ex.bytesOut &+= UInt64(output.count - before)
    }
}
