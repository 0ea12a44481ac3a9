/// The freshness lifetime a `Cache-Control` header grants a JWKS.
enum CacheControl {
    /// `max-age` in seconds; 0 for `no-store`/`no-cache`; nil when absent
    /// or unreadable.
    static func maxAge(_ header: String?) -> Int64? {
        guard let header else { return nil }
        var result: Int64?
        for raw in header.split(separator: ",") {
            let directive = raw.trimmingCharacters(in: " \t").lowercased()
            if directive == "no-store" || directive == "no-cache" { return 0 }
            if directive.hasPrefix("max-age=") {
                var value = Substring(directive.dropFirst("max-age=".count))
                if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = value.dropFirst().dropLast() }
                guard !value.isEmpty, value.count <= 12, value.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
                result = Int64(value)
            }
        }
        return result
    }
}

extension Substring {
    func trimmingCharacters(in set: String) -> Substring {
        var s = self
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return s
    }
}
