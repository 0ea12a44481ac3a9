/// A response the gateway produces itself instead of forwarding: a denial,
/// a 401, a 429, a timeout. Its body is the JSON error envelope
/// `{"error":{"code":…,"message":…,"request_id":…}}`; `code` is one of the
/// stable codes listed in Docs/ERRORS.md. The one exception is a document
/// the gateway serves itself (RFC 9728 metadata): `document` is then the
/// JSON body, and `code` only names it in logs and recordings.
public struct LocalResponse: Sendable, Equatable {
    public var status: Int
    public var code: String
    public var message: String
    /// Extra response headers, e.g. `WWW-Authenticate` or `Retry-After`.
    public var headers: [HeaderPair]
    /// A JSON document sent instead of the error envelope.
    public var document: [UInt8]?

    public struct HeaderPair: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) { self.name = name; self.value = value }
    }

    public init(status: Int, code: String, message: String, headers: [HeaderPair] = [], document: [UInt8]? = nil) {
        self.document = document
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }
}
