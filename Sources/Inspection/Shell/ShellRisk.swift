/// Destructive command patterns the shell classifier recognizes. Raw values
/// are the names policy files use.
public enum ShellRisk: String, Sendable, Hashable, CaseIterable {
    /// `rm` with -r/-R/--recursive or -f/--force (any order or grouping) on
    /// `/`, `/*`, `~`, `~/`, `~/*`, `$HOME`, `$HOME/`, `$HOME/*`, an unquoted
    /// `*`, `.`, `./`, `./*`, `..`; or any `rm --no-preserve-root`.
    case recursiveDelete = "rm_rf"
    /// `mkfs`, `mkfs.*`, `mke2fs`, `mkswap`, `wipefs`.
    case makeFilesystem = "mkfs"
    /// `dd` with `of=/dev/…` (except /dev/null, /dev/stdout, /dev/stderr).
    case rawDeviceWrite = "dd_device"
    /// `chmod -R` / `chown -R` / `chgrp -R` on a root or home target as above
    /// (for chmod, any mode; `chmod -R 777 /` is the classic).
    case recursivePermissions = "chmod_recursive_root"
    /// Downloaded code executed: `curl|wget … | sh|bash|zsh|python|…` (the
    /// interpreter reading stdin), `bash <(curl …)`, `sh -c "$(curl …)"`,
    /// `eval "$(wget …)"`, `source <(curl …)`.
    case pipeToShell = "pipe_to_shell"
    /// A function whose `{ … }` body starts itself twice (`f|f`) or in the
    /// background: `:(){ :|:& };:` and renamings.
    case forkBomb = "fork_bomb"
    /// shutdown, reboot, halt, poweroff, `init 0|6`, `telinit 0|6`,
    /// `systemctl poweroff|reboot|halt|kexec`.
    case shutdown
    /// `kubectl delete …` (after any global flags).
    case kubectlDelete = "kubectl_delete"
    /// `terraform destroy`, `terraform apply -destroy` (also after `-chdir=`).
    case terraformDestroy = "terraform_destroy"
    /// `git push` with `--force`, `-f` (also grouped), `--force-with-lease`,
    /// `--force-if-includes`, `--mirror`, or a `+refspec`.
    case gitForcePush = "git_force_push"
}

/// One risky command found: the rule and the argv as written (with
/// wrappers like `sudo` removed).
public struct ShellFinding: Sendable, Hashable {
    public var risk: ShellRisk
    public var argv: [String]
}

/// The result of classifying a shell command line.
public struct ShellAnalysis: Sendable, Hashable {
    public var findings: [ShellFinding]
    /// Every simple command seen (argv, wrappers removed), including those
    /// inside substitutions, subshells, `bash -c` strings and here-documents.
    public var commands: [[String]]
    /// Unterminated quotes or substitutions, stray `)`: callers should fail closed.
    public var malformed: Bool

    public var risks: Set<ShellRisk> { Set(findings.map(\.risk)) }
    public var isDestructive: Bool { !findings.isEmpty }
}
