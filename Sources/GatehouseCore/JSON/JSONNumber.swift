/// A JSON number, kept as the exact literal text from the document so that no
/// precision is lost before the consumer decides how to interpret it.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The literal as written, e.g. `-12`, `0.5`, `1e3`.
    public let literal: String
    /// `true` when the literal has neither a fraction nor an exponent.
    public let isInteger: Bool

    /// Wraps a literal that the parser has already validated against the
    /// RFC 8259 number grammar.
    init(validatedLiteral literal: String, isInteger: Bool) {
        self.literal = literal
        self.isInteger = isInteger
    }

    /// Creates a number from an integer.
    public init(_ value: Int) {
        self.literal = String(value)
        self.isInteger = true
    }

    /// The value as an `Int`, or `nil` if the literal has a fraction or an
    /// exponent (`1.0` and `1e3` are not integers here) or does not fit.
    public var asInt: Int? { isInteger ? Int(literal) : nil }

    /// The value as a finite `Double`, or `nil` if it overflows to infinity.
    public var asDouble: Double? {
        guard let value = Double(literal), value.isFinite else { return nil }
        return value
    }

    /// The literal text.
    public var description: String { literal }
}
