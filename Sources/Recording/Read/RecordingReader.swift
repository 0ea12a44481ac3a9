import GatehouseCore

/// The read side, for the CLI: a read-only connection that is safe to use
/// while the daemon writes (WAL readers never block the writer, and the
/// writer never blocks them). Every call runs in its own short read
/// transaction, so no snapshot is held between calls and checkpoints can
/// proceed; exports page through the table in short transactions too.
///
/// Not thread-safe: use one reader per thread.
public final class RecordingReader {
    let db: Database
    /// Exchanges read per read transaction during export.
    static let pageSize = 500

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
            sql.add("EXISTS (SELECT 1 FROM exchanges e WHERE e.session_id = s.id AND e.route = ?)", .text(v))
        }
        if let v = query.outcome {
            sql.add("EXISTS (SELECT 1 FROM exchanges e WHERE e.session_id = s.id AND e.outcome = ?)", .text(v.rawValue))
        }
        if let v = query.action {
            sql.add("EXISTS (SELECT 1 FROM exchange_starts e WHERE e.session_id = s.id AND \(DecisionSQL.hasAction))",
                    repeating: .text(v), DecisionSQL.hasActionParameters)
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

    // MARK: exchanges

    /// A session's exchanges in the order they started.
    public func exchanges(sessionID: Int64) throws(RecordingError) -> [RecordedExchange] {
        var all: [RecordedExchange] = []
        var after: Int64 = 0
        while true {
            let page = try exchangePage(ExchangeQuery(sessionID: sessionID), after: after, count: Self.pageSize)
            all += page
            guard page.count == Self.pageSize, let last = page.last else { return all }
            after = last.id
        }
    }

    /// Calls `body` for every exchange matching `query`, oldest first, a
    /// page (one short read transaction) at a time.
    public func forEachExchange(_ query: ExchangeQuery, _ body: (RecordedExchange) throws -> Void) throws {
        var after: Int64 = 0
        var remaining = query.limit ?? Int.max
        while remaining > 0 {
            let page = try exchangePage(query, after: after, count: min(Self.pageSize, remaining))
            for e in page { try body(e) }
            if page.count < min(Self.pageSize, remaining) { return }
            remaining -= page.count
            after = page.last!.id
        }
    }

    func exchangePage(_ query: ExchangeQuery, after: Int64, count: Int) throws(RecordingError) -> [RecordedExchange] {
        var sql = SQLBuilder("SELECT \(ExchangeRow.columns) FROM exchanges e WHERE e.id > ?", .int(after))
        if let v = query.sessionID { sql.add("e.session_id = ?", .int(v)) }
        if let v = query.since { sql.add("e.started_at >= ?", .int(v)) }
        if let v = query.until { sql.add("e.started_at <= ?", .int(v)) }
        if let v = query.subject { sql.add("e.subject = ?", .text(v)) }
        if let v = query.route { sql.add("e.route = ?", .text(v)) }
        if let v = query.outcome { sql.add("e.outcome = ?", .text(v.rawValue)) }
        if let v = query.action {
            sql.add(DecisionSQL.hasAction, repeating: .text(v), DecisionSQL.hasActionParameters)
        }
        sql.suffix("ORDER BY e.id LIMIT ?", .int(Int64(count)))
        return try read { () throws(SQLiteError) in
            let st = try sql.prepare(on: db)
            var rows: [RecordedExchange] = []
            while try st.step() { rows.append(ExchangeRow.exchange(from: st)) }
            guard let first = rows.first?.id, let last = rows.last?.id else { return rows }
            let decisions = try loadDecisions(from: first, to: last)
            for i in rows.indices { rows[i].decisions = decisions[rows[i].id] ?? [] }
            return rows
        }
    }

    private func loadDecisions(from: Int64, to: Int64) throws(SQLiteError) -> [Int64: [StoredDecision]] {
        let st = try db.prepare("""
            SELECT exchange_id, phase, stage, rule_id, action, detectors_json, dry_run FROM decisions
            WHERE exchange_id BETWEEN ?1 AND ?2
            ORDER BY exchange_id, CASE phase WHEN 'request' THEN 0 ELSE 1 END, seq
            """)
        try st.bind(1, from)
        try st.bind(2, to)
        var out: [Int64: [StoredDecision]] = [:]
        while try st.step() {
            let d = RecordedDecision(stage: st.text(2) ?? "", ruleID: st.text(3), action: st.text(4) ?? "",
                                     detectors: StoredJSON.strings(st.text(5)), dryRun: st.bool(6))
            out[st.int64(0), default: []].append(StoredDecision(phase: st.text(1) ?? "", decision: d))
        }
        return out
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
