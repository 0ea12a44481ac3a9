/// One header line as seen on the wire, in order, duplicates kept. The
/// recorder redacts credential headers before anything reaches SQLite.
public struct HeaderField: Sendable, Equatable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}
