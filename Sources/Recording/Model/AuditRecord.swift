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

    var durability: DurabilityMode {
        switch self {
        case .start(let s): return s.durability
        case .outcome(let o): return o.durability
        case .complete(let s, let o): return s.durability == .strict || o.durability == .strict ? .strict : .async
        }
    }

    /// Roughly the memory this record holds, for the queue's byte bound.
    var approximateBytes: Int {
        func headers(_ h: HeaderList) -> Int { h.byteCount + 16 * h.count }
        func start(_ s: ExchangeStart) -> Int { 256 + headers(s.requestHeaders) + s.requestBody.bytes.count + s.target.utf8.count }
        func outcome(_ o: ExchangeOutcome) -> Int { 128 + headers(o.responseHeaders) + o.responseBody.bytes.count }
        switch self {
        case .start(let s): return start(s)
        case .outcome(let o): return outcome(o)
        case .complete(let s, let o): return start(s) + outcome(o)
        }
    }
}
