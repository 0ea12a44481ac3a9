/// Type-checked conversions that record an error in a sink (at the value's
/// location) instead of throwing. `what` names the value in messages, e.g.
/// `"port" in listener` gives `"port" in listener must be an integer, got string`.
extension JSONNode {
    /// The string value, or `nil` after recording a type error.
    public func expectString(_ what: @autoclosure () -> String, sink: JSONDiagnosticSink) -> String? {
        if case .string(let s) = value { return s }
        sink.error("\(what()) must be a string, got \(value.typeName)", at: location)
        return nil
    }

    /// The boolean value, or `nil` after recording a type error.
    public func expectBool(_ what: @autoclosure () -> String, sink: JSONDiagnosticSink) -> Bool? {
        if case .bool(let b) = value { return b }
        sink.error("\(what()) must be a boolean (true or false), got \(value.typeName)", at: location)
        return nil
    }

    /// The integer value if it lies in `range`, or `nil` after recording an
    /// error. Literals with a fraction or exponent (`1.0`, `1e3`) are not integers.
    public func expectInt(_ what: @autoclosure () -> String, in range: ClosedRange<Int>,
                          sink: JSONDiagnosticSink) -> Int? {
        guard case .number(let number) = value else {
            sink.error("\(what()) must be an integer, got \(value.typeName)", at: location)
            return nil
        }
        guard number.isInteger else {
            sink.error("\(what()) must be an integer, got \(number.literal)", at: location)
            return nil
        }
        guard let int = number.asInt, range.contains(int) else {
            sink.error("\(what()) must be \(Self.describe(range)), got \(number.literal)", at: location)
            return nil
        }
        return int
    }

    /// The elements, or `nil` after recording a type error.
    public func expectArray(_ what: @autoclosure () -> String, sink: JSONDiagnosticSink) -> [JSONNode]? {
        if case .array(let a) = value { return a }
        sink.error("\(what()) must be an array, got \(value.typeName)", at: location)
        return nil
    }

    static func describe(_ range: ClosedRange<Int>) -> String {
        if range.upperBound == Int.max { return "at least \(range.lowerBound)" }
        if range.lowerBound == Int.min { return "at most \(range.upperBound)" }
        return "between \(range.lowerBound) and \(range.upperBound)"
    }
}
