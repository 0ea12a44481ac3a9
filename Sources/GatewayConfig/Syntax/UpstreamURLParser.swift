/// Parses `http[s]://host[:port][/base/path]` into an ``UpstreamURL``.
enum UpstreamURLParser {
    static func parse(_ text: String) throws(UpstreamURLError) -> UpstreamURL {
        let bytes = Array(text.utf8)
        guard let schemeEnd = find(Array("://".utf8), in: bytes) else {
            throw UpstreamURLError("upstream \"\(text)\" must be an absolute URL such as \"http://127.0.0.1:9000\"")
        }
        let scheme = HostSyntax.asciiLowercased(String(decoding: bytes[..<schemeEnd], as: UTF8.self))
        guard scheme == "http" || scheme == "https" else {
            throw UpstreamURLError("upstream scheme \"\(scheme)\" is not supported; use http:// or https://")
        }
        let rest = bytes[(schemeEnd + 3)...]
        if rest.contains(UInt8(ascii: "#")) { throw UpstreamURLError("upstream must not contain a fragment ('#')") }
        if rest.contains(UInt8(ascii: "?")) { throw UpstreamURLError("upstream must not contain a query ('?')") }
        let slash = rest.firstIndex(of: UInt8(ascii: "/")) ?? rest.endIndex
        let authority = rest[..<slash]
        let path = String(decoding: rest[slash...], as: UTF8.self)
        if authority.contains(UInt8(ascii: "@")) {
            throw UpstreamURLError("upstream must not contain user information ('user@')")
        }
        let (host, port) = try parseAuthority(authority, defaultPort: scheme == "https" ? 443 : 80)
        return UpstreamURL(scheme: scheme, host: host, port: port, basePath: try basePath(path))
    }

    private static func parseAuthority(_ authority: ArraySlice<UInt8>,
                                       defaultPort: Int) throws(UpstreamURLError) -> (String, Int) {
        if authority.isEmpty { throw UpstreamURLError("upstream has no host") }
        var hostPart = authority
        var portPart: ArraySlice<UInt8>?
        if authority.first == UInt8(ascii: "[") {
            guard let close = authority.firstIndex(of: UInt8(ascii: "]")) else {
                throw UpstreamURLError("upstream host has '[' without a closing ']'")
            }
            let inner = authority[(authority.startIndex + 1)..<close]
            guard IPAddressLiteral.parseIPv6(inner) != nil else {
                throw UpstreamURLError("upstream host \"\(String(decoding: authority[...close], as: UTF8.self))\" is not a valid IPv6 address")
            }
            hostPart = inner
            let after = authority[(close + 1)...]
            if !after.isEmpty {
                guard after.first == UInt8(ascii: ":") else {
                    throw UpstreamURLError("unexpected characters after ']' in upstream host")
                }
                portPart = after.dropFirst()
            }
            let host = HostSyntax.asciiLowercased(String(decoding: hostPart, as: UTF8.self))
            return (host, try parsePort(portPart, defaultPort: defaultPort))
        }
        if let colon = authority.firstIndex(of: UInt8(ascii: ":")) {
            if authority[(colon + 1)...].contains(UInt8(ascii: ":")) {
                throw UpstreamURLError("IPv6 upstream hosts must be written in brackets, as in \"http://[::1]:9000\"")
            }
            hostPart = authority[..<colon]
            portPart = authority[(colon + 1)...]
        }
        let host = HostSyntax.asciiLowercased(String(decoding: hostPart, as: UTF8.self))
        if host.isEmpty { throw UpstreamURLError("upstream has no host") }
        if HostSyntax.looksLikeIPv4(host) {
            guard IPAddressLiteral.parseIPv4(Array(host.utf8)[...]) != nil else {
                throw UpstreamURLError("upstream host \"\(host)\" is not a valid IPv4 address")
            }
        } else if let problem = HostSyntax.dnsNameProblem(host) {
            throw UpstreamURLError("upstream host \"\(host)\" is not a valid host name: it \(problem)")
        }
        return (host, try parsePort(portPart, defaultPort: defaultPort))
    }

    private static func parsePort(_ digits: ArraySlice<UInt8>?, defaultPort: Int) throws(UpstreamURLError) -> Int {
        guard let digits else { return defaultPort }
        guard !digits.isEmpty, digits.count <= 5, digits.allSatisfy(IPAddressLiteral.isDigit) else {
            throw UpstreamURLError("upstream port must be a number between 1 and 65535")
        }
        let port = digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        guard (1...65535).contains(port) else {
            throw UpstreamURLError("upstream port must be a number between 1 and 65535, got \(port)")
        }
        return port
    }

    /// Validates the path and drops trailing slashes: `/` → ``, `/v1/` → `/v1`.
    private static func basePath(_ path: String) throws(UpstreamURLError) -> String {
        if path.isEmpty { return "" }
        if let problem = PathSyntax.problem(path) {
            throw UpstreamURLError("upstream path \"\(path)\" \(problem)")
        }
        var trimmed = Substring(path)
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return String(trimmed)
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count)
        where haystack[start..<(start + needle.count)].elementsEqual(needle) {
            return start
        }
        return nil
    }
}
