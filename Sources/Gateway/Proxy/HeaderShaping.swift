import HTTP1

/// Header rewriting between the two sides: strips hop-by-hop fields (RFC
/// 9110 §7.6.1) and those the message's `Connection` names, and adds the
/// proxy's own fields. Framing headers are always removed here and set by
/// the caller, so every forwarded message carries exactly one.
enum HeaderShaping {
    /// Fields never forwarded in either direction.
    private static let hopByHop: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding",
        "upgrade", "content-length", "proxy-authorization", "proxy-authenticate",
    ]

    /// Fields replaced on requests when incoming forwarding data is not trusted.
    private static let forwardingFields: Set<String> = [
        "forwarded", "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host",
    ]

    /// Builds the upstream request's headers from the client's.
    static func upstreamRequestHeaders(from head: RequestHead, config: RuntimeConfig, route: RuntimeRoute,
                                       requestID: String, clientIP: String) -> HTTPHeaders {
        var h = head.headers
        let named = head.connectionTokens
        let trustForwarded = config.trustIncomingForwarded
        let idHeader = config.requestIDHeaderLower
        h.removeAll { name in
            hopByHop.contains(name) || named.contains(name) || name == "host" || name == "expect"
                || name == idHeader || (!trustForwarded && forwardingFields.contains(name))
        }
        h.append(name: "Host", value: route.upstreamAuthority)
        h.append(name: config.requestIDHeader, value: requestID)

        let forNode = clientIP.contains(":") ? "\"[\(clientIP)]\"" : clientIP
        if trustForwarded, let prior = head.headers.values("x-forwarded-for").last {
            h.removeAll { $0 == "x-forwarded-for" }
            h.append(name: "X-Forwarded-For", value: prior + ", " + clientIP)
        } else {
            h.append(name: "X-Forwarded-For", value: clientIP)
        }
        if !trustForwarded || !head.headers.contains("x-forwarded-proto") {
            h.append(name: "X-Forwarded-Proto", value: "http")
        }
        if !trustForwarded || !head.headers.contains("x-forwarded-host"), !head.host.isEmpty {
            h.append(name: "X-Forwarded-Host", value: head.host)
        }
        var element = "for=\(forNode);proto=http"
        if !head.host.isEmpty { element += ";host=\"\(head.host)\"" }
        h.append(name: "Forwarded", value: element)
        h.append(name: "Via", value: viaEntry(head.version, config.viaValue))
        return h
    }

    /// Builds the client response's headers from the upstream's.
    static func clientResponseHeaders(from head: ResponseHead, config: RuntimeConfig, requestID: String) -> HTTPHeaders {
        var h = head.headers
        let named = head.connectionTokens
        let idHeader = config.requestIDHeaderLower
        h.removeAll { name in hopByHop.contains(name) || named.contains(name) || name == idHeader }
        h.append(name: "Via", value: viaEntry(head.version, config.viaValue))
        h.append(name: config.requestIDHeader, value: requestID)
        return h
    }

    private static func viaEntry(_ version: HTTPVersion, _ pseudonym: String) -> String {
        (version == .http1_0 ? "1.0 " : "1.1 ") + pseudonym
    }
}
