/// The writer's prepared statements, prepared once when the recorder opens
/// and reused for every record (`SQLITE_PREPARE_PERSISTENT`).
final class WriterStatements {
    let begin, commit, rollback: Statement
    let savepoint, release, rollbackToSavepoint: Statement
    let findSession, insertSession, addToSession: Statement
    let insertExchange, finishExchange, findExchange, insertDecision: Statement

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
            INSERT INTO exchanges (request_id, session_id, started_at, route, client_address, subject, client_id,
                groups_json, method, target, request_headers_json, request_body, request_body_size,
                request_body_truncated, outcome, durability)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, 'in_flight', ?15)
            """, persistent: true)
        // By rowid, with no RETURNING: SQLite runs a RETURNING clause as a
        // trigger with a statement journal, which cost more than the update.
        // The writer knows the row from its in-flight index, or finds it
        // with `findExchange`.
        finishExchange = try db.prepare("""
            UPDATE exchanges SET finished_at = ?2, outcome = ?3, response_status = ?4, response_headers_json = ?5,
                response_body = ?6, response_body_size = ?7, response_body_truncated = ?8,
                t_request_us = ?9, t_policy_us = ?10, t_hold_us = ?11, t_connect_us = ?12,
                t_first_byte_us = ?13, t_total_us = ?14, bytes_in = ?15, bytes_out = ?16,
                upstream_address = ?17, error_code = ?18, error_reason = ?19
            WHERE id = ?1 AND outcome = 'in_flight'
            """, persistent: true)
        findExchange = try db.prepare("SELECT id, session_id, outcome FROM exchanges WHERE request_id = ?1",
                                      persistent: true)
        insertDecision = try db.prepare("""
            INSERT INTO decisions (exchange_id, phase, seq, stage, rule_id, action, detectors_json, dry_run)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
            """, persistent: true)
    }

    /// Runs a statement that returns no rows, then resets it.
    static func run(_ st: Statement) throws(SQLiteError) {
        defer { st.reset() }
        try st.step()
    }
}
