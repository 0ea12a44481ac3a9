/// A value that must never be printed: its `description` and debug
/// description are fixed redaction markers. Wrap credentials in it as soon as
/// they are read so that string interpolation into a log cannot leak them.
public struct Secret<Value: Sendable>: Sendable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable {
    private let value: Value
    public init(_ value: Value) { self.value = value }
    /// The wrapped value. Call only where the secret is used, never to log.
    public func reveal() -> Value { value }
    public var description: String { "[REDACTED]" }
    public var debugDescription: String { "Secret([REDACTED])" }
    /// No children: the default mirror would hand the value to `dump()`,
    /// debuggers' summaries and any reflection-based printer.
    public var customMirror: Mirror { Mirror(self, children: [Mirror.Child](), displayStyle: .struct) }
}
