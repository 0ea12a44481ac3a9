/// Decodes one JSON object field by field and reports unknown keys.
///
/// Every accessor marks its key as *known*. Call ``finish()`` after reading
/// all fields: each member whose key was never asked for is reported as
/// `unknown key "foo" in listener; expected one of: address, name, port`
/// at the key's location. Type errors are reported at the value's location;
/// a missing required key at the object's location
/// (`missing required key "upstream" in route`).
///
/// ```swift
/// guard let reader = ObjectReader(node, context: "listener", sink: sink) else { return nil }
/// defer { reader.finish() }
/// let port = reader.int("port", in: 0...65535, required: true)
/// ```
public final class ObjectReader {
    /// The object being read.
    public let node: JSONNode
    /// Names the object in messages, e.g. `listener` or `route limits`.
    public let context: String
    /// The sink that receives all diagnostics.
    public let sink: JSONDiagnosticSink
    private let members: [JSONMember]
    private var known: Set<String> = []
    private var rejected: Set<String> = []
    private var finished = false

    /// Starts reading `node`. If it is not an object, records
    /// `<description> must be an object, got <type>` and returns `nil`.
    /// - Parameters:
    ///   - context: names the object in later messages (`in <context>`).
    ///   - description: names the value in the type error; defaults to `context`.
    public init?(_ node: JSONNode, context: String, description: String? = nil, sink: JSONDiagnosticSink) {
        guard case .object(let members) = node.value else {
            sink.error("\(description ?? context) must be an object, got \(node.value.typeName)", at: node.location)
            return nil
        }
        self.node = node
        self.context = context
        self.sink = sink
        self.members = members
    }

    /// Location of the object's `{`.
    public var location: SourceLocation { node.location }

    /// The member for `key`, marking the key as known. Records a
    /// missing-key error if `required` and absent.
    public func member(_ key: String, required: Bool = false) -> JSONMember? {
        known.insert(key)
        if let member = members.first(where: { $0.key == key }) { return member }
        if required { sink.error("missing required key \"\(key)\" in \(context)", at: location) }
        return nil
    }

    /// Whether the object has `key` (does not mark it known).
    public func contains(_ key: String) -> Bool { members.contains { $0.key == key } }

    /// `"key" in context`, the subject of value error messages.
    public func describe(_ key: String) -> String { "\"\(key)\" in \(context)" }

    /// A string field.
    public func string(_ key: String, required: Bool = false) -> Located<String>? {
        guard let node = member(key, required: required)?.node,
              let value = node.expectString(describe(key), sink: sink) else { return nil }
        return Located(value, at: node.location)
    }

    /// An integer field that must lie in `range`.
    public func int(_ key: String, in range: ClosedRange<Int>, required: Bool = false) -> Located<Int>? {
        guard let node = member(key, required: required)?.node,
              let value = node.expectInt(describe(key), in: range, sink: sink) else { return nil }
        return Located(value, at: node.location)
    }

    /// A boolean field.
    public func bool(_ key: String, required: Bool = false) -> Located<Bool>? {
        guard let node = member(key, required: required)?.node,
              let value = node.expectBool(describe(key), sink: sink) else { return nil }
        return Located(value, at: node.location)
    }

    /// An array field. With `nonEmpty`, an empty array is an error
    /// (`"routes" in configuration must not be empty`) and yields `nil`.
    public func array(_ key: String, required: Bool = false, nonEmpty: Bool = false) -> Located<[JSONNode]>? {
        guard let node = member(key, required: required)?.node,
              let value = node.expectArray(describe(key), sink: sink) else { return nil }
        if nonEmpty && value.isEmpty {
            sink.error("\(describe(key)) must not be empty", at: node.location)
            return nil
        }
        return Located(value, at: node.location)
    }

    /// A nested object field, read with its own reader whose messages say
    /// `in <context>`. The caller must call ``finish()`` on it.
    public func object(_ key: String, context: String, required: Bool = false) -> ObjectReader? {
        guard let node = member(key, required: required)?.node else { return nil }
        return ObjectReader(node, context: context, description: describe(key), sink: sink)
    }

    /// Declares `key` as not allowed here, with a specific explanation
    /// (e.g. a global-only setting inside a route). If present, records
    /// `message` at the key's location; it is then not reported as unknown.
    public func reject(_ key: String, message: @autoclosure () -> String) {
        rejected.insert(key)
        if let member = members.first(where: { $0.key == key }) {
            sink.error(message(), at: member.keyLocation)
        }
    }

    /// The keys asked for so far, sorted.
    public var knownKeys: [String] { known.sorted() }

    /// Reports every member whose key was never asked for, in document order.
    /// Calling it again does nothing.
    public func finish() {
        guard !finished else { return }
        finished = true
        let expected = knownKeys
        for member in members where !known.contains(member.key) && !rejected.contains(member.key) {
            let hint = expected.isEmpty ? "no keys are allowed here" : "expected one of: \(expected.joined(separator: ", "))"
            sink.error("unknown key \"\(member.key)\" in \(context); \(hint)", at: member.keyLocation)
        }
    }
}
