import GatehouseCore

/// Warnings about rules that compile but cannot work as written: rules that
/// can never match, rules shadowed by an earlier rule, route defaults and
/// patterns nothing uses. They never stop a policy from loading.
struct PolicyLints {
    struct Entry {
        var rule: PolicyRule
        var idLocation: PolicySourceLocation
    }

    let entries: [Entry]
    let knownRoutes: Set<String>?

    func run() -> [PolicyDiagnostic] {
        var out: [PolicyDiagnostic] = []
        for e in entries {
            for reason in neverMatches(e.rule) {
                out.append(PolicyDiagnostic(e.idLocation, severity: .warning, "rule \"\(e.rule.id)\" can never match: \(reason)"))
            }
        }
        out += shadowed()
        for e in entries where e.rule.action == .allow {
            if let sql = e.rule.match.sql, !sql.only, !sql.classes.isEmpty {
                out.append(PolicyDiagnostic(e.idLocation, severity: .warning,
                                            "allow rule \"\(e.rule.id)\" matches SQL with any of [\(sql.classes.map(\.rawValue).sorted().joined(separator: ", "))], so text that also has other statements (SELECT 1; DROP TABLE t) matches too; set \"only\": true to require that every statement has one of them"))
            }
        }
        return out
    }

    /// Reasons the rule's match can never hold.
    func neverMatches(_ rule: PolicyRule) -> [String] {
        let m = rule.match
        var reasons: [String] = []
        if let known = knownRoutes, !m.routes.isEmpty {
            let unknown = m.routes.filter { !known.contains($0) }
            if unknown.count == m.routes.count {
                reasons.append("no route named \(unknown.map { "\"\($0)\"" }.joined(separator: ", ")) is defined in the configuration")
            }
        }
        for d in m.detected {
            if let max = d.maxCount, max < d.minCount {
                reasons.append("detection of \"\(d.label)\" needs at least \(d.minCount) and at most \(max) findings")
            }
        }
        if let i = m.identity, i.authenticated == false,
           !(i.subjects.isEmpty && i.groups.isEmpty && i.clientIDs.isEmpty && i.scopes.isEmpty) {
            reasons.append("\"authenticated\": false excludes every subject, group, client ID and scope it also requires")
        }
        reasons += contradictions(m.headers.map { ($0.name, $0.test) }, what: "header")
        reasons += contradictions(m.query.map { ($0.name, $0.test) }, what: "query parameter")
        reasons += contradictions(m.body.map { ($0.path.text, $0.test) }, what: "body field")
        return reasons
    }

    /// `present: false` together with another test on the same name.
    private func contradictions(_ tests: [(String, ValueTest)], what: String) -> [String] {
        var reasons: [String] = []
        let absent = Set(tests.filter { $0.1 == .present(false) }.map(\.0))
        var reported: Set<String> = []
        for (name, test) in tests where absent.contains(name) && test != .present(false) && !reported.contains(name) {
            reported.insert(name)
            reasons.append("\(what) \"\(name)\" must be absent and also \(test)")
        }
        return reasons
    }

    /// Terminal rules with the same match as a rule evaluated before them:
    /// only the first (deny before require_approval before allow, then file
    /// order) can take effect. A dry-run rule does not shadow an enforced one.
    func shadowed() -> [PolicyDiagnostic] {
        let terminal = entries.enumerated().filter { $0.element.rule.action.isTerminal }
            .sorted { ($0.element.rule.action.ruleClass, $0.offset) < ($1.element.rule.action.ruleClass, $1.offset) }
            .map(\.element)
        var out: [PolicyDiagnostic] = []
        for (k, b) in terminal.enumerated() {
            guard let a = terminal[..<k].first(where: { $0.rule.match == b.rule.match && (!$0.rule.dryRun || b.rule.dryRun) }) else { continue }
            let aClass = a.rule.action.ruleClass.rawValue
            out.append(PolicyDiagnostic(b.idLocation, severity: .warning,
                                        "rule \"\(b.rule.id)\" is shadowed by rule \"\(a.rule.id)\" (\(a.rule.location)): same match, and its \(aClass) action is evaluated first, so this rule never takes effect"))
        }
        return out
    }
}
