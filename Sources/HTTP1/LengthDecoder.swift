/// Tracks the remaining bytes of a `Content-Length` delimited body.
///
/// The driver calls ``take(available:)`` with the number of buffered bytes; the result
/// is how many of them belong to the body (the rest start the next message).
public struct LengthDecoder: Sendable, Equatable {
    /// Body bytes still expected.
    public var remaining: UInt64

    public init(length: UInt64) {
        remaining = length
    }

    /// Consumes up to `available` bytes of body and returns how many were consumed.
    public mutating func take(available: Int) -> Int {
        guard available > 0 else { return 0 }
        let n = UInt64(available) < remaining ? UInt64(available) : remaining
        remaining -= n
        return Int(n)
    }

    /// True once the whole body has been taken.
    public var finished: Bool { remaining == 0 }
}
