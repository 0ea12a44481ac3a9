#if canImport(Glibc)
import Glibc
#endif

/// How a client names the server it expects: a DNS name (sent as SNI and
/// checked against DNS SANs) or an IP address (no SNI, RFC 6066 forbids IP
/// literals there; checked against IP SANs).
enum TLSPeerName: Equatable {
    case dns(String)
    case ip(String)
    /// Not a usable name: empty, or containing a NUL (which C would cut
    /// short). Never checked "loosely": the handshake fails instead, since
    /// `SSL_set1_host("")` would switch the name check off.
    case invalid(String)

    /// Classifies a host as written in an upstream URL; IPv6 may be in
    /// brackets. A DNS name's trailing dot is dropped (SNI forbids it and
    /// certificates never carry it).
    init(_ host: String) {
        var text = host
        if text.hasPrefix("["), text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        if text.hasSuffix(".") { text.removeLast() }
        if text.isEmpty || text.utf8.contains(0) {
            self = .invalid(host)
            return
        }
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1 {
            self = .ip(text)
        } else {
            self = .dns(text)
        }
    }
}
