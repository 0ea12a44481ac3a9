/// Writing one record's rows: the session, and the exchange with its
/// decisions inline.
/// Runs inside the batch transaction and the record's savepoint.
extension RecordWriter {
    /// Inserts the exchange row (and its session and request decisions);
    /// returns the row, for the in-flight index.
    func applyStart(_ s: ExchangeStart, pending: inout PendingCacheUpdates) throws(SQLiteError) -> InFlightIndex.Row {
        let key = storedKey(SessionGrouping.key(headers: s.requestHeaders, sessionHeader: config.sessionHeader,
                                                subject: s.identity?.subject, clientAddress: s.clientAddress))
        let sessionID = try resolveSession(key, start: s, pending: &pending)

        let body = s.requestBody.capped(to: config.bodyCap)
        let st = statements.insertExchange
        defer { st.resetKeepingBindings() }
        try RequestIDKey.bind(s.requestID, at: 1, to: st, scratch: idScratch)
        try st.bind(2, sessionID)
        try st.bind(3, s.startedAt)
        try bindText(st, 4, s.route)
        try bindText(st, 5, s.clientAddress)
        try bindText(st, 6, s.identity?.subject)
        try bindText(st, 7, s.identity?.clientID)
        groupsScratch.removeAll()
        JSONFragments.appendStrings(s.identity?.groups ?? [], to: groupsScratch)
        try st.bindStatic(8, text: groupsScratch.bytes)
        try bindText(st, 9, s.method)
        try bindText(st, 10, s.target)
        headersScratch.removeAll()
        JSONFragments.appendHeaders(s.requestHeaders, redactor: redactor, to: headersScratch)
        try st.bindStatic(11, text: headersScratch.bytes)
        if body.totalLength == 0 { try st.bindNull(12) } else {
            bodyScratch.set(body.bytes)
            try st.bindStatic(12, blob: bodyScratch.bytes)
        }
        try st.bind(13, body.totalLength)
        try st.bind(14, body.truncated)
        try bindText(st, 15, s.durability.rawValue)
        try bindDecisions(s.decisions, at: 16, to: st)
        try st.step()
        st.resetKeepingBindings()
        let exchangeID = db.lastInsertRowID
        return .init(exchangeID: exchangeID, sessionID: sessionID)
    }

    /// Finds or creates the session this start belongs to and counts the
    /// exchange in it.
    private func resolveSession(_ key: SessionGrouping.Key, start s: ExchangeStart,
                                pending: inout PendingCacheUpdates) throws(SQLiteError) -> Int64 {
        var latest = sessions.lookup(key)
        if latest == nil { latest = try findLatestSession(key) }
        switch SessionGrouping.decide(key: key, at: s.startedAt, latest: latest, idleGapMs: config.sessionIdleGapMs) {
        case .join(let id):
            pending.add(session: id, .init(exchanges: 1, lastSeen: s.startedAt))
            return id
        case .startNew:
            let st = statements.insertSession
            defer { st.reset() }
            try st.bind(1, key.kind.rawValue)
            try st.bind(2, key.value)
            try st.bind(3, s.startedAt)
            try st.bind(4, s.identity?.subject)
            try st.bind(5, s.identity?.clientID)
            try st.bind(6, s.clientAddress)
            try st.bind(7, s.route)
            try st.step()
            st.reset()
            let id = db.lastInsertRowID
            pending.add(.init(key: key, candidate: .init(id: id, lastSeen: s.startedAt)))
            return id
        }
    }

    private func findLatestSession(_ key: SessionGrouping.Key) throws(SQLiteError) -> SessionGrouping.Candidate? {
        let st = statements.findSession
        defer { st.reset() }
        try st.bind(1, key.kind.rawValue)
        try st.bind(2, key.value)
        guard try st.step() else { return nil }
        // Counters and `last_seen` of this batch are written at its end.
        let id = st.int64(0)
        return .init(id: id, lastSeen: max(st.int64(1), sessionDeltas.lastSeen(id) ?? .min))
    }

    /// The key as stored: an explicit session ID whose header is configured
    /// as redacted is stored only as a hash, so it never lands in the file.
    func storedKey(_ key: SessionGrouping.Key) -> SessionGrouping.Key {
        let header: String?
        switch key.kind {
        case .mcp: header = SessionGrouping.mcpHeader
        case .header: header = config.sessionHeader
        case .identity, .address: header = nil
        }
        guard let header, redactor.redacts(header) else { return key }
        return .init(kind: key.kind, value: "fnv1a64:" + FNV1a.hex(key.value))
    }

    /// Appends the exchange's outcome. `known` is the row when the start was
    /// written in this same record (`.complete`); otherwise the in-flight
    /// index gives it, or the table when the index does not know it. An
    /// outcome without a start, or a second outcome, is refused before
    /// anything is written.
    func applyOutcome(_ o: ExchangeOutcome, known: InFlightIndex.Row?,
                      pending: inout PendingCacheUpdates) throws(SQLiteError) -> Result<Void, RecordingError> {
        if o.outcome == .inFlight {
            return .failure(.invalidRecord("outcome record for \(o.requestID) has outcome in_flight"))
        }
        let row: InFlightIndex.Row
        if let known {
            row = known
        } else if let indexed = inFlight.lookup(o.requestID) {
            row = indexed
        } else {
            switch try locate(o.requestID) {
            case .unknown: return .failure(.unknownExchange(requestID: o.requestID))
            case .finished: return .failure(.duplicateOutcome(requestID: o.requestID))
            case .inFlight(let r): row = r
            }
        }
        try insertOutcome(o, row: row)
        pending.finished = o.requestID

        pending.add(session: row.sessionID, .init(
            lastSeen: o.finishedAt,
            completed: o.outcome == .completed ? 1 : 0, denied: o.outcome == .denied ? 1 : 0,
            failed: o.outcome == .failed ? 1 : 0, abandoned: o.outcome == .abandoned ? 1 : 0,
            bytesIn: Int64(clamping: o.bytesIn), bytesOut: Int64(clamping: o.bytesOut)))
        if let u = sessions.touching(id: row.sessionID, at: o.finishedAt) { pending.add(u) }
        return .success(())
    }

    /// Appends the response side of exchange `row`.
    private func insertOutcome(_ o: ExchangeOutcome, row: InFlightIndex.Row) throws(SQLiteError) {
        let body = o.responseBody.capped(to: config.bodyCap)
        let st = statements.insertOutcome
        defer { st.resetKeepingBindings() }
        try st.bind(1, row.exchangeID)
        try st.bind(2, o.finishedAt)
        try bindText(st, 3, o.outcome.rawValue)
        try st.bind(4, o.responseStatus)
        if o.responseStatus == nil && o.responseHeaders.isEmpty { try st.bindNull(5) } else {
            headersScratch.removeAll()
            JSONFragments.appendHeaders(o.responseHeaders, redactor: redactor, to: headersScratch)
            try st.bindStatic(5, text: headersScratch.bytes)
        }
        if body.totalLength == 0 { try st.bindNull(6) } else {
            bodyScratch.set(body.bytes)
            try st.bindStatic(6, blob: bodyScratch.bytes)
        }
        try st.bind(7, body.totalLength)
        try st.bind(8, body.truncated)
        let t = o.timings
        try st.bind(9, micros(t.request))
        try st.bind(10, micros(t.policy))
        try st.bind(11, micros(t.hold))
        try st.bind(12, micros(t.connect))
        try st.bind(13, micros(t.firstByte))
        try st.bind(14, micros(t.total))
        try st.bind(15, Int64(clamping: o.bytesIn))
        try st.bind(16, Int64(clamping: o.bytesOut))
        try bindText(st, 17, o.upstreamAddress)
        try bindText(st, 18, o.errorCode)
        try bindText(st, 19, o.errorReason)
        try bindDecisions(o.decisions, at: 20, to: st)
        try st.step()
    }

    /// Writes the batch's summed session counters (see `SessionDeltas`).
    func flushSessionDeltas() throws(SQLiteError) {
        let st = statements.addToSession
        for (id, d) in sessionDeltas.bySession {
            defer { st.reset() }
            try st.bind(1, id)
            try st.bind(2, d.exchanges)
            try st.bind(3, d.lastSeen)
            try st.bind(4, d.completed)
            try st.bind(5, d.denied)
            try st.bind(6, d.failed)
            try st.bind(7, d.abandoned)
            try st.bind(8, d.bytesIn)
            try st.bind(9, d.bytesOut)
            try st.step()
        }
        sessionDeltas.removeAll()
    }

    private func micros(_ ns: UInt64?) -> Int64? { ns.map { Int64(clamping: $0 / 1000) } }

    enum Located {
        case unknown, finished
        case inFlight(InFlightIndex.Row)
    }

    /// Where the exchange `requestID` stands, from the table.
    private func locate(_ requestID: String) throws(SQLiteError) -> Located {
        let st = statements.findExchange
        defer { st.reset() }
        try RequestIDKey.bind(requestID, at: 1, to: st, scratch: idScratch)
        guard try st.step() else { return .unknown }
        if !st.isNull(2) { return .finished }
        return .inFlight(.init(exchangeID: st.int64(0), sessionID: st.int64(1)))
    }

    /// Binds `s` as TEXT from its copy in the record's `TextArena` (SQLite
    /// neither copies nor frees it), or NULL. For the inserts that keep their
    /// bindings: every parameter is bound on every use.
    private func bindText(_ st: Statement, _ index: Int32, _ s: String?) throws(SQLiteError) {
        guard let s else { return try st.bindNull(index) }
        try st.bindStatic(index, text: textArena.copy(s))
    }

    /// Binds `decisions` as one JSON document (see
    /// `JSONFragments.appendDecisions`), or NULL when there are none.
    private func bindDecisions(_ decisions: [RecordedDecision], at index: Int32, to st: Statement) throws(SQLiteError) {
        if decisions.isEmpty { return try st.bindNull(index) }
        decisionsScratch.removeAll()
        JSONFragments.appendDecisions(decisions, to: decisionsScratch)
        try st.bindStatic(index, text: decisionsScratch.bytes)
    }
}

/// 64-bit FNV-1a, for storing an identifier without storing its text.
enum FNV1a {
    static func hex(_ s: String) -> String {
        var h: UInt64 = 0xcbf29ce484222325
        for b in s.utf8 {
            h ^= UInt64(b)
            h = h &* 0x100000001b3
        }
        let digits = String(h, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
