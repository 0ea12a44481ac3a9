import GatehouseCore
import HTTP1

/// Reads one message body off a byte stream, whatever its framing. Shared
/// by both directions: request bodies from agents and response bodies from
/// upstreams. Zero-copy: data is handed out as slices of the input.
struct BodyReader {
    enum Mode {
        case none
        case length(LengthDecoder)
        case chunked(ChunkedDecoder)
        case untilClose
    }

    private(set) var mode: Mode
    private(set) var finished: Bool
    /// Body bytes delivered so far (decoded, without framing).
    private(set) var delivered: UInt64 = 0

    /// `forResponse` makes framing errors carry 502 (the upstream's fault) instead of 400.
    init(framing: BodyFraming, forResponse: Bool = false) {
        switch framing {
        case .none: mode = .none; finished = true
        case .contentLength(let n): mode = .length(LengthDecoder(length: n)); finished = n == 0
        case .chunked: mode = .chunked(ChunkedDecoder(forResponse: forResponse)); finished = false
        case .untilClose: mode = .untilClose; finished = false
        }
    }

    /// Consumes body bytes from `input`, passing decoded data to `onData`.
    /// Returns how many input bytes were consumed; bytes after the end of
    /// the body are left alone (they belong to the next message).
    mutating func read(_ input: UnsafeRawBufferPointer,
                       _ onData: (UnsafeRawBufferPointer) -> Void) throws(HTTPParseError) -> Int {
        if finished || input.isEmpty { return 0 }
        switch mode {
        case .none:
            return 0
        case .length(var d):
            let take = d.take(available: input.count)
            if take > 0 { onData(UnsafeRawBufferPointer(rebasing: input[0..<take])) }
            delivered &+= UInt64(take)
            finished = d.finished
            mode = .length(d)
            return take
        case .chunked(var d):
            var got: UInt64 = 0
            let (consumed, done) = try d.decode(input) { piece in
                got &+= UInt64(piece.count)
                onData(piece)
            }
            delivered &+= got
            finished = done
            mode = .chunked(d)
            return consumed
        case .untilClose:
            onData(input)
            delivered &+= UInt64(input.count)
            return input.count
        }
    }

    /// The peer closed: a close-delimited body ends cleanly here; any other
    /// unfinished body was cut short.
    mutating func peerClosed() -> Bool {
        if finished { return true }
        if case .untilClose = mode { finished = true; return true }
        return false
    }
}

/// Frames body bytes for the receiving side. Every forwarded message is
/// re-framed by the gateway: chunk boundaries and extensions never pass
/// through as received.
enum BodyWriter {
    /// No body follows the head.
    case none
    /// Bytes as they are: Content-Length framed or close-delimited.
    case raw
    /// Chunked transfer coding.
    case chunked

    func write(_ data: UnsafeRawBufferPointer, into out: inout ByteQueue) {
        switch self {
        case .none: return
        case .raw: out.append(data)
        case .chunked: out.withAppendableArray { HTTPSerializer.writeChunk(data, into: &$0) }
        }
    }

    func finish(into out: inout ByteQueue) {
        if case .chunked = self { out.withAppendableArray { HTTPSerializer.writeLastChunk(into: &$0) } }
    }
}
