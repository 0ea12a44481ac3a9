import GatehouseCore
import Inspection

/// Everything one policy file contributes, with locations for the
/// cross-file checks. Produced by `PolicyFileDecoding`.
struct DecodedPolicyFile {
    /// In document order; `rule` is nil for a rule that did not decode (its
    /// problems are reported) but whose ID still counts for duplicates.
    var rules: [(rule: PolicyRule?, id: String, idLocation: SourceLocation)] = []
    var patterns: [(pattern: CustomPattern, nameLocation: SourceLocation, regexLocation: SourceLocation)] = []
    var routeDefaults: [(route: String, action: DefaultAction, location: SourceLocation)] = []
}

/// Decodes one parsed policy file (see Docs/POLICY.md for its shape).
struct PolicyFileDecoding {
    let sink: JSONDiagnosticSink
    let file: String
    /// Custom pattern names defined anywhere in the policy set.
    let patternNames: Set<String>

    /// A pattern name: 1 to 64 characters from a-z, 0-9 and `_` (it appears
    /// in `[REDACTED:<name>]`).
    static func isPatternName(_ s: String) -> Bool {
        let u = s.utf8
        return (1...64).contains(u.count) && u.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x7A) || b == UInt8(ascii: "_")
        }
    }

    /// The names under `"patterns"`, read without diagnostics, so that rules
    /// in any file may use patterns defined in any other.
    static func patternNames(_ root: JSONNode) -> [String] {
        root["patterns"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
    }

    func decode(_ root: JSONNode) -> DecodedPolicyFile {
        var out = DecodedPolicyFile()
        guard let r = ObjectReader(root, context: "the policy file", description: "a policy file", sink: sink) else { return out }
        defer { r.finish() }
        _ = r.string("$schema")
        _ = r.string("description")
        if let defaults = r.member("route_defaults") {
            if let members = defaults.node.objectValue {
                let actions = ActionDecoding(sink: sink, patternNames: patternNames)
                for member in members {
                    guard let a = actions.decode(member.node, ruleID: "", allowed: ["allow", "deny"], context: "route default",
                                                 defaultDenyMessage: DefaultAction.standardDenyMessage) else { continue }
                    let d: DefaultAction
                    if case .deny(let status, let message) = a { d = .deny(status: status, message: message) } else { d = .allow }
                    out.routeDefaults.append((member.key, d, member.keyLocation))
                }
            } else {
                sink.error("\(r.describe("route_defaults")) must be an object mapping route names (or \"*\") to \"allow\" or \"deny\", got \(defaults.node.value.typeName)",
                           at: defaults.node.location)
            }
        }
        if let list = r.array("patterns") {
            for node in list.value {
                guard let p = ObjectReader(node, context: "pattern", description: "each entry of \(r.describe("patterns"))", sink: sink) else { continue }
                defer { p.finish() }
                let name = p.string("name", required: true)
                let regex = p.string("regex", required: true)
                let caseless = p.bool("caseless")
                _ = p.string("description")
                var ok = true
                if let name {
                    if !Self.isPatternName(name.value) {
                        sink.error("\(p.describe("name")) must be 1 to 64 characters from a-z, 0-9 and '_', got \"\(name.value)\"", at: name.location)
                        ok = false
                    } else if Detector(rawValue: name.value) != nil {
                        sink.error("pattern name \"\(name.value)\" is the name of a built-in detector; choose another", at: name.location)
                        ok = false
                    }
                }
                if let name, let regex, ok {
                    if regex.value.isEmpty {
                        sink.error("\(p.describe("regex")) must not be empty", at: regex.location)
                        continue
                    }
                    let pattern = CustomPattern(name: name.value, expression: regex.value, caseless: caseless?.value ?? false)
                    out.patterns.append((pattern, name.location, regex.location))
                }
            }
        }
        if let list = r.array("rules") {
            let decoder = RuleDecoding(sink: sink, patternNames: patternNames, file: file)
            for node in list.value {
                if let decoded = decoder.decode(node) {
                    out.rules.append((decoded.0, decoded.0.id, decoded.1))
                } else if let member = node.objectValue?.first(where: { $0.key == "id" }), let id = member.node.stringValue {
                    out.rules.append((nil, id, member.node.location))
                }
            }
        }
        return out
    }
}

