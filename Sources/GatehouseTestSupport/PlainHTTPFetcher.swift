import Foundation
import Identity

/// A `DocumentFetcher` for tests: plain HTTP/1.1 GET to `127.0.0.1` or
/// `localhost`, one background thread per fetch, blocking sockets with a
/// timeout. NOT for production use: no TLS, no redirects, no size limit
/// beyond the test reader's, a thread per fetch. The gateway uses its own
/// nonblocking HTTPS client.
public final class PlainHTTPFetcher: DocumentFetcher, Sendable {
    private let started = AtomicCounter()

    public init() {}

    /// Fetches started so far.
    public var fetchCount: Int { started.value }

    public func fetch(_ url: String, timeoutMs: Int, completion: @escaping @Sendable (Result<FetchedDocument, FetchError>) -> Void) {
        started.add(1)
        Thread.detachNewThread {
            completion(Self.get(url, timeoutSeconds: max(1, (timeoutMs + 999) / 1000)))
        }
    }

    /// A blocking GET (on the calling thread).
    public static func get(_ url: String, timeoutSeconds: Int) -> Result<FetchedDocument, FetchError> {
        guard let (host, port, path) = parse(url) else { return .failure(FetchError("unsupported URL \(url)")) }
        do {
            let sock = try BlockingSocket.connect(port: port, timeoutSeconds: timeoutSeconds)
            defer { sock.close() }
            try sock.send("GET \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nAccept: application/json\r\nConnection: close\r\n\r\n")
            guard let response = try TestHTTP.read(from: sock, isResponse: true), response.complete else {
                return .failure(FetchError("connection closed before a complete response"))
            }
            return .success(FetchedDocument(status: response.status, cacheControl: response.header("cache-control"),
                                            body: response.body))
        } catch {
            return .failure(FetchError("\(error)"))
        }
    }

    /// `http://127.0.0.1:PORT/path` → host, port, path.
    static func parse(_ url: String) -> (String, Int, String)? {
        guard url.hasPrefix("http://") else { return nil }
        let rest = url.dropFirst("http://".count)
        let authority = rest.prefix { $0 != "/" }
        let path = rest.dropFirst(authority.count)
        let parts = authority.split(separator: ":")
        guard parts.count == 2, parts[0] == "127.0.0.1" || parts[0] == "localhost", let port = Int(parts[1]) else { return nil }
        return (String(parts[0]), port, path.isEmpty ? "/" : String(path))
    }
}
