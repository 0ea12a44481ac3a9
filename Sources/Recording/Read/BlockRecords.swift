import GatehouseCore

/// Reading records back out of a block (schema v4): each is a JSON object
/// written by `RecordEncoder`; a start or complete record becomes a
/// `RecordedExchange`, an outcome fills in the response side of its start.
enum BlockRecords {
    enum Kind: String { case start, outcome, complete }

    struct Record {
        /// Its index in the block's array (what its exchange ID is made of).
        var position: Int
        var kind: Kind
        var requestID: String
        var sessionID: Int64
        var node: JSONNode
    }

    /// One block as read: its ID, its records and its bodies.
    struct Block {
        var id: Int64
        var records: [Record]
        var bodies: [UInt8]
    }

    /// The records of one block's `records` document, in order. A record
    /// that is not an object with `k`, `request_id` and `session_id` is
    /// skipped (the writer never writes one).
    static func decode(_ text: [UInt8]) throws(JSONParseError) -> [Record] {
        let root = try JSONParser.parse(text)
        guard let items = root.arrayValue else { return [] }
        var out: [Record] = []
        out.reserveCapacity(items.count)
        for (position, node) in items.enumerated() {
            guard let kind = node["k"]?.stringValue.flatMap(Kind.init(rawValue:)),
                  let id = node["request_id"]?.stringValue, let session = int(node["session_id"]) else { continue }
            out.append(Record(position: position, kind: kind, requestID: id, sessionID: session, node: node))
        }
        return out
    }

    /// The exchange a start (or complete) record begins; `id` is where the
    /// record lies (`ExchangeID`).
    static func exchange(_ r: Record, id: Int64, bodies: [UInt8]) -> RecordedExchange {
        let n = r.node
        let subject = n["subject"]?.stringValue
        let clientID = n["client_id"]?.stringValue
        let groups = n["groups"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let identity = subject == nil && clientID == nil && groups.isEmpty
            ? nil : RecordedIdentity(subject: subject, clientID: clientID, groups: groups)
        var e = RecordedExchange(
            id: id, requestID: r.requestID, sessionID: r.sessionID, startedAt: int(n["started_at"]) ?? 0,
            finishedAt: nil, route: n["route"]?.stringValue ?? "", clientAddress: n["client_address"]?.stringValue ?? "",
            identity: identity, method: n["method"]?.stringValue ?? "", target: n["target"]?.stringValue ?? "",
            requestHeaders: headers(n["request_headers"]), requestBody: body(n["request_body_at"], bodies),
            requestBodySize: Int(int(n["request_body_size"]) ?? 0), requestBodyTruncated: flag(n["request_body_truncated"]),
            responseStatus: nil, responseHeaders: [], responseBody: [], responseBodySize: 0, responseBodyTruncated: false,
            timings: PhaseTimings(), bytesIn: 0, bytesOut: 0, upstreamAddress: nil, errorCode: nil, errorReason: nil,
            outcome: Outcome.inFlight.rawValue, durability: n["durability"]?.stringValue ?? "",
            decisions: decisions(n["request_decisions"], phase: "request"))
        if r.kind == .complete { complete(&e, with: r, bodies: bodies) }
        return e
    }

    /// Fills in the response side from an outcome (or complete) record.
    static func complete(_ e: inout RecordedExchange, with r: Record, bodies: [UInt8]) {
        let n = r.node
        if let at = n["request_body_at"], r.kind == .outcome {  // streamed after the start was submitted
            e.requestBody = body(at, bodies)
            e.requestBodySize = Int(int(n["request_body_size"]) ?? 0)
            e.requestBodyTruncated = flag(n["request_body_truncated"])
        } else if r.kind == .outcome, let size = int(n["request_body_size"]) {  // streamed, none kept (cap 0)
            e.requestBodySize = Int(size)
            e.requestBodyTruncated = flag(n["request_body_truncated"])
        }
        e.finishedAt = int(n["finished_at"])
        e.outcome = n["outcome"]?.stringValue ?? e.outcome
        e.responseStatus = int(n["response_status"]).map { Int($0) }
        e.responseHeaders = headers(n["response_headers"])
        e.responseBody = body(n["response_body_at"], bodies)
        e.responseBodySize = Int(int(n["response_body_size"]) ?? 0)
        e.responseBodyTruncated = flag(n["response_body_truncated"])
        func ns(_ key: String) -> UInt64? { int(n[key]).map { UInt64(max($0, 0)) * 1000 } }
        e.timings = PhaseTimings(request: ns("t_request_us"), policy: ns("t_policy_us"), hold: ns("t_hold_us"),
                                 connect: ns("t_connect_us"), firstByte: ns("t_first_byte_us"), total: ns("t_total_us"))
        e.bytesIn = int(n["bytes_in"]) ?? 0
        e.bytesOut = int(n["bytes_out"]) ?? 0
        e.upstreamAddress = n["upstream_address"]?.stringValue
        e.errorCode = n["error_code"]?.stringValue
        e.errorReason = n["error_reason"]?.stringValue
        e.decisions += decisions(n["response_decisions"], phase: "response")
    }

    private static func int(_ node: JSONNode?) -> Int64? {
        guard case .number(let v)? = node?.value, let i = v.asInt else { return nil }
        return Int64(i)
    }

    private static func flag(_ node: JSONNode?) -> Bool { (int(node) ?? 0) != 0 }

    private static func headers(_ node: JSONNode?) -> [HeaderField] {
        node?.arrayValue?.compactMap { pair in
            guard let p = pair.arrayValue, p.count == 2, let n = p[0].stringValue, let v = p[1].stringValue else { return nil }
            return HeaderField(n, v)
        } ?? []
    }

    /// The bytes `[offset, length]` points at in the block's bodies; empty
    /// when there is no body or the reference is out of range.
    private static func body(_ at: JSONNode?, _ bodies: [UInt8]) -> [UInt8] {
        guard let pair = at?.arrayValue, pair.count == 2, let offset = int(pair[0]), let length = int(pair[1]),
              offset >= 0, length >= 0, offset <= Int64(bodies.count) - length else { return [] }
        return Array(bodies[Int(offset)..<Int(offset + length)])
    }

    /// Decisions as `JSONFragments.appendDecisions` writes them:
    /// `[stage, rule_id, action, [detectors], dry_run]`.
    private static func decisions(_ node: JSONNode?, phase: String) -> [StoredDecision] {
        node?.arrayValue?.compactMap { d in
            guard let f = d.arrayValue, f.count == 5 else { return nil }
            let decision = RecordedDecision(stage: f[0].stringValue ?? "", ruleID: f[1].stringValue,
                                            action: f[2].stringValue ?? "",
                                            detectors: f[3].arrayValue?.compactMap(\.stringValue) ?? [],
                                            dryRun: flag(f[4]))
            return StoredDecision(phase: phase, decision: decision)
        } ?? []
    }
}

/// Pairs starts with their outcomes across blocks, read in block order.
/// An outcome completes the exchange started under its request ID; an
/// outcome with no start seen (its start was pruned, or lies before the
/// first block read) is skipped.
struct ExchangeAssembler {
    /// Exchanges started and not yet finished, by request ID.
    private(set) var open: [String: RecordedExchange] = [:]
    /// Only records of this session, when set.
    let sessionID: Int64?

    init(sessionID: Int64? = nil) { self.sessionID = sessionID }

    /// Feeds one block's records; calls `finished` for every exchange
    /// completed by them, in record order.
    mutating func feed(_ block: BlockRecords.Block, finished: (RecordedExchange) throws -> Void) rethrows {
        for r in block.records {
            let position = r.position
            if let s = sessionID, r.sessionID != s { continue }
            switch r.kind {
            case .complete:
                try finished(BlockRecords.exchange(r, id: ExchangeID.make(block: block.id, position: position),
                                                   bodies: block.bodies))
            case .start:
                open[r.requestID] = BlockRecords.exchange(r, id: ExchangeID.make(block: block.id, position: position),
                                                          bodies: block.bodies)
            case .outcome:
                guard var e = open.removeValue(forKey: r.requestID) else { continue }
                BlockRecords.complete(&e, with: r, bodies: block.bodies)
                try finished(e)
            }
        }
    }

    /// The exchanges still in flight, oldest first.
    var stillOpen: [RecordedExchange] { open.values.sorted { $0.id < $1.id } }
}
