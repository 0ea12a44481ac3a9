internal import CSQLite

/// One SQLite connection. Not `Sendable`: a connection belongs to exactly one
/// thread at a time (the recorder's writer thread, or the CLI's reader).
/// Closed in `deinit`, after every statement prepared on it was finalized
/// (statements keep their database alive).
final class Database {
    /// How a connection opens its file.
    enum OpenMode {
        /// Read-write, creating the file if missing (the recorder's writer).
        case readWriteCreate
        /// Read-only (the CLI and other readers, safe while the daemon writes).
        case readOnly
    }

    let handle: OpaquePointer
    let path: String

    /// Opens `path`. Uses `SQLITE_OPEN_NOMUTEX`: SQLite's own locking is not
    /// needed because one thread owns the connection.
    init(path: String, mode: OpenMode) throws(SQLiteError) {
        var flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        switch mode {
        case .readWriteCreate: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        case .readOnly: flags |= SQLITE_OPEN_READONLY
        }
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let err = SQLiteError.from(db, code: rc, sql: nil, operation: "open \(path)")
            sqlite3_close_v2(db)
            throw err
        }
        self.handle = db
        self.path = path
        sqlite3_extended_result_codes(db, 1)
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// Runs one or more statements that return no rows of interest (DDL,
    /// pragmas that set a value, transaction control).
    func execute(_ sql: String) throws(SQLiteError) {
        let rc = sqlite3_exec(handle, sql, nil, nil, nil)
        if rc != SQLITE_OK { throw SQLiteError.from(handle, code: rc, sql: sql, operation: "exec") }
    }

    /// Prepares `sql` (one statement). Pass `persistent` for statements the
    /// writer keeps for its whole life.
    func prepare(_ sql: String, persistent: Bool = false) throws(SQLiteError) -> Statement {
        try Statement(database: self, sql: sql, persistent: persistent)
    }

    /// Runs a query expected to return one integer (pragmas, counts).
    /// Returns nil if it returned no row or NULL.
    func scalarInt(_ sql: String) throws(SQLiteError) -> Int64? {
        let st = try prepare(sql)
        guard try st.step() else { return nil }
        return st.isNull(0) ? nil : st.int64(0)
    }

    /// Runs a query expected to return one text value.
    func scalarText(_ sql: String) throws(SQLiteError) -> String? {
        let st = try prepare(sql)
        guard try st.step() else { return nil }
        return st.text(0)
    }

    /// Sets how long a locked database is retried before `SQLITE_BUSY`.
    func setBusyTimeout(ms: Int32) {
        sqlite3_busy_timeout(handle, ms)
    }

    /// Rows changed by the most recent INSERT/UPDATE/DELETE.
    var changes: Int { Int(sqlite3_changes(handle)) }

    /// Rowid of the most recent successful INSERT.
    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// True when the connection cannot write (read-only file or mode).
    var isReadOnly: Bool { sqlite3_db_readonly(handle, "main") == 1 }

    /// True outside any transaction.
    var isAutocommit: Bool { sqlite3_get_autocommit(handle) != 0 }

    /// Result of a checkpoint: `walFrames` is the WAL's size in frames after
    /// it, `checkpointedFrames` how many of them are now in the database
    /// file, `busy` whether readers or a writer stopped it short.
    struct CheckpointResult {
        var walFrames: Int
        var checkpointedFrames: Int
        var busy: Bool

        /// Every frame of the WAL (as the checkpoint saw it) is in the
        /// database file.
        var isComplete: Bool { !busy && walFrames == checkpointedFrames }
    }

    enum CheckpointMode {
        case passive, truncate
    }

    /// Runs a WAL checkpoint. `truncate` waits for readers only as long as
    /// the busy timeout allows, then falls back to a passive checkpoint and
    /// reports `busy`.
    func checkpoint(_ mode: CheckpointMode) throws(SQLiteError) -> CheckpointResult {
        var log: Int32 = -1
        var done: Int32 = -1
        let m = mode == .passive ? SQLITE_CHECKPOINT_PASSIVE : SQLITE_CHECKPOINT_TRUNCATE
        let rc = sqlite3_wal_checkpoint_v2(handle, nil, m, &log, &done)
        if rc == SQLITE_BUSY || rc == SQLITE_LOCKED {
            return CheckpointResult(walFrames: Int(log), checkpointedFrames: Int(done), busy: true)
        }
        if rc != SQLITE_OK {
            throw SQLiteError.from(handle, code: rc, sql: nil, operation: "wal_checkpoint")
        }
        return CheckpointResult(walFrames: Int(log), checkpointedFrames: Int(done), busy: false)
    }
}
