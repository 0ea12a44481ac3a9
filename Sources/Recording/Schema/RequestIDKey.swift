/// How a request ID was stored in `exchange_starts.request_id` (schema v3;
/// used only by that migration's data step, `RequestIDPacking`, since
/// version 4 stores records in blocks).
///
/// The gateway's own IDs are 128 random bits as 32 lower-case hex
/// characters; those are stored as their 16 bytes, a BLOB, which halves the
/// unique `request_id` index. Any other ID (client-supplied, upper-case hex,
/// another length) is stored as TEXT, unchanged. SQLite keeps the storage
/// class with the value and never compares a BLOB equal to a TEXT, so the
/// class is the type tag: the two forms cannot collide in the unique index,
/// and readers turn a BLOB back into its lower-case hex (the `exchanges`
/// view), which is exactly the text it came from.
enum RequestIDKey {
    /// The 16 bytes of `id` when it is exactly 32 lower-case hex digits;
    /// nil when it must be stored as text.
    static func packed(_ id: String) -> (UInt64, UInt64)? {
        var id = id
        return id.withUTF8 { p -> (UInt64, UInt64)? in
            guard p.count == 32 else { return nil }
            var hi: UInt64 = 0, lo: UInt64 = 0
            for i in 0..<32 {
                let c = p[i]
                let v: UInt8
                if c >= 0x30 && c <= 0x39 { v = c &- 0x30 } else if c >= 0x61 && c <= 0x66 { v = c &- 0x57 } else { return nil }
                if i < 16 { hi = hi << 4 | UInt64(v) } else { lo = lo << 4 | UInt64(v) }
            }
            return (hi, lo)
        }
    }

    /// Binds `id` at `index` in its stored form: 16 bytes (big-endian, so
    /// `hex()` gives back the digits in order), written into `scratch` and
    /// bound without a copy (the `ScratchBuffer` contract applies), or the
    /// text.
    static func bind(_ id: String, at index: Int32, to st: Statement, scratch: ScratchBuffer) throws(SQLiteError) {
        guard let (hi, lo) = packed(id) else {
            try st.bind(index, id)
            return
        }
        scratch.removeAll()
        withUnsafeBytes(of: (hi.bigEndian, lo.bigEndian)) { scratch.append($0) }
        try st.bindStatic(index, blob: scratch.bytes)
    }
}
