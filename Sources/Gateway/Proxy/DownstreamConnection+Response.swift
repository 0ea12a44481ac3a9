import GatehouseCore
import HTTP1
import Policy
import Recording

/// Response side of an exchange: callbacks from the upstream connection.
extension DownstreamConnection {
    /// The upstream's response head arrived: rewrite it and queue it (or,
    /// when the response must be masked, hand it to the masking phase, which
    /// keeps it without a copy).
    func upstreamResponseHead(_ head: consuming ResponseHead) {
        guard let ex = exchange else { return }
        if let plan = ex.context.responseMasking, !ex.isHead, head.framing != .none {
            if let streamed = beginResponseMasking(ex, consume head, plan) { writeResponseHead(ex, streamed) }
            return
        }
        writeResponseHead(ex, head)
    }

    /// Rewrites `head` for the client and queues it; picks the client framing.
    func writeResponseHead(_ ex: Exchange, _ head: ResponseHead) {
        ex.responseStarted = true
        ex.canRetry = false
        ex.bufferedBody = nil
        ex.status = head.status
        if ex.durability != nil {
            ex.responseHeadNs = ctx.loop.now
            ex.responseHeaders = ex.dropsMaskedResponseFields
                ? ExchangeRecording.headerList(head.headers, skipping: ResponseBodyMasker.isDroppedFromMaskedResponse)
                : ExchangeRecording.headerList(head.headers)
            ex.responseBody = CapturedBody(cap: ex.config.recordingBodyCap)
        }
        let clientHTTP11 = ex.context.head.version == .http1_1
        let framing: HeaderShaping.Framing
        if ex.isHead || head.framing == .none {
            ex.clientWriter = .none
            // A HEAD or 304 response's Content-Length describes the representation: keep it.
            if ex.isHead || head.status == 304, let cl = head.headers.firstValue("content-length"), let n = UInt64(cl) {
                framing = .contentLength(n)
            } else if head.status != 204 && head.status != 304 && !ex.isHead && !head.isInformational {
                framing = .contentLength(0)
            } else {
                framing = .none
            }
        } else {
            switch head.framing {
            case .contentLength(let n):
                framing = .contentLength(n)
                ex.clientWriter = .raw
            case .chunked, .untilClose:
                if clientHTTP11 {
                    framing = .chunked
                    ex.clientWriter = .chunked
                } else {
                    framing = .none
                    ex.clientWriter = .raw
                    ex.closeAfter = true  // HTTP/1.0 client: the body ends at close
                }
            case .none:
                framing = .none
                ex.clientWriter = .none
            }
        }
        if !ex.requestBodyDone { ex.closeAfter = true }  // response before the whole request: don't reuse
        if drainRequested { ex.closeAfter = true }
        let before = output.count
        output.withAppendableArray {
            HeaderShaping.writeClientResponse(head, framing: framing, close: ex.closeAfter,
                                              keepAliveHTTP10: !clientHTTP11,
                                              dropMaskedFields: ex.dropsMaskedResponseFields, config: ex.config,
                                              requestID: ex.requestID, into: &$0)
        }
        ex.bytesOut &+= UInt64(output.count - before)
    }

    /// Decoded response body bytes: frame them for the client.
    func upstreamBodyData(_ data: UnsafeRawBufferPointer) {
        guard let ex = exchange else { return }
        if ex.responseMasker != nil { maskedBodyData(ex, data); return }
        if ex.responseBody != nil { ex.responseBody!.append(data) }
        let before = output.count
        ex.clientWriter.write(data, into: &output)
        ex.bytesOut &+= UInt64(output.count - before)
    }

    /// Whether the client's buffer is full enough that the upstream should stop reading.
    var clientBackpressured: Bool { output.count >= Self.highWater }

    /// The response ended cleanly.
    func upstreamResponseComplete() {
        guard let ex = exchange else { return }
        ex.upstream = nil
        if ex.responseMasker != nil, !finishResponseMasking(ex) { return }
        let before = output.count
        ex.clientWriter.finish(into: &output)
        ex.bytesOut &+= UInt64(output.count - before)
        if !ex.requestBodyDone {
            // The upstream answered without reading the whole request body;
            // the rest cannot be told apart from a next request: close.
            ex.closeAfter = true
        }
        endExchange(ex, closing: ex.closeAfter)
        processInput()
        flush()
    }

    /// The upstream connection failed. Before any response byte reached the
    /// client that is a local 502/503/504; after, the client connection is
    /// aborted so it sees a cut-off message, never a clean end.
    func upstreamFailed(_ response: LocalResponse, outcome: String) {
        guard let ex = exchange else { return }
        ex.upstream = nil
        if ex.responseStarted {
            ex.outcome = outcome == "upstream_error" ? "upstream_aborted" : outcome
            ex.errorCode = response.code
            abort(reason: response.code)
            return
        }
        finishLocally(ex, response: response, outcome: outcome, close: ex.closeAfter || !ex.requestBodyDone)
        processInput()
        flush()
    }

    /// A reused pooled connection died before answering: try once more on a
    /// fresh connection if the request can be replayed (no streamed body).
    func retryUpstream() -> Bool {
        guard let ex = exchange, ex.canRetry, !ex.responseStarted else { return false }
        ex.canRetry = false
        ex.upstream = nil
        sendUpstream(ex, fresh: true)
        flush()
        return true
    }
}
