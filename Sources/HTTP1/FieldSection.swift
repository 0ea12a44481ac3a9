import GatehouseCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Count and first position of one field name the parsers must interpret.
struct KnownField: Sendable {
    var count = 0
    var first = -1

    @inline(__always) mutating func note(_ index: Int) {
        if count == 0 { first = index }
        count += 1
    }
}

/// The field section of a complete head: validated field offsets plus the positions of
/// the few fields that decide framing and routing. Offsets are relative to `base`, the
/// first byte of the field section in the parsed buffer, so they are directly valid in
/// the `HTTPHeaders` storage copied from there.
struct FieldSection: Sendable {
    var base: Int
    var fields: [HTTPHeaders.Field]
    var host = KnownField()
    var contentLength = KnownField()
    var transferEncoding = KnownField()
    var connection = KnownField()
    var expect = KnownField()

    /// Parses every field line of `head` in one pass. Shared by request and response parsing.
    init(_ p: UnsafeRawBufferPointer, _ head: HeadScanner.Head, role: MessageRole) throws(HTTPParseError) {
        base = head.fieldsStart
        fields = []
        // Requests: room for two fields that stages add (see `makeHeaders`).
        fields.reserveCapacity(head.fieldLineCount + (role == .request ? 2 : 0))
        let end = head.fieldsEnd
        guard let raw = p.baseAddress else { return }
        var lineStart = base
        while lineStart < end {
            // The scanner guaranteed every line in the head ends with CRLF.
            let hit = memchr(raw + lineStart, Int32(asciiLF), end - lineStart)!
            let lineEnd = raw.distance(to: UnsafeRawPointer(hit)) - 1
            let f = try HeadScanner.parseFieldLine(p, lineStart, lineEnd, role: role)
            noteKnown(p, f, index: fields.count)
            fields.append(HTTPHeaders.Field(nameStart: f.nameStart - base, nameEnd: f.nameEnd - base,
                                            valueStart: f.valueStart - base, valueEnd: f.valueEnd - base))
            lineStart = lineEnd + 2
        }
    }

    /// Classifies the field by name length first, so most fields cost one switch.
    @inline(__always)
    private mutating func noteKnown(_ p: UnsafeRawBufferPointer, _ f: FieldLine, index: Int) {
        let s = f.nameStart, e = f.nameEnd
        switch e - s {
        case 4: if matches(p, s, e, "host") { host.note(index) }
        case 6: if matches(p, s, e, "expect") { expect.note(index) }
        case 10: if matches(p, s, e, "connection") { connection.note(index) }
        case 14: if matches(p, s, e, "content-length") { contentLength.note(index) }
        case 17: if matches(p, s, e, "transfer-encoding") { transferEncoding.note(index) }
        default: break
        }
    }

    @inline(__always)
    private func matches(_ p: UnsafeRawBufferPointer, _ s: Int, _ e: Int, _ name: StaticString) -> Bool {
        bytesEqualLowercase(p, s, e, UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
    }

    /// Absolute byte range in the parsed buffer of the value of field `i`.
    @inline(__always)
    func valueRange(_ i: Int) -> (start: Int, end: Int) {
        (fields[i].valueStart + base, fields[i].valueEnd + base)
    }

    /// Whether field `i` has the given lower-case name (used when walking repeated fields).
    @inline(__always)
    func nameIs(_ p: UnsafeRawBufferPointer, _ i: Int, _ name: StaticString) -> Bool {
        matches(p, fields[i].nameStart + base, fields[i].nameEnd + base, name)
    }

    /// Copies the field bytes once into an `HTTPHeaders` value, with room
    /// for `headroom` more bytes (fields appended later, without growing).
    func makeHeaders(_ p: UnsafeRawBufferPointer, end: Int, headroom: Int = 0) -> HTTPHeaders {
        // Through a typed buffer: Array(UnsafeRawBufferPointer) copies byte by byte.
        let bytes = UnsafeRawBufferPointer(rebasing: p[base..<end])
        var storage: [UInt8] = []
        if headroom > 0 { storage.reserveCapacity(bytes.count + headroom) }
        storage.appendBytes(bytes)
        return HTTPHeaders(storage: storage, fields: fields)
    }
}
