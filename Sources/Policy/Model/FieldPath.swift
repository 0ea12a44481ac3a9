/// Selects values in a JSON body: an RFC 6901 JSON Pointer (`/params/arguments/command`)
/// or a simple dotted path (`params.arguments.command`) in which a segment
/// `*` selects every member of an object or element of an array. A segment
/// that is a non-negative integer also selects that array index.
/// The empty pointer `""` selects the whole body.
public struct FieldPath: Sendable, Hashable, CustomStringConvertible {
    public enum Segment: Sendable, Hashable {
        case key(String)
        case wildcard
    }

    /// The path as written in the policy file.
    public let text: String
    public let segments: [Segment]

    public init(text: String, segments: [Segment]) {
        self.text = text
        self.segments = segments
    }

    public var description: String { text }

    /// Parses a JSON Pointer (text starts with `/` or is empty) or a simple
    /// path. Returns the problem text on failure, for a diagnostic.
    public static func parse(_ text: String) -> Result<FieldPath, FieldPathProblem> {
        if text.isEmpty { return .success(FieldPath(text: text, segments: [])) }
        if text.hasPrefix("/") {
            var segments: [Segment] = []
            for raw in text.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
                var key = ""
                var chars = raw.unicodeScalars.makeIterator()
                while let c = chars.next() {
                    if c == "~" {
                        switch chars.next() {
                        case "0": key.unicodeScalars.append("~")
                        case "1": key.unicodeScalars.append("/")
                        default:
                            return .failure(FieldPathProblem("JSON Pointer \"\(text)\" is invalid: '~' must be followed by '0' or '1' (RFC 6901)"))
                        }
                    } else {
                        key.unicodeScalars.append(c)
                    }
                }
                segments.append(.key(key))
            }
            return .success(FieldPath(text: text, segments: segments))
        }
        var segments: [Segment] = []
        for raw in text.split(separator: ".", omittingEmptySubsequences: false) {
            if raw.isEmpty {
                return .failure(FieldPathProblem("field path \"\(text)\" has an empty segment; write a.b.c, or a JSON Pointer such as /a/b for keys containing '.'"))
            }
            if raw == "*" {
                segments.append(.wildcard)
            } else if raw.contains("*") {
                return .failure(FieldPathProblem("field path \"\(text)\": '*' must be a whole segment"))
            } else {
                segments.append(.key(String(raw)))
            }
        }
        return .success(FieldPath(text: text, segments: segments))
    }
}

/// Why a field path did not parse.
public struct FieldPathProblem: Error, Sendable, Hashable {
    public var message: String
    public init(_ message: String) { self.message = message }
}
