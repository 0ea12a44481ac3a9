import GatehouseCore

/// The small JSON documents stored in text columns: header lists as
/// `[["Name","value"],…]` (order and duplicates kept) and string arrays.
enum JSONFragments {
    static func headers(_ headers: [HeaderField]) -> String {
        var out: [UInt8] = [UInt8(ascii: "[")]
        for (i, h) in headers.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "["))
            JSONOutput.appendString(h.name, to: &out)
            out.append(UInt8(ascii: ","))
            JSONOutput.appendString(h.value, to: &out)
            out.append(UInt8(ascii: "]"))
        }
        out.append(UInt8(ascii: "]"))
        return String(decoding: out, as: UTF8.self)
    }

    static func strings(_ values: [String]) -> String {
        var out: [UInt8] = [UInt8(ascii: "[")]
        for (i, v) in values.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            JSONOutput.appendString(v, to: &out)
        }
        out.append(UInt8(ascii: "]"))
        return String(decoding: out, as: UTF8.self)
    }
}
