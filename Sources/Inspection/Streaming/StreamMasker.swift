import GatehouseCore

/// Masks a response body that arrives in pieces (chunked, close-delimited
/// or `text/event-stream`), without ever releasing an unmasked byte.
///
/// A pure state machine: `feed` each piece of the decoded body as it
/// arrives and send what it appends to `out`; call `finish` at the end of
/// the body. On error the caller must stop (cut the stream); bytes not
/// released are dropped.
///
/// Detection runs per channel (see `MaskChannel`) on decoded text:
/// - `.text`: the bytes as they are;
/// - `.json`: string values and keys after decoding escapes, and numbers
///   (a masked number becomes a JSON string); the body stays valid JSON and
///   must be valid JSON (otherwise `malformedJSON`);
/// - `.eventStream`: the `data` of each event; when an event's data is a JSON
///   document, its string values, with the values at the same JSON path
///   running together across events (so a card split over two `delta`
///   events is found), otherwise the data text, running together across
///   events. Other fields and comments pass unscanned. Events are masked
///   once complete, and every event keeps its lines and terminators.
///
/// Each channel holds back the last `limits.window` bytes, and more while a
/// finding, a JWT or a PEM key reaches into them, so a secret split across
/// pieces or events is seen whole before any of it is released. A piece
/// boundary inside a UTF-8 sequence or a JSON escape is completed before
/// release: the masker never decodes UTF-8 and never emits U+FFFD.
public struct StreamMasker {
    public enum Format: Sendable, Equatable {
        case text, json, eventStream
    }

    /// Bounds of the window and of what may be held back.
    public struct Limits: Sendable, Equatable {
        /// Bytes of decoded text held back per channel: the longest secret
        /// that is caught when split (PEM keys and JWTs are held from their
        /// start, up to `maxHeld`).
        public var window: Int
        /// Released text kept as context for detectors' left-edge checks.
        public var lookBehind: Int
        /// Most bytes held back at once (a growing secret, a long SSE event,
        /// events waiting for a window to fill): above it, `heldTooLong`.
        public var maxHeld: Int

        public init(window: Int = 256, lookBehind: Int = 128, maxHeld: Int = 1 << 20) {
            self.window = window
            self.lookBehind = lookBehind
            self.maxHeld = maxHeld
        }
    }

    public let format: Format
    private let ctx: StreamMaskContext
    private var output = StreamOutput()
    private var json: JSONStreamTokenizer
    private var channels: JSONChannels
    private var textChannel = -1
    private var events = EventStreamSplitter()
    private var failed: StreamMaskError?

    public init(format: Format, inspector: Inspector, plan: MaskPlan, limits: Limits = Limits()) {
        self.format = format
        ctx = StreamMaskContext(inspector: inspector, plan: plan, limits: limits)
        json = JSONStreamTokenizer()
        channels = JSONChannels(perPath: format == .eventStream)
        if format != .json { textChannel = output.addChannel() }
    }

    /// Bytes currently held back.
    public var heldBytes: Int { output.heldBytes + events.buffered }

    /// The labels masked so far, over every channel.
    public var maskedLabels: MaskedLabels {
        var all = MaskedLabels()
        for channel in output.channels { all.formUnion(channel.masked) }
        return all
    }

    /// Consumes the next piece of the body and appends what may be released to `out`.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer, scratch: PatternScratch,
                              into out: inout [UInt8]) throws(StreamMaskError) {
        if let failed { throw failed }
        do throws(StreamMaskError) {
            switch format {
            case .text:
                output.piece(channel: textChannel, decoded: Array(bytes), raw: nil, encoding: .plain)
            case .json:
                try json.feed(bytes, &output, &channels)
            case .eventStream:
                events.append(bytes)
                if events.buffered > ctx.limits.maxHeld { throw .heldTooLong(limit: ctx.limits.maxHeld) }
                while let event = events.next(final: false) { try queueEvent(event) }
            }
            try output.advance(final: false, ctx, scratch: scratch)
            output.release(into: &out)
        } catch {
            failed = error
            throw error
        }
    }

    /// The body ended: masks and appends everything still held.
    public mutating func finish(scratch: PatternScratch, into out: inout [UInt8]) throws(StreamMaskError) {
        if let failed { throw failed }
        do throws(StreamMaskError) {
            switch format {
            case .text: break
            case .json: try json.finish(&output, &channels)
            case .eventStream:
                while let event = events.next(final: true) { try queueEvent(event) }
            }
            try output.advance(final: true, ctx, scratch: scratch)
            output.release(into: &out)
        } catch {
            failed = error
            throw error
        }
    }

    /// Queues one complete SSE event (its lines with their terminators).
    private mutating func queueEvent(_ event: [UInt8]) throws(StreamMaskError) {
        let lines = EventStreamSplitter.lines(event)
        // Is the event's data (lines joined by LF) one JSON value?
        var data: [UInt8] = []
        var dataLines = 0
        for l in lines where l.dataStart != nil {
            if dataLines > 0 { data.append(0x0A) }
            data.append(contentsOf: event[l.dataStart!..<l.contentEnd])
            dataLines += 1
        }
        var isJSON = false
        if let first = data.first(where: { !ByteClass.isSpace($0) }), first == 0x7B || first == 0x5B {
            do throws(JSONParseError) { _ = try JSONParser.parse(data); isJSON = true } catch { isJSON = false }
        }
        var tokenizer = JSONStreamTokenizer()
        var seenData = false
        var failure: StreamMaskError?
        event.withUnsafeBytes { raw in
          do throws(StreamMaskError) {
            for l in lines {
                guard let ds = l.dataStart else {
                    output.literal(raw[l.start..<l.end])
                    continue
                }
                output.literal(raw[l.start..<ds])
                let value = UnsafeRawBufferPointer(rebasing: raw[ds..<l.contentEnd])
                if isJSON {
                    try tokenizer.feed(value, &output, &channels)
                    try tokenizer.endLine(&output, &channels)
                } else {
                    if seenData { output.channels[textChannel].separate(0x0A) }
                    output.piece(channel: textChannel, decoded: Array(value), raw: nil, encoding: .plain)
                }
                seenData = true
                output.literal(raw[l.contentEnd..<l.end])
            }
            if isJSON { try tokenizer.finish(&output, &channels) }
          } catch {
            failure = error
          }
        }
        if let failure { throw failure }
        if dataLines > 0 {
            // Runs of text continue only from one data event to the next.
            channels.endEvent(&output)
            if isJSON && output.channels[textChannel].hasUncommitted { output.endRun(textChannel) }
        }
    }
}

/// Splits an SSE byte stream into events: everything up to and including
/// the empty line that ends each event. Lines end with CRLF, LF or CR (a CR
/// at the end of the buffer waits for the next byte).
struct EventStreamSplitter {
    private var buffer: [UInt8] = []
    /// Where the next line starts (everything before is part of the pending event).
    private var lineStart = 0

    var buffered: Int { buffer.count }

    mutating func append(_ bytes: UnsafeRawBufferPointer) { buffer.append(contentsOf: bytes) }

    /// The next complete event; with `final`, the rest of the buffer as a last (unterminated) event.
    mutating func next(final: Bool) -> [UInt8]? {
        var i = lineStart
        let n = buffer.count
        while i < n {
            let b = buffer[i]
            if b == 0x0A || b == 0x0D {
                var end = i + 1
                if b == 0x0D {
                    if i + 1 == n && !final { return nil }  // CR LF may be split
                    if i + 1 < n && buffer[i + 1] == 0x0A { end = i + 2 }
                }
                let empty = i == lineStart
                lineStart = end
                i = end
                if empty {
                    let event = Array(buffer[0..<end])
                    buffer.removeFirst(end)
                    lineStart = 0
                    return event
                }
                continue
            }
            i += 1
        }
        if final && !buffer.isEmpty {
            let event = buffer
            buffer.removeAll()
            lineStart = 0
            return event
        }
        return nil
    }

    struct Line {
        var start: Int
        /// Where the line's content ends (its terminator starts).
        var contentEnd: Int
        /// After the terminator.
        var end: Int
        /// For a `data` field: where its value starts (after `data:` and one optional space).
        var dataStart: Int?
    }

    static let dataName: [UInt8] = Array("data".utf8)

    /// The lines of one event.
    static func lines(_ e: [UInt8]) -> [Line] {
        var out: [Line] = []
        var s = 0
        let n = e.count
        while s < n {
            var c = s
            while c < n, e[c] != 0x0A, e[c] != 0x0D { c += 1 }
            var end = c
            if end < n { end += (e[end] == 0x0D && end + 1 < n && e[end + 1] == 0x0A) ? 2 : 1 }
            var line = Line(start: s, contentEnd: c, end: end, dataStart: nil)
            // field name: up to ':' (or the whole line)
            var colon = s
            while colon < c, e[colon] != 0x3A { colon += 1 }
            if colon - s == 4 && e[s] == 0x64 && e[s + 1] == 0x61 && e[s + 2] == 0x74 && e[s + 3] == 0x61 {
                var v = Swift.min(colon + 1, c)
                if v < c, e[v] == 0x20 { v += 1 }
                line.dataStart = v
            }
            out.append(line)
            s = end
        }
        return out
    }
}
