import ArgumentParser
import Gateway
import GatewayConfig

/// `gatehouse check --config PATH`: validates without starting anything.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate a config file. Exits 0 when valid; otherwise prints file:line:column: message and exits 1.")

    @Option(name: .long, help: "Path to the gatehouse JSON config.")
    var config: String

    func run() throws {
        switch ConfigLoader.load(path: config) {
        case .success(let loaded):
            for w in loaded.warnings { printToStderr(w.description) }
            if let notice = loaded.identityNotice { printToStderr(notice) }
            // Loads every certificate, key and CA bundle the config names.
            let tlsProblems = TLSSetup.problems(in: loaded)
            for p in tlsProblems { printToStderr(p) }
            if !tlsProblems.isEmpty { throw ExitCode(1) }
            var policySummary = ""
            if let policies = PolicySetup.compile(loaded) {
                for d in policies.diagnostics { printToStderr(d) }
                if policies.hasErrors { throw ExitCode(1) }
                policySummary = ", \(policies.policy?.rules.count ?? 0) policy rule(s)"
            }
            print("\(config): ok (\(loaded.listeners.count) listener(s), \(loaded.routes.count) route(s)\(policySummary))")
        case .failure(let errors):
            printToStderr(errors.description)
            throw ExitCode(1)
        }
    }
}
