import HTTP1

/// The request body as the evaluator sees it.
public enum RequestBody: Sendable, Equatable {
    /// The request has no body (no `Content-Length` and not chunked).
    case none
    /// The request has a body, but it was not buffered (rules that need it
    /// fail closed with `body_uninspectable`).
    case unavailable
    /// The whole body.
    case bytes([UInt8])
}

/// Everything the evaluator reads about a request. Built from an
/// `ExchangeContext` by `PolicyStage`, and from a sample request file by
/// `gatehouse explain` (later).
public struct PolicyRequest: Sendable {
    public var routeName: String
    public var method: String
    /// The origin-form target as received (`/path?query`).
    public var target: String
    public var headers: HTTPHeaders
    public var identity: RequestIdentity
    public var body: RequestBody

    public init(routeName: String, method: String, target: String, headers: HTTPHeaders = HTTPHeaders(),
                identity: RequestIdentity = RequestIdentity(), body: RequestBody = .none) {
        self.routeName = routeName
        self.method = method
        self.target = target
        self.headers = headers
        self.identity = identity
        self.body = body
    }

    /// From a pipeline context: the body is `.none` when the head frames
    /// none, the buffered body when present, else `.unavailable`.
    public init(context: ExchangeContext) {
        self.init(reading: context)
    }

    /// As `init(context:)`, reading the fields of the caller's context in
    /// place (a stage's `inout` context passed by value was copied whole).
    init(reading context: borrowing ExchangeContext) {
        let body: RequestBody
        if let b = context.body { body = .bytes(b) } else if context.head.framing == .none { body = .none } else { body = .unavailable }
        self.init(routeName: context.routeName, method: context.head.method, target: context.head.target,
                  headers: context.head.headers, identity: RequestIdentity(attributes: context.attributes), body: body)
    }

    /// The target before `?`.
    public var rawPath: Substring {
        if let q = target.utf8.firstIndex(of: UInt8(ascii: "?")) { return target[..<q] }
        return target[...]
    }

    /// The target after `?`, if any.
    public var rawQuery: Substring? {
        guard let q = target.utf8.firstIndex(of: UInt8(ascii: "?")) else { return nil }
        return target[target.utf8.index(after: q)...]
    }
}
