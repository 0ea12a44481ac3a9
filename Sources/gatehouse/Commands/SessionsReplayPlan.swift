import GatewayConfig
import Recording

/// One recorded request turned into what `sessions replay` sends: the
/// recorded method, target, headers and body, minus what must not or cannot
/// be re-sent.
struct ReplayRequest {
    /// 1-based position in the session.
    var index: Int
    var exchange: RecordedExchange
    var method: String
    /// The target's base path followed by the recorded request target.
    var target: String
    /// The headers to send, `Host` and `Content-Length` included.
    var headers: [HeaderField]
    var body: [UInt8]
    /// Names of headers not re-sent because the recording holds only a
    /// redaction marker in place of their value.
    var droppedRedacted: [String]
    /// Why the request is not sent at all, if it is not.
    var skipReason: String?

    /// The request as bytes on the wire.
    var wireBytes: [UInt8] {
        var head = "\(method) \(target) HTTP/1.1\r\n"
        for h in headers { head += "\(h.name): \(h.value)\r\n" }
        head += "\r\n"
        return Array(head.utf8) + body
    }
}

/// Builds the replay requests for a session.
enum ReplayPlan {
    /// Header that tells the target which recorded request is being replayed.
    static let replayHeader = "X-Gatehouse-Replay-Of"

    /// Framing and hop-by-hop headers: the client sets its own.
    static let notForwarded: Set<String> = [
        "connection", "content-length", "host", "keep-alive", "proxy-connection",
        "te", "trailer", "transfer-encoding", "upgrade", "expect", replayHeader.lowercased(),
    ]

    static func requests(for exchanges: [RecordedExchange], target: UpstreamURL) -> [ReplayRequest] {
        exchanges.enumerated().map { request(for: $1, index: $0 + 1, target: target) }
    }

    static func request(for e: RecordedExchange, index: Int, target: UpstreamURL) -> ReplayRequest {
        var headers = [HeaderField("Host", target.authority)]
        var dropped: [String] = []
        for h in e.requestHeaders {
            let lower = h.name.lowercased()
            if notForwarded.contains(lower) { continue }
            if h.value.contains(HeaderRedactor.marker) {
                dropped.append(h.name)
                continue
            }
            headers.append(h)
        }
        headers.append(HeaderField(replayHeader, e.requestID))
        if !e.requestBody.isEmpty || ["POST", "PUT", "PATCH"].contains(e.method) {
            headers.append(HeaderField("Content-Length", String(e.requestBody.count)))
        }
        headers.append(HeaderField("Connection", "close"))
        var skip: String?
        if e.requestBodyTruncated || e.requestBody.count < e.requestBodySize {
            skip = "request body was cut at the recording cap (\(e.requestBody.count) of \(e.requestBodySize) bytes stored)"
        }
        let path = e.target.hasPrefix("/") || target.basePath.isEmpty ? target.basePath + e.target
            : target.basePath + "/" + e.target
        return ReplayRequest(index: index, exchange: e, method: e.method, target: path, headers: headers,
                             body: e.requestBody, droppedRedacted: dropped, skipReason: skip)
    }
}
