/// Builds a filtered SELECT with positional parameters, so every filter
/// value is bound, never spliced into the SQL text.
struct SQLBuilder {
    enum Value {
        case int(Int64)
        case text(String)
    }

    private var sql: String
    private var values: [Value]

    init(_ base: String, _ values: Value...) {
        self.sql = base
        self.values = values
    }

    /// Adds `AND condition` with one `?` bound to `value`.
    mutating func add(_ condition: String, _ value: Value) {
        sql += " AND " + condition
        values.append(value)
    }

    /// Adds `AND condition` whose `count` `?`s are all bound to `value`.
    mutating func add(_ condition: String) {
        sql += " AND " + condition
    }

    /// Appends ordering/limits with their parameters.
    mutating func suffix(_ clause: String, _ value: Value) {
        sql += " " + clause
        values.append(value)
    }

    func prepare(on db: Database) throws(SQLiteError) -> Statement {
        let st = try db.prepare(sql)
        for (i, v) in values.enumerated() {
            switch v {
            case .int(let n): try st.bind(Int32(i + 1), n)
            case .text(let s): try st.bind(Int32(i + 1), s)
            }
        }
        return st
    }
}
