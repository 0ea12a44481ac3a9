/// Header fields of a record as received, in order, duplicates kept: every
/// name and value back to back in one byte buffer, with their bounds.
///
/// Why not `[HeaderField]`: a record is built on an event loop for every
/// exchange and freed on the writer thread; two `String`s per header meant
/// two allocations (and frees) per header, on the two busiest threads. Here
/// a record's headers are two arrays, filled with a copy of the bytes, and
/// the writer encodes them straight from the bytes. The recorder redacts
/// credential values as it writes them (`HeaderRedactor`); the values here
/// are as received.
public struct HeaderList: Sendable, Equatable, ExpressibleByArrayLiteral {
    /// Names and values back to back.
    private var bytes: [UInt8] = []
    /// Per field: where its name ends and where its value ends in `bytes`
    /// (each starts where the one before ends).
    private var ends: [Int32] = []

    public init() {}

    public init(_ fields: [HeaderField]) {
        reserve(fields: fields.count, bytes: fields.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count })
        for f in fields { append(name: f.name, value: f.value) }
    }

    public init(arrayLiteral fields: HeaderField...) { self.init(fields) }

    /// Room for `fields` fields of `bytes` bytes in all, allocated once.
    public mutating func reserve(fields: Int, bytes count: Int) {
        bytes.reserveCapacity(count)
        ends.reserveCapacity(fields * 2)
    }

    public mutating func append(name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: name)
        ends.append(Int32(truncatingIfNeeded: bytes.count))
        bytes.append(contentsOf: value)
        ends.append(Int32(truncatingIfNeeded: bytes.count))
    }

    public mutating func append(name: String, value: String) {
        var name = name
        var value = value
        name.withUTF8 { n in
            value.withUTF8 { v in append(name: UnsafeRawBufferPointer(n), value: UnsafeRawBufferPointer(v)) }
        }
    }

    public var count: Int { ends.count / 2 }
    public var isEmpty: Bool { ends.isEmpty }
    /// Bytes of all names and values.
    public var byteCount: Int { bytes.count }

    /// Runs `body` for each field with its name and value bytes, in order.
    public func forEach(_ body: (_ name: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Void) rethrows {
        try bytes.withUnsafeBytes { p in
            var start = 0
            var i = 0
            while i < ends.count {
                let nameEnd = Int(ends[i]), valueEnd = Int(ends[i + 1])
                try body(UnsafeRawBufferPointer(rebasing: p[start..<nameEnd]),
                         UnsafeRawBufferPointer(rebasing: p[nameEnd..<valueEnd]))
                start = valueEnd
                i += 2
            }
        }
    }

    /// The fields as strings (invalid UTF-8 replaced by U+FFFD).
    public var fields: [HeaderField] {
        var out: [HeaderField] = []
        out.reserveCapacity(count)
        forEach { n, v in out.append(HeaderField(String(decoding: n, as: UTF8.self), String(decoding: v, as: UTF8.self))) }
        return out
    }
}
