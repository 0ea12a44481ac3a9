/// A JSON syntax error. Parsing stops at the first one.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Where the problem was detected.
    public var location: SourceLocation
    /// A human-readable explanation, without location.
    public var message: String

    /// Creates an error.
    public init(location: SourceLocation, message: String) {
        self.location = location
        self.message = message
    }

    /// `line:column: message`.
    public var description: String { "\(location): \(message)" }
}
