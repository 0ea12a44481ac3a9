import HTTP1
import Policy

/// Writes the heads the gateway forwards, straight into the output buffer:
/// the received fields minus the hop-by-hop ones (RFC 9110 §7.6.1) and those
/// the message's `Connection` names, then the proxy's own fields, then
/// exactly one framing field. Nothing is copied into an intermediate header
/// list: runs of kept fields are copied as they were received.
enum HeaderShaping {
    /// How the forwarded message's body is framed.
    enum Framing {
        /// No framing field (no body, or a HEAD/304 answer without a length).
        case none
        case contentLength(UInt64)
        case chunked
    }

    /// Fields never forwarded in either direction (the gateway sets framing itself).
    private static let hopByHop = HeaderNameSet([
        "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding",
        "upgrade", "content-length", "proxy-authorization", "proxy-authenticate",
    ])

    /// Request fields the gateway always sets itself.
    private static let replacedOnRequests = HeaderNameSet(["host", "expect"])

    /// Fields replaced on requests when incoming forwarding data is not trusted.
    private static let forwardingFields = HeaderNameSet([
        "forwarded", "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host",
    ])

    private static let xForwardedFor: [UInt8] = Array("x-forwarded-for".utf8)

    /// Per-connection header bytes that depend only on the client address
    /// and whether it came over TLS, built once when the connection is accepted.
    struct ClientLines {
        /// `X-Forwarded-For: ip\r\nX-Forwarded-Proto: http(s)\r\n`
        let forwardedForAndProto: [UInt8]
        /// `Forwarded: for=ip;proto=http(s)` (IPv6 quoted and bracketed), without CRLF.
        let forwardedPrefix: [UInt8]
        /// `http` or `https`: the scheme the client used to reach the gateway.
        let proto: String

        init(clientIP: String, tls: Bool = false) {
            proto = tls ? "https" : "http"
            forwardedForAndProto = Array("X-Forwarded-For: \(clientIP)\r\nX-Forwarded-Proto: \(proto)\r\n".utf8)
            let node = clientIP.utf8.contains(UInt8(ascii: ":")) ? "\"[\(clientIP)]\"" : clientIP
            forwardedPrefix = Array("Forwarded: for=\(node);proto=\(proto)".utf8)
        }
    }

    /// Writes the upstream request head.
    static func writeUpstreamRequest(_ head: RequestHead, target: String, framing: Framing, config: RuntimeConfig,
                                     route: RuntimeRoute, requestID: String, clientIP: String, lines: ClientLines,
                                     into out: inout [UInt8]) {
        // Room for the whole head at once: the upstream's output starts
        // empty per exchange (idle connections keep no buffer), and grown
        // append by append it was reallocated three times per request. The
        // fields' lines, the request line and up to 512 bytes of added fields
        // (request ID, forwarding, Via, framing) in one allocation.
        out.reserveCapacity(out.count + head.headers.fieldBytes + 4 * head.headers.count + target.utf8.count
                            + head.host.utf8.count * 2 + 512)
        HTTPSerializer.writeRequestLine(method: head.method, target: target, into: &out)
        let named = connectionNamed(head.connectionTokens)
        let trustForwarded = config.trustIncomingForwarded
        let idHeader = config.requestIDHeaderBytes
        // A trusted incoming chain is extended in one field ("a, b, us"):
        // some upstreams read only the first or last X-Forwarded-For field.
        let priorFor = trustForwarded ? head.headers.values("x-forwarded-for") : []
        head.headers.write(into: &out, skippingNames: { name in
            hopByHop.contains(name) || replacedOnRequests.contains(name)
                || HeaderNameSet.equalsLowercase(name, idHeader)
                || (!trustForwarded && forwardingFields.contains(name))
                || (!priorFor.isEmpty && HeaderNameSet.equalsLowercase(name, xForwardedFor))
                || (named?.contains(name) ?? false)
        })
        out.append(contentsOf: route.hostLine)
        out.append(contentsOf: config.requestIDPrefix)
        HTTPSerializer.appendValidatedFieldValue(requestID, into: &out)
        HTTPSerializer.endField(into: &out)

        if !trustForwarded {
            out.append(contentsOf: lines.forwardedForAndProto)
        } else {
            let forwardedFor = priorFor.isEmpty ? clientIP : priorFor.joined(separator: ", ") + ", " + clientIP
            HTTPSerializer.writeField(name: "X-Forwarded-For", value: forwardedFor, into: &out)
            if !head.headers.contains("x-forwarded-proto") {
                HTTPSerializer.writeField(name: "X-Forwarded-Proto", value: lines.proto, into: &out)
            }
        }
        if (!trustForwarded || !head.headers.contains("x-forwarded-host")) && !head.host.isEmpty {
            HTTPSerializer.beginField(name: "X-Forwarded-Host", into: &out)
            HTTPSerializer.appendValidatedFieldValue(head.host, into: &out)
            HTTPSerializer.endField(into: &out)
        }
        // Forwarded: for=IP;proto=http(s);host="host"
        out.append(contentsOf: lines.forwardedPrefix)
        if !head.host.isEmpty {
            HTTPSerializer.appendFieldValue(literal: ";host=\"", into: &out)
            HTTPSerializer.appendValidatedFieldValue(head.host, into: &out)
            HTTPSerializer.appendFieldValue(literal: "\"", into: &out)
        }
        HTTPSerializer.endField(into: &out)
        writeVia(head.version, config, into: &out)
        writeFraming(framing, into: &out)
        HTTPSerializer.endHead(into: &out)
    }

    /// Writes the client response head. `dropMaskedFields`: a masked body
    /// follows, so the fields describing the upstream's bytes are left out
    /// (`ResponseBodyMasker.isDroppedFromMaskedResponse`).
    static func writeClientResponse(_ head: ResponseHead, framing: Framing, close: Bool, keepAliveHTTP10: Bool,
                                    dropMaskedFields: Bool = false, config: RuntimeConfig, requestID: String,
                                    into out: inout [UInt8]) {
        HTTPSerializer.writeStatusLine(status: head.status, reason: head.reason, into: &out)
        let named = connectionNamed(head.connectionTokens)
        let idHeader = config.requestIDHeaderBytes
        @inline(__always) func skipped(_ name: UnsafeRawBufferPointer) -> Bool {
            hopByHop.contains(name) || HeaderNameSet.equalsLowercase(name, idHeader) || (named?.contains(name) ?? false)
        }
        // Two closures: the pass-through one keeps no test of the flag per field.
        if dropMaskedFields {
            head.headers.write(into: &out, skippingNames: { skipped($0) || ResponseBodyMasker.isDroppedFromMaskedResponse($0) })
        } else {
            head.headers.write(into: &out, skippingNames: { skipped($0) })
        }
        writeVia(head.version, config, into: &out)
        out.append(contentsOf: config.requestIDPrefix)
        HTTPSerializer.appendValidatedFieldValue(requestID, into: &out)
        HTTPSerializer.endField(into: &out)
        if close {
            HTTPSerializer.writeField(name: "Connection", value: "close", into: &out)
        } else if keepAliveHTTP10 {
            HTTPSerializer.writeField(name: "Connection", value: "keep-alive", into: &out)
        }
        writeFraming(framing, into: &out)
        HTTPSerializer.endHead(into: &out)
    }

    private static func writeFraming(_ framing: Framing, into out: inout [UInt8]) {
        switch framing {
        case .none: break
        case .contentLength(let n): HTTPSerializer.writeField(name: "Content-Length", decimal: n, into: &out)
        case .chunked: HTTPSerializer.writeField(name: "Transfer-Encoding", value: "chunked", into: &out)
        }
    }

    private static func writeVia(_ version: HTTPVersion, _ config: RuntimeConfig, into out: inout [UInt8]) {
        out.append(contentsOf: version == .http1_0 ? config.via10Line : config.via11Line)
    }

    /// The extra fields a message's `Connection` header names; nil when it
    /// names none beyond `close`/`keep-alive` (the common case, no allocation).
    private static func connectionNamed(_ tokens: [String]) -> HeaderNameSet? {
        var extra = false
        for t in tokens where t != "close" && t != "keep-alive" { extra = true; break }
        return extra ? HeaderNameSet(tokens) : nil
    }
}
