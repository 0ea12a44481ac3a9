/// Writes one audit record as a JSON object into the block being built
/// (schema v4, see `Docs/RECORDING.md`, "Blocks").
///
/// A start is `{"k":"start", …request side…}`, an outcome
/// `{"k":"outcome", …response side…}`, and a `.complete` record one object
/// with both sides (`"k":"complete"`). Field names are the column names of
/// the `exchanges` view; null values are left out. Header values are
/// redacted as they are written (`HeaderRedactor`). Bodies are not in the
/// JSON: their bytes are appended, exactly as forwarded or returned, to the
/// block's `bodies` BLOB, and the record says where
/// (`"request_body_at":[offset,length]`; in an outcome record when the
/// request body was streamed after its start was submitted, see
/// `ExchangeOutcome.requestBody`). A body therefore costs a copy,
/// not an escape per byte, and what was stored is byte for byte what
/// crossed the gateway (searchable in the file as it is).
///
/// Runs on the writer thread only, into reused buffers: no per-record
/// allocation beyond what the record itself carries.
struct RecordEncoder {
    let redactor: HeaderRedactor
    let bodyCap: Int

    func appendStart(_ s: ExchangeStart, sessionID: Int64, to block: BlockBuilder) {
        var w = ObjectWriter(block.text)
        w.literal(#""k":"start""#)
        startFields(s, sessionID: sessionID, into: &w, block: block)
        w.close()
    }

    func appendOutcome(_ o: ExchangeOutcome, sessionID: Int64, to block: BlockBuilder) {
        var w = ObjectWriter(block.text)
        w.literal(#""k":"outcome""#)
        w.string(#""request_id":"#, o.requestID)
        w.int(#""session_id":"#, sessionID)
        outcomeFields(o, into: &w, block: block)
        w.close()
    }

    func appendComplete(_ s: ExchangeStart, _ o: ExchangeOutcome, sessionID: Int64, to block: BlockBuilder) {
        var w = ObjectWriter(block.text)
        w.literal(#""k":"complete""#)
        startFields(s, sessionID: sessionID, into: &w, block: block)
        outcomeFields(o, into: &w, block: block, requestBodyWritten: s.requestBody.totalLength > 0)
        w.close()
    }

    private func startFields(_ s: ExchangeStart, sessionID: Int64, into w: inout ObjectWriter, block: BlockBuilder) {
        w.string(#""request_id":"#, s.requestID)
        w.int(#""session_id":"#, sessionID)
        w.int(#""started_at":"#, s.startedAt)
        w.string(#""route":"#, s.route)
        w.string(#""client_address":"#, s.clientAddress)
        if let id = s.identity {
            w.string(#""subject":"#, id.subject)
            w.string(#""client_id":"#, id.clientID)
            if !id.groups.isEmpty {
                w.key(#""groups":"#)
                JSONFragments.appendStrings(id.groups, to: w.out)
            }
        }
        w.string(#""method":"#, s.method)
        w.string(#""target":"#, s.target)
        w.key(#""request_headers":"#)
        JSONFragments.appendHeaders(s.requestHeaders, redactor: redactor, to: w.out)
        body(s.requestBody, prefix: .request, into: &w, block: block)
        w.string(#""durability":"#, s.durability.rawValue)
        if !s.decisions.isEmpty {
            w.key(#""request_decisions":"#)
            JSONFragments.appendDecisions(s.decisions, to: w.out)
        }
    }

    /// `requestBodyWritten`: the start's fields, in the same object, already
    /// hold a request body (a key may appear only once).
    private func outcomeFields(_ o: ExchangeOutcome, into w: inout ObjectWriter, block: BlockBuilder,
                               requestBodyWritten: Bool = false) {
        if let streamed = o.requestBody, !requestBodyWritten { body(streamed, prefix: .request, into: &w, block: block) }
        w.int(#""finished_at":"#, o.finishedAt)
        w.string(#""outcome":"#, o.outcome.rawValue)
        w.int(#""response_status":"#, o.responseStatus.map(Int64.init))
        if o.responseStatus != nil || !o.responseHeaders.isEmpty {
            w.key(#""response_headers":"#)
            JSONFragments.appendHeaders(o.responseHeaders, redactor: redactor, to: w.out)
        }
        body(o.responseBody, prefix: .response, into: &w, block: block)
        let t = o.timings
        w.int(#""t_request_us":"#, micros(t.request))
        w.int(#""t_policy_us":"#, micros(t.policy))
        w.int(#""t_hold_us":"#, micros(t.hold))
        w.int(#""t_connect_us":"#, micros(t.connect))
        w.int(#""t_first_byte_us":"#, micros(t.firstByte))
        w.int(#""t_total_us":"#, micros(t.total))
        w.int(#""bytes_in":"#, Int64(clamping: o.bytesIn))
        w.int(#""bytes_out":"#, Int64(clamping: o.bytesOut))
        w.string(#""upstream_address":"#, o.upstreamAddress)
        w.string(#""error_code":"#, o.errorCode)
        w.string(#""error_reason":"#, o.errorReason)
        if !o.decisions.isEmpty {
            w.key(#""response_decisions":"#)
            JSONFragments.appendDecisions(o.decisions, to: w.out)
        }
    }

    enum Side { case request, response }

    /// Where the body's bytes (up to the cap) went in the block's `bodies`,
    /// its size as received, and whether it was cut.
    private func body(_ b: CapturedBody, prefix: Side, into w: inout ObjectWriter, block: BlockBuilder) {
        let request = prefix == .request
        let kept = min(b.bytes.count, max(bodyCap, 0))
        if kept > 0 {
            let offset = block.bodies.count
            b.bytes.withUnsafeBytes { all in block.bodies.append(UnsafeRawBufferPointer(rebasing: all[0..<kept])) }
            w.key(request ? #""request_body_at":"# : #""response_body_at":"#)
            w.out.append(UInt8(ascii: "["))
            w.appendInt(Int64(offset))
            w.out.append(UInt8(ascii: ","))
            w.appendInt(Int64(kept))
            w.out.append(UInt8(ascii: "]"))
        }
        if b.totalLength > 0 {
            w.int(request ? #""request_body_size":"# : #""response_body_size":"#, Int64(b.totalLength))
        }
        if b.totalLength > kept || b.incomplete {
            w.literal(request ? #""request_body_truncated":1"# : #""response_body_truncated":1"#)
        }
    }

    private func micros(_ ns: UInt64?) -> Int64? { ns.map { Int64(clamping: $0 / 1000) } }
}

/// Appends `"key":value` pairs of one JSON object to a `ScratchBuffer`.
struct ObjectWriter {
    let out: ScratchBuffer
    private var first = true

    init(_ out: ScratchBuffer) {
        self.out = out
        out.append(UInt8(ascii: "{"))
    }

    /// A pre-formatted `"key":value` pair.
    mutating func literal(_ pair: StaticString) {
        separator()
        out.append(UnsafeRawBufferPointer(start: pair.utf8Start, count: pair.utf8CodeUnitCount))
    }

    /// A key written out with its quotes and colon (`#""name":"#), after a
    /// comma when needed: one copy per key.
    mutating func key(_ quotedWithColon: StaticString) {
        separator()
        out.append(UnsafeRawBufferPointer(start: quotedWithColon.utf8Start, count: quotedWithColon.utf8CodeUnitCount))
    }

    /// The pair, or nothing when `value` is nil.
    mutating func string(_ name: StaticString, _ value: String?) {
        guard let value else { return }
        key(name)
        JSONFragments.appendString(value, to: out)
    }

    /// The pair, or nothing when `value` is nil.
    mutating func int(_ name: StaticString, _ value: Int64?) {
        guard let value else { return }
        key(name)
        appendInt(value)
    }

    /// `value` in decimal, two digits per step.
    func appendInt(_ value: Int64) { Self.appendInt(value, to: out) }

    /// `value` in decimal to `out`, two digits per step.
    static func appendInt(_ value: Int64, to out: ScratchBuffer) {
        out.appendUnsafe(maxCount: 20) { dst in
            var u = value < 0 ? UInt64(bitPattern: 0 &- value) : UInt64(value)
            var tmp: (UInt64, UInt64, UInt64) = (0, 0, 0)
            return withUnsafeMutableBytes(of: &tmp) { t -> Int in
                var n = 24
                digitPairs.withUTF8Buffer { pairs in
                    while u >= 100 {
                        let r = Int(u % 100)
                        u /= 100
                        n &-= 2
                        t[n] = pairs[2 &* r]
                        t[n &+ 1] = pairs[2 &* r &+ 1]
                    }
                    if u >= 10 {
                        n &-= 2
                        t[n] = pairs[2 &* Int(u)]
                        t[n &+ 1] = pairs[2 &* Int(u) &+ 1]
                    } else {
                        n &-= 1
                        t[n] = UInt8(truncatingIfNeeded: u) &+ 0x30
                    }
                }
                var o = 0
                if value < 0 { dst[0] = UInt8(ascii: "-"); o = 1 }
                for k in n..<24 {
                    dst[o] = t[k]
                    o &+= 1
                }
                return o
            }
        }
    }

    private static let digitPairs: StaticString = """
        00010203040506070809101112131415161718192021222324252627282930313233343536373839\
        40414243444546474849505152535455565758596061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899
        """

    private mutating func separator() {
        if first { first = false } else { out.append(UInt8(ascii: ",")) }
    }

    mutating func close() { out.append(UInt8(ascii: "}")) }
}
