#if canImport(Glibc)
import Glibc
#endif
import GatehouseCore
import GatewayConfig
import Reactor
import Synchronization
import TLS

/// The gateway's own HTTP/1.1 client, for what Gatehouse fetches for
/// itself: OIDC discovery and JWKS documents, token and introspection
/// endpoints. It is the upstream stack (the same `StreamTransport`, TLS
/// contexts with verification always on, strict response parsing) driven
/// by one event loop on its own thread, so a fetch never blocks a proxy
/// loop. Host names are resolved on a short-lived thread, never on a loop.
///
/// `send` may be called from any thread; `completion` runs on the client's
/// loop thread and must not block (hand the result off). One connection
/// per request (`Connection: close`): these fetches are rare.
public final class InternalHTTPClient: Sendable {
    private let loop: EventLoop
    /// System trust store; used when `send` is given no context.
    public let defaultTLS: TLSContext
    private let stopped = Atomic<Bool>(false)
    private let finished = Atomic<Bool>(false)

    /// Starts the client's loop thread. Builds the default TLS context (reads
    /// the system trust store): call off the proxy loops.
    public init(name: String = "gh-client") throws {
        loop = try EventLoop(index: 0)
        defaultTLS = try TLSContext(client: TLSClientConfiguration())
        let boundLoop = LoopBound(loop)
        let me = self
        OSThread.spawn(name: name) {
            boundLoop.value.run()
            me.finished.store(true, ordering: .releasing)
        }
    }

    /// Sends `request`; `completion` is called exactly once, on the
    /// client's loop thread. `tls`: the context for an `https://` URL
    /// (e.g. one trusting an issuer's private CA); default: system trust.
    public func send(_ request: HTTPClientRequest, tls: TLSContext? = nil,
                     completion: @escaping @Sendable (Result<HTTPClientResponse, HTTPClientError>) -> Void) {
        if stopped.load(ordering: .acquiring) {
            completion(.failure(HTTPClientError(.closed, "the client is shut down")))
            return
        }
        let url: UpstreamURL
        let target: String
        do throws(HTTPClientError) {
            (url, target) = try Self.parse(request.url)
        } catch {
            completion(.failure(error))
            return
        }
        let context = url.isHTTPS ? (tls ?? defaultTLS) : nil
        let deadlineNs = UInt64(max(1, request.timeoutMs)) * 1_000_000
        let started = MonotonicClock.now()
        let loop = self.loop
        let boundLoop = LoopBound(loop)
        let literal = SocketAddress(ip: url.host, port: url.port)
        loop.post {
            // The deadline runs from here, DNS included: a resolver that
            // hangs cannot hold the request (or its caller) past it.
            let exchange = ClientExchange.start(on: boundLoop.value, request: request, url: url, target: target,
                                                addresses: literal.map { [$0] }, tls: context,
                                                deadline: started &+ deadlineNs, completion: completion)
            guard literal == nil else { return }
            let boundExchange = LoopBound(exchange)
            OSThread.spawn(name: "gh-client-dns") {
                let result: Result<[SocketAddress], HTTPClientError>
                do throws(SystemError) {
                    result = .success(try Resolver.resolve(host: url.host, port: url.port))
                } catch {
                    result = .failure(HTTPClientError(.resolveFailed, error.description))
                }
                loop.post { boundExchange.value.resolved(result) }
            }
        }
    }

    /// Stops the loop thread (requests in flight are abandoned without a
    /// completion). Blocks until it has stopped.
    public func shutdown() {
        if stopped.exchange(true, ordering: .acquiringAndReleasing) { return }
        let boundLoop = LoopBound(loop)
        loop.post { boundLoop.value.stop() }
        for _ in 0..<500 where !finished.load(ordering: .acquiring) { usleep(10_000) }
    }

    /// Splits `http[s]://authority/path?query` into the upstream URL
    /// (validated by the same parser as route upstreams) and the request target.
    static func parse(_ text: String) throws(HTTPClientError) -> (UpstreamURL, String) {
        var base = Substring(text)
        var query = ""
        if let q = text.firstIndex(of: "?") {
            base = text[..<q]
            query = String(text[q...])
        }
        if query.utf8.contains(where: { $0 <= 0x20 || $0 >= 0x7f || $0 == UInt8(ascii: "#") }) {
            throw HTTPClientError(.invalidURL, "\(text): the query must be printable ASCII without spaces or '#'")
        }
        do {
            let url = try UpstreamURL(parsing: String(base))
            let path = url.basePath.isEmpty ? "/" : url.basePath
            return (url, path + query)
        } catch {
            throw HTTPClientError(.invalidURL, "\(text): \(error.message)")
        }
    }
}
