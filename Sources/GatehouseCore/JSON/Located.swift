/// A decoded value together with the location of the JSON value it came
/// from, so later semantic checks can point at it.
public struct Located<Value> {
    /// The decoded value.
    public var value: Value
    /// Location of the JSON value.
    public var location: SourceLocation

    /// Creates a located value.
    public init(_ value: Value, at location: SourceLocation) {
        self.value = value
        self.location = location
    }
}

extension Located: Sendable where Value: Sendable {}
extension Located: Equatable where Value: Equatable {}
