/// A parsed upstream address `http[s]://host[:port][/base/path]`.
public struct UpstreamURL: Sendable, Hashable, CustomStringConvertible {
    /// `http` or `https`.
    public var scheme: String
    /// Lowercased DNS name or IPv4 literal, or an IPv6 literal *without* brackets.
    public var host: String
    /// 1...65535; 80 (http) or 443 (https) when the URL has no port.
    public var port: Int
    /// `""` or a path such as `/v1` without a trailing slash.
    public var basePath: String

    /// Creates an upstream from already-valid parts.
    public init(scheme: String = "http", host: String, port: Int = 80, basePath: String = "") {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.basePath = basePath
    }

    /// Parses `http://host[:port][/base/path]`. See ``UpstreamURLError`` for
    /// what is rejected.
    public init(parsing text: String) throws(UpstreamURLError) {
        self = try UpstreamURLParser.parse(text)
    }

    /// Whether ``host`` is an IPv6 literal.
    public var hostIsIPv6: Bool { host.utf8.contains(UInt8(ascii: ":")) }

    /// Whether the upstream is reached over TLS.
    public var isHTTPS: Bool { scheme == "https" }

    /// `host[:port]` for the `Host` header: IPv6 in brackets, port omitted
    /// when it is the scheme's default.
    public var authority: String {
        let shownHost = hostIsIPv6 ? "[\(host)]" : host
        return port == (isHTTPS ? 443 : 80) ? shownHost : "\(shownHost):\(port)"
    }

    /// The normalized URL, e.g. `http://127.0.0.1:9000/v1`.
    public var description: String { "\(scheme)://\(authority)\(basePath)" }
}

/// Why an upstream URL was rejected; `message` is suitable for users.
public struct UpstreamURLError: Error, Sendable, Equatable {
    /// The explanation.
    public var message: String
    /// Creates an error.
    public init(_ message: String) { self.message = message }
}
