/// How a piece of channel text is written back into the body.
enum PieceEncoding {
    /// As is (text bodies, SSE data that is not JSON).
    case plain
    /// Inside a JSON string: unmasked text keeps its original bytes when
    /// nothing in the piece is masked; otherwise text and replacements are
    /// JSON-escaped.
    case jsonString
    /// A whole JSON number: a masked number becomes a JSON string.
    case jsonNumber
}

/// Body bytes that map to channel text: `decoded` is what detection saw
/// (channel offsets `start..<start+decoded.count`), `raw` the original bytes
/// when they differ (JSON escapes).
struct StreamPiece {
    var channel: Int
    var start: Int
    var decoded: [UInt8]
    var raw: [UInt8]?
    var encoding: PieceEncoding

    var end: Int { start + decoded.count }
    /// Can be released in parts (it has no escapes to keep whole).
    var splittable: Bool { raw == nil && encoding != .jsonNumber }
}

enum StreamUnit {
    /// Structure that is never scanned: JSON punctuation, SSE field names, line ends.
    case literal([UInt8])
    case piece(StreamPiece)
}

/// The not yet released output, in body order, and the channels its pieces
/// belong to. Units are released front to back as far as every piece's
/// channel has committed; a piece is cut where its channel's commit lies.
struct StreamOutput {
    var channels: [MaskChannel] = []
    private var units: [StreamUnit] = []
    private var head = 0
    /// Bytes held in unreleased units.
    private(set) var heldBytes = 0

    mutating func addChannel() -> Int {
        channels.append(MaskChannel())
        return channels.count - 1
    }

    mutating func literal(_ bytes: some Collection<UInt8>) {
        if bytes.isEmpty { return }
        heldBytes += bytes.count
        if units.count > head, case .literal(var last) = units[units.count - 1] {
            units[units.count - 1] = .literal([])  // drop the reference before appending in place
            last.append(contentsOf: bytes)
            units[units.count - 1] = .literal(last)
        } else {
            units.append(.literal(Array(bytes)))
        }
    }

    /// Appends `decoded` to `channel` and queues the piece that writes it back.
    mutating func piece(channel: Int, decoded: [UInt8], raw: [UInt8]?, encoding: PieceEncoding) {
        if decoded.isEmpty && raw == nil { return }
        let start = channels[channel].append(decoded)
        heldBytes += raw?.count ?? decoded.count
        units.append(.piece(StreamPiece(channel: channel, start: start, decoded: decoded, raw: raw, encoding: encoding)))
    }

    /// Channels whose text cannot continue (an SSE event with data passed
    /// them by): committed to their end at the next `advance`.
    private var ended: [Int] = []

    mutating func endRun(_ channel: Int) {
        channels[channel].separate()
        ended.append(channel)
    }

    /// Moves every channel's commit forward.
    mutating func advance(final: Bool, _ ctx: StreamMaskContext, scratch: PatternScratch) throws(StreamMaskError) {
        for i in ended where channels[i].hasUncommitted {
            try channels[i].advance(final: true, ctx, scratch: scratch)
        }
        ended.removeAll(keepingCapacity: true)
        for i in channels.indices where channels[i].hasUncommitted {
            try channels[i].advance(final: final, ctx, scratch: scratch)
        }
        if heldBytes > ctx.limits.maxHeld { throw .heldTooLong(limit: ctx.limits.maxHeld) }
    }

    /// Writes every unit that can be released to `out`.
    mutating func release(into out: inout [UInt8]) {
        while head < units.count {
            switch units[head] {
            case .literal(let bytes):
                out.append(contentsOf: bytes)
                heldBytes -= bytes.count
            case .piece(var p):
                let c = channels[p.channel].committed
                if c >= p.end {
                    heldBytes -= p.raw?.count ?? p.decoded.count
                    write(p, upTo: p.end, into: &out)
                } else if c > p.start && p.splittable {
                    write(p, upTo: c, into: &out)
                    heldBytes -= c - p.start
                    p.decoded.removeFirst(c - p.start)
                    p.start = c
                    units[head] = .piece(p)
                    return
                } else {
                    compact()
                    return
                }
            }
            head += 1
        }
        units.removeAll(keepingCapacity: true)
        head = 0
    }

    private mutating func compact() {
        if head >= 64 && head * 2 >= units.count {
            units.removeFirst(head)
            head = 0
        }
    }

    /// Writes `p`'s text from its start to `upTo`, with the masks of its channel applied.
    private mutating func write(_ p: StreamPiece, upTo: Int, into out: inout [UInt8]) {
        let spans = channels[p.channel].spans
        var first = spans.count
        for (k, s) in spans.enumerated() where s.range.upperBound > p.start && s.range.lowerBound < upTo {
            first = k
            break
        }
        if first == spans.count {
            if let raw = p.raw, upTo == p.end { out.append(contentsOf: raw) }
            else { out.append(contentsOf: p.decoded[0..<(upTo - p.start)]) }
            channels[p.channel].releasedThrough(upTo)
            return
        }
        let escape = p.encoding != .plain
        if p.encoding == .jsonNumber { out.append(0x22) }
        var pos = p.start
        var k = first
        while k < spans.count, spans[k].range.lowerBound < upTo {
            let s = spans[k]
            if s.range.lowerBound > pos { emit(p.decoded[(pos - p.start)..<(s.range.lowerBound - p.start)], escape, &out) }
            if !s.written {
                emit(s.replacement[...], escape, &out)
                channels[p.channel].spans[k].written = true
            }
            pos = Swift.max(pos, Swift.min(upTo, s.range.upperBound))
            k += 1
        }
        if pos < upTo { emit(p.decoded[(pos - p.start)..<(upTo - p.start)], escape, &out) }
        if p.encoding == .jsonNumber { out.append(0x22) }
        channels[p.channel].releasedThrough(upTo)
    }

    private func emit(_ bytes: ArraySlice<UInt8>, _ escape: Bool, _ out: inout [UInt8]) {
        if escape { JSONEscape.append(bytes, to: &out) } else { out.append(contentsOf: bytes) }
    }
}
