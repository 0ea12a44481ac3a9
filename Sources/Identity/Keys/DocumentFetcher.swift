/// What a fetch of a discovery document or JWKS returned.
public struct FetchedDocument: Sendable, Equatable {
    public var status: Int
    /// The `Cache-Control` header value, if any.
    public var cacheControl: String?
    public var body: [UInt8]

    public init(status: Int, cacheControl: String?, body: [UInt8]) {
        self.status = status
        self.cacheControl = cacheControl
        self.body = body
    }
}

/// Why a fetch produced no response (connect, TLS, timeout, size).
public struct FetchError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Fetches a document for the key store. Injected, so `Identity` does no
/// I/O itself: the gateway supplies its nonblocking HTTPS client, tests a
/// plain-HTTP one.
///
/// `fetch` must return at once (never block the caller, which may be an
/// event loop) and call `completion` exactly once, on any thread, within
/// about `timeoutMs`.
public protocol DocumentFetcher: Sendable {
    func fetch(_ url: String, timeoutMs: Int, completion: @escaping @Sendable (Result<FetchedDocument, FetchError>) -> Void)
}
