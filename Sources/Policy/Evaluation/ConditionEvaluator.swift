import GatehouseCore
import Inspection

/// Evaluates one rule's match against a request. Cheap conditions (route,
/// method, path, identity, headers, query) run first; body fields, SQL,
/// shell and detections only when those hold, so most rules never touch
/// the body. With a trace, every condition runs and is recorded.
struct ConditionEvaluator {
    let inspection: RequestInspection

    /// The match result, or the body problem that stopped it. `trace`
    /// (when non-nil) receives one entry per condition.
    func evaluate(_ box: MatchBox, trace: inout [ConditionTrace]?) -> Result<Bool, BodyProblem> {
        // Fields are read through the box, never copied out whole: a copy of
        // the match retains and releases a dozen arrays per rule per request.
        let tracing = trace != nil
        var all = true
        func note(_ name: String, _ ok: Bool, _ detail: @autoclosure () -> String) {
            if tracing { trace?.append(ConditionTrace(condition: name, matched: ok, detail: detail())) }
            if !ok { all = false }
        }
        if !box.match.routes.isEmpty {
            let route = inspection.request.routeName
            note("routes", box.match.routes.contains(route), "route \"\(route)\" in [\(box.match.routes.joined(separator: ", "))]")
            if !all && !tracing { return .success(false) }
        }
        if !box.match.methods.isEmpty {
            let method = inspection.request.method
            note("methods", box.match.methods.contains(method), "method \(method) in [\(box.match.methods.joined(separator: ", "))]")
            if !all && !tracing { return .success(false) }
        }
        if !box.match.paths.isEmpty {
            let path = inspection.normalizedPath
            let hit = box.match.paths.first { $0.matches(path) }
            note("paths", hit != nil, hit.map { "path \(path) matches \"\($0.pattern)\"" } ?? "path \(path) matches none of [\(box.match.paths.map(\.pattern).joined(separator: ", "))]")
            if !all && !tracing { return .success(false) }
        }
        if let i = box.match.identity {
            identity(i, note)
            if !all && !tracing { return .success(false) }
        }
        for h in box.match.headers {
            let values = inspection.request.headers.values(h.name)
            note("headers", Self.test(h.test, strings: values), "header \(h.name) \(h.test) (\(values.count) sent)")
            if !all && !tracing { return .success(false) }
        }
        for q in box.match.query {
            let values = inspection.queryParameters.filter { $0.name == q.name }.map(\.value)
            note("query", Self.test(q.test, strings: values), "query parameter \(q.name) \(q.test) (\(values.count) sent)")
            if !all && !tracing { return .success(false) }
        }
        // Body-reading conditions from here on.
        var problem: BodyProblem?
        func json() -> JSONNode?? {
            switch inspection.json {
            case .success(let root): return .some(root)
            case .failure(let p): problem = problem ?? p; return .none
            }
        }
        for f in box.match.body {
            guard let root = json() else { note("body", false, "field \(f.path): body not inspectable"); break }
            let nodes = root.map { JSONSelection.select(f.path, in: $0) } ?? []
            note("body", Self.test(f.test, nodes: nodes), "field \(f.path) \(f.test) (\(nodes.count) selected)")
            if !all && !tracing { return .success(false) }
        }
        if let s = box.match.sql {
            switch texts(s.field, json) {
            case nil: note("sql", false, "body not inspectable")
            case let texts?:
                var classes: Set<SQLClass> = [], flags: Set<SQLFlag> = []
                for t in texts {
                    let a = t.withUnsafeBytes { SQLClassifier.analyze($0, dialects: s.dialects) }
                    classes.formUnion(a.classes)
                    flags.formUnion(a.flags)
                }
                let hit: Bool
                if s.only {
                    hit = !classes.isEmpty && classes.isSubset(of: s.classes)
                } else {
                    hit = !classes.isDisjoint(with: s.classes) || !flags.isDisjoint(with: s.flags)
                }
                let wants = s.only ? "only classes [\(Self.names(s.classes))]" : "classes [\(Self.names(s.classes))] or flags [\(Self.names(s.flags))]"
                note("sql", hit,
                     "\(s.field.map { "field \($0)" } ?? "body") (\(texts.count) text(s)): classes [\(Self.names(classes))], flags [\(Self.names(flags))]; rule wants \(wants)")
            }
            if !all && !tracing { return problem.map { .failure($0) } ?? .success(false) }
        }
        if let s = box.match.shell {
            switch texts(s.field, json) {
            case nil: note("shell", false, "body not inspectable")
            case let texts?:
                var risks: Set<ShellRisk> = []
                var malformed = false
                for t in texts {
                    let a = ShellClassifier.analyze(String(decoding: t, as: UTF8.self))
                    risks.formUnion(a.risks)
                    if a.malformed { malformed = true }
                }
                let hit = malformed || (s.risks.isEmpty ? !risks.isEmpty : !risks.isDisjoint(with: s.risks))
                note("shell", hit,
                     "\(s.field.map { "field \($0)" } ?? "body") (\(texts.count) command(s)): risks [\(Self.names(risks))]\(malformed ? ", unparseable (counts as a match)" : ""); rule wants \(s.risks.isEmpty ? "any risk" : "[\(Self.names(s.risks))]")")
            }
            if !all && !tracing { return problem.map { .failure($0) } ?? .success(false) }
        }
        for d in box.match.detected {
            inspection.noteScanned(d.scopes)
            switch inspection.count(d.kind, in: d.scopes) {
            case .failure(let p):
                problem = problem ?? p
                note("detected", false, "\(d.label): scan failed")
            case .success(let n):
                let ok = n >= d.minCount && (d.maxCount.map { n <= $0 } ?? true)
                let range = d.maxCount.map { "\(d.minCount)…\($0)" } ?? "≥ \(d.minCount)"
                note("detected", ok, "\(d.isPattern ? "pattern" : "detector") \(d.label): \(n) found in [\(DetectionScope.allCases.filter(d.scopes.contains).map(\.rawValue).joined(separator: ", "))], wants \(range)")
            }
            if !all && !tracing { return problem.map { .failure($0) } ?? .success(false) }
        }
        if let problem { return .failure(problem) }
        return .success(all)
    }

    /// Whether the conditions that do not read the body hold (used to
    /// decide whether a rule could need the body at all).
    func cheapConditionsHold(_ m: RuleMatch) -> Bool {
        var stripped = m
        stripped.body = []
        stripped.sql = nil
        stripped.shell = nil
        stripped.detected = m.detected.filter { !$0.scopes.contains(.body) }
        var none: [ConditionTrace]? = nil
        // Query and header detections may still fail to scan; treat as "could need the body".
        if case .success(let ok) = evaluate(MatchBox(stripped), trace: &none) { return ok }
        return true
    }

    /// The texts a SQL or shell condition reads: string values at `field`,
    /// or the whole body. nil when the body cannot be inspected.
    private func texts(_ field: FieldPath?, _ json: () -> JSONNode??) -> [[UInt8]]? {
        if let field {
            guard let root = json() else { return nil }
            return (root.map { JSONSelection.select(field, in: $0) } ?? []).compactMap { $0.stringValue.map { Array($0.utf8) } }
        }
        switch inspection.body {
        case .failure: return nil
        case .success(let b): return b.map { [$0] } ?? []
        }
    }

    private func identity(_ i: IdentityCondition, _ note: (String, Bool, @autoclosure () -> String) -> Void) {
        let id = inspection.request.identity
        if let a = i.authenticated { note("identity", id.isAuthenticated == a, "authenticated is \(id.isAuthenticated), wants \(a)") }
        if !i.subjects.isEmpty {
            note("identity", id.subject.map { i.subjects.contains($0) } ?? false, "subject \(id.subject.map { "\"\($0)\"" } ?? "none") in [\(i.subjects.joined(separator: ", "))]")
        }
        if !i.groups.isEmpty {
            note("identity", !Set(id.groups).isDisjoint(with: i.groups), "groups [\(id.groups.joined(separator: ", "))] include any of [\(i.groups.joined(separator: ", "))]")
        }
        if !i.clientIDs.isEmpty {
            note("identity", id.clientID.map { i.clientIDs.contains($0) } ?? false, "client_id \(id.clientID.map { "\"\($0)\"" } ?? "none") in [\(i.clientIDs.joined(separator: ", "))]")
        }
        if !i.scopes.isEmpty {
            note("identity", !Set(id.scopes).isDisjoint(with: i.scopes), "scopes [\(id.scopes.joined(separator: ", "))] include any of [\(i.scopes.joined(separator: ", "))]")
        }
    }

    static func test(_ t: ValueTest, strings: [String]) -> Bool {
        switch t {
        case .present(let p): return strings.isEmpty != p
        case .equals(.string(let s)): return strings.contains(s)
        case .equals: return false
        case .anyOf(let vs): return strings.contains { s in vs.contains(.string(s)) }
        case .glob(let g): return strings.contains { g.matches($0) }
        }
    }

    static func test(_ t: ValueTest, nodes: [JSONNode]) -> Bool {
        switch t {
        case .present(let p): return nodes.isEmpty != p
        case .equals(let v): return nodes.contains { JSONSelection.equals($0, v) }
        case .anyOf(let vs): return nodes.contains { n in vs.contains { JSONSelection.equals(n, $0) } }
        case .glob(let g): return nodes.contains { $0.stringValue.map(g.matches) ?? false }
        }
    }

    static func names<E: RawRepresentable>(_ s: Set<E>) -> String where E.RawValue == String {
        s.map(\.rawValue).sorted().joined(separator: ", ")
    }
}
