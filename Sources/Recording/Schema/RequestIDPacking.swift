/// Schema v3's data step: request IDs stored as 32 lower-case hex characters
/// by earlier versions become the 16-byte BLOBs that v3 writes
/// (`RequestIDKey`), so the unique index keeps refusing a repeated ID across
/// the upgrade. Other IDs stay text. Pages through the table by row ID.
enum RequestIDPacking {
    static let pageSize = 1000

    static func packExisting(_ db: Database) throws(SQLiteError) {
        let select = try db.prepare("""
            SELECT id, request_id FROM exchange_starts
            WHERE id > ?1 AND typeof(request_id) = 'text' AND length(request_id) = 32
            ORDER BY id LIMIT ?2
            """)
        let update = try db.prepare("UPDATE exchange_starts SET request_id = ?2 WHERE id = ?1")
        let scratch = ScratchBuffer(capacity: 16)
        var after: Int64 = 0
        while true {
            var page: [(Int64, String)] = []
            try select.bind(1, after)
            try select.bind(2, pageSize)
            while try select.step() { page.append((select.int64(0), select.text(1) ?? "")) }
            select.reset()
            for (id, requestID) in page where RequestIDKey.packed(requestID) != nil {
                defer { update.reset() }
                try update.bind(1, id)
                try RequestIDKey.bind(requestID, at: 2, to: update, scratch: scratch)
                try update.step()
            }
            guard page.count == pageSize, let last = page.last else { return }
            after = last.0
        }
    }
}
