/// Checks a path glob from a policy file before it is compiled.
enum PathGlobSyntax {
    /// The problem with `glob`, or nil when it is valid.
    static func problem(_ glob: String) -> String? {
        guard glob.hasPrefix("/") else { return "must start with '/'" }
        for b in glob.utf8 {
            if b <= 0x20 || b >= 0x7F { return "contains a space, control or non-ASCII character, which must be percent-encoded" }
            if b == UInt8(ascii: "?") || b == UInt8(ascii: "#") { return "must not contain '\(Character(Unicode.Scalar(b)))' (paths are matched without the query; use \"query\" conditions)" }
        }
        for segment in glob.split(separator: "/", omittingEmptySubsequences: false) {
            if segment.contains("***") { return "has '***'; use '*' within a segment or '**' for any number of segments" }
            if segment.contains("**") && segment != "**" { return "uses '**' inside a segment; '**' must be a whole segment, as in /a/**/b" }
        }
        return nil
    }
}
