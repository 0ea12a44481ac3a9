/// The block being filled during one write batch: a JSON array of records
/// (one object per line), their bodies back to back, the time range they
/// cover and the sessions they belong to. A batch writes one block, or several when the records pass
/// `maxBytes` (large bodies) or `maxRecords`.
///
/// An exchange's ID is where its start lies: `block id × 65,536 + position`
/// (see `ExchangeID`), so a block holds at most 65,535 records.
final class BlockBuilder {
    static let maxRecords = 65_535
    let maxBytes: Int
    let text: ScratchBuffer
    /// The bodies of the block's records, back to back (`*_body_at`).
    let bodies: ScratchBuffer
    private(set) var id: Int64
    private(set) var count = 0
    private(set) var firstAt = Int64.max
    private(set) var lastAt = Int64.min
    /// Sessions with a record in this block, in first-seen order; written
    /// as the block's `sessions` JSON array (what retention deletes by).
    private(set) var sessions: [Int64] = []
    private let sessionsText = ScratchBuffer(capacity: 64)
    private var sessionSet = Set<Int64>()

    init(nextID: Int64, maxBytes: Int = 4 << 20) {
        id = nextID
        self.maxBytes = maxBytes
        text = ScratchBuffer(capacity: 256 << 10)
        bodies = ScratchBuffer(capacity: 1 << 20)
    }

    var isEmpty: Bool { count == 0 }
    /// True once the block should be written before another record is added.
    var isFull: Bool { count >= Self.maxRecords || text.count + bodies.count >= maxBytes }

    /// Starts the next record; returns its position. The caller then writes
    /// one JSON object into `text` (`RecordEncoder`).
    func beginRecord(at time: Int64, session: Int64) -> Int {
        text.append(count == 0 ? UInt8(ascii: "[") : UInt8(ascii: ","))
        if count > 0 { text.append(UInt8(ascii: "\n")) }
        firstAt = min(firstAt, time)
        lastAt = max(lastAt, time)
        if sessions.last != session && sessionSet.insert(session).inserted { sessions.append(session) }
        count += 1
        return count - 1
    }

    /// The finished array (`]` appended); valid until `reset`.
    func finish() -> UnsafeRawBufferPointer {
        text.append(UInt8(ascii: "]"))
        return text.bytes
    }

    /// Inserts the block (and a `block_sessions` row per session) if it
    /// holds any record, then empties the builder for the next ID.
    func write(_ insert: BlockInsert) throws(SQLiteError) {
        guard !isEmpty else { return }
        let st = insert.block
        defer { st.reset() }
        try st.bind(1, id)
        try st.bind(2, firstAt)
        try st.bind(3, lastAt)
        try st.bind(4, count)
        var column: Int32 = 5
        if insert.hasSessionsColumn {
            sessionsText.removeAll()
            sessionsText.append(UInt8(ascii: "["))
            for (i, session) in sessions.enumerated() {
                if i > 0 { sessionsText.append(UInt8(ascii: ",")) }
                ObjectWriter.appendInt(session, to: sessionsText)
            }
            sessionsText.append(UInt8(ascii: "]"))
            try st.bindStatic(column, text: sessionsText.bytes)
            column += 1
        }
        try st.bindStatic(column, text: finish())
        try st.bindStatic(column + 1, blob: bodies.bytes)
        try st.step()
        st.reset()
        let bs = insert.blockSession
        for session in sessions {
            defer { bs.reset() }
            try bs.bind(1, session)
            try bs.bind(2, id)
            try bs.step()
        }
        reset(nextID: id + 1)
    }

    /// Empties the builder for the block with `nextID`.
    func reset(nextID: Int64) {
        id = nextID
        count = 0
        firstAt = .max
        lastAt = .min
        sessions.removeAll(keepingCapacity: true)
        sessionSet.removeAll(keepingCapacity: true)
        text.removeAll()
        bodies.removeAll()
    }
}

/// The statements that insert a block and its `block_sessions` rows.
/// The writer's (schema v5) fill the block's `sessions` column; the v4
/// migration's conversion writes into the v4 table, which has none.
struct BlockInsert {
    let block: Statement
    let blockSession: Statement
    let hasSessionsColumn: Bool

    /// For the current schema.
    static func current(_ db: Database) throws(SQLiteError) -> BlockInsert {
        BlockInsert(block: try db.prepare("""
                        INSERT INTO exchange_blocks (id, first_at, last_at, record_count, sessions, records, bodies)
                        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                        """, persistent: true),
                    blockSession: try blockSessionStatement(db), hasSessionsColumn: true)
    }

    /// For schema v4 (the migration that creates blocks from rows).
    static func version4(_ db: Database) throws(SQLiteError) -> BlockInsert {
        BlockInsert(block: try db.prepare("""
                        INSERT INTO exchange_blocks (id, first_at, last_at, record_count, records, bodies)
                        VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                        """),
                    blockSession: try blockSessionStatement(db), hasSessionsColumn: false)
    }

    private static func blockSessionStatement(_ db: Database) throws(SQLiteError) -> Statement {
        try db.prepare("INSERT OR IGNORE INTO block_sessions (session_id, block_id) VALUES (?1, ?2)", persistent: true)
    }
}

/// Exchange IDs of schema v4: the start record's block and position.
public enum ExchangeID {
    public static func make(block: Int64, position: Int) -> Int64 { block << 16 | Int64(position) }
    public static func block(of id: Int64) -> Int64 { id >> 16 }
    public static func position(of id: Int64) -> Int { Int(id & 0xFFFF) }
}
