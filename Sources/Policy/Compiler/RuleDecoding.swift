import GatehouseCore

/// Decodes one element of `"rules"`.
struct RuleDecoding {
    let sink: JSONDiagnosticSink
    let patternNames: Set<String>
    let file: String

    /// A rule ID: 1 to 128 characters from letters, digits, `.`, `_`, `-`, `:`.
    static func isRuleID(_ s: String) -> Bool {
        let u = s.utf8
        return (1...128).contains(u.count) && u.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                || b == UInt8(ascii: ".") || b == UInt8(ascii: "_") || b == UInt8(ascii: "-") || b == UInt8(ascii: ":")
        }
    }

    /// The rule and the location of its ID, or nil when invalid.
    func decode(_ node: JSONNode) -> (PolicyRule, SourceLocation)? {
        guard let r = ObjectReader(node, context: "rule", sink: sink) else { return nil }
        defer { r.finish() }
        var valid = true
        let id = r.string("id", required: true)
        if let id, !Self.isRuleID(id.value) {
            sink.error("\(r.describe("id")) must be 1 to 128 characters from A-Z, a-z, 0-9, '.', '_', '-' and ':', got \"\(id.value)\"", at: id.location)
            valid = false
        }
        let description = r.string("description")
        let dryRun = r.bool("dry_run")
        if r.contains("dry_run") && dryRun == nil || r.contains("description") && description == nil { valid = false }
        var match = RuleMatch()
        if let m = r.object("match", context: "rule match") {
            if let decoded = MatchDecoding(sink: sink, patternNames: patternNames).decode(m) { match = decoded } else { valid = false }
        } else if r.contains("match") { valid = false }
        var action: RuleAction?
        if let a = r.member("action", required: true) {
            action = ActionDecoding(sink: sink, patternNames: patternNames).decode(a.node, ruleID: id?.value ?? "?")
        }
        guard valid, let id, let action else { return nil }
        let rule = PolicyRule(id: id.value, description: description?.value, match: match, action: action,
                              dryRun: dryRun?.value ?? false,
                              location: PolicySourceLocation(file: file, line: node.location.line, column: node.location.column))
        return (rule, id.location)
    }
}
