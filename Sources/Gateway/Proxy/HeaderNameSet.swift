/// A small set of header names matched against raw name bytes,
/// ASCII-case-insensitively, without hashing or allocating: names are
/// bucketed by length and compared byte by byte. Used for hop-by-hop
/// stripping, which runs on every forwarded message in both directions.
struct HeaderNameSet {
    /// Lower-case names, indexed by length.
    private var byLength: [[[UInt8]]]

    init(_ names: [String]) {
        let longest = names.map(\.utf8.count).max() ?? 0
        byLength = Array(repeating: [], count: longest + 1)
        for n in names {
            let lower = Array(n.lowercased().utf8)
            byLength[lower.count].append(lower)
        }
    }

    @inline(__always)
    func contains(_ name: UnsafeRawBufferPointer) -> Bool {
        let n = name.count
        guard n < byLength.count else { return false }
        for candidate in byLength[n] where Self.equalsLowercase(name, candidate) { return true }
        return false
    }

    @inline(__always)
    static func equalsLowercase(_ name: UnsafeRawBufferPointer, _ lower: [UInt8]) -> Bool {
        if name.count != lower.count { return false }
        var i = 0
        while i < lower.count {
            var b = name[i]
            if b >= 0x41 && b <= 0x5A { b |= 0x20 }
            if b != lower[i] { return false }
            i += 1
        }
        return true
    }
}
