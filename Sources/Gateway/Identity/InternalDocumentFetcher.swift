import Identity

/// The production `DocumentFetcher`: discovery and JWKS documents through
/// the gateway's own nonblocking `InternalHTTPClient` (TLS verification
/// always on, responses capped at 1 MiB). Completions run on the client's
/// loop thread.
final class InternalDocumentFetcher: DocumentFetcher {
    private let client: InternalHTTPClient
    static let maxDocumentBytes = 1 << 20

    init(client: InternalHTTPClient) { self.client = client }

    func fetch(_ url: String, timeoutMs: Int, completion: @escaping @Sendable (Result<FetchedDocument, FetchError>) -> Void) {
        let request = HTTPClientRequest(url: url, timeoutMs: timeoutMs, maxResponseBytes: Self.maxDocumentBytes)
        client.send(request) { result in
            switch result {
            case .success(let r):
                completion(.success(FetchedDocument(status: r.status, cacheControl: r.header("cache-control"), body: r.body)))
            case .failure(let e):
                completion(.failure(FetchError(e.description)))
            }
        }
    }
}
