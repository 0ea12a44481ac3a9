/// Selects the route for a request by host and path.
///
/// Host patterns are tried from most to least specific: an exact host, then
/// `*.suffix` patterns from the longest suffix to the shortest, then `*`.
/// Within the first of these tiers that has a route whose `path_prefix`
/// matches, the longest matching prefix wins. So an exact-host route wins
/// over a `*` route whenever one of its prefixes matches the path, and the
/// request falls through to less specific host patterns otherwise.
///
/// A prefix matches on a segment boundary: `/api` matches `/api`, `/api/x`
/// and `/api?x` but not `/apix`; a prefix ending in `/` matches anything
/// that starts with it; `/` matches every path. Path comparison is
/// byte-wise and case-sensitive; host comparison ignores ASCII case, the
/// port (`:8080`) and one trailing dot. Ties (same host pattern and prefix,
/// which the loader rejects) go to the earlier route.
///
/// Everything is precomputed; matching does not allocate.
public struct RouteTable: Sendable {
    struct Entry: Sendable {
        var prefix: [UInt8]
        var route: Int
    }

    struct Bucket: Sendable {
        /// Exact host, or the suffix including its leading dot (`.example.com`).
        var key: [UInt8]
        /// Ordered by prefix length, longest first; then by route index.
        var entries: [Entry]
    }

    /// Sorted by key bytes for binary search.
    let exact: [Bucket]
    /// Ordered by suffix length, longest first.
    let suffixes: [Bucket]
    let wildcard: [Entry]

    /// Builds the table; results of ``route(host:path:)`` are indexes into `routes`.
    public init(routes: [RouteConfig]) {
        var exact: [[UInt8]: [Entry]] = [:]
        var suffixes: [[UInt8]: [Entry]] = [:]
        var wildcard: [Entry] = []
        for (index, route) in routes.enumerated() {
            let entry = Entry(prefix: Array(route.pathPrefix.utf8), route: index)
            for host in route.hosts {
                let bytes = Array(host.utf8).map(Self.lower)
                if bytes == [UInt8(ascii: "*")] {
                    wildcard.append(entry)
                } else if bytes.starts(with: [UInt8(ascii: "*"), UInt8(ascii: ".")]) {
                    suffixes[Array(bytes.dropFirst()), default: []].append(entry)
                } else {
                    exact[bytes, default: []].append(entry)
                }
            }
        }
        func order(_ entries: [Entry]) -> [Entry] {
            entries.sorted { ($0.prefix.count, -$0.route) > ($1.prefix.count, -$1.route) }
        }
        self.exact = exact.map { Bucket(key: $0.key, entries: order($0.value)) }
            .sorted { $0.key.lexicographicallyPrecedes($1.key) }
        self.suffixes = suffixes.map { Bucket(key: $0.key, entries: order($0.value)) }
            .sorted { $0.key.count != $1.key.count ? $0.key.count > $1.key.count : $0.key.lexicographicallyPrecedes($1.key) }
        self.wildcard = order(wildcard)
    }

    /// The index of the selected route, or `nil` if none matches.
    /// - Parameters:
    ///   - host: the `Host` header value (port and case are ignored); may be empty.
    ///   - path: the request target's path, possibly followed by `?query`.
    public func route(host: String, path: String) -> Int? {
        var host = host
        var path = path
        return host.withUTF8 { hostBytes in
            path.withUTF8 { pathBytes in route(host: hostBytes, path: pathBytes) }
        }
    }

    /// Byte-level variant of ``route(host:path:)`` for callers that hold raw request bytes.
    public func route(host rawHost: UnsafeBufferPointer<UInt8>, path: UnsafeBufferPointer<UInt8>) -> Int? {
        let host = UnsafeBufferPointer(rebasing: rawHost[Self.hostRange(rawHost)])
        if !host.isEmpty {
            if let bucket = findExact(host), let route = firstMatch(bucket.entries, path) { return route }
            for bucket in suffixes where host.count > bucket.key.count && Self.hasSuffix(host, bucket.key) {
                if let route = firstMatch(bucket.entries, path) { return route }
            }
        }
        return firstMatch(wildcard, path)
    }

    // MARK: - Matching helpers

    static func lower(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
    }

    /// The host without port and without one trailing dot.
    static func hostRange(_ host: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        var end = host.count
        if host.first == UInt8(ascii: "[") {
            if let close = host.firstIndex(of: UInt8(ascii: "]")) { end = close + 1 }
        } else if let colon = host.firstIndex(of: UInt8(ascii: ":")) {
            end = colon
        }
        if end > 0 && host[end - 1] == UInt8(ascii: ".") { end -= 1 }
        return 0..<end
    }

    static func hasSuffix(_ host: UnsafeBufferPointer<UInt8>, _ suffix: [UInt8]) -> Bool {
        let offset = host.count - suffix.count
        for i in 0..<suffix.count where lower(host[offset + i]) != suffix[i] { return false }
        return true
    }

    /// Compares a stored lowercase key with a request host, ignoring the host's case.
    static func compare(_ key: [UInt8], _ host: UnsafeBufferPointer<UInt8>) -> Int {
        for i in 0..<min(key.count, host.count) {
            let a = key[i], b = lower(host[i])
            if a != b { return a < b ? -1 : 1 }
        }
        return key.count == host.count ? 0 : (key.count < host.count ? -1 : 1)
    }

    func findExact(_ host: UnsafeBufferPointer<UInt8>) -> Bucket? {
        var low = 0, high = exact.count
        while low < high {
            let mid = (low + high) / 2
            let order = Self.compare(exact[mid].key, host)
            if order == 0 { return exact[mid] }
            if order < 0 { low = mid + 1 } else { high = mid }
        }
        return nil
    }

    func firstMatch(_ entries: [Entry], _ path: UnsafeBufferPointer<UInt8>) -> Int? {
        for entry in entries where Self.prefixMatches(entry.prefix, path) { return entry.route }
        return nil
    }

    /// Segment-boundary prefix match.
    static func prefixMatches(_ prefix: [UInt8], _ path: UnsafeBufferPointer<UInt8>) -> Bool {
        if prefix.count == 1 && prefix[0] == UInt8(ascii: "/") { return true }
        guard path.count >= prefix.count else { return false }
        for i in 0..<prefix.count where path[i] != prefix[i] { return false }
        if path.count == prefix.count || prefix.last == UInt8(ascii: "/") { return true }
        let next = path[prefix.count]
        return next == UInt8(ascii: "/") || next == UInt8(ascii: "?")
    }
}
