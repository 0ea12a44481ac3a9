/// What the proxy submits to the `Recorder`.
public enum AuditRecord: Sendable {
    /// The request side of a forwarded exchange; creates its row with
    /// outcome `in_flight`.
    case start(ExchangeStart)
    /// The response side; completes the row created by the matching start.
    case outcome(ExchangeOutcome)
    /// An exchange recorded in one piece: denied, failed before forwarding,
    /// or abandoned while held. Both halves are written in one step.
    case complete(ExchangeStart, ExchangeOutcome)

    var requestID: String {
        switch self {
        case .start(let s): return s.requestID
        case .outcome(let o): return o.requestID
        case .complete(let s, _): return s.requestID
        }
    }


    /// Roughly the memory this record holds, for the queue's byte bound.
    var approximateBytes: Int {
        switch self {
        case .start(let s): return Self.approximateBytes(s)
        case .outcome(let o): return Self.approximateBytes(o)
        case .complete(let s, let o): return Self.approximateBytes(s) + Self.approximateBytes(o)
        }
    }

    static func approximateBytes(_ s: borrowing ExchangeStart) -> Int {
        256 + s.requestHeaders.byteCount + 8 * s.requestHeaders.count + s.requestBody.bytes.count + s.target.utf8.count
    }

    static func approximateBytes(_ o: borrowing ExchangeOutcome) -> Int {
        128 + o.responseHeaders.byteCount + 8 * o.responseHeaders.count + o.responseBody.bytes.count
            + (o.requestBody?.bytes.count ?? 0)
    }

    /// Takes the record apart and puts it back together, moving (never
    /// copying) its parts, to learn what the queue needs: its durability
    /// and size. (Reading them through `durability` and `approximateBytes`
    /// copies the payload, retaining and releasing every string and array
    /// in it, twice per record on the event loop.)
    static func withQueueAttributes(_ record: consuming AuditRecord)
        -> (record: AuditRecord, durability: DurabilityMode, bytes: Int) {
        switch consume record {
        case .start(let s):
            let d = s.durability, n = approximateBytes(s)
            return (.start(s), d, n)
        case .outcome(let o):
            let d = o.durability, n = approximateBytes(o)
            return (.outcome(o), d, n)
        case .complete(let s, let o):
            let d: DurabilityMode = s.durability == .strict || o.durability == .strict ? .strict : .async
            let n = approximateBytes(s) + approximateBytes(o)
            return (.complete(s, o), d, n)
        }
    }
}
