import GatehouseCore
import HTTP1
import Inspection

/// What the response phase needs to mask one exchange's response: the
/// response `MaskSet` of the decision and the policy's inspector. Set on
/// `ExchangeContext.responseMasking` by `PolicyStage` when the decision
/// allows the request and has response masks; nil otherwise (the response
/// then passes through untouched). A class, so the context carries one pointer.
public final class ResponseMaskingPlan: Sendable {
    public let masks: MaskSet
    let policy: CompiledPolicy
    let hashKey: MaskKey
    let scratches: ScratchPool
    /// Largest body masked as a whole (Content-Length responses, and any
    /// response when field masks apply).
    public let bodyLimit: Int
    /// Window and hold bounds of streaming masking.
    public let streamLimits: StreamMasker.Limits

    init(masks: MaskSet, policy: CompiledPolicy, hashKey: MaskKey, scratches: ScratchPool, bodyLimit: Int,
         streamLimits: StreamMasker.Limits) {
        self.masks = masks
        self.policy = policy
        self.hashKey = hashKey
        self.scratches = scratches
        self.bodyLimit = bodyLimit
        self.streamLimits = streamLimits
        labelPlan = Self.labelPlan(masks, hashKey)
        preparedLabelPlan = PreparedMaskPlan(labelPlan)
    }

    /// The mask plan for detector and pattern labels (field masks are applied by `PolicyMasking`).
    let labelPlan: MaskPlan
    /// `labelPlan` prepared for whole-body JSON masking (built once per plan).
    let preparedLabelPlan: PreparedMaskPlan

    static func labelPlan(_ masks: MaskSet, _ hashKey: MaskKey) -> MaskPlan {
        var plan = MaskPlan()
        for (label, s) in masks.labels {
            let kind: FindingKind = Detector(rawValue: label).map(FindingKind.detector) ?? .custom(label)
            plan.strategies[kind] = PolicyMasking.strategy(s, hashKey)
        }
        return plan
    }
}

/// Why a response could not be masked. Stable codes (Docs/ERRORS.md): the
/// gateway answers 502 with the code when no response byte was sent yet,
/// and cuts the stream otherwise.
public struct ResponseMaskProblem: Error, Sendable, Equatable {
    public var code: String
    public var message: String

    /// The local response that replaces the upstream's.
    public var response: LocalResponse { LocalResponse(status: 502, code: code, message: message) }

    /// Compressed, an event stream with field masks, or the engine failed.
    static func uninspectable(_ why: String) -> Self {
        Self(code: "response_uninspectable", message: "the upstream response cannot be inspected for masking: \(why)")
    }
    static func tooLarge(_ limit: Int) -> Self {
        Self(code: "response_too_large", message: "the upstream response exceeds the masking limit of \(limit) bytes")
    }
    static func malformed(_ why: String) -> Self {
        Self(code: "response_malformed", message: "the upstream response is not valid JSON: \(why)")
    }
    static func window(_ why: String) -> Self {
        Self(code: "response_mask_window_exceeded", message: why)
    }

    init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    init(_ error: StreamMaskError) {
        switch error {
        case .malformedJSON(let why): self = .malformed(why)
        case .heldTooLong, .secretExceedsWindow: self = .window(error.description)
        case .engine: self = .uninspectable(error.description)
        }
    }

    init(_ problem: BodyProblem) {
        switch problem {
        case .uninspectable(let why): self = .uninspectable(why)
        case .malformed(let why): self = .malformed(why)
        case .tooLarge(let limit): self = .tooLarge(limit)
        }
    }
}

/// Masks one response body, as a whole or as a stream; owned by the
/// exchange (a class, so the stream state is never copied). Created from the response head by `begin`, fed the
/// decoded body with `append`, ended with `finish`.
///
/// - Whole body (Content-Length responses, and any response when field
///   masks apply): the body is buffered up to `bodyLimit` and masked as a
///   block (`PolicyMasking.mask`); the caller sends the head afterwards with
///   the new `Content-Length`.
/// - Streaming (chunked or close-delimited responses; `text/event-stream`
///   always): `StreamMasker` releases masked bytes as they become final; the
///   caller re-chunks them.
public final class ResponseBodyMasker {
    public enum Mode: Sendable, Equatable { case wholeBody, streaming }

    public let mode: Mode
    private let plan: ResponseMaskingPlan
    /// What the response's `Content-Type` makes of the body, and the
    /// header itself when field masks need `PolicyMasking`.
    private let media: ResponseMediaType
    private let contentType: String?
    private var buffer: [UInt8] = []
    /// Whole body: the `Content-Length`, nil for other framings.
    private var length: Int?
    /// Whole JSON body by labels only, arrived in one piece: `buffer`
    /// already holds it masked (or `problem` says why it cannot be), so
    /// `finish` only hands it over.
    private var masked = false
    private var problem: ResponseMaskProblem?
    private var stream: StreamMasker? = nil
    /// What whole-body masking masked (streaming: the stream masker's).
    private var wholeBodyLabels = MaskedLabels()

    /// The detectors and patterns masked in this response so far, never
    /// the values: the response decision's detectors in the recording.
    public var maskedLabels: MaskedLabels { stream?.maskedLabels ?? wholeBodyLabels }

    /// Headers that describe the exact body bytes: dropped from a masked response.
    public static let bodyDigestHeaders = ["etag", "content-md5", "digest", "content-digest", "repr-digest"]

    /// Whether a masked response drops the field `name` (any case): one of
    /// `bodyDigestHeaders`, or `Content-Length` (the writer sets the new
    /// framing). A switch on the length, for the per-field check of every
    /// masked response.
    public static func isDroppedFromMaskedResponse(_ name: UnsafeRawBufferPointer) -> Bool {
        switch name.count {
        case 4: HeaderNameMatch.equals(name, "etag")
        case 6: HeaderNameMatch.equals(name, "digest")
        case 11: HeaderNameMatch.equals(name, "content-md5") || HeaderNameMatch.equals(name, "repr-digest")
        case 14: HeaderNameMatch.equals(name, "content-digest") || HeaderNameMatch.equals(name, "content-length")
        default: false
        }
    }

    /// `stream` starts nil; the streaming mode sets it after (passing a
    /// nil `StreamMasker?`, a large value, copied it twice per response).
    private init(mode: Mode, plan: ResponseMaskingPlan, media: ResponseMediaType, contentType: String?) {
        self.mode = mode
        self.plan = plan
        self.media = media
        self.contentType = contentType
    }

    /// Decides how the response with `headers` and `framing` (which has a
    /// body) is masked, or refuses it: a `Content-Encoding` other than
    /// `identity`, field masks on an event stream, a Content-Length over the bound.
    public static func begin(_ plan: ResponseMaskingPlan, headers: HTTPHeaders,
                             framing: BodyFraming) -> Result<ResponseBodyMasker, ResponseMaskProblem> {
        // One pass over the fields for both (by name length, then bytes).
        var media = ResponseMediaType.text, typed = false, encoded = false
        headers.forEachField { name, value in
            switch name.count {
            case 12 where !typed && HeaderNameMatch.equals(name, "content-type"):
                typed = true
                media = ResponseMediaType.classify(value)
            case 16 where HeaderNameMatch.equals(name, "content-encoding"):
                encoded = true
            default: break
            }
        }
        if encoded, let problem = UndecodedEncoding.problem(in: headers) { return .failure(.uninspectable(problem)) }
        let eventStream = media == .eventStream
        let contentType = plan.masks.fields.isEmpty ? nil : headers.firstValue("content-type")
        if eventStream && !plan.masks.fields.isEmpty {
            return .failure(.uninspectable("field masks need a JSON body, not an event stream"))
        }
        if case .contentLength(let n) = framing, n > UInt64(plan.bodyLimit) {
            return .failure(.tooLarge(plan.bodyLimit))
        }
        let format: StreamMasker.Format = eventStream ? .eventStream : media == .json ? .json : .text
        let whole: Bool
        switch framing {
        case .contentLength: whole = !eventStream
        default: whole = !plan.masks.fields.isEmpty
        }
        if whole {
            let masker = ResponseBodyMasker(mode: .wholeBody, plan: plan, media: media, contentType: contentType)
            if case .contentLength(let n) = framing { masker.length = Int(n) }
            return .success(masker)
        }
        let masker = ResponseBodyMasker(mode: .streaming, plan: plan, media: media, contentType: contentType)
        masker.stream = StreamMasker(format: format, inspector: plan.policy.inspector, plan: plan.labelPlan, limits: plan.streamLimits)
        return .success(masker)
    }

    /// Whole body: the body is buffered in `storage`'s capacity instead of
    /// a fresh array (growing one from empty cost every masked response an
    /// allocation and a free); `storage` is left with the masker's empty
    /// buffer. Call before the first `append`; a no-op when streaming.
    public func lendBuffer(_ storage: inout [UInt8]) {
        guard mode == .wholeBody, buffer.isEmpty else { return }
        // (`removeAll(keepingCapacity:)` only when needed: ≈ 80 instructions.)
        if !storage.isEmpty { storage.removeAll(keepingCapacity: true) }
        swap(&buffer, &storage)
    }

    /// The buffer's storage, emptied with its capacity kept, for the next
    /// response's `lendBuffer`; the masker is left with none. Call after `finish`
    /// (or instead of it, when the response was refused).
    public func takeBuffer() -> [UInt8] {
        var out: [UInt8] = []
        swap(&out, &buffer)
        if !out.isEmpty { out.removeAll(keepingCapacity: true) }  // refused before `finish` emptied it
        return out
    }

    /// Consumes the next decoded body bytes. Streaming: appends what may be
    /// sent to `out`. Whole body: buffers (nothing is appended).
    public func append(_ data: UnsafeRawBufferPointer, into out: inout [UInt8]) -> ResponseMaskProblem? {
        if mode == .wholeBody {
            if data.isEmpty { return nil }
            if buffer.count + data.count > plan.bodyLimit { return .tooLarge(plan.bodyLimit) }
            assert(!masked, "body bytes after the whole Content-Length")
            if buffer.isEmpty && data.count == length && media == .json && plan.masks.fields.isEmpty {
                maskWholeJSONPiece(data)
                return nil
            }
            buffer.append(contentsOf: data)
            return nil
        }
        guard let scratch = plan.scratches.take() else { return .uninspectable("no pattern-engine scratch could be allocated") }
        defer { plan.scratches.give(scratch) }
        do throws(StreamMaskError) {
            try stream!.feed(data, scratch: scratch, into: &out)
        } catch {
            return ResponseMaskProblem(error)
        }
        return nil
    }

    /// The whole JSON body `data` arrived in one piece (the usual case):
    /// masked straight from the read buffer into `buffer`, without copying
    /// it into `buffer` first. A problem is kept for `finish`, which reports
    /// it as it reports a problem of a body masked there.
    private func maskWholeJSONPiece(_ data: UnsafeRawBufferPointer) {
        masked = true
        guard let scratch = plan.scratches.take() else {
            problem = .uninspectable("no pattern-engine scratch could be allocated")
            return
        }
        defer { plan.scratches.give(scratch) }
        switch Self.maskJSONLabels(data, plan: plan, scratch: scratch, into: &buffer, noting: &wholeBodyLabels) {
        case .failure(let p): problem = p
        case .success(true): break
        case .success(false): buffer.append(contentsOf: data)
        }
    }

    /// The body ended: appends the rest (whole body: all of it, masked) to `out`.
    public func finish(into out: inout [UInt8]) -> ResponseMaskProblem? {
        if masked {
            // Emptied, its capacity kept for `takeBuffer` (freed with the masker
            // otherwise); usually empty already, after the swap.
            defer { if !buffer.isEmpty { buffer.removeAll(keepingCapacity: true) } }
            if let problem { return problem }
            if out.isEmpty { swap(&out, &buffer) } else { out.append(contentsOf: buffer) }
            return nil
        }
        guard let scratch = plan.scratches.take() else { return .uninspectable("no pattern-engine scratch could be allocated") }
        defer { plan.scratches.give(scratch) }
        if mode == .streaming {
            do throws(StreamMaskError) {
                try stream!.finish(scratch: scratch, into: &out)
            } catch {
                return ResponseMaskProblem(error)
            }
            return nil
        }
        // Emptied, its capacity kept for `takeBuffer` (freed with the masker otherwise).
        defer { if !buffer.isEmpty { buffer.removeAll(keepingCapacity: true) } }
        if plan.masks.fields.isEmpty {
            // Detector masks only: one validating scan and the masker, no
            // separate parse (scanJSON validates JSON itself).
            if media == .json {
                // Masked straight into `out`; an unchanged body is handed over without a copy.
                let result = buffer.withUnsafeBytes { raw in
                    Self.maskJSONLabels(raw, plan: plan, scratch: scratch, into: &out, noting: &wholeBodyLabels)
                }
                switch result {
                case .failure(let problem): return problem
                case .success(true): break
                case .success(false): if out.isEmpty { swap(&out, &buffer) } else { out.append(contentsOf: buffer) }
                }
                return nil
            }
            switch Self.maskLabels(buffer, media: media, plan: plan, scratch: scratch, noting: &wholeBodyLabels) {
            case .failure(let problem): return problem
            case .success(let masked): out.append(contentsOf: masked ?? buffer)
            }
            return nil
        }
        var contentHeaders = HTTPHeaders()
        if let contentType { contentHeaders.append(name: "Content-Type", value: contentType) }
        switch PolicyMasking.mask(buffer, headers: contentHeaders, masks: plan.masks, policy: plan.policy,
                                  scratch: scratch, hashKey: plan.hashKey, noting: &wholeBodyLabels) {
        case .failure(let problem): return ResponseMaskProblem(problem)
        case .success(let masked): out.append(contentsOf: masked ?? buffer)
        }
        return nil
    }

    /// Whole-body masking of a JSON body `raw` by detector and pattern
    /// labels, appended to `out`: true when something was masked, false
    /// (nothing appended) when nothing was found. Returns why the body
    /// cannot be masked otherwise.
    static func maskJSONLabels(_ raw: UnsafeRawBufferPointer, plan: ResponseMaskingPlan, scratch: PatternScratch,
                               into out: inout [UInt8], noting labels: inout MaskedLabels) -> Result<Bool, ResponseMaskProblem> {
        if raw.isEmpty { return .success(false) }
        let inspector = plan.policy.inspector
        do throws(InspectionError) {
            var findings = try inspector.scanJSON(raw, scratch: scratch, pointers: false)
            defer { scratch.recycle(&findings) }
            if findings.isEmpty { return .success(false) }
            labels.note(findings, plan: plan.preparedLabelPlan)
            return .success(Masker.maskJSON(raw, findings: findings, plan: plan.preparedLabelPlan, into: &out))
        } catch {
            if case .malformedJSON(let offset, let reason) = error { return .failure(.malformed("byte \(offset): \(reason)")) }
            return .failure(.uninspectable(error.description))
        }
    }

    /// Whole-body masking by detector and pattern labels: nil when nothing changed.
    static func maskLabels(_ body: [UInt8], media: ResponseMediaType, plan: ResponseMaskingPlan,
                           scratch: PatternScratch, noting labels: inout MaskedLabels) -> Result<[UInt8]?, ResponseMaskProblem> {
        if body.isEmpty { return .success(nil) }
        let inspector = plan.policy.inspector
        return body.withUnsafeBytes { raw -> Result<[UInt8]?, ResponseMaskProblem> in
            do throws(InspectionError) {
                switch media {
                case .json:
                    let findings = try inspector.scanJSON(raw, scratch: scratch, pointers: false)
                    labels.note(findings, plan: plan.labelPlan)
                    return .success(findings.isEmpty ? nil : Masker.maskJSON(raw, findings: findings, plan: plan.labelPlan))
                case .form, .text, .eventStream:
                    let findings: [Finding]
                    do throws(PatternEngineError) {
                        findings = media == .form ? try inspector.scanForm(raw, scratch: scratch) : try inspector.scan(raw, scratch: scratch)
                    } catch {
                        return .failure(.uninspectable(error.description))
                    }
                    if findings.isEmpty { return .success(nil) }
                    labels.note(findings, plan: plan.labelPlan)
                    return .success(media == .form ? Masker.maskForm(raw, findings: findings, plan: plan.labelPlan)
                                                  : Masker.maskText(raw, findings: findings, plan: plan.labelPlan))
                }
            } catch {
                if case .malformedJSON(let offset, let reason) = error { return .failure(.malformed("byte \(offset): \(reason)")) }
                return .failure(.uninspectable(error.description))
            }
        }
    }
}
