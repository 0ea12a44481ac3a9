/// A parsed and validated HTTP/1.x response head from an upstream.
public struct ResponseHead: Sendable, Equatable {
    public var version: HTTPVersion
    /// Status code, 100...599.
    public var status: Int
    /// Reason phrase as received (may be empty).
    public var reason: String
    /// Every received field in order, including framing and Connection fields.
    public var headers: HTTPHeaders
    /// `.none` for HEAD responses and 1xx/204/304; otherwise from Transfer-Encoding /
    /// Content-Length, or `.untilClose` when neither is present.
    public var framing: BodyFraming
    /// Whether the upstream connection may be reused; always false with `.untilClose`.
    public var keepAlive: Bool
    /// Lower-cased tokens listed in all Connection fields.
    public var connectionTokens: [String]

    public init(version: HTTPVersion = .http1_1, status: Int, reason: String = "",
                headers: HTTPHeaders = HTTPHeaders(), framing: BodyFraming = .none,
                keepAlive: Bool = true, connectionTokens: [String] = []) {
        self.version = version
        self.status = status
        self.reason = reason
        self.headers = headers
        self.framing = framing
        self.keepAlive = keepAlive
        self.connectionTokens = connectionTokens
    }

    /// 1xx interim response: another head follows on the same exchange (101 excepted).
    public var isInformational: Bool { status >= 100 && status < 200 }
}
