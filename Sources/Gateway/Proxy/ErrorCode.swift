import Policy

/// The gateway's own error responses. Codes are stable API: clients and
/// alerting match on them. Docs/ERRORS.md lists every one.
enum GatewayError {
    static let noRoute = LocalResponse(status: 404, code: "no_route", message: "no route matches this host and path")
    static let headerTimeout = LocalResponse(status: 408, code: "header_timeout", message: "the request head was not received in time")
    static let bodyTimeout = LocalResponse(status: 408, code: "body_timeout", message: "the request body was not received in time")
    static let bodyTooLarge = LocalResponse(status: 413, code: "body_too_large", message: "the request body exceeds the route's limit")
    static let upstreamConnectFailed = LocalResponse(status: 502, code: "upstream_connect_failed", message: "the upstream refused or failed the connection")
    static let upstreamConnectTimeout = LocalResponse(status: 503, code: "upstream_connect_timeout", message: "the upstream did not accept the connection in time")
    static let upstreamUnavailable = LocalResponse(status: 503, code: "upstream_unavailable", message: "the upstream has no usable address")
    static let upstreamTimeout = LocalResponse(status: 504, code: "upstream_timeout", message: "the upstream did not respond in time")
    static let upstreamMalformed = LocalResponse(status: 502, code: "upstream_malformed_response", message: "the upstream sent a malformed response")
    static let upstreamClosed = LocalResponse(status: 502, code: "upstream_closed", message: "the upstream closed the connection before responding")
    static let upstreamProtocol = LocalResponse(status: 502, code: "upstream_protocol_switch", message: "the upstream tried to switch protocols, which is not supported")
    static let upstreamTLSVerifyFailed = LocalResponse(status: 502, code: "upstream_tls_verify_failed", message: "the upstream's TLS certificate did not verify")
    static let upstreamTLSHandshakeFailed = LocalResponse(status: 502, code: "upstream_tls_handshake_failed", message: "the TLS handshake with the upstream failed")
    static let upstreamTLSHandshakeTimeout = LocalResponse(status: 504, code: "upstream_tls_handshake_timeout", message: "the TLS handshake with the upstream did not finish in time")
    static let connectionLimit = LocalResponse(status: 503, code: "connection_limit", message: "the gateway is at its connection limit")
}
