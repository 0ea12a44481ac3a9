import GatehouseCore
import HTTP1
import Policy
import Recording

/// One request/response exchange on a client connection: its identity, its
/// progress through the pipeline and both bodies, and what gets logged.
final class Exchange {
    let requestID: String
    let route: RuntimeRoute
    let config: RuntimeConfig
    let startNs: UInt64
    var context: ExchangeContext
    var runner: PipelineRunner
    let isHead: Bool
    /// The request method (from the head; not copied).
    var method: String { context.head.method }
    /// The request path without the query, for logs (the query may hold credentials).
    var path: String { String(context.head.path) }

    // request body, client -> gateway
    var requestBody: BodyReader
    var bufferedBody: [UInt8]?
    var bufferLimit = 0
    var continueSent = false

    // upstream side
    var upstream: UpstreamConnection?
    var upstreamWriter = BodyWriter.none
    var upstreamFraming = HeaderShaping.Framing.none
    /// The whole request is at hand (no streamed body): it can be re-sent.
    var replayable = false
    /// Re-send once on a fresh connection if this (reused) one turns out stale.
    var canRetry = false
    var attempts = 0
    var upstreamStartNs: UInt64 = 0
    var upstreamAddress: String?

    // response, gateway -> client
    var responseStarted = false
    var clientWriter = BodyWriter.none
    var status = 0
    var bytesIn: UInt64 = 0
    var bytesOut: UInt64 = 0
    /// Masks the response body (nil: the body passes through untouched).
    var responseMasker: ResponseBodyMasker?
    /// Masking refused the response: the upstream connection stops reading
    /// and ends the exchange with this (502, or a cut stream).
    var maskProblem: ResponseMaskProblem?
    /// Whole-body masking: the head waits for the masked body.
    var heldResponseHead: ResponseHead?
    /// The response is masked: its head is written and recorded without the
    /// fields `ResponseBodyMasker.isDroppedFromMaskedResponse` names (body
    /// digests, length). Skipped while writing, not removed from a copy of
    /// the head (which copied its field list).
    var dropsMaskedResponseFields = false

    // recording (nil durability: this route is not recorded)
    let durability: DurabilityMode?
    let startedAtMs: Int64
    /// A start record was committed (or queued, async): the end is an `outcome` record.
    var startRecorded = false
    /// Async: the start record, held on the loop until the exchange ends
    /// (then both go as one `complete` record) or outlives
    /// `RuntimeConfig.recordingAsyncHoldNs` (then it goes alone).
    var heldStart: ExchangeStart?
    /// The request body as forwarded piece by piece, when it was not
    /// buffered before the start record (no stage asked for it): its first
    /// `recordingBodyCap` bytes go in the end record. Nil when not recorded.
    var streamedRequestBody: CapturedBody?
    /// The body is being read in full so that the strict start record can
    /// hold it (`DownstreamConnection.strictRecordingBodyLimit`), not
    /// because a stage asked: when it is complete, forwarding goes on.
    var bufferingForRecording = false
    /// The body being read ahead for the strict start is chunked: input is
    /// only looked at (a copy of the reader runs over it) until the whole
    /// body is seen within the read-ahead bound; then it is read for real,
    /// or, when it does not end within the bound, streamed.
    var peekingForRecording = false
    /// The copy of the body reader that looks ahead, and how many input
    /// bytes it has taken: each look feeds it only what arrived since, so a
    /// client sending a byte at a time costs a byte of work each time.
    var readAheadProbe: BodyReader?
    var readAheadOffset = 0
    /// Input bytes the last look saw (a look at more restarts the body timer).
    var peekedBytes = 0
    /// The body did not end within the read-ahead bound: forward it as it arrives.
    var readAheadDeclined = false
    var responseHeadNs: UInt64 = 0
    var responseHeaders = HeaderList()
    var responseBody: CapturedBody?
    /// Recording gave up on this exchange (store refused it) or already recorded its end.
    var recordingFailed = false

    // outcome
    var outcome = "ok"
    var errorCode: String?
    var holdTicket: HoldTicket?
    /// The client connection must close after this exchange (unread body,
    /// Connection: close, HTTP/1.0, close-delimited response).
    var closeAfter: Bool

    init(requestID: String, route: RuntimeRoute, config: RuntimeConfig, head: consuming RequestHead,
         clientAddress: String, startNs: UInt64) {
        self.requestID = requestID
        self.route = route
        self.config = config
        self.startNs = startNs
        isHead = head.method == "HEAD"
        durability = route.durability
        startedAtMs = route.durability == nil ? 0 : RecordingClock.nowMillis()
        requestBody = BodyReader(framing: head.framing)
        closeAfter = !head.keepAlive
        context = ExchangeContext(requestID: requestID, routeName: route.name, clientAddress: clientAddress, head: consume head)
        runner = PipelineRunner(stageCount: config.stages.count)
    }

    var requestBodyDone: Bool { requestBody.finished }
}
