/// Strict parsing of IP address literals (no zone IDs, no shorthand IPv4
/// forms, no leading zeros in IPv4 octets).
enum IPAddressLiteral: Hashable {
    case v4([UInt8])
    case v6([UInt8])

    /// Parses an IPv4 dotted quad or an unbracketed IPv6 literal.
    static func parse(_ text: some StringProtocol) -> IPAddressLiteral? {
        let bytes = Array(text.utf8)
        if let v4 = parseIPv4(bytes[...]) { return .v4(v4) }
        if let v6 = parseIPv6(bytes[...]) { return .v6(v6) }
        return nil
    }

    /// The literal in a form suitable for `address:port` messages.
    static func display(_ address: String) -> String {
        address.utf8.contains(UInt8(ascii: ":")) ? "[\(address)]" : address
    }

    /// `a.b.c.d`, each 0...255 in decimal without leading zeros.
    static func parseIPv4(_ bytes: ArraySlice<UInt8>) -> [UInt8]? {
        let parts = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var result: [UInt8] = []
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy(isDigit) else { return nil }
            if part.count > 1 && part.first == UInt8(ascii: "0") { return nil }
            let value = part.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
            guard value <= 255 else { return nil }
            result.append(UInt8(value))
        }
        return result
    }

    /// RFC 4291 text form: eight groups of 1–4 hex digits, at most one `::`,
    /// optionally ending in an embedded IPv4 address.
    static func parseIPv6(_ bytes: ArraySlice<UInt8>) -> [UInt8]? {
        guard bytes.count >= 2 else { return nil }
        let colon = UInt8(ascii: ":")
        var doubleColon: Int?
        var i = bytes.startIndex
        while i < bytes.endIndex - 1 {
            if bytes[i] == colon && bytes[i + 1] == colon {
                if doubleColon != nil { return nil }
                doubleColon = i
                i += 2
            } else {
                i += 1
            }
        }
        let head: ArraySlice<UInt8>
        let tail: ArraySlice<UInt8>
        if let dc = doubleColon {
            head = bytes[bytes.startIndex..<dc]
            tail = bytes[(dc + 2)...]
        } else {
            head = bytes
            tail = []
        }
        guard let headGroups = groups(head, allowIPv4: doubleColon == nil),
              let tailGroups = groups(tail, allowIPv4: true) else { return nil }
        let explicit = headGroups.count + tailGroups.count
        if doubleColon == nil {
            guard explicit == 8 else { return nil }
        } else {
            guard explicit <= 7 else { return nil }
        }
        let all = headGroups + Array(repeating: 0, count: 8 - explicit) + tailGroups
        return all.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }

    /// Splits `a:b:c` into 16-bit groups; the last part may be IPv4.
    private static func groups(_ bytes: ArraySlice<UInt8>, allowIPv4: Bool) -> [UInt16]? {
        if bytes.isEmpty { return [] }
        let parts = bytes.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
        var result: [UInt16] = []
        for (n, part) in parts.enumerated() {
            if n == parts.count - 1, allowIPv4, part.contains(UInt8(ascii: ".")) {
                guard let v4 = parseIPv4(part) else { return nil }
                result.append(UInt16(v4[0]) << 8 | UInt16(v4[1]))
                result.append(UInt16(v4[2]) << 8 | UInt16(v4[3]))
                continue
            }
            guard (1...4).contains(part.count) else { return nil }
            var value: UInt16 = 0
            for byte in part {
                guard let digit = hexValue(byte) else { return nil }
                value = value << 4 | UInt16(digit)
            }
            result.append(value)
        }
        return result
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
