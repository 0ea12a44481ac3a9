#if canImport(Glibc)
import Glibc
#endif

/// How a client names the server it expects: a DNS name (sent as SNI and
/// checked against DNS SANs) or an IP address (no SNI, RFC 6066 forbids IP
/// literals there; checked against IP SANs).
enum TLSPeerName: Equatable {
    case dns(String)
    case ip(String)

    /// Classifies a host as written in an upstream URL; IPv6 may be in
    /// brackets.
    init(_ host: String) {
        var text = host
        if text.hasPrefix("["), text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1 {
            self = .ip(text)
        } else {
            self = .dns(host)
        }
    }
}
