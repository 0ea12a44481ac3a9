internal import CSQLite

/// A failed SQLite call, carrying where it came from (GRDB style): the
/// extended result code, SQLite's own message (`sqlite3_errmsg`) at the time
/// of failure, the SQL text being prepared or run (if any) and the operation
/// that failed (`open`, `prepare`, `step`, `bind`, …).
public struct SQLiteError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The extended result code, e.g. 13 (`SQLITE_FULL`) or 778
    /// (`SQLITE_IOERR_WRITE`).
    public var extendedCode: Int32
    /// SQLite's error text for this failure.
    public var message: String
    /// The statement's SQL, or nil for calls that run no SQL (open, close).
    public var sql: String?
    /// The wrapper operation that failed.
    public var operation: String

    public init(extendedCode: Int32, message: String, sql: String? = nil, operation: String) {
        self.extendedCode = extendedCode
        self.message = message
        self.sql = sql
        self.operation = operation
    }

    /// The primary result code (the low byte of the extended code).
    public var primaryCode: Int32 { extendedCode & 0xFF }

    /// True for failures of the storage itself (full disk, I/O error,
    /// read-only file, corruption, lock contention): retrying the same
    /// record later may succeed once the condition clears. False for
    /// failures caused by one record (a constraint, a value too big).
    public var isStorageFailure: Bool {
        switch primaryCode {
        case SQLITE_FULL, SQLITE_IOERR, SQLITE_READONLY, SQLITE_CORRUPT, SQLITE_NOTADB,
             SQLITE_CANTOPEN, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_NOMEM, SQLITE_PROTOCOL,
             SQLITE_PERM, SQLITE_AUTH:
            return true
        default:
            return false
        }
    }

    /// The standard name of the result code (`"disk is full"` style text
    /// from `sqlite3_errstr`).
    public var codeDescription: String { String(cString: sqlite3_errstr(extendedCode)) }

    public var description: String {
        var s = "SQLite error \(extendedCode) (\(codeDescription)) in \(operation): \(message)"
        if let sql { s += " [SQL: \(sql)]" }
        return s
    }

    /// Builds an error from the connection's current error state.
    static func from(_ db: OpaquePointer?, code: Int32, sql: String?, operation: String) -> SQLiteError {
        let ext = db.map { sqlite3_extended_errcode($0) } ?? code
        // The connection's extended code is only meaningful if its primary
        // code agrees with the code this call returned.
        let extended = (ext & 0xFF) == (code & 0xFF) ? ext : code
        let msg: String
        if let db, let c = sqlite3_errmsg(db) { msg = String(cString: c) } else { msg = String(cString: sqlite3_errstr(code)) }
        return SQLiteError(extendedCode: extended, message: msg, sql: sql, operation: operation)
    }
}
