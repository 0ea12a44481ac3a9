/// A real shell tokenizer/parser over bytes (POSIX sh with common bash
/// forms): single and double quotes, backslash escapes and line
/// continuations, `$'…'`, `;`, `&`, `&&`, `||`, `|`, `|&`, newlines,
/// comments, redirections (`>`, `2>&1`, `&>`, `<<`, `<<-`, `<<<`), here
/// documents, `$( )`, `$(( ))`, backticks, `<( )`/`>( )`, subshells `( )`,
/// brace groups and function definitions (`f() { …; }`, `function f`),
/// recursively. Never throws: malformed input sets `ShellScript.malformed`
/// and parsing continues as far as it can.
struct ShellParser {
    let b: [UInt8]
    var i = 0
    var malformed = false
    /// Here-document delimiters waiting for the end of the current line.
    var pendingHeredocs: [(delimiter: String, stripTabs: Bool, command: Int, pipeline: Int)] = []
    /// Nesting of `$( )`, `( )` and `<( )`; beyond `maxNesting` the rest of
    /// the input is skipped and the script marked malformed (no stack overflow).
    var nesting = 0
    static let maxNesting = 32

    init(_ text: [UInt8]) { b = text }

    static func parse(_ text: String) -> ShellScript { parse(Array(text.utf8)) }

    static func parse(_ bytes: [UInt8]) -> ShellScript {
        var p = ShellParser(bytes)
        var s = p.script(until: nil)
        s.malformed = s.malformed || p.malformed
        return s
    }

    @inline(__always) func at(_ k: Int) -> UInt8 { k < b.count ? b[k] : 0 }

    static func isMeta(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x09 || c == 0x0A || c == 0x3B || c == 0x26 || c == 0x7C || c == 0x3C || c == 0x3E
            || c == 0x28 || c == 0x29
    }

    static let keywords: Set<String> = ["if", "then", "else", "elif", "fi", "do", "done", "while", "until", "{", "}", "!",
                                        "time", "esac", "coproc"]

    /// Parses pipelines until `terminator` (`)` for `$(`/subshells) or the end.
    mutating func script(until terminator: UInt8?) -> ShellScript {
        var s = ShellScript()
        nesting += 1
        defer { nesting -= 1 }
        if nesting > Self.maxNesting {
            malformed = true
            i = b.count
            s.malformed = true
            return s
        }
        var pipeline = ShellPipeline()
        var command = ShellCommand()
        var inPrefix = true  // still at assignments / keywords
        var pendingFunction: String?  // defined, body `{` not yet seen
        var braces: [String?] = []  // open `{` groups: the function they are the body of

        func endCommand() {
            if !command.argv.isEmpty || command.subshell != nil || !command.redirections.isEmpty {
                pipeline.commands.append(command)
            }
            command = ShellCommand()
            inPrefix = true
        }
        func endPipeline(background: Bool = false) {
            endCommand()
            pipeline.background = background
            pipeline.function = braces.last(where: { $0 != nil }) ?? nil
            if !pipeline.commands.isEmpty { s.pipelines.append(pipeline) }
            pipeline = ShellPipeline()
        }

        while true {
            // Blanks, continuations, comments.
            while i < b.count {
                if b[i] == 0x20 || b[i] == 0x09 { i += 1; continue }
                if b[i] == 0x5C && at(i + 1) == 0x0A { i += 2; continue }
                if b[i] == UInt8(ascii: "#") { while i < b.count, b[i] != 0x0A { i += 1 }; continue }
                break
            }
            guard i < b.count else {
                if terminator != nil { malformed = true }
                endPipeline()
                return s
            }
            let c = b[i]
            if let t = terminator, c == t {
                i += 1
                endPipeline()
                return s
            }
            switch c {
            case 0x0A:
                i += 1
                endPipeline()
                readHeredocs(into: &s)
                continue
            case UInt8(ascii: ";"):
                i += 1
                if at(i) == UInt8(ascii: ";") { i += 1 }  // `;;` in case arms
                endPipeline()
                continue
            case UInt8(ascii: "&"):
                if at(i + 1) == UInt8(ascii: "&") { i += 2; endPipeline(); continue }
                if at(i + 1) == UInt8(ascii: ">") { break }  // &> redirection
                i += 1
                endPipeline(background: true)
                continue
            case UInt8(ascii: "|"):
                if at(i + 1) == UInt8(ascii: "|") { i += 2; endPipeline(); continue }
                i += at(i + 1) == UInt8(ascii: "&") ? 2 : 1
                endCommand()
                continue
            case UInt8(ascii: "("):
                if command.argv.isEmpty {
                    i += 1
                    if at(i) == UInt8(ascii: "(") {  // (( arithmetic ))
                        skipBalanced(open: UInt8(ascii: "("), close: UInt8(ascii: ")"), depth: 1)
                        continue
                    }
                    command.subshell = script(until: UInt8(ascii: ")"))
                    continue
                }
                // name ( ) : function definition
                var k = i + 1
                while at(k) == 0x20 || at(k) == 0x09 { k += 1 }
                if at(k) == UInt8(ascii: ")"), command.argv.count == 1 {
                    s.functions.append(command.argv[0].value)
                    pendingFunction = command.argv[0].value
                    command = ShellCommand()
                    inPrefix = true
                    i = k + 1
                    continue
                }
                malformed = true
                i += 1
                continue
            case UInt8(ascii: ")"):
                malformed = true  // stray close paren (or a case pattern)
                i += 1
                continue
            default:
                break
            }
            if let op = redirectionOperator() {
                if op == "<(" || op == ">(" {
                    let inner = script(until: UInt8(ascii: ")"))
                    var w = ShellWord(value: String(ShellWord.substitution))
                    w.substitutions.append(inner)
                    command.argv.append(w)
                    inPrefix = false
                    continue
                }
                skipBlanks()
                if op == "<<" || op == "<<-" {
                    let delimiter = word()
                    let d = delimiter.value.filter { $0 != ShellWord.variable }
                    pendingHeredocs.append((d, op == "<<-", pipeline.commands.count, s.pipelines.count))
                    command.redirections.append((op, delimiter))
                    continue
                }
                let target = word()
                if op == "<<<" { command.stdinText.append(target.display) }
                command.redirections.append((op, target))
                continue
            }
            let w = word()
            if inPrefix {
                if w.value == "{" { braces.append(pendingFunction); pendingFunction = nil; continue }
                if w.value == "}" { _ = braces.popLast(); continue }
                if Self.keywords.contains(w.value) { continue }
                if w.value == "function" {  // function name [()] { … }
                    skipBlanks()
                    let name = word()
                    s.functions.append(name.value)
                    pendingFunction = name.value
                    skipBlanks()
                    if at(i) == UInt8(ascii: "("), at(i + 1) == UInt8(ascii: ")") { i += 2 }
                    continue
                }
                if isAssignment(w.value) { continue }  // VAR=value cmd
            }
            inPrefix = false
            command.argv.append(w)
        }
    }

    func isAssignment(_ v: String) -> Bool {
        guard let eq = v.firstIndex(of: "="), eq != v.startIndex else { return false }
        return v[..<eq].allSatisfy { $0 == "_" || $0.isASCII && ($0.isLetter || $0.isNumber) } && !(v.first!.isNumber)
    }

    mutating func skipBlanks() { while at(i) == 0x20 || at(i) == 0x09 { i += 1 } }

    /// Reads a redirection operator at `i` (with optional fd digits), if any.
    mutating func redirectionOperator() -> String? {
        var k = i
        while k < b.count, ByteClass.isDigit(b[k]) { k += 1 }
        let c = at(k)
        if c == UInt8(ascii: "&"), at(k + 1) == UInt8(ascii: ">"), k == i {
            i = k + (at(k + 2) == UInt8(ascii: ">") ? 3 : 2)
            return "&>"
        }
        guard c == UInt8(ascii: "<") || c == UInt8(ascii: ">") else { return nil }
        if k == i, at(k + 1) == UInt8(ascii: "(") { i = k + 2; return c == UInt8(ascii: "<") ? "<(" : ">(" }
        if c == UInt8(ascii: "<"), at(k + 1) == UInt8(ascii: "<") {
            if at(k + 2) == UInt8(ascii: "<") { i = k + 3; return "<<<" }
            if at(k + 2) == UInt8(ascii: "-") { i = k + 3; return "<<-" }
            i = k + 2
            return "<<"
        }
        var e = k + 1
        if at(e) == UInt8(ascii: ">") || at(e) == UInt8(ascii: "&") || at(e) == UInt8(ascii: "|") { e += 1 }
        let op = String(decoding: b[k..<e], as: UTF8.self)
        i = e
        return op
    }

    /// After a newline: reads pending here-document bodies.
    mutating func readHeredocs(into s: inout ShellScript) {
        for h in pendingHeredocs {
            var body: [String] = []
            var found = false
            while i < b.count {
                var e = i
                while e < b.count, b[e] != 0x0A { e += 1 }
                var line = String(decoding: b[i..<e], as: UTF8.self)
                i = Swift.min(e + 1, b.count)
                if h.stripTabs { line = String(line.drop { $0 == "\t" }) }
                if line == h.delimiter { found = true; break }
                body.append(line)
            }
            if !found { malformed = true }
            if h.pipeline < s.pipelines.count, h.command < s.pipelines[h.pipeline].commands.count {
                s.pipelines[h.pipeline].commands[h.command].stdinText.append(body.joined(separator: "\n"))
            }
        }
        pendingHeredocs.removeAll()
    }

    /// Skips to the matching `close` (used for `$((…))` and `((…))`).
    mutating func skipBalanced(open: UInt8, close: UInt8, depth start: Int) {
        var depth = start
        while i < b.count {
            if b[i] == open { depth += 1 } else if b[i] == close { depth -= 1; if depth == 0 { i += 1; if at(i) == close { i += 1 }; return } }
            i += 1
        }
        malformed = true
    }
}
