/// A parsed JSON value. Children carry their own source locations.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    /// Elements in document order.
    case array([JSONNode])
    /// Members in document order. Keys are unique (the parser rejects duplicates).
    case object([JSONMember])

    /// A short name of the value's type for messages: `null`, `boolean`,
    /// `number`, `string`, `array` or `object`.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

/// A JSON value together with the location of its first character.
public struct JSONNode: Sendable, Equatable {
    /// The value.
    public var value: JSONValue
    /// Where the value starts (the `{`, `[`, `"`, digit, `-` or literal).
    public var location: SourceLocation

    /// Creates a node.
    public init(value: JSONValue, location: SourceLocation) {
        self.value = value
        self.location = location
    }

    /// The member named `key` if this node is an object that has it.
    public subscript(key: String) -> JSONNode? {
        guard case .object(let members) = value else { return nil }
        return members.first(where: { $0.key == key })?.node
    }

    /// The string, if this node is a string.
    public var stringValue: String? {
        if case .string(let s) = value { return s }
        return nil
    }

    /// The elements, if this node is an array.
    public var arrayValue: [JSONNode]? {
        if case .array(let a) = value { return a }
        return nil
    }

    /// The members, if this node is an object.
    public var objectValue: [JSONMember]? {
        if case .object(let m) = value { return m }
        return nil
    }
}

/// One `"key": value` member of a JSON object.
public struct JSONMember: Sendable, Equatable {
    /// The decoded key.
    public var key: String
    /// Location of the key's opening quote.
    public var keyLocation: SourceLocation
    /// The member's value.
    public var node: JSONNode

    /// Creates a member.
    public init(key: String, keyLocation: SourceLocation, node: JSONNode) {
        self.key = key
        self.keyLocation = keyLocation
        self.node = node
    }
}
