import GatehouseCore

/// The read side, for the CLI: a read-only connection that is safe to use
/// while the daemon writes (WAL readers never block the writer, and the
/// writer never blocks them). Every call runs in its own short read
/// transaction, so no snapshot is held between calls and checkpoints can
/// proceed; exports read blocks a page at a time, each page in its own
/// short transaction.
///
/// Not thread-safe: use one reader per thread.
public final class RecordingReader {
    let db: Database
    /// Blocks read per read transaction.
    static let pageSize = 16

    /// Opens `path` read-only. Throws `.storage` if it cannot be opened,
    /// `.notARecording` if it holds no recording schema, `.schemaTooNew` if
    /// a newer Gatehouse wrote it.
    public init(path: String) throws(RecordingError) {
        do {
            db = try Database(path: path, mode: .readOnly)
            db.setBusyTimeout(ms: 5000)
        } catch {
            throw .storage(error)
        }
        let version: Int
        do { version = Int(try db.scalarInt("PRAGMA user_version") ?? 0) } catch { throw .storage(error) }
        if version == 0 { throw .notARecording(path: path) }
        if version > Migrations.latestVersion { throw .schemaTooNew(found: version, supported: Migrations.latestVersion) }
    }

    /// Runs `body` in one read transaction (a consistent snapshot).
    func read<T>(_ body: () throws(SQLiteError) -> T) throws(RecordingError) -> T {
        do throws(SQLiteError) {
            try db.execute("BEGIN")
            do throws(SQLiteError) {
                let v = try body()
                try db.execute("COMMIT")
                return v
            } catch {
                try? db.execute("ROLLBACK")
                throw error
            }
        } catch {
            throw .storage(error)
        }
    }

    // MARK: sessions

    static let sessionColumns = """
        s.id, s.key_kind, s.key, s.started_at, s.last_seen, s.subject, s.client_id, s.client_address, s.first_route,
        s.exchange_count, s.completed_count, s.denied_count, s.failed_count, s.abandoned_count, s.bytes_in, s.bytes_out
        """

    /// Sessions matching `query`, newest first.
    public func listSessions(_ query: SessionQuery = SessionQuery()) throws(RecordingError) -> [SessionSummary] {
        var sql = SQLBuilder("SELECT \(Self.sessionColumns) FROM sessions s WHERE 1")
        if let v = query.since { sql.add("s.last_seen >= ?", .int(v)) }
        if let v = query.until { sql.add("s.started_at <= ?", .int(v)) }
        if let v = query.subject { sql.add("s.subject = ?", .text(v)) }
        if let v = query.route {
            sql.add("EXISTS (SELECT 1 FROM json_each(s.routes_json) WHERE value = ?)", .text(v))
        }
        if let v = query.outcome { sql.add(Self.hasOutcome(v)) }
        if let v = query.action {
            sql.add("EXISTS (SELECT 1 FROM json_each(s.actions_json) WHERE value = ?)", .text(v))
        }
        sql.suffix("ORDER BY s.started_at DESC, s.id DESC LIMIT ?", .int(Int64(max(query.limit, 0))))
        return try read { () throws(SQLiteError) in
            let st = try sql.prepare(on: db)
            var out: [SessionSummary] = []
            while try st.step() { out.append(Self.session(from: st)) }
            return out
        }
    }

    /// One session by ID, or nil.
    public func session(id: Int64) throws(RecordingError) -> SessionSummary? {
        try read { () throws(SQLiteError) in
            let st = try db.prepare("SELECT \(Self.sessionColumns) FROM sessions s WHERE s.id = ?1")
            try st.bind(1, id)
            return try st.step() ? Self.session(from: st) : nil
        }
    }

    static func session(from st: Statement) -> SessionSummary {
        SessionSummary(id: st.int64(0), keyKind: st.text(1) ?? "", key: st.text(2) ?? "",
                       startedAt: st.int64(3), lastSeen: st.int64(4), subject: st.text(5), clientID: st.text(6),
                       clientAddress: st.text(7) ?? "", firstRoute: st.text(8) ?? "",
                       exchangeCount: st.int(9), completedCount: st.int(10), deniedCount: st.int(11),
                       failedCount: st.int(12), abandonedCount: st.int(13), bytesIn: st.int64(14), bytesOut: st.int64(15))
    }

    /// The session counter that says it has an exchange with `outcome`.
    static func hasOutcome(_ outcome: Outcome) -> String {
        switch outcome {
        case .completed: return "s.completed_count > 0"
        case .denied: return "s.denied_count > 0"
        case .failed: return "s.failed_count > 0"
        case .abandoned: return "s.abandoned_count > 0"
        case .inFlight:
            return "s.exchange_count > s.completed_count + s.denied_count + s.failed_count + s.abandoned_count"
        }
    }

    // MARK: exchanges

    /// A session's exchanges in the order they started: the blocks that
    /// hold its records (`block_sessions`), paired up in memory.
    public func exchanges(sessionID: Int64) throws(RecordingError) -> [RecordedExchange] {
        var assembler = ExchangeAssembler(sessionID: sessionID)
        var all: [RecordedExchange] = []
        do {
            try forEachBlock(sessionID: sessionID, since: nil) { block in
                assembler.feed(block) { all.append($0) }
            }
        } catch let e as RecordingError {
            throw e
        } catch {
            preconditionFailure("forEachBlock threw \(error), which its body never throws")
        }
        all += assembler.stillOpen
        return all.sorted { $0.id < $1.id }
    }

    /// Calls `body` for every exchange matching `query`, as soon as it is
    /// complete (so in the order exchanges finished), then for the ones
    /// still in flight at the end, oldest first. Blocks are read a page
    /// (one short read transaction) at a time.
    public func forEachExchange(_ query: ExchangeQuery, _ body: (RecordedExchange) throws -> Void) throws {
        var assembler = ExchangeAssembler(sessionID: query.sessionID)
        var remaining = query.limit ?? Int.max
        struct Done: Error {}
        func emit(_ e: RecordedExchange) throws {
            guard remaining > 0 else { throw Done() }
            guard Self.matches(e, query) else { return }
            try body(e)
            remaining -= 1
        }
        do {
            try forEachBlock(sessionID: query.sessionID, since: query.since) { block in
                try assembler.feed(block, finished: emit)
            }
            for e in assembler.stillOpen { try emit(e) }
        } catch is Done {
            return
        }
    }

    static func matches(_ e: RecordedExchange, _ q: ExchangeQuery) -> Bool {
        if let v = q.since, e.startedAt < v { return false }
        if let v = q.until, e.startedAt > v { return false }
        if let v = q.subject, e.identity?.subject != v { return false }
        if let v = q.route, e.route != v { return false }
        if let v = q.outcome, e.outcome != v.rawValue { return false }
        if let v = q.action, !e.decisions.contains(where: { $0.decision.action == v }) { return false }
        return true
    }

    /// Reads blocks in ID order, `pageSize` per read transaction: all of
    /// them, or those holding records of `sessionID`, from the first whose
    /// newest record is at or after `since`.
    func forEachBlock(sessionID: Int64?, since: Int64?,
                      _ body: (BlockRecords.Block) throws -> Void) throws {
        var after: Int64 = 0
        while true {
            let page: [(Int64, [UInt8], [UInt8])] = try read { () throws(SQLiteError) in
                var sql = sessionID == nil
                    ? SQLBuilder("SELECT b.id, b.records, b.bodies FROM exchange_blocks b WHERE b.id > ?", .int(after))
                    : SQLBuilder("""
                        SELECT b.id, b.records, b.bodies FROM block_sessions bs JOIN exchange_blocks b ON b.id = bs.block_id
                        WHERE bs.session_id = ? AND b.id > ?
                        """, .int(sessionID!), .int(after))
                if let v = since { sql.add("b.last_at >= ?", .int(v)) }
                sql.suffix("ORDER BY b.id LIMIT ?", .int(Int64(Self.pageSize)))
                let st = try sql.prepare(on: db)
                var rows: [(Int64, [UInt8], [UInt8])] = []
                while try st.step() { rows.append((st.int64(0), st.textBytes(1), st.blob(2) ?? [])) }
                return rows
            }
            for (id, text, bodies) in page {
                let records: [BlockRecords.Record]
                do { records = try BlockRecords.decode(text) } catch {
                    throw RecordingError.corruptBlock(id: id, reason: "\(error)")
                }
                try body(BlockRecords.Block(id: id, records: records, bodies: bodies))
            }
            guard page.count == Self.pageSize, let last = page.last else { return }
            after = last.0
        }
    }

    // MARK: export

    /// Writes every exchange matching `query` as JSON Lines (one object per
    /// exchange, `\n`-terminated) through `write`, a page at a time, for SIEM
    /// ingestion. Returns the number of exchanges written.
    @discardableResult
    public func exportJSONL(_ query: ExchangeQuery = ExchangeQuery(), write: ([UInt8]) throws -> Void) throws -> Int {
        var n = 0
        var line: [UInt8] = []
        try forEachExchange(query) { e in
            line.removeAll(keepingCapacity: true)
            ExchangeJSON.append(e, to: &line)
            line.append(0x0A)
            try write(line)
            n += 1
        }
        return n
    }

    /// The JSON Lines export as one string (for small exports and tests).
    public func exportJSONL(_ query: ExchangeQuery = ExchangeQuery()) throws -> String {
        var all: [UInt8] = []
        try exportJSONL(query) { all.append(contentsOf: $0) }
        return String(decoding: all, as: UTF8.self)
    }
}
