/// How long each phase of an exchange took, in nanoseconds on the monotonic
/// clock. A phase that did not happen is nil. Stored as microseconds.
public struct PhaseTimings: Sendable, Equatable {
    /// Receiving the request head and (buffered) body.
    public var request: UInt64?
    /// Running the policy stages, holds excluded.
    public var policy: UInt64?
    /// Held waiting for an approval or a key fetch.
    public var hold: UInt64?
    /// Obtaining an upstream connection.
    public var connect: UInt64?
    /// From forwarding to the upstream's first response byte.
    public var firstByte: UInt64?
    /// From the first request byte to the last response byte (or failure).
    public var total: UInt64?

    public init(request: UInt64? = nil, policy: UInt64? = nil, hold: UInt64? = nil,
                connect: UInt64? = nil, firstByte: UInt64? = nil, total: UInt64? = nil) {
        self.request = request
        self.policy = policy
        self.hold = hold
        self.connect = connect
        self.firstByte = firstByte
        self.total = total
    }
}
