/// A strict RFC 8259 JSON parser over UTF-8 bytes that records the source
/// location of every value and object key.
///
/// Rejected (each with a line/column and message): comments, trailing
/// commas, duplicate object keys (reported at the second key), `NaN` /
/// `Infinity`, leading zeros, `+` signs, invalid escapes, lone UTF-16
/// surrogates in `\u` escapes, unescaped control characters in strings,
/// invalid UTF-8, content after the top-level value, and nesting deeper than
/// ``maxDepth``. Any JSON value is accepted at the top level. A leading UTF-8
/// byte order mark is skipped.
///
/// Duplicate keys are detected with Swift `String` equality, which treats
/// canonically equivalent strings (e.g. precomposed and decomposed `é`) as
/// equal — the same equality consumers use to look keys up.
public enum JSONParser {
    /// Maximum nesting depth of arrays and objects. A top-level `[]` has depth 1.
    public static let maxDepth = 64

    /// Parses a complete JSON document.
    public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONNode {
        var scanner = JSONScanner(bytes: bytes)
        return try scanner.parseDocument()
    }

    /// Parses a complete JSON document from a string.
    public static func parse(_ text: String) throws(JSONParseError) -> JSONNode {
        try parse(Array(text.utf8))
    }
}
