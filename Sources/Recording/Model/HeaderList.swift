/// Header fields of a record as received, in order, duplicates kept, in one
/// byte buffer: per field, the name's and the value's lengths (4 bytes
/// each, little-endian), then the name and the value.
///
/// Why not `[HeaderField]`: a record is built on an event loop for every
/// exchange and freed on the writer thread; two `String`s per header meant
/// two allocations (and frees) per header, on the two busiest threads. Here
/// a record's headers are one array, filled with a copy of the bytes, and
/// the writer encodes them straight from the bytes. The recorder redacts
/// credential values as it writes them (`HeaderRedactor`); the values here
/// are as received.
public struct HeaderList: Sendable, Equatable, ExpressibleByArrayLiteral {
    /// Per field: name length, value length (UInt32 LE), name, value.
    private var storage: [UInt8] = []
    public private(set) var count = 0
    /// Bytes of all names and values.
    public private(set) var byteCount = 0

    public init() {}

    public init(_ fields: [HeaderField]) {
        reserve(fields: fields.count, bytes: fields.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count })
        for f in fields { append(name: f.name, value: f.value) }
    }

    public init(arrayLiteral fields: HeaderField...) { self.init(fields) }

    /// A list filled in one allocation from `fields` fields of `bytes`
    /// bytes (names and values), which `visit` hands to its argument one
    /// field at a time; for copying a parsed header block (one copy per
    /// field, no growth checks). Fields beyond the promised sizes are
    /// dropped rather than overflow the buffer.
    public static func copying(fields: Int, bytes: Int,
                               _ visit: ((_ name: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) -> Void) -> Void) -> HeaderList {
        var list = HeaderList()
        let capacity = max(bytes, 0) + 8 * max(fields, 0)
        if capacity == 0 { return list }
        var count = 0, byteCount = 0
        list.storage = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, used in
            let base = UnsafeMutableRawPointer(buffer.baseAddress!)
            var at = 0
            visit { name, value in
                guard at + 8 + name.count + value.count <= capacity else { return }
                base.storeBytes(of: UInt32(truncatingIfNeeded: name.count).littleEndian, toByteOffset: at, as: UInt32.self)
                base.storeBytes(of: UInt32(truncatingIfNeeded: value.count).littleEndian, toByteOffset: at + 4, as: UInt32.self)
                if let p = name.baseAddress { (base + at + 8).copyMemory(from: p, byteCount: name.count) }
                if let p = value.baseAddress { (base + at + 8 + name.count).copyMemory(from: p, byteCount: value.count) }
                at += 8 + name.count + value.count
                count += 1
                byteCount += name.count + value.count
            }
            used = at
        }
        list.count = count
        list.byteCount = byteCount
        return list
    }

    /// Room for `fields` fields of `bytes` bytes in all, allocated once.
    public mutating func reserve(fields: Int, bytes count: Int) {
        storage.reserveCapacity(count + 8 * fields)
    }

    public mutating func append(name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
        var lengths = (UInt32(truncatingIfNeeded: name.count).littleEndian, UInt32(truncatingIfNeeded: value.count).littleEndian)
        withUnsafeBytes(of: &lengths) { storage.append(contentsOf: $0) }
        storage.append(contentsOf: name)
        storage.append(contentsOf: value)
        count += 1
        byteCount += name.count + value.count
    }

    public mutating func append(name: String, value: String) {
        var name = name
        var value = value
        name.withUTF8 { n in
            value.withUTF8 { v in append(name: UnsafeRawBufferPointer(n), value: UnsafeRawBufferPointer(v)) }
        }
    }

    public var isEmpty: Bool { count == 0 }

    /// Runs `body` for each field with its name and value bytes, in order.
    public func forEach(_ body: (_ name: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Void) rethrows {
        try storage.withUnsafeBytes { p in
            var at = 0
            while at + 8 <= p.count {
                let nameCount = Int(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: at, as: UInt32.self)))
                let valueCount = Int(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: at + 4, as: UInt32.self)))
                let nameStart = at + 8
                let valueStart = nameStart + nameCount
                at = valueStart + valueCount
                try body(UnsafeRawBufferPointer(rebasing: p[nameStart..<valueStart]),
                         UnsafeRawBufferPointer(rebasing: p[valueStart..<at]))
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
