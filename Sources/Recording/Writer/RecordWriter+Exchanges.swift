/// Writing one record: resolve its session, check it against the exchanges
/// in flight, and append it to the block being built. No SQL runs per
/// record except when a session is created or must be looked up.
/// Runs inside the batch transaction; every change to the writer's own
/// state is undone if the batch is rolled back (`BatchUndo`).
extension RecordWriter {
    func apply(_ record: consuming AuditRecord) throws(SQLiteError) -> Result<Void, RecordingError> {
        // Consumed: the cases' payloads are moved out, not copied.
        switch consume record {
        case .start(let s):
            if inFlight.lookup(s.requestID) != nil { return .failure(.duplicateStart(requestID: s.requestID)) }
            if inFlight.isFull { return .failure(.invalidRecord("more than \(inFlight.limit) exchanges in flight")) }
            let sessionID = try resolveSession(for: s)
            let position = try appendRecord(at: s.startedAt, session: sessionID) {
                encoder.appendStart(s, sessionID: sessionID, to: block)
            }
            started(s, sessionID: sessionID, position: position)
            return .success(())
        case .outcome(let o):
            if o.outcome == .inFlight {
                return .failure(.invalidRecord("outcome record for \(o.requestID) has outcome in_flight"))
            }
            // Taken out at once (one hash of the request ID, not a lookup
            // and a removal): if writing it fails, the batch is rolled back
            // and `undo` puts the exchange back in flight.
            guard let row = inFlight.take(o.requestID) else {
                return .failure(.unknownExchange(requestID: o.requestID))
            }
            undo.removed(o.requestID, row)
            _ = try appendRecord(at: o.finishedAt, session: row.sessionID) {
                encoder.appendOutcome(o, sessionID: row.sessionID, to: block)
            }
            finished(o, sessionID: row.sessionID)
            return .success(())
        case .complete(let s, let o):
            if o.outcome == .inFlight {
                return .failure(.invalidRecord("complete record for \(o.requestID) has outcome in_flight"))
            }
            if inFlight.lookup(s.requestID) != nil { return .failure(.duplicateStart(requestID: s.requestID)) }
            let sessionID = try resolveSession(for: s)
            _ = try appendRecord(at: s.startedAt, session: sessionID) {
                encoder.appendComplete(s, o, sessionID: sessionID, to: block)
            }
            counted(s, sessionID: sessionID)
            finished(o, sessionID: sessionID)
            return .success(())
        }
    }

    /// Writes the current block first if it is full, then appends one record
    /// to it; returns the record's position in its block.
    private func appendRecord(at time: Int64, session: Int64, _ encode: () -> Void) throws(SQLiteError) -> Int {
        if block.isFull { try flushBlock() }
        let position = block.beginRecord(at: time, session: session)
        encode()
        return position
    }

    /// Inserts the block built so far (and its sessions) and starts the next.
    func flushBlock() throws(SQLiteError) {
        try block.write(statements.insertBlock)
    }

    private func started(_ s: ExchangeStart, sessionID: Int64, position: Int) {
        let row = InFlightIndex.Row(exchangeID: ExchangeID.make(block: block.id, position: position), sessionID: sessionID)
        inFlight.insert(s.requestID, row)
        undo.inserted(s.requestID)
        counted(s, sessionID: sessionID)
    }

    /// The start's effect on its session: one more exchange, its route and
    /// its decisions' actions.
    private func counted(_ s: ExchangeStart, sessionID: Int64) {
        sessionDeltas.add(sessionID, .init(exchanges: 1, lastSeen: s.startedAt))
        sessionDeltas.addRoute(sessionID, s.route)
        for d in s.decisions { sessionDeltas.addAction(sessionID, d.action) }
    }

    private func finished(_ o: ExchangeOutcome, sessionID: Int64) {
        sessionDeltas.add(sessionID, .init(
            lastSeen: o.finishedAt,
            completed: o.outcome == .completed ? 1 : 0, denied: o.outcome == .denied ? 1 : 0,
            failed: o.outcome == .failed ? 1 : 0, abandoned: o.outcome == .abandoned ? 1 : 0,
            bytesIn: Int64(clamping: o.bytesIn), bytesOut: Int64(clamping: o.bytesOut)))
        for d in o.decisions { sessionDeltas.addAction(sessionID, d.action) }
        sessions.touch(id: sessionID, at: o.finishedAt)
    }

    /// Finds or creates the session this start belongs to.
    private func resolveSession(for s: ExchangeStart) throws(SQLiteError) -> Int64 {
        let key = storedKey(SessionGrouping.key(headers: s.requestHeaders, sessionHeader: config.sessionHeader,
                                                subject: s.identity?.subject, clientAddress: s.clientAddress))
        let cached = sessions.lookup(key)
        var latest = cached?.candidate
        if latest == nil { latest = try findLatestSession(key) }
        switch SessionGrouping.decide(key: key, at: s.startedAt, latest: latest, idleGapMs: config.sessionIdleGapMs) {
        case .join(let id):
            let seen = max(latest?.lastSeen ?? .min, s.startedAt)
            if let cached, cached.id == id {
                cached.lastSeen = seen
            } else {
                sessions.remember(key, id: id, lastSeen: seen)
            }
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
            sessions.remember(key, id: id, lastSeen: s.startedAt)
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

    /// Writes the batch's summed session counters and new routes and actions
    /// (see `SessionDeltas`).
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
        for (statement, values, isAction) in [(statements.addSessionRoute, sessionDeltas.routes, false),
                                              (statements.addSessionAction, sessionDeltas.actions, true)] {
            for (id, names) in values {
                for name in names {
                    let label = SessionCache.Label(session: id, isAction: isAction, name: name)
                    if sessions.has(label) { continue }
                    defer { statement.reset() }
                    try statement.bind(1, id)
                    try statement.bind(2, name)
                    try statement.step()
                    sessions.noteStored(label)
                }
            }
        }
        sessionDeltas.removeAll()
    }
}

/// What a batch changed in the in-flight index, in order, to put back if
/// the batch is rolled back. Reverted newest first: a batch that started
/// an exchange and then finished it must end with the exchange unknown,
/// not in flight.
struct BatchUndo {
    private enum Step {
        case inserted(String)
        case removed(String, InFlightIndex.Row)
    }

    private var steps: [Step] = []

    mutating func inserted(_ id: String) { steps.append(.inserted(id)) }
    mutating func removed(_ id: String, _ row: InFlightIndex.Row) { steps.append(.removed(id, row)) }

    /// Undoes every step on `index`, newest first, and forgets them.
    mutating func revert(_ index: inout InFlightIndex) {
        for step in steps.reversed() {
            switch step {
            case .inserted(let id): index.remove(id)
            case .removed(let id, let row): index.insert(id, row)
            }
        }
        removeAll()
    }

    mutating func removeAll() { steps.removeAll(keepingCapacity: true) }
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
