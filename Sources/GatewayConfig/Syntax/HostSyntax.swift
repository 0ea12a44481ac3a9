/// Validation of DNS names and route host patterns.
enum HostSyntax {
    /// ASCII-lowercases `text` (other bytes unchanged).
    static func asciiLowercased(_ text: String) -> String {
        String(decoding: text.utf8.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self)
    }

    /// Whether the text looks like an IPv4 address (only digits and dots),
    /// in which case it must be a valid one rather than a DNS name.
    static func looksLikeIPv4(_ text: some StringProtocol) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { IPAddressLiteral.isDigit($0) || $0 == UInt8(ascii: ".") }
    }

    /// `nil` if `name` (already lowercased) is a valid DNS name: dot-separated
    /// labels of 1–63 letters, digits, `-` or `_`, not starting or ending
    /// with `-`, at most 253 characters. Otherwise the reason.
    static func dnsNameProblem(_ name: some StringProtocol) -> String? {
        if name.isEmpty { return "is empty" }
        if name.utf8.contains(where: { $0 >= 0x80 }) {
            return "must be ASCII (write internationalized names in punycode, \"xn--...\")"
        }
        if name.utf8.count > 253 { return "is longer than 253 characters" }
        for label in Array(name.utf8).split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) {
            if label.isEmpty { return "has an empty label" }
            if label.count > 63 { return "has a label longer than 63 characters" }
            if label.first == UInt8(ascii: "-") || label.last == UInt8(ascii: "-") {
                return "has a label that starts or ends with '-'"
            }
            for byte in label where !isLabelByte(byte) {
                return "contains the invalid character '\(Character(Unicode.Scalar(byte)))'"
            }
        }
        return nil
    }

    static func isLabelByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || IPAddressLiteral.isDigit(byte)
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
    }

    /// Validates a route host pattern and returns it lowercased, or a message.
    static func normalizePattern(_ raw: String) -> Result<String, SyntaxProblem> {
        let pattern = asciiLowercased(raw)
        if pattern == "*" { return .success(pattern) }
        if pattern.isEmpty { return .failure(.init("host pattern must not be empty")) }
        if pattern.hasPrefix("*.") {
            let suffix = pattern.dropFirst(2)
            if suffix.contains("*") || suffix.contains(":") || looksLikeIPv4(suffix) || suffix.hasSuffix(".") {
                return .failure(.init("host pattern \"\(raw)\" is invalid: a wildcard must be followed by a DNS name"))
            }
            if let problem = dnsNameProblem(suffix) {
                return .failure(.init("host pattern \"\(raw)\" is invalid: the name after \"*.\" \(problem)"))
            }
            return .success(pattern)
        }
        if pattern.contains("*") {
            return .failure(.init("host pattern \"\(raw)\" is invalid: '*' is only allowed as \"*\" or as the first label, as in \"*.example.com\""))
        }
        if pattern.hasPrefix("[") {
            if pattern.hasSuffix("]"), IPAddressLiteral.parseIPv6(Array(pattern.utf8.dropFirst().dropLast())[...]) != nil {
                return .success(pattern)
            }
            if pattern.contains("]:") { return .failure(portError(raw)) }
            return .failure(.init("host pattern \"\(raw)\" is not a valid bracketed IPv6 address"))
        }
        if pattern.contains(":") {
            if IPAddressLiteral.parseIPv6(Array(pattern.utf8)[...]) != nil {
                return .failure(.init("host pattern \"\(raw)\" is an IPv6 address; write it in brackets, as in \"[\(raw)]\""))
            }
            return .failure(portError(raw))
        }
        if pattern.hasSuffix(".") {
            return .failure(.init("host pattern \"\(raw)\" must not end with '.'"))
        }
        if looksLikeIPv4(pattern) {
            return IPAddressLiteral.parseIPv4(Array(pattern.utf8)[...]) == nil
                ? .failure(.init("host pattern \"\(raw)\" is not a valid IPv4 address")) : .success(pattern)
        }
        if let problem = dnsNameProblem(pattern) {
            return .failure(.init("host pattern \"\(raw)\" is not a valid host name: it \(problem)"))
        }
        return .success(pattern)
    }

    private static func portError(_ raw: String) -> SyntaxProblem {
        .init("host pattern \"\(raw)\" must not include a port (hosts are matched without the port)")
    }
}
