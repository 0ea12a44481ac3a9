/// Writing one record's rows: the session, the exchange, its decisions.
/// Runs inside the batch transaction and the record's savepoint.
extension RecordWriter {
    func applyStart(_ s: ExchangeStart, cacheUpdates: inout [SessionCache.Update]) throws(SQLiteError) {
        let key = storedKey(SessionGrouping.key(headers: s.requestHeaders, sessionHeader: config.sessionHeader,
                                                subject: s.identity?.subject, clientAddress: s.clientAddress))
        let sessionID = try resolveSession(key, start: s, cacheUpdates: &cacheUpdates)

        let body = s.requestBody.capped(to: config.bodyCap)
        let st = statements.insertExchange
        defer { st.reset() }
        try st.bind(1, s.requestID)
        try st.bind(2, sessionID)
        try st.bind(3, s.startedAt)
        try st.bind(4, s.route)
        try st.bind(5, s.clientAddress)
        try st.bind(6, s.identity?.subject)
        try st.bind(7, s.identity?.clientID)
        try st.bind(8, JSONFragments.strings(s.identity?.groups ?? []))
        try st.bind(9, s.method)
        try st.bind(10, s.target)
        try st.bind(11, JSONFragments.headers(redactor.redact(s.requestHeaders)))
        if body.totalLength == 0 { try st.bindNull(12) } else { try st.bind(12, blob: body.bytes) }
        try st.bind(13, body.totalLength)
        try st.bind(14, body.truncated)
        try st.bind(15, s.durability.rawValue)
        try st.step()
        st.reset()
        let exchangeID = db.lastInsertRowID
        try insertDecisions(s.decisions, exchangeID: exchangeID, phase: "request")
    }

    /// Finds or creates the session this start belongs to and counts the
    /// exchange in it.
    private func resolveSession(_ key: SessionGrouping.Key, start s: ExchangeStart,
                                cacheUpdates: inout [SessionCache.Update]) throws(SQLiteError) -> Int64 {
        var latest = sessions.lookup(key)
        if latest == nil { latest = try findLatestSession(key) }
        switch SessionGrouping.decide(key: key, at: s.startedAt, latest: latest, idleGapMs: config.sessionIdleGapMs) {
        case .join(let id):
            let st = statements.touchSession
            defer { st.reset() }
            try st.bind(1, id)
            try st.bind(2, s.startedAt)
            try st.step()
            cacheUpdates.append(.init(key: key, candidate: .init(id: id, lastSeen: max(latest?.lastSeen ?? s.startedAt, s.startedAt))))
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
            cacheUpdates.append(.init(key: key, candidate: .init(id: id, lastSeen: s.startedAt)))
            return id
        }
    }

    private func findLatestSession(_ key: SessionGrouping.Key) throws(SQLiteError) -> SessionGrouping.Candidate? {
        let st = statements.findSession
        defer { st.reset() }
        try st.bind(1, key.kind.rawValue)
        try st.bind(2, key.value)
        guard try st.step() else { return nil }
        return .init(id: st.int64(0), lastSeen: st.int64(1))
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

    func applyOutcome(_ o: ExchangeOutcome, cacheUpdates: inout [SessionCache.Update]) throws(SQLiteError) -> Result<Void, RecordingError> {
        if o.outcome == .inFlight {
            return .failure(.invalidRecord("outcome record for \(o.requestID) has outcome in_flight"))
        }
        let body = o.responseBody.capped(to: config.bodyCap)
        let st = statements.finishExchange
        defer { st.reset() }
        try st.bind(1, o.requestID)
        try st.bind(2, o.finishedAt)
        try st.bind(3, o.outcome.rawValue)
        try st.bind(4, o.responseStatus)
        try st.bind(5, o.responseStatus == nil && o.responseHeaders.isEmpty
                        ? nil : JSONFragments.headers(redactor.redact(o.responseHeaders)))
        if body.totalLength == 0 { try st.bindNull(6) } else { try st.bind(6, blob: body.bytes) }
        try st.bind(7, body.totalLength)
        try st.bind(8, body.truncated)
        let t = o.timings
        for (i, ns) in [t.request, t.policy, t.hold, t.connect, t.firstByte, t.total].enumerated() {
            try st.bind(Int32(9 + i), ns.map { Int64(clamping: $0 / 1000) })
        }
        try st.bind(15, Int64(clamping: o.bytesIn))
        try st.bind(16, Int64(clamping: o.bytesOut))
        try st.bind(17, o.upstreamAddress)
        try st.bind(18, o.errorCode)
        try st.bind(19, o.errorReason)
        guard try st.step() else {
            st.reset()
            return .failure(try outcomeExists(o.requestID) ? .duplicateOutcome(requestID: o.requestID)
                                                            : .unknownExchange(requestID: o.requestID))
        }
        let exchangeID = st.int64(0)
        let sessionID = st.int64(1)
        st.reset()
        try insertDecisions(o.decisions, exchangeID: exchangeID, phase: "response")

        let fin = statements.finishSession
        defer { fin.reset() }
        try fin.bind(1, sessionID)
        try fin.bind(2, o.finishedAt)
        try fin.bind(3, o.outcome == .completed)
        try fin.bind(4, o.outcome == .denied)
        try fin.bind(5, o.outcome == .failed)
        try fin.bind(6, o.outcome == .abandoned)
        try fin.bind(7, Int64(clamping: o.bytesIn))
        try fin.bind(8, Int64(clamping: o.bytesOut))
        try fin.step()
        if let u = sessions.touching(id: sessionID, at: o.finishedAt) { cacheUpdates.append(u) }
        return .success(())
    }

    private func outcomeExists(_ requestID: String) throws(SQLiteError) -> Bool {
        let st = statements.exchangeOutcome
        defer { st.reset() }
        try st.bind(1, requestID)
        return try st.step()
    }

    private func insertDecisions(_ decisions: [RecordedDecision], exchangeID: Int64, phase: String) throws(SQLiteError) {
        let st = statements.insertDecision
        for (seq, d) in decisions.enumerated() {
            defer { st.reset() }
            try st.bind(1, exchangeID)
            try st.bind(2, phase)
            try st.bind(3, seq)
            try st.bind(4, d.stage)
            try st.bind(5, d.ruleID)
            try st.bind(6, d.action)
            try st.bind(7, JSONFragments.strings(d.detectors))
            try st.bind(8, d.dryRun)
            try st.step()
        }
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
