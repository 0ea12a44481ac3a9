import GatehouseCore

/// Ordered list of header fields backed by one contiguous byte buffer.
///
/// Preserves the original name case, order and duplicates exactly as received, so a
/// proxy can forward fields without re-casing them. Lookups compare names
/// case-insensitively on bytes and never allocate unless a `String` result is asked for.
///
/// Removing fields only drops their index entries; bytes are reclaimed when the
/// value is discarded (heads are short-lived), so mutation stays cheap.
public struct HTTPHeaders: Sendable, Equatable {
    @usableFromInline
    struct Field: Sendable {
        @usableFromInline var nameStart: Int
        @usableFromInline var nameEnd: Int
        @usableFromInline var valueStart: Int
        @usableFromInline var valueEnd: Int
    }

    @usableFromInline var storage: [UInt8]
    @usableFromInline var fields: [Field]

    /// Creates an empty header list.
    public init() {
        storage = []
        fields = []
    }

    /// Used by the parsers: `storage` already holds the bytes the ranges point into.
    init(storage: [UInt8], fields: [Field]) {
        self.storage = storage
        self.fields = fields
    }

    /// Number of fields, duplicates included.
    public var count: Int { fields.count }

    /// True when there are no fields.
    public var isEmpty: Bool { fields.isEmpty }

    /// Bytes of the listed fields' names and values (to size a copy).
    public var fieldBytes: Int {
        var n = 0
        for f in fields { n &+= (f.nameEnd - f.nameStart) &+ (f.valueEnd - f.valueStart) }
        return n
    }

    /// The field name at `i` exactly as received (original case).
    public func name(at i: Int) -> [UInt8] {
        let f = fields[i]
        return Array(storage[f.nameStart..<f.nameEnd])
    }

    /// The field value at `i` (leading/trailing whitespace already stripped by the parser).
    public func value(at i: Int) -> [UInt8] {
        let f = fields[i]
        return Array(storage[f.valueStart..<f.valueEnd])
    }

    /// The field name at `i` as a `String` (original case).
    public func nameString(at i: Int) -> String {
        let f = fields[i]
        return String(decoding: storage[f.nameStart..<f.nameEnd], as: UTF8.self)
    }

    /// The field value at `i` as a `String`. obs-text bytes that are not valid UTF-8
    /// are replaced by U+FFFD; use ``value(at:)`` to forward the exact bytes.
    public func valueString(at i: Int) -> String {
        let f = fields[i]
        return String(decoding: storage[f.valueStart..<f.valueEnd], as: UTF8.self)
    }

    /// Runs `body` with the name and value bytes of field `i`, without copying.
    public func withField<R>(at i: Int,
                             _ body: (_ name: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let f = fields[i]
        return try storage.withUnsafeBytes { p in
            try body(UnsafeRawBufferPointer(rebasing: p[f.nameStart..<f.nameEnd]),
                     UnsafeRawBufferPointer(rebasing: p[f.valueStart..<f.valueEnd]))
        }
    }

    /// Calls `body` with every field's name and value, in order, without a
    /// copy: one pass for code that takes all of them (the recorder, a
    /// masked response's content headers). Inlinable: specialized in the
    /// caller, the closure is not called through a context per field.
    @inlinable
    public func forEachField(_ body: (_ name: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Void) rethrows {
        try storage.withUnsafeBytes { p in
            for f in fields {
                try body(UnsafeRawBufferPointer(rebasing: p[f.nameStart..<f.nameEnd]),
                         UnsafeRawBufferPointer(rebasing: p[f.valueStart..<f.valueEnd]))
            }
        }
    }

    /// Index of the first field named `lowercaseName` (ASCII case-insensitive), if any.
    public func firstIndex(_ lowercaseName: String) -> Int? {
        withLowercaseName(lowercaseName) { lname in
            storage.withUnsafeBytes { p in
                for i in fields.indices where bytesEqualLowercase(p, fields[i].nameStart, fields[i].nameEnd, lname) {
                    return i
                }
                return nil
            }
        }
    }

    /// First value of the field named `lowercaseName` (e.g. `"x-request-id"`), compared
    /// case-insensitively on bytes.
    public func firstValue(_ lowercaseName: String) -> String? {
        guard let i = firstIndex(lowercaseName) else { return nil }
        return valueString(at: i)
    }

    /// Whether at least one field named `lowercaseName` is present.
    public func contains(_ lowercaseName: String) -> Bool {
        firstIndex(lowercaseName) != nil
    }

    /// All values of fields named `lowercaseName`, in order (list values are not split).
    public func values(_ lowercaseName: String) -> [String] {
        var out: [String] = []
        withLowercaseName(lowercaseName) { lname in
            storage.withUnsafeBytes { p in
                for f in fields where bytesEqualLowercase(p, f.nameStart, f.nameEnd, lname) {
                    out.append(String(decoding: UnsafeRawBufferPointer(rebasing: p[f.valueStart..<f.valueEnd]),
                                      as: UTF8.self))
                }
            }
        }
        return out
    }

    /// Appends a field. Intended for values produced by the proxy itself
    /// (e.g. `X-Forwarded-For`). To make header injection impossible, bytes that are
    /// not legal are replaced: a non-`tchar` name byte becomes `_`, a CTL in the value
    /// (CR, LF, NUL, ...) becomes a space. Use ``isValidFieldName(_:)`` /
    /// ``isValidFieldValue(_:)`` to check beforehand if replacement is not acceptable.
    public mutating func append(name: String, value: String) {
        var name = name
        var value = value
        name.withUTF8 { n in
            value.withUTF8 { v in
                append(nameBytes: UnsafeRawBufferPointer(n), valueBytes: UnsafeRawBufferPointer(v))
            }
        }
    }

    /// Appends a field whose name and value are literals known to need no
    /// sanitising (a token, and visible ASCII or spaces): the same stored
    /// line as ``append(name:value:)``, without its pass over the bytes.
    public mutating func append(literalName name: StaticString, value: StaticString) {
        let n = name.utf8CodeUnitCount, v = value.utf8CodeUnitCount
        storage.reserveCapacity(storage.count + n + v + 4)
        let nameStart = storage.count
        storage.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: n))
        let nameEnd = storage.count
        storage.append(asciiColon)
        storage.append(asciiSP)
        let valueStart = storage.count
        storage.append(contentsOf: UnsafeBufferPointer(start: value.utf8Start, count: v))
        let valueEnd = storage.count
        storage.append(asciiCR)
        storage.append(asciiLF)
        assert(n > 0 && storage[nameStart..<nameEnd].allSatisfy { ByteClass.shared[$0] & ByteClass.tchar != 0 }
               && storage[valueStart..<valueEnd].allSatisfy { ByteClass.shared[$0] & ByteClass.fieldValue != 0 },
               "append(literalName:value:) with bytes that need sanitising")
        fields.append(Field(nameStart: nameStart, nameEnd: nameEnd, valueStart: valueStart, valueEnd: valueEnd))
    }

    /// Appends a field from raw bytes, with the same sanitising rules as ``append(name:value:)``.
    /// The field is stored as a complete `Name: value\r\n` line, so ``write(into:)``
    /// can copy it, and its neighbours, in one run.
    public mutating func append(nameBytes: UnsafeRawBufferPointer, valueBytes: UnsafeRawBufferPointer) {
        let nameStart = storage.count
        storage.appendBytes(nameBytes)
        if nameBytes.isEmpty { storage.append(UInt8(ascii: "_")) }
        let nameEnd = storage.count
        storage.append(asciiColon)
        storage.append(asciiSP)
        let valueStart = storage.count
        storage.appendBytes(valueBytes)
        let valueEnd = storage.count
        storage.append(asciiCR)
        storage.append(asciiLF)
        let t = ByteClass.shared
        storage.withUnsafeMutableBufferPointer { s in
            for i in nameStart..<nameEnd where t[s[i]] & ByteClass.tchar == 0 {
                s[i] = UInt8(ascii: "_")
            }
            for i in valueStart..<valueEnd where t[s[i]] & ByteClass.fieldValue == 0 {
                s[i] = asciiSP
            }
        }
        fields.append(Field(nameStart: nameStart, nameEnd: nameEnd, valueStart: valueStart, valueEnd: valueEnd))
    }

    /// Removes every field named `lowercaseName` (ASCII case-insensitive).
    public mutating func removeAll(_ lowercaseName: String) {
        let storage = self.storage
        withLowercaseName(lowercaseName) { lname in
            storage.withUnsafeBytes { p in
                fields.removeAll { bytesEqualLowercase(p, $0.nameStart, $0.nameEnd, lname) }
            }
        }
    }

    /// Removes every field for which `shouldRemove` returns true. The predicate receives
    /// the lower-cased field name (allocates one `String` per field; meant for once-per-message
    /// work such as hop-by-hop stripping).
    public mutating func removeAll(where shouldRemove: (_ lowercaseName: String) -> Bool) {
        let storage = self.storage
        storage.withUnsafeBytes { p in
            fields.removeAll { f in
                let len = f.nameEnd - f.nameStart
                let lowered = String(unsafeUninitializedCapacity: len) { buf in
                    for i in 0..<len { buf[i] = p[f.nameStart + i].asciiLowercased }
                    return len
                }
                return shouldRemove(lowered)
            }
        }
    }

    /// Removes every field for which `shouldRemove` returns true, given the field
    /// name's bytes exactly as received (original case). Allocation-free: the
    /// per-request hop-by-hop stripping uses this.
    public mutating func removeAll(whereNameBytes shouldRemove: (UnsafeRawBufferPointer) -> Bool) {
        let storage = self.storage
        storage.withUnsafeBytes { p in
            fields.removeAll { f in shouldRemove(UnsafeRawBufferPointer(rebasing: p[f.nameStart..<f.nameEnd])) }
        }
    }

    /// Replaces all fields named like `name` (case-insensitive) by one field `name: value`
    /// appended at the end.
    public mutating func set(name: String, value: String) {
        removeAll(name)
        append(name: name, value: value)
    }

    /// Writes `Name: value\r\n` for every field, in order, into `out`.
    public func write(into out: inout [UInt8]) {
        write(into: &out, skippingNames: { _ in false })
    }

    /// Writes every field whose name `skip` rejects, in order. Fields whose
    /// stored bytes already form a canonical `Name: value\r\n` line (the usual
    /// case, both for parsed and appended fields) are copied as lines, and runs
    /// of adjacent lines as one copy, so forwarding a head costs a few memcpys.
    public func write(into out: inout [UInt8], skippingNames skip: (UnsafeRawBufferPointer) -> Bool) {
        out.reserveCapacity(out.count + storage.count + fields.count * 4)
        storage.withUnsafeBytes { p in
            var runStart = -1
            var runEnd = -1
            for f in fields {
                let name = UnsafeRawBufferPointer(rebasing: p[f.nameStart..<f.nameEnd])
                if skip(name) { continue }
                let lineEnd = f.valueEnd + 2
                let canonical = f.valueStart == f.nameEnd + 2 && lineEnd <= p.count
                    && p[f.nameEnd] == asciiColon && p[f.nameEnd + 1] == asciiSP
                    && p[f.valueEnd] == asciiCR && p[f.valueEnd + 1] == asciiLF
                if canonical {
                    if f.nameStart == runEnd {
                        runEnd = lineEnd
                    } else {
                        if runStart >= 0 { out.appendBytes(UnsafeRawBufferPointer(rebasing: p[runStart..<runEnd])) }
                        runStart = f.nameStart
                        runEnd = lineEnd
                    }
                    continue
                }
                if runStart >= 0 {
                    out.appendBytes(UnsafeRawBufferPointer(rebasing: p[runStart..<runEnd]))
                    runStart = -1
                    runEnd = -1
                }
                out.appendBytes(name)
                out.append(asciiColon)
                out.append(asciiSP)
                out.appendBytes(UnsafeRawBufferPointer(rebasing: p[f.valueStart..<f.valueEnd]))
                out.append(asciiCR)
                out.append(asciiLF)
            }
            if runStart >= 0 { out.appendBytes(UnsafeRawBufferPointer(rebasing: p[runStart..<runEnd])) }
        }
    }

    /// Whether `name` is a non-empty RFC 9110 token (legal field name).
    public static func isValidFieldName(_ name: String) -> Bool {
        if name.utf8.isEmpty { return false }
        let t = ByteClass.shared
        return name.utf8.allSatisfy { t[$0] & ByteClass.tchar != 0 }
    }

    /// Whether `value` contains only legal field-value bytes (no CR, LF, NUL or other CTL).
    public static func isValidFieldValue(_ value: String) -> Bool {
        let t = ByteClass.shared
        return value.utf8.allSatisfy { t[$0] & ByteClass.fieldValue != 0 }
    }

    /// Two header lists are equal when they hold the same names (byte-exact, so case
    /// matters) and values in the same order.
    public static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
        guard lhs.fields.count == rhs.fields.count else { return false }
        return lhs.storage.withUnsafeBytes { a in
            rhs.storage.withUnsafeBytes { b in
                for (x, y) in zip(lhs.fields, rhs.fields) {
                    if !a[x.nameStart..<x.nameEnd].elementsEqual(b[y.nameStart..<y.nameEnd]) { return false }
                    if !a[x.valueStart..<x.valueEnd].elementsEqual(b[y.valueStart..<y.valueEnd]) { return false }
                }
                return true
            }
        }
    }
}

extension HTTPHeaders: CustomStringConvertible {
    public var description: String {
        (0..<count).map { "\(nameString(at: $0)): \(valueString(at: $0))" }.joined(separator: "\n")
    }
}
