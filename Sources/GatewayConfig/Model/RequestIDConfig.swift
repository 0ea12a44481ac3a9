/// Request ID header handling (`"request_id"`).
public struct RequestIDConfig: Sendable, Equatable {
    /// `"header"`: the header carrying the ID (an HTTP token; default `X-Request-Id`).
    public var header: String
    /// `"trust_incoming"`: keep a well-formed ID sent by the client instead
    /// of always generating a new one (default `false`).
    public var trustIncoming: Bool

    /// Creates request ID settings.
    public init(header: String = "X-Request-Id", trustIncoming: Bool = false) {
        self.header = header
        self.trustIncoming = trustIncoming
    }
}
