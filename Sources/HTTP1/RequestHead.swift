/// A parsed and validated HTTP/1.x request head.
///
/// Produced by ``RequestHeadParser``; every field has already passed the strict checks
/// described there, so the proxy can route on `host`/`path` and frame the body with
/// `framing` without re-validating.
public struct RequestHead: Sendable, Equatable {
    /// Request method, case-sensitive token (e.g. `"GET"`). Never `CONNECT`.
    public var method: String
    /// Origin-form target `/path?query` exactly as received, or `"*"` for `OPTIONS *`.
    /// For an absolute-form request (`GET http://host/p HTTP/1.1`) this is the origin-form
    /// part (`/p`, or `/` when empty) and ``isAbsoluteForm`` is true.
    public var target: String
    public var version: HTTPVersion
    /// Every received field in order, including Host, Content-Length, Transfer-Encoding,
    /// Connection and Expect. The proxy is responsible for stripping hop-by-hop fields.
    public var headers: HTTPHeaders
    /// The Host (lower-cased, validated, port kept if sent). For absolute-form targets it
    /// is the target's authority, which must equal the Host field when one is present.
    /// `""` for an HTTP/1.0 request without Host.
    public var host: String
    /// `.none`, `.contentLength(n)` (n may be 0) or `.chunked`; never `.untilClose`.
    public var framing: BodyFraming
    /// Whether the client connection may be reused after this exchange.
    public var keepAlive: Bool
    /// `Expect: 100-continue` was sent on an HTTP/1.1 request.
    public var expectsContinue: Bool
    /// Lower-cased tokens listed in all Connection fields (e.g. `["keep-alive", "x-foo"]`).
    public var connectionTokens: [String]
    /// True when the request used absolute-form; `target` was rewritten to origin-form.
    public var isAbsoluteForm: Bool

    public init(method: String, target: String, version: HTTPVersion = .http1_1,
                headers: HTTPHeaders = HTTPHeaders(), host: String = "", framing: BodyFraming = .none,
                keepAlive: Bool = true, expectsContinue: Bool = false, connectionTokens: [String] = [],
                isAbsoluteForm: Bool = false) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.host = host
        self.framing = framing
        self.keepAlive = keepAlive
        self.expectsContinue = expectsContinue
        self.connectionTokens = connectionTokens
        self.isAbsoluteForm = isAbsoluteForm
    }

    /// The target before the first `?` (still percent-encoded; no dot-segment removal).
    public var path: Substring {
        if let q = target.utf8.firstIndex(of: UInt8(ascii: "?")) { return target[..<q] }
        return target[...]
    }

    /// The target after the first `?`, or nil when there is no `?`.
    public var query: Substring? {
        guard let q = target.utf8.firstIndex(of: UInt8(ascii: "?")) else { return nil }
        return target[target.utf8.index(after: q)...]
    }
}
