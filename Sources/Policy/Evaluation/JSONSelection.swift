import GatehouseCore

/// Selects the values a `FieldPath` names in a parsed JSON body.
enum JSONSelection {
    /// Every node `path` selects under `root`, in document order.
    static func select(_ path: FieldPath, in root: JSONNode) -> [JSONNode] {
        var current = [root]
        for segment in path.segments {
            var next: [JSONNode] = []
            for node in current {
                switch (segment, node.value) {
                case (.wildcard, .object(let members)): next.append(contentsOf: members.map(\.node))
                case (.wildcard, .array(let elements)): next.append(contentsOf: elements)
                case (.key(let k), .object(let members)):
                    if let m = members.first(where: { $0.key == k }) { next.append(m.node) }
                case (.key(let k), .array(let elements)):
                    if let i = arrayIndex(k), i < elements.count { next.append(elements[i]) }
                default: break
                }
            }
            if next.isEmpty { return [] }
            current = next
        }
        return current
    }

    /// `0`, `17`; not `01`, `-1` or `+1` (RFC 6901 array indices).
    static func arrayIndex(_ s: String) -> Int? {
        guard let first = s.utf8.first, first >= 0x30, first <= 0x39, s.utf8.count <= 18 else { return nil }
        if first == 0x30 && s.utf8.count > 1 { return nil }
        return Int(s)
    }

    /// Whether `node` equals `scalar` (numbers by value).
    static func equals(_ node: JSONNode, _ scalar: ScalarValue) -> Bool {
        switch (node.value, scalar) {
        case (.string(let a), .string(let b)): a == b
        case (.number(let a), .number(_, let b)): a.asDouble == b
        case (.bool(let a), .bool(let b)): a == b
        case (.null, .null): true
        default: false
        }
    }
}
