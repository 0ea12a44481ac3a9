import GatehouseCore
import GatewayConfig
import Inspection
import Policy

/// Policy files named by the config's `policy_dir`: compiled once at start-up
/// (and by `gatehouse check`), against the config's route names.
public enum PolicySetup {
    /// The compiled policy and every diagnostic (`file:line:column: message`,
    /// warnings included). `policy` is nil when there were errors.
    public struct Outcome: Sendable {
        public var policy: CompiledPolicy?
        public var diagnostics: [String]
        public var hasErrors: Bool
    }

    /// Compiles `config.policyDirectory`; nil when the config names none.
    public static func compile(_ config: GatehouseConfig) -> Outcome? {
        guard let dir = config.policyDirectory else { return nil }
        let files: [String]
        switch PolicyFiles.list(directory: dir) {
        case .success(let list): files = list
        case .failure(let error):
            return Outcome(policy: nil, diagnostics: ["\(dir):0:0: \(error.message)"], hasErrors: true)
        }
        if files.isEmpty {
            return Outcome(policy: nil, diagnostics: ["\(dir):0:0: no *.json policy files in the policy directory"],
                           hasErrors: true)
        }
        let result = PolicyCompiler.compile(paths: files,
                                            options: PolicyCompileOptions(knownRoutes: Set(config.routes.map(\.name))))
        let errors = result.diagnostics.contains { $0.severity == .error }
        return Outcome(policy: errors ? nil : result.policy, diagnostics: result.diagnostics.map(\.description),
                       hasErrors: errors || result.policy == nil)
    }

    /// The stage for a compiled policy. The `hash` masking key is random per
    /// process: hashed tokens correlate within one run of the daemon and are
    /// never reversible (a configured, rotated key comes with credentials).
    static func stage(for policy: CompiledPolicy) throws -> PolicyStage {
        var rng = SystemRandomNumberGenerator()
        var key: [UInt8] = []
        for _ in 0..<4 { withUnsafeBytes(of: rng.next() as UInt64) { key.append(contentsOf: $0) } }
        return try PolicyStage(policy: policy, hashKey: MaskKey(Secret(key)))
    }
}

/// Policy files that do not compile; the daemon refuses to start.
public struct PolicyLoadError: Error, CustomStringConvertible {
    public var diagnostics: [String]
    public var description: String { diagnostics.joined(separator: "\n") }
}
