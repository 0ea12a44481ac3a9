/// Flags destructive shell commands by their parsed argv, never by
/// substring: `echo "rm -rf /"` is harmless, `sudo rm -r -f /` is not.
///
/// Wrappers are unwrapped before rules apply: `sudo`, `doas`, `env`,
/// `nice`, `nohup`, `time`, `timeout`, `command`, `builtin`, `exec`,
/// `setsid`, `stdbuf`, `ionice`, `xargs`, `chroot`, `flock`, `watch`,
/// `strace`; leading `VAR=value` assignments; and path prefixes
/// (`/bin/rm`). Shell strings are parsed recursively: `bash -c '…'` (any
/// `sh`-family shell, option clusters like `-lc`), `su -c`, `eval`, `ssh
/// host '…'`, `watch '…'`, here-strings and here-documents fed to a shell,
/// and `$( )`, backticks, `<( )` and subshells. Recursion depth is bounded
/// (`maxDepth`); hitting it marks the analysis malformed.
public enum ShellClassifier {
    static let maxDepth = 8

    public static func analyze(_ command: String) -> ShellAnalysis {
        var a = ShellAnalysis(findings: [], commands: [], malformed: false)
        var ctx = Context()
        ctx.visit(ShellParser.parse(command), depth: 0, into: &a)
        return a
    }

    static let shells: Set<String> = ["sh", "bash", "zsh", "dash", "ksh", "ash", "mksh", "busybox-sh", "fish"]
    static let interpreters: Set<String> = ["python", "python2", "python3", "perl", "ruby", "node", "php"]
    static let downloaders: Set<String> = ["curl", "wget", "fetch", "aria2c", "http", "https", "lwp-download"]

    struct Context {
        mutating func visit(_ script: ShellScript, depth: Int, into a: inout ShellAnalysis) {
            if script.malformed { a.malformed = true }
            guard depth < ShellClassifier.maxDepth else { a.malformed = true; return }
            for p in script.pipelines {
                var downloaderSeen = false
                var names: [String] = []
                for cmd in p.commands {
                    if let sub = cmd.subshell { visit(sub, depth: depth + 1, into: &a) }
                    for w in cmd.argv { for s in w.substitutions { visit(s, depth: depth + 1, into: &a) } }
                    for r in cmd.redirections { for s in r.target.substitutions { visit(s, depth: depth + 1, into: &a) } }
                    let argv = ShellClassifier.unwrap(cmd.argv)
                    guard let head = argv.first else { continue }
                    let name = ShellClassifier.basename(head.value)
                    names.append(name)
                    a.commands.append(argv.map(\.display))
                    ShellClassifier.rules(name: name, argv: argv, into: &a)
                    // Downloaded code run by a shell / interpreter reading stdin.
                    if downloaderSeen, ShellClassifier.readsScriptFromStdin(name: name, argv: argv) {
                        a.findings.append(ShellFinding(risk: .pipeToShell, argv: argv.map(\.display)))
                    }
                    if ShellClassifier.downloaders.contains(name) { downloaderSeen = true }
                    if ShellClassifier.runsSubstitutedDownload(name: name, argv: argv) {
                        a.findings.append(ShellFinding(risk: .pipeToShell, argv: argv.map(\.display)))
                    }
                    // Nested shell strings.
                    for text in ShellClassifier.nestedScripts(name: name, argv: argv) + (ShellClassifier.shells.contains(name) ? cmd.stdinText : []) {
                        visit(ShellParser.parse(text), depth: depth + 1, into: &a)
                    }
                }
                // Fork bomb: inside function f's body, f is started twice (f|f) or in the background.
                if let f = p.function {
                    let calls = names.filter { $0 == f }.count
                    if calls >= 2 || (calls >= 1 && p.background) {
                        a.findings.append(ShellFinding(risk: .forkBomb, argv: [f + "|" + f]))
                    }
                }
            }
        }
    }

    static func basename(_ s: String) -> String {
        if let slash = s.lastIndex(of: "/") { return String(s[s.index(after: slash)...]) }
        return s
    }

    /// Removes wrapper commands and their options, returning the real argv.
    static func unwrap(_ argv: [ShellWord]) -> [ShellWord] {
        var argv = argv
        for _ in 0..<8 {
            guard let head = argv.first else { return argv }
            let name = basename(head.value)
            let valueOptions: Set<String>
            var positionals = 0
            switch name {
            case "sudo": valueOptions = ["-u", "-g", "-p", "-C", "-h", "-r", "-t", "-U", "-D", "-T", "--user", "--group", "--prompt", "--chdir", "--close-from", "--role", "--type", "--other-user", "--host", "--command-timeout"]
            case "doas": valueOptions = ["-u", "-C"]
            case "env": valueOptions = ["-u", "--unset", "-C", "--chdir"]
            case "nice": valueOptions = ["-n", "--adjustment"]
            case "nohup", "time", "command", "builtin", "setsid", "unbuffer": valueOptions = []
            case "exec": valueOptions = ["-a"]
            case "timeout": valueOptions = ["-s", "--signal", "-k", "--kill-after"]; positionals = 1
            case "stdbuf": valueOptions = ["-i", "-o", "-e"]
            case "ionice": valueOptions = ["-c", "-n", "-p", "-t"]
            case "xargs": valueOptions = ["-I", "-n", "-P", "-L", "-d", "-E", "-s", "-a", "--max-args", "--max-procs", "--delimiter", "--arg-file", "--replace", "--max-lines", "--eof", "--max-chars"]
            case "chroot": valueOptions = ["--userspec", "--groups"]; positionals = 1
            case "flock": valueOptions = ["-w", "--timeout", "-E", "--conflict-exit-code"]; positionals = 1
            case "strace", "ltrace": valueOptions = ["-o", "-e", "-p", "-s", "-u", "-E"]
            default: return argv
            }
            var k = 1
            while k < argv.count {
                let v = argv[k].value
                if v == "--" { k += 1; break }
                if name == "env", v.contains("="), !v.hasPrefix("-") { k += 1; continue }
                guard v.hasPrefix("-"), v.count > 1 else { break }
                k += valueOptions.contains(v) ? 2 : 1
            }
            k += positionals
            argv = k < argv.count ? Array(argv[k...]) : []
        }
        return argv
    }
}
