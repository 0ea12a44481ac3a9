/// The schema, as numbered migrations. `PRAGMA user_version` holds the
/// number of migrations applied; opening a store applies the missing ones in
/// order, each in its own transaction. Never edit a shipped migration: add a
/// new one. Docs/RECORDING.md describes every table and column.
enum Migrations {
    /// Migration N is `all[N - 1]`.
    static let all: [String] = [v1, v2, v3, v4, v5]

    /// The schema version this build writes.
    static var latestVersion: Int { all.count }

    /// Applies every migration newer than the file's `user_version`.
    /// Throws `RecordingError.schemaTooNew` when the file was written by a
    /// newer build (it would be unsafe to write with an older schema).
    static func migrate(_ db: Database) throws(RecordingError) {
        let current: Int
        do { current = Int(try db.scalarInt("PRAGMA user_version") ?? 0) } catch { throw .storage(error) }
        if current > latestVersion {
            throw .schemaTooNew(found: current, supported: latestVersion)
        }
        if current == latestVersion { return }
        for version in (current + 1)...latestVersion {
            do throws(SQLiteError) {
                try db.execute("BEGIN IMMEDIATE")
                do throws(SQLiteError) {
                    try apply(version: version, db)
                    try db.execute("PRAGMA user_version = \(version)")
                    try db.execute("COMMIT")
                } catch {
                    try? db.execute("ROLLBACK")
                    throw error
                }
            } catch {
                throw .migrationFailed(version: version, error)
            }
        }
    }

    /// Runs migration `version` (its SQL, then `afterSQL`) inside the
    /// caller's transaction, without touching `user_version`.
    static func apply(version: Int, _ db: Database) throws(SQLiteError) {
        try db.execute(all[version - 1])
        try afterSQL(version: version, db)
    }

    /// The part of a migration that SQL alone cannot do (SQLite 3.40 has no
    /// `unhex`), run in the same transaction right after its SQL.
    private static func afterSQL(version: Int, _ db: Database) throws(SQLiteError) {
        if version == 3 { try RequestIDPacking.packExisting(db) }
        if version == 4 {
            try BlockConversion.convertExisting(db)
            try db.execute(v4Finish)
        }
    }

    /// 1: sessions, exchanges, decisions, approval events.
    static let v1 = """
    CREATE TABLE sessions (
        id               INTEGER PRIMARY KEY,
        key_kind         TEXT    NOT NULL,
        key              TEXT    NOT NULL,
        started_at       INTEGER NOT NULL,
        last_seen        INTEGER NOT NULL,
        subject          TEXT,
        client_id        TEXT,
        client_address   TEXT    NOT NULL,
        first_route      TEXT    NOT NULL,
        exchange_count   INTEGER NOT NULL DEFAULT 0,
        completed_count  INTEGER NOT NULL DEFAULT 0,
        denied_count     INTEGER NOT NULL DEFAULT 0,
        failed_count     INTEGER NOT NULL DEFAULT 0,
        abandoned_count  INTEGER NOT NULL DEFAULT 0,
        bytes_in         INTEGER NOT NULL DEFAULT 0,
        bytes_out        INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX sessions_key ON sessions (key_kind, key, last_seen);
    CREATE INDEX sessions_started ON sessions (started_at);
    CREATE INDEX sessions_subject ON sessions (subject, started_at);

    CREATE TABLE exchanges (
        id                      INTEGER PRIMARY KEY,
        request_id              TEXT    NOT NULL UNIQUE,
        session_id              INTEGER NOT NULL REFERENCES sessions (id),
        started_at              INTEGER NOT NULL,
        finished_at             INTEGER,
        route                   TEXT    NOT NULL,
        client_address          TEXT    NOT NULL,
        subject                 TEXT,
        client_id               TEXT,
        groups_json             TEXT    NOT NULL DEFAULT '[]',
        method                  TEXT    NOT NULL,
        target                  TEXT    NOT NULL,
        request_headers_json    TEXT    NOT NULL,
        request_body            BLOB,
        request_body_size       INTEGER NOT NULL DEFAULT 0,
        request_body_truncated  INTEGER NOT NULL DEFAULT 0,
        response_status         INTEGER,
        response_headers_json   TEXT,
        response_body           BLOB,
        response_body_size      INTEGER NOT NULL DEFAULT 0,
        response_body_truncated INTEGER NOT NULL DEFAULT 0,
        t_request_us            INTEGER,
        t_policy_us             INTEGER,
        t_hold_us               INTEGER,
        t_connect_us            INTEGER,
        t_first_byte_us         INTEGER,
        t_total_us              INTEGER,
        bytes_in                INTEGER NOT NULL DEFAULT 0,
        bytes_out               INTEGER NOT NULL DEFAULT 0,
        upstream_address        TEXT,
        error_code              TEXT,
        error_reason            TEXT,
        outcome                 TEXT    NOT NULL,
        durability              TEXT    NOT NULL
    );
    CREATE INDEX exchanges_started ON exchanges (started_at);
    CREATE INDEX exchanges_session ON exchanges (session_id, started_at);
    CREATE INDEX exchanges_route ON exchanges (route, started_at);
    CREATE INDEX exchanges_outcome ON exchanges (outcome, started_at);

    CREATE TABLE decisions (
        id              INTEGER PRIMARY KEY,
        exchange_id     INTEGER NOT NULL REFERENCES exchanges (id) ON DELETE CASCADE,
        phase           TEXT    NOT NULL,
        seq             INTEGER NOT NULL,
        stage           TEXT    NOT NULL,
        rule_id         TEXT,
        action          TEXT    NOT NULL,
        detectors_json  TEXT    NOT NULL DEFAULT '[]',
        dry_run         INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX decisions_exchange ON decisions (exchange_id);
    CREATE INDEX decisions_action ON decisions (action, exchange_id);

    CREATE TABLE approval_events (
        id              INTEGER PRIMARY KEY,
        exchange_id     INTEGER NOT NULL REFERENCES exchanges (id) ON DELETE CASCADE,
        at              INTEGER NOT NULL,
        event           TEXT    NOT NULL,
        approver        TEXT,
        ticket          TEXT,
        reason          TEXT
    );
    CREATE INDEX approval_events_exchange ON approval_events (exchange_id);
    """

    /// 2: the response side moves to its own append-only table. Recording an
    /// outcome used to UPDATE the whole `exchanges` row (SQLite rewrites a
    /// row to change any column: every column of the request side, body
    /// included, was read and written again, and the `outcome` index entry
    /// moved); it is now one INSERT. `exchanges` becomes a view with the
    /// same columns as before, so readers and ad-hoc queries are unchanged.
    /// Renaming the table keeps row IDs, and the foreign keys of `decisions`
    /// and `approval_events` follow the rename (SQLite >= 3.26).
    static let v2 = """
    ALTER TABLE exchanges RENAME TO exchange_starts;

    CREATE TABLE exchange_outcomes (
        exchange_id             INTEGER PRIMARY KEY REFERENCES exchange_starts (id) ON DELETE CASCADE,
        finished_at             INTEGER NOT NULL,
        outcome                 TEXT    NOT NULL,
        response_status         INTEGER,
        response_headers_json   TEXT,
        response_body           BLOB,
        response_body_size      INTEGER NOT NULL DEFAULT 0,
        response_body_truncated INTEGER NOT NULL DEFAULT 0,
        t_request_us            INTEGER,
        t_policy_us             INTEGER,
        t_hold_us               INTEGER,
        t_connect_us            INTEGER,
        t_first_byte_us         INTEGER,
        t_total_us              INTEGER,
        bytes_in                INTEGER NOT NULL DEFAULT 0,
        bytes_out               INTEGER NOT NULL DEFAULT 0,
        upstream_address        TEXT,
        error_code              TEXT,
        error_reason            TEXT
    );
    INSERT INTO exchange_outcomes
        SELECT id, finished_at, outcome, response_status, response_headers_json, response_body, response_body_size,
            response_body_truncated, t_request_us, t_policy_us, t_hold_us, t_connect_us, t_first_byte_us, t_total_us,
            bytes_in, bytes_out, upstream_address, error_code, error_reason
        FROM exchange_starts WHERE outcome <> 'in_flight';

    DROP INDEX exchanges_outcome;
    ALTER TABLE exchange_starts DROP COLUMN finished_at;
    ALTER TABLE exchange_starts DROP COLUMN response_status;
    ALTER TABLE exchange_starts DROP COLUMN response_headers_json;
    ALTER TABLE exchange_starts DROP COLUMN response_body;
    ALTER TABLE exchange_starts DROP COLUMN response_body_size;
    ALTER TABLE exchange_starts DROP COLUMN response_body_truncated;
    ALTER TABLE exchange_starts DROP COLUMN t_request_us;
    ALTER TABLE exchange_starts DROP COLUMN t_policy_us;
    ALTER TABLE exchange_starts DROP COLUMN t_hold_us;
    ALTER TABLE exchange_starts DROP COLUMN t_connect_us;
    ALTER TABLE exchange_starts DROP COLUMN t_first_byte_us;
    ALTER TABLE exchange_starts DROP COLUMN t_total_us;
    ALTER TABLE exchange_starts DROP COLUMN bytes_in;
    ALTER TABLE exchange_starts DROP COLUMN bytes_out;
    ALTER TABLE exchange_starts DROP COLUMN upstream_address;
    ALTER TABLE exchange_starts DROP COLUMN error_code;
    ALTER TABLE exchange_starts DROP COLUMN error_reason;
    ALTER TABLE exchange_starts DROP COLUMN outcome;

    CREATE VIEW exchanges AS
    SELECT s.id, s.request_id, s.session_id, s.started_at, o.finished_at, s.route, s.client_address,
        s.subject, s.client_id, s.groups_json, s.method, s.target, s.request_headers_json,
        s.request_body, s.request_body_size, s.request_body_truncated,
        o.response_status, o.response_headers_json, o.response_body,
        coalesce(o.response_body_size, 0) AS response_body_size,
        coalesce(o.response_body_truncated, 0) AS response_body_truncated,
        o.t_request_us, o.t_policy_us, o.t_hold_us, o.t_connect_us, o.t_first_byte_us, o.t_total_us,
        coalesce(o.bytes_in, 0) AS bytes_in, coalesce(o.bytes_out, 0) AS bytes_out,
        o.upstream_address, o.error_code, o.error_reason,
        coalesce(o.outcome, 'in_flight') AS outcome, s.durability
    FROM exchange_starts s LEFT JOIN exchange_outcomes o ON o.exchange_id = s.id;
    """

    /// 3: fewer rows and index entries per exchange.
    /// - Decisions are stored inline, as one JSON document per side
    ///   (`exchange_starts.decisions_json`, `exchange_outcomes.decisions_json`;
    ///   see `JSONFragments.appendDecisions`), instead of one `decisions` row
    ///   per decision with two index entries. Existing rows stay where they
    ///   are, in the table renamed `decision_rows`; `decisions` becomes a view
    ///   over all three, with the columns the table had (`id` is NULL for
    ///   inline decisions).
    /// - The gateway's 32-hex request IDs are stored as 16-byte BLOBs
    ///   (`RequestIDKey`); the `exchanges` view gives them back as text.
    ///   Existing hex IDs are converted by `RequestIDPacking`, so a repeated
    ///   ID is still refused by the unique index after the upgrade.
    /// - `exchanges_route` is dropped: no reader needs it (the session list's
    ///   route filter goes through `exchanges_session`; an export by route
    ///   pages through the rows in ID order anyway).
    static let v3 = """
    ALTER TABLE decisions RENAME TO decision_rows;
    ALTER TABLE exchange_starts ADD COLUMN decisions_json TEXT;
    ALTER TABLE exchange_outcomes ADD COLUMN decisions_json TEXT;
    DROP INDEX exchanges_route;

    DROP VIEW exchanges;
    CREATE VIEW exchanges AS
    SELECT s.id,
        CASE WHEN typeof(s.request_id) = 'blob' THEN lower(hex(s.request_id)) ELSE s.request_id END AS request_id,
        s.session_id, s.started_at, o.finished_at, s.route, s.client_address,
        s.subject, s.client_id, s.groups_json, s.method, s.target, s.request_headers_json,
        s.request_body, s.request_body_size, s.request_body_truncated,
        o.response_status, o.response_headers_json, o.response_body,
        coalesce(o.response_body_size, 0) AS response_body_size,
        coalesce(o.response_body_truncated, 0) AS response_body_truncated,
        o.t_request_us, o.t_policy_us, o.t_hold_us, o.t_connect_us, o.t_first_byte_us, o.t_total_us,
        coalesce(o.bytes_in, 0) AS bytes_in, coalesce(o.bytes_out, 0) AS bytes_out,
        o.upstream_address, o.error_code, o.error_reason,
        coalesce(o.outcome, 'in_flight') AS outcome, s.durability
    FROM exchange_starts s LEFT JOIN exchange_outcomes o ON o.exchange_id = s.id;

    CREATE VIEW decisions AS
    SELECT id, exchange_id, phase, seq, stage, rule_id, action, detectors_json, dry_run FROM decision_rows
    UNION ALL
    SELECT NULL, s.id, 'request', j.key, json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]'),
        json_extract(j.value, '$[2]'), json_extract(j.value, '$[3]'), json_extract(j.value, '$[4]')
    FROM exchange_starts s, json_each(s.decisions_json) j WHERE s.decisions_json IS NOT NULL
    UNION ALL
    SELECT NULL, o.exchange_id, 'response', j.key, json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]'),
        json_extract(j.value, '$[2]'), json_extract(j.value, '$[3]'), json_extract(j.value, '$[4]')
    FROM exchange_outcomes o, json_each(o.decisions_json) j WHERE o.decisions_json IS NOT NULL;
    """

    /// 4: records in blocks. A write batch's records are one JSON document
    /// (`exchange_blocks.records`, an array with one object per start,
    /// outcome or complete record; see `RecordEncoder`) and one BLOB of
    /// their bodies (`exchange_blocks.bodies`, each record saying where its
    /// bodies are) instead of a row and its index entries per exchange side, so SQLite does one insert
    /// per batch rather than two per exchange. `block_sessions` says which
    /// sessions have records in which block; sessions carry the routes and
    /// decision actions they have seen, for the session list's filters.
    /// Existing exchanges are converted into blocks (`BlockConversion`),
    /// then the old tables are dropped (`v4Finish`). Views `exchanges` and
    /// `decisions` keep the earlier columns for ad hoc SQL (they read every
    /// block: for forensics and tests, not for hot paths).
    static let v4 = """
    CREATE TABLE exchange_blocks (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        first_at      INTEGER NOT NULL,
        last_at       INTEGER NOT NULL,
        record_count  INTEGER NOT NULL,
        records       TEXT    NOT NULL,
        bodies        BLOB    NOT NULL
    );
    CREATE INDEX exchange_blocks_last ON exchange_blocks (last_at);

    CREATE TABLE block_sessions (
        session_id  INTEGER NOT NULL,
        block_id    INTEGER NOT NULL,
        PRIMARY KEY (session_id, block_id)
    ) WITHOUT ROWID;
    CREATE INDEX block_sessions_block ON block_sessions (block_id);

    ALTER TABLE sessions ADD COLUMN routes_json TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE sessions ADD COLUMN actions_json TEXT NOT NULL DEFAULT '[]';
    UPDATE sessions SET
        routes_json = coalesce((SELECT json_group_array(DISTINCT e.route) FROM exchange_starts e
                                WHERE e.session_id = sessions.id), '[]'),
        actions_json = coalesce((SELECT json_group_array(DISTINCT d.action) FROM decisions d
                                 JOIN exchange_starts e ON e.id = d.exchange_id WHERE e.session_id = sessions.id), '[]');
    """

    /// The rest of version 4, once `BlockConversion` has copied the
    /// exchanges: the old tables go, the compatibility views come.
    static let v4Finish = """
    DROP VIEW decisions;
    DROP VIEW exchanges;
    DROP TABLE approval_events;
    DROP TABLE decision_rows;
    DROP TABLE exchange_outcomes;
    DROP TABLE exchange_starts;

    CREATE TABLE approval_events (
        id          INTEGER PRIMARY KEY,
        request_id  TEXT    NOT NULL,
        at          INTEGER NOT NULL,
        event       TEXT    NOT NULL,
        approver    TEXT,
        ticket      TEXT,
        reason      TEXT
    );
    CREATE INDEX approval_events_request ON approval_events (request_id);

    """ + v4Views

    /// The compatibility views of schema v4 (v5 drops them while it
    /// rebuilds `exchange_blocks`, then creates them again).
    static let v4Views = """
    CREATE VIEW exchange_records AS
    SELECT b.id AS block_id, r.key AS position, json_extract(r.value, '$.k') AS kind,
        json_extract(r.value, '$.request_id') AS request_id, r.value AS record,
        CASE WHEN json_extract(r.value, '$.request_body_at') IS NOT NULL THEN
            substr(b.bodies, json_extract(r.value, '$.request_body_at[0]') + 1, json_extract(r.value, '$.request_body_at[1]'))
        END AS request_body,
        CASE WHEN json_extract(r.value, '$.response_body_at') IS NOT NULL THEN
            substr(b.bodies, json_extract(r.value, '$.response_body_at[0]') + 1, json_extract(r.value, '$.response_body_at[1]'))
        END AS response_body
    FROM exchange_blocks b, json_each(b.records) r;

    CREATE VIEW exchanges AS
    SELECT min(CASE WHEN kind <> 'outcome' THEN block_id * 65536 + position END) AS id,
        request_id,
        max(json_extract(record, '$.session_id')) AS session_id,
        max(json_extract(record, '$.started_at')) AS started_at,
        max(json_extract(record, '$.finished_at')) AS finished_at,
        max(json_extract(record, '$.route')) AS route,
        max(json_extract(record, '$.client_address')) AS client_address,
        max(json_extract(record, '$.subject')) AS subject,
        max(json_extract(record, '$.client_id')) AS client_id,
        coalesce(max(json_extract(record, '$.groups')), '[]') AS groups_json,
        max(json_extract(record, '$.method')) AS method,
        max(json_extract(record, '$.target')) AS target,
        max(json_extract(record, '$.request_headers')) AS request_headers_json,
        max(request_body) AS request_body,
        coalesce(max(json_extract(record, '$.request_body_size')), 0) AS request_body_size,
        coalesce(max(json_extract(record, '$.request_body_truncated')), 0) AS request_body_truncated,
        max(json_extract(record, '$.response_status')) AS response_status,
        max(json_extract(record, '$.response_headers')) AS response_headers_json,
        max(response_body) AS response_body,
        coalesce(max(json_extract(record, '$.response_body_size')), 0) AS response_body_size,
        coalesce(max(json_extract(record, '$.response_body_truncated')), 0) AS response_body_truncated,
        max(json_extract(record, '$.t_request_us')) AS t_request_us,
        max(json_extract(record, '$.t_policy_us')) AS t_policy_us,
        max(json_extract(record, '$.t_hold_us')) AS t_hold_us,
        max(json_extract(record, '$.t_connect_us')) AS t_connect_us,
        max(json_extract(record, '$.t_first_byte_us')) AS t_first_byte_us,
        max(json_extract(record, '$.t_total_us')) AS t_total_us,
        coalesce(max(json_extract(record, '$.bytes_in')), 0) AS bytes_in,
        coalesce(max(json_extract(record, '$.bytes_out')), 0) AS bytes_out,
        max(json_extract(record, '$.upstream_address')) AS upstream_address,
        max(json_extract(record, '$.error_code')) AS error_code,
        max(json_extract(record, '$.error_reason')) AS error_reason,
        coalesce(max(json_extract(record, '$.outcome')), 'in_flight') AS outcome,
        max(json_extract(record, '$.durability')) AS durability,
        max(json_extract(record, '$.request_decisions')) AS request_decisions_json,
        max(json_extract(record, '$.response_decisions')) AS response_decisions_json
    FROM exchange_records
    GROUP BY request_id
    HAVING id IS NOT NULL;

    CREATE VIEW decisions AS
    SELECT e.id AS exchange_id, 'request' AS phase, j.key AS seq, json_extract(j.value, '$[0]') AS stage,
        json_extract(j.value, '$[1]') AS rule_id, json_extract(j.value, '$[2]') AS action,
        json_extract(j.value, '$[3]') AS detectors_json, json_extract(j.value, '$[4]') AS dry_run
    FROM exchanges e, json_each(e.request_decisions_json) j WHERE e.request_decisions_json IS NOT NULL
    UNION ALL
    SELECT e.id, 'response', j.key, json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]'),
        json_extract(j.value, '$[2]'), json_extract(j.value, '$[3]'), json_extract(j.value, '$[4]')
    FROM exchanges e, json_each(e.response_decisions_json) j WHERE e.response_decisions_json IS NOT NULL;
    """

    /// 5: fewer pages written per batch. A strict batch is often one or
    /// two records, and SQLite writes every page a transaction touches to
    /// the WAL in full (then checksums it, flushes it, and checkpoints it):
    /// with v4 that was seven pages for a one-record batch (the block, the
    /// `last_at` index, `sqlite_sequence`, two `block_sessions` trees, the
    /// session row and its `last_seen` index entry). Now it is three: the
    /// block, its `block_sessions` row and the session row.
    ///
    /// - `exchange_blocks` loses `AUTOINCREMENT` (the writer always chose
    ///   the IDs) and its `last_at` index (retention walks blocks in ID
    ///   order, which is time order); it gains `sessions`, the block's
    ///   session IDs as a JSON array, so retention can delete the block's
    ///   `block_sessions` rows by their primary key, and the `block_id`
    ///   index of `block_sessions` goes.
    /// - IDs are still never reused: `recording_state.block_id_floor` keeps
    ///   the highest ID retention deleted (written by retention, not per
    ///   batch), and the writer starts above both it and the highest ID left.
    ///   Session IDs get the same guarantee (`session_id_floor`; before, a
    ///   session created after retention deleted the newest one took its ID).
    /// - `sessions_key` no longer holds `last_seen` (updated every batch):
    ///   a key's latest session is the one with the highest ID.
    static let v5 = """
    DROP VIEW decisions;
    DROP VIEW exchanges;
    DROP VIEW exchange_records;

    CREATE TABLE exchange_blocks_v5 (
        id            INTEGER PRIMARY KEY,
        first_at      INTEGER NOT NULL,
        last_at       INTEGER NOT NULL,
        record_count  INTEGER NOT NULL,
        sessions      TEXT    NOT NULL,
        records       TEXT    NOT NULL,
        bodies        BLOB    NOT NULL
    );
    INSERT INTO exchange_blocks_v5 (id, first_at, last_at, record_count, sessions, records, bodies)
    SELECT b.id, b.first_at, b.last_at, b.record_count,
        coalesce((SELECT json_group_array(bs.session_id) FROM block_sessions bs WHERE bs.block_id = b.id), '[]'),
        b.records, b.bodies
    FROM exchange_blocks b ORDER BY b.id;

    CREATE TABLE recording_state (
        id                INTEGER PRIMARY KEY CHECK (id = 1),
        block_id_floor    INTEGER NOT NULL,
        session_id_floor  INTEGER NOT NULL
    );
    INSERT INTO recording_state (id, block_id_floor, session_id_floor)
    SELECT 1, coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'exchange_blocks'), 0),
        coalesce((SELECT max(id) FROM sessions), 0);

    DROP TABLE exchange_blocks;
    ALTER TABLE exchange_blocks_v5 RENAME TO exchange_blocks;
    DROP INDEX block_sessions_block;
    DROP INDEX sessions_key;
    CREATE INDEX sessions_key ON sessions (key_kind, key);

    """ + v4Views
}
