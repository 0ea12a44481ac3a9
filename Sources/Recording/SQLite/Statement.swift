internal import CSQLite

/// A prepared statement. Finalized in `deinit`; holds its `Database` so the
/// connection outlives it. Binds are 1-based, columns 0-based, as in SQLite.
/// Errors carry the statement's SQL.
final class Statement {
    let database: Database
    let handle: OpaquePointer
    let sql: String

    init(database: Database, sql: String, persistent: Bool) throws(SQLiteError) {
        var st: OpaquePointer?
        let flags: UInt32 = persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        let rc = sqlite3_prepare_v3(database.handle, sql, -1, flags, &st, nil)
        guard rc == SQLITE_OK, let st else {
            throw SQLiteError.from(database.handle, code: rc, sql: sql, operation: "prepare")
        }
        self.database = database
        self.handle = st
        self.sql = sql
    }

    deinit {
        sqlite3_finalize(handle)
    }

    private func check(_ rc: Int32, _ op: String) throws(SQLiteError) {
        if rc != SQLITE_OK { throw SQLiteError.from(database.handle, code: rc, sql: sql, operation: op) }
    }

    // MARK: binding

    func bind(_ index: Int32, _ value: Int64) throws(SQLiteError) {
        try check(sqlite3_bind_int64(handle, index, value), "bind")
    }

    func bind(_ index: Int32, _ value: Int) throws(SQLiteError) {
        try bind(index, Int64(value))
    }

    func bind(_ index: Int32, _ value: Bool) throws(SQLiteError) {
        try bind(index, Int64(value ? 1 : 0))
    }

    func bind(_ index: Int32, _ value: String) throws(SQLiteError) {
        var v = value
        let rc = v.withUTF8 { p -> Int32 in
            guard let base = p.baseAddress, p.count > 0 else {
                return sqlite3_bind_text(handle, index, "", 0, gh_sqlite_transient())
            }
            return base.withMemoryRebound(to: CChar.self, capacity: p.count) { c in
                sqlite3_bind_text64(handle, index, c, sqlite3_uint64(p.count), gh_sqlite_transient(), UInt8(SQLITE_UTF8))
            }
        }
        try check(rc, "bind")
    }

    /// Binds bytes as a BLOB (an empty array binds a zero-length blob, not NULL).
    func bind(_ index: Int32, blob value: [UInt8]) throws(SQLiteError) {
        let rc = value.withUnsafeBytes { p in
            sqlite3_bind_blob64(handle, index, p.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!,
                                sqlite3_uint64(p.count), gh_sqlite_transient())
        }
        try check(rc, "bind")
    }

    /// Binds `bytes` as TEXT (valid UTF-8) without copying them
    /// (`SQLITE_STATIC`). The memory must stay valid and unchanged until
    /// the statement has been stepped and `reset()`: the writer binds its
    /// `ScratchBuffer`s this way.
    func bindStatic(_ index: Int32, text bytes: UnsafeRawBufferPointer) throws(SQLiteError) {
        let p = bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
        let rc = sqlite3_bind_text64(handle, index, p.assumingMemoryBound(to: CChar.self), sqlite3_uint64(bytes.count),
                                     nil, UInt8(SQLITE_UTF8))
        try check(rc, "bind")
    }

    /// Binds `bytes` as a BLOB without copying them (`SQLITE_STATIC`); same
    /// lifetime rule as `bindStatic(_:text:)`.
    func bindStatic(_ index: Int32, blob bytes: UnsafeRawBufferPointer) throws(SQLiteError) {
        let p = bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
        try check(sqlite3_bind_blob64(handle, index, p, sqlite3_uint64(bytes.count), nil), "bind")
    }

    func bindNull(_ index: Int32) throws(SQLiteError) {
        try check(sqlite3_bind_null(handle, index), "bind")
    }

    func bind(_ index: Int32, _ value: String?) throws(SQLiteError) {
        if let value { try bind(index, value) } else { try bindNull(index) }
    }

    func bind(_ index: Int32, _ value: Int64?) throws(SQLiteError) {
        if let value { try bind(index, value) } else { try bindNull(index) }
    }

    func bind(_ index: Int32, _ value: Int?) throws(SQLiteError) {
        if let value { try bind(index, Int64(value)) } else { try bindNull(index) }
    }

    // MARK: stepping

    /// Advances: true when a row is available, false when done.
    @discardableResult
    func step() throws(SQLiteError) -> Bool {
        let rc = sqlite3_step(handle)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        // sqlite3_reset returns the same error; it also releases locks.
        let err = SQLiteError.from(database.handle, code: rc, sql: sql, operation: "step")
        sqlite3_reset(handle)
        throw err
    }

    /// Resets for re-execution and clears the bindings.
    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    // MARK: columns

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(handle, column)) }

    func optionalInt64(_ column: Int32) -> Int64? { isNull(column) ? nil : int64(column) }

    func bool(_ column: Int32) -> Bool { sqlite3_column_int64(handle, column) != 0 }

    func text(_ column: Int32) -> String? {
        guard let p = sqlite3_column_text(handle, column) else { return nil }
        let n = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
    }

    func blob(_ column: Int32) -> [UInt8]? {
        if isNull(column) { return nil }
        let n = Int(sqlite3_column_bytes(handle, column))
        guard n > 0, let p = sqlite3_column_blob(handle, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: p, count: n))
    }

    /// A TEXT column's bytes as stored (no UTF-8 repair), empty for NULL.
    func textBytes(_ column: Int32) -> [UInt8] {
        guard let p = sqlite3_column_text(handle, column) else { return [] }
        let n = Int(sqlite3_column_bytes(handle, column))
        return Array(UnsafeBufferPointer(start: p, count: n))
    }
}
