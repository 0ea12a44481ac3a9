extension ShellClassifier {
    /// Applies the per-command rules of `ShellRisk`.
    static func rules(name: String, argv: [ShellWord], into a: inout ShellAnalysis) {
        let args = Array(argv.dropFirst())
        let display = argv.map(\.display)
        func flag(_ r: ShellRisk) { a.findings.append(ShellFinding(risk: r, argv: display)) }
        switch name {
        case "rm":
            let (opts, targets) = splitOptions(args)
            var recursive = false, force = false, noPreserve = false
            for o in opts {
                switch o {
                case "--recursive": recursive = true
                case "--force": force = true
                case "--no-preserve-root": noPreserve = true
                default:
                    if !o.hasPrefix("--") {
                        if o.contains("r") || o.contains("R") { recursive = true }
                        if o.contains("f") { force = true }
                    }
                }
            }
            if noPreserve || ((recursive || force) && targets.contains(where: isDangerousTarget)) { flag(.recursiveDelete) }
        case _ where name.hasPrefix("mkfs") || name == "mke2fs" || name == "mkswap" || name == "wipefs":
            flag(.makeFilesystem)
        case "dd":
            for w in args where w.value.hasPrefix("of=/dev/") {
                let dev = w.value.dropFirst(8)
                if !["null", "stdout", "stderr", "zero"].contains(String(dev)) && !dev.hasPrefix("fd/") { flag(.rawDeviceWrite) }
            }
        case "chmod", "chown", "chgrp":
            let (opts, targets) = splitOptions(args)
            let recursive = opts.contains { $0 == "--recursive" || (!$0.hasPrefix("--") && $0.contains("R")) }
            if recursive && targets.dropFirst().contains(where: isDangerousTarget) { flag(.recursivePermissions) }
        case "shutdown", "reboot", "halt", "poweroff":
            flag(.shutdown)
        case "init", "telinit":
            if let level = args.first?.value, level == "0" || level == "6" { flag(.shutdown) }
        case "systemctl":
            if args.contains(where: { ["poweroff", "reboot", "halt", "kexec"].contains($0.value) }) { flag(.shutdown) }
        case "kubectl", "oc":
            if subcommand(args, valueOptions: ["-n", "--namespace", "--context", "--kubeconfig", "-s", "--server", "--cluster", "--user", "--token", "-l", "--selector"]) == "delete" {
                flag(.kubectlDelete)
            }
        case "terraform", "tofu":
            let sub = subcommand(args, valueOptions: [])
            if sub == "destroy" || (sub == "apply" && args.contains { $0.value == "-destroy" || $0.value == "--destroy" }) {
                flag(.terraformDestroy)
            }
        case "git":
            guard let p = args.firstIndex(where: { $0.value == "push" }),
                  subcommand(args, valueOptions: ["-C", "-c", "--git-dir", "--work-tree", "--namespace"]) == "push" else { break }
            for w in args[(p + 1)...] {
                let v = w.value
                if ["--force", "--force-with-lease", "--force-if-includes", "--mirror"].contains(v) || v.hasPrefix("--force-with-lease=")
                    || (v.hasPrefix("-") && !v.hasPrefix("--") && v.contains("f")) || (v.hasPrefix("+") && v.count > 1) {
                    flag(.gitForcePush)
                    break
                }
            }
        default:
            break
        }
    }

    /// Options (before `--`, starting with `-`) and operands.
    static func splitOptions(_ args: [ShellWord]) -> (options: [String], operands: [ShellWord]) {
        var opts: [String] = [], operands: [ShellWord] = []
        var done = false
        for w in args {
            if !done, w.value == "--" { done = true; continue }
            if !done, w.value.hasPrefix("-"), w.value.count > 1 { opts.append(w.value) } else { operands.append(w) }
        }
        return (opts, operands)
    }

    /// The first operand, skipping global options (and their values).
    static func subcommand(_ args: [ShellWord], valueOptions: Set<String>) -> String? {
        var k = 0
        while k < args.count {
            let v = args[k].value
            if v.hasPrefix("-") {
                k += valueOptions.contains(v) ? 2 : 1
                continue
            }
            return v
        }
        return nil
    }

    /// Root, home, current/parent directory, or a bare unquoted glob.
    static func isDangerousTarget(_ w: ShellWord) -> Bool {
        var v = w.value
        // Normalize: collapse `//`, drop trailing `/.` segments.
        var collapsed = ""
        for c in v where !(c == "/" && collapsed.last == "/") { collapsed.append(c) }
        v = collapsed
        while v.count > 1, v.hasSuffix("/.") { v.removeLast(2) }
        if v.isEmpty { v = "/" }
        if v.count > 1, v.hasSuffix("/") { v.removeLast() }
        let g = String(ShellWord.glob), t = String(ShellWord.tilde), home = String(ShellWord.variable) + "HOME"
        let dangerous: Set<String> = ["/", "/" + g, t, t + "/" + g, home, home + "/" + g, g, ".", "./" + g, "..", "../" + g,
                                      g + "/", ".*", "." + g]
        return dangerous.contains(v)
    }

    /// A shell or interpreter that will execute its standard input.
    static func readsScriptFromStdin(name: String, argv: [ShellWord]) -> Bool {
        let args = argv.dropFirst().map(\.value)
        if shells.contains(name) {
            // `sh`, `bash -s …`, `bash -` run stdin; `bash -c …` or `bash file` do not.
            for a in args {
                if a == "-" || a == "-s" || a == "--" { return true }
                if a.hasPrefix("-") && !a.hasPrefix("--") && a.contains("c") { return false }
                if a.hasPrefix("-") { continue }
                return false
            }
            return true
        }
        if interpreters.contains(name) { return args.isEmpty || args == ["-"] }
        return false
    }

    /// `bash <(curl …)`, `sh -c "$(curl …)"`, `eval "$(wget …)"`, `source <(curl …)`.
    static func runsSubstitutedDownload(name: String, argv: [ShellWord]) -> Bool {
        guard shells.contains(name) || interpreters.contains(name) || name == "eval" || name == "source" || name == "." else { return false }
        for w in argv.dropFirst() {
            for s in w.substitutions where containsDownloader(s) { return true }
        }
        return false
    }

    static func containsDownloader(_ s: ShellScript) -> Bool {
        s.pipelines.contains { p in
            p.commands.contains { c in
                let argv = unwrap(c.argv)
                return argv.first.map { downloaders.contains(basename($0.value)) } ?? false
            }
        }
    }

    /// Shell text the command will run: `sh -c STRING`, `su -c STRING`,
    /// `eval ARGS…`, `ssh [opts] host COMMAND…`, `watch COMMAND…`.
    static func nestedScripts(name: String, argv: [ShellWord]) -> [String] {
        let args = Array(argv.dropFirst())
        if shells.contains(name) || name == "su" || name == "runuser" {
            for (k, w) in args.enumerated() {
                let v = w.value
                if v == "-c" || v == "--command" || (shells.contains(name) && v.hasPrefix("-") && !v.hasPrefix("--") && v.contains("c")) {
                    return k + 1 < args.count ? [args[k + 1].display] : []
                }
            }
            return []
        }
        if name == "eval" { return [args.map(\.display).joined(separator: " ")] }
        if name == "watch" {
            let (_, operands) = splitOptions(args)
            return operands.isEmpty ? [] : [operands.map(\.display).joined(separator: " ")]
        }
        if name == "ssh" {
            let valueOptions: Set<String> = ["-p", "-i", "-l", "-o", "-F", "-J", "-L", "-R", "-D", "-b", "-c", "-e", "-m", "-O", "-S", "-W", "-w", "-E", "-B", "-Q", "-I"]
            var k = 0
            while k < args.count, args[k].value.hasPrefix("-") { k += valueOptions.contains(args[k].value) ? 2 : 1 }
            k += 1  // host
            return k < args.count ? [args[k...].map(\.display).joined(separator: " ")] : []
        }
        return []
    }
}
