import HTTP1
import TLS

/// One request for the internal client: OIDC discovery, JWKS, token and
/// introspection endpoints. Small bodies only; the whole response is
/// buffered up to `maxResponseBytes`.
public struct HTTPClientRequest: Sendable {
    public var method: String
    /// `http[s]://host[:port]/path[?query]`.
    public var url: String
    /// Extra header fields (e.g. `Accept`, `Content-Type`, `Authorization`
    /// for a token endpoint). `Host`, `Content-Length` and `Connection` are
    /// set by the client.
    public var headers: [(String, String)]
    public var body: [UInt8]
    /// The whole exchange (DNS, connect, TLS, request, response) must end
    /// within this.
    public var timeoutMs: Int
    public var maxResponseBytes: Int

    public init(method: String = "GET", url: String, headers: [(String, String)] = [("Accept", "application/json")],
                body: [UInt8] = [], timeoutMs: Int = 5_000, maxResponseBytes: Int = 1 << 20) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeoutMs = timeoutMs
        self.maxResponseBytes = maxResponseBytes
    }
}

/// A complete response.
public struct HTTPClientResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]

    /// The first value of a header field (case-insensitive name).
    public func header(_ name: String) -> String? { headers.firstValue(name.lowercased()) }
}

/// Why a request failed. `kind` is stable; `detail` is for the log.
public struct HTTPClientError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case invalidURL
        case resolveFailed
        case connectFailed
        /// The TLS handshake or stream failed; verification failures say why.
        case tls(TLSError)
        case timeout
        /// The response was not valid HTTP/1.1 (or ended early).
        case malformedResponse
        case responseTooLarge
        /// The client is shut down.
        case closed
    }

    public var kind: Kind
    public var detail: String

    public init(_ kind: Kind, _ detail: String) {
        self.kind = kind
        self.detail = detail
    }

    public var description: String { "\(kind): \(detail)" }
}
