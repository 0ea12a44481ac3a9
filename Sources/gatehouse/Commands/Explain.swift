import ArgumentParser
import Foundation
import GatehouseCore
import Gateway
import GatewayConfig
import Inspection
import Policy

/// `gatehouse explain --config PATH --request FILE`: evaluates a sample
/// request against the config's policy files and prints every rule
/// considered (what matched and why), the decision, the dry-run decision and
/// the request body after masking. For trying a policy before deploying it.
struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explain how the config's policies decide a sample request (see Docs/POLICY.md).")

    @Option(name: .long, help: "Path to the gatehouse JSON config (its policy_dir is used).")
    var config: String

    @Option(name: .long, help: "Path to a sample request JSON file (route, method, target, headers, identity, body).")
    var request: String

    func run() throws {
        do {
            print(try Self.explain(configPath: config, requestPath: request), terminator: "")
        } catch let failure as ExplainFailure {
            printToStderr(failure.message)
            throw ExitCode(1)
        }
    }

    struct ExplainFailure: Error { let message: String }

    /// The report, or an `ExplainFailure` with every problem (`file:line:column: message`).
    static func explain(configPath: String, requestPath: String) throws -> String {
        let loaded: GatehouseConfig
        switch ConfigLoader.load(path: configPath) {
        case .success(let c): loaded = c
        case .failure(let errors): throw ExplainFailure(message: errors.description)
        }
        guard let compiled = PolicySetup.compile(loaded) else {
            throw ExplainFailure(message: "\(configPath): the config has no \"policy_dir\"; there is nothing to explain")
        }
        guard let policy = compiled.policy, !compiled.hasErrors else {
            throw ExplainFailure(message: compiled.diagnostics.joined(separator: "\n"))
        }
        guard let data = FileManager.default.contents(atPath: requestPath) else {
            throw ExplainFailure(message: "\(requestPath):0:0: cannot read file")
        }
        let sample: PolicyRequest
        switch SampleRequest.decode(Array(data), path: requestPath) {
        case .success(let r): sample = r
        case .failure(let problems): throw ExplainFailure(message: problems.diagnostics.map(\.description).joined(separator: "\n"))
        }
        // A fixed key: `hash` tokens in an explanation need only be stable within it.
        let key = MaskKey(Secret(Array("gatehouse-explain".utf8)))
        do {
            let explanation = try PolicyExplanation(policy: policy, request: sample, hashKey: key)
            return explanation.rendered + (explanation.rendered.hasSuffix("\n") ? "" : "\n")
        } catch {
            throw ExplainFailure(message: "cannot evaluate: \(error)")
        }
    }
}
