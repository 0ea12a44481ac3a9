/// A shell word after quote removal. Expansions that the shell would
/// perform are kept as markers, so rules can tell `rm -rf ~` (home) from
/// `rm -rf '~'` (a file named `~`), and `rm -rf *` from `rm -rf "*"`:
/// - `ShellWord.variable` + name for `$NAME` / `${NAME…}` (unquoted or in `"…"`);
/// - `ShellWord.tilde` for an unquoted leading `~`;
/// - `ShellWord.glob` for unquoted `*` and `?`;
/// - `ShellWord.substitution` for `$(…)`, `` `…` ``, `$((…))`, `<(…)`.
struct ShellWord: Equatable {
    static let variable: Character = "\u{E000}"
    static let tilde: Character = "\u{E001}"
    static let glob: Character = "\u{E002}"
    static let substitution: Character = "\u{E003}"

    var value: String
    /// Scripts inside `$(…)`, backticks and `<(…)` of this word.
    var substitutions: [ShellScript] = []

    /// The value with markers rendered back to shell syntax, for reports.
    var display: String {
        var s = ""
        for c in value {
            switch c {
            case Self.variable: s.append("$")
            case Self.tilde: s.append("~")
            case Self.glob: s.append("*")
            case Self.substitution: s.append("$(…)")
            default: s.append(c)
            }
        }
        return s
    }
}

/// A simple command: assignments and keywords stripped, argv and
/// redirections. `hereString` holds `<<<` text and here-document bodies, which
/// a shell reading stdin would execute.
struct ShellCommand: Equatable {
    var argv: [ShellWord] = []
    var redirections: [(op: String, target: ShellWord)] = []
    var stdinText: [String] = []
    /// A subshell `( … )` used as this pipeline element.
    var subshell: ShellScript?

    static func == (a: ShellCommand, b: ShellCommand) -> Bool {
        a.argv == b.argv && a.stdinText == b.stdinText && a.subshell == b.subshell
            && a.redirections.map(\.op) == b.redirections.map(\.op) && a.redirections.map(\.target) == b.redirections.map(\.target)
    }
}

/// Commands joined by `|` / `|&`; `background` if it ended with `&`.
struct ShellPipeline: Equatable {
    var commands: [ShellCommand] = []
    var background = false
    /// The function whose `{ … }` body contains this pipeline, if any.
    var function: String?
}

/// A parsed script: pipelines in order (the `;`, `&&`, `||`, newline and
/// `&` separators are not distinguished: every pipeline may run), plus
/// names of functions defined in it.
struct ShellScript: Equatable {
    var pipelines: [ShellPipeline] = []
    var functions: [String] = []
    /// An unterminated quote, substitution or here-document, or a stray `)`.
    var malformed = false
}
