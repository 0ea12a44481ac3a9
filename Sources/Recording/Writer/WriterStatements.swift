/// The writer's prepared statements, prepared once when the recorder opens
/// and reused for every batch (`SQLITE_PREPARE_PERSISTENT`).
///
/// Schema v4 and v5: records are not rows. A batch's records are one `records`
/// document of `exchange_blocks` (see `BlockBuilder`); per batch the writer
/// also writes one `block_sessions` row per session in the block, the
/// sessions' summed counters, and the routes and decision actions a session
/// has not had before. Per exchange, SQLite sees no insert of its own.
final class WriterStatements {
    let begin, commit, rollback: Statement
    let findSession, insertSession, addToSession: Statement
    let insertBlock: BlockInsert
    let addSessionRoute, addSessionAction: Statement

    init(_ db: Database) throws(SQLiteError) {
        begin = try db.prepare("BEGIN IMMEDIATE", persistent: true)
        commit = try db.prepare("COMMIT", persistent: true)
        rollback = try db.prepare("ROLLBACK", persistent: true)

        findSession = try db.prepare("""
            SELECT id, last_seen FROM sessions WHERE key_kind = ?1 AND key = ?2
            ORDER BY id DESC LIMIT 1
            """, persistent: true)
        insertSession = try db.prepare("""
            INSERT INTO sessions (id, key_kind, key, started_at, last_seen, subject, client_id, client_address, first_route)
            VALUES (max(coalesce((SELECT max(id) FROM sessions), 0),
                        coalesce((SELECT session_id_floor FROM recording_state WHERE id = 1), 0)) + 1,
                    ?1, ?2, ?3, ?3, ?4, ?5, ?6, ?7)
            """, persistent: true)
        // Counters are summed per session over a whole batch
        // (`SessionDeltas`) and written once per session before COMMIT.
        addToSession = try db.prepare("""
            UPDATE sessions SET exchange_count = exchange_count + ?2, last_seen = MAX(last_seen, ?3),
                completed_count = completed_count + ?4, denied_count = denied_count + ?5,
                failed_count = failed_count + ?6, abandoned_count = abandoned_count + ?7,
                bytes_in = bytes_in + ?8, bytes_out = bytes_out + ?9
            WHERE id = ?1
            """, persistent: true)
        insertBlock = try BlockInsert.current(db)
        // A session's distinct routes and decision actions, for the session
        // list's filters: appended only when not there yet.
        addSessionRoute = try db.prepare("""
            UPDATE sessions SET routes_json = json_insert(routes_json, '$[#]', ?2)
            WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM json_each(routes_json) WHERE value = ?2)
            """, persistent: true)
        addSessionAction = try db.prepare("""
            UPDATE sessions SET actions_json = json_insert(actions_json, '$[#]', ?2)
            WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM json_each(actions_json) WHERE value = ?2)
            """, persistent: true)
    }

    /// Runs a statement that returns no rows, then resets it.
    static func run(_ st: Statement) throws(SQLiteError) {
        defer { st.reset() }
        try st.step()
    }
}
