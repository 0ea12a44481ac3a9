/// The writer's prepared statements, prepared once when the recorder opens
/// and reused for every record (`SQLITE_PREPARE_PERSISTENT`).
final class WriterStatements {
    let begin, commit, rollback: Statement
    let savepoint, release, rollbackToSavepoint: Statement
    let findSession, insertSession, addToSession: Statement
    let insertExchange, insertOutcome, findExchange: Statement

    init(_ db: Database) throws(SQLiteError) {
        begin = try db.prepare("BEGIN IMMEDIATE", persistent: true)
        commit = try db.prepare("COMMIT", persistent: true)
        rollback = try db.prepare("ROLLBACK", persistent: true)
        savepoint = try db.prepare("SAVEPOINT record", persistent: true)
        release = try db.prepare("RELEASE record", persistent: true)
        rollbackToSavepoint = try db.prepare("ROLLBACK TO record", persistent: true)

        findSession = try db.prepare("""
            SELECT id, last_seen FROM sessions WHERE key_kind = ?1 AND key = ?2
            ORDER BY last_seen DESC LIMIT 1
            """, persistent: true)
        insertSession = try db.prepare("""
            INSERT INTO sessions (key_kind, key, started_at, last_seen, subject, client_id, client_address, first_route,
                exchange_count)
            VALUES (?1, ?2, ?3, ?3, ?4, ?5, ?6, ?7, 1)
            """, persistent: true)
        // The session counters are summed per session over a whole batch
        // (`SessionDeltas`) and written once per session before COMMIT,
        // instead of one UPDATE per record.
        addToSession = try db.prepare("""
            UPDATE sessions SET exchange_count = exchange_count + ?2, last_seen = MAX(last_seen, ?3),
                completed_count = completed_count + ?4, denied_count = denied_count + ?5,
                failed_count = failed_count + ?6, abandoned_count = abandoned_count + ?7,
                bytes_in = bytes_in + ?8, bytes_out = bytes_out + ?9
            WHERE id = ?1
            """, persistent: true)

        insertExchange = try db.prepare("""
            INSERT INTO exchange_starts (request_id, session_id, started_at, route, client_address, subject, client_id,
                groups_json, method, target, request_headers_json, request_body, request_body_size,
                request_body_truncated, durability, decisions_json)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)
            """, persistent: true)
        // Request-side decisions go into `decisions_json` of the same row
        // (schema v3): no separate row and index entries per decision.
        // The response side is appended (schema v2), never an UPDATE of the
        // request's row. The writer knows the row from its in-flight index,
        // or finds it with `findExchange`.
        insertOutcome = try db.prepare("""
            INSERT INTO exchange_outcomes (exchange_id, finished_at, outcome, response_status, response_headers_json,
                response_body, response_body_size, response_body_truncated,
                t_request_us, t_policy_us, t_hold_us, t_connect_us, t_first_byte_us, t_total_us,
                bytes_in, bytes_out, upstream_address, error_code, error_reason, decisions_json)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)
            """, persistent: true)
        findExchange = try db.prepare("""
            SELECT s.id, s.session_id, o.outcome FROM exchange_starts s
                LEFT JOIN exchange_outcomes o ON o.exchange_id = s.id
            WHERE s.request_id = ?1
            """, persistent: true)
    }

    /// Runs a statement that returns no rows, then resets it.
    static func run(_ st: Statement) throws(SQLiteError) {
        defer { st.reset() }
        try st.step()
    }
}
