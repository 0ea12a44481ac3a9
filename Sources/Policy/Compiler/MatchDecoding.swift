import GatehouseCore
import HTTP1
import Inspection

/// Decodes a rule's `"match"` object. Names of custom patterns are checked
/// against `patternNames` (every file of the set), detectors against `Detector`.
struct MatchDecoding {
    let sink: JSONDiagnosticSink
    let patternNames: Set<String>

    /// The match, or nil when some part is invalid (the problems are in `sink`).
    func decode(_ reader: ObjectReader) -> RuleMatch? {
        defer { reader.finish() }
        var m = RuleMatch()
        var valid = true
        if let list = reader.array("routes", nonEmpty: true) {
            m.routes = strings(list, "each entry of \(reader.describe("routes"))", valid: &valid)
        } else if reader.contains("routes") { valid = false }
        if let list = reader.array("methods", nonEmpty: true) {
            for node in list.value {
                guard let s = node.expectString("each entry of \(reader.describe("methods"))", sink: sink) else { valid = false; continue }
                if !HTTPHeaders.isValidFieldName(s) {
                    sink.error("method \"\(s)\" is not an HTTP token", at: node.location)
                    valid = false
                } else if s != s.uppercased() {
                    sink.warning("method \"\(s)\" is not upper case; methods are case-sensitive, so it only matches requests sent with \"\(s)\"", at: node.location)
                    m.methods.append(s)
                } else {
                    m.methods.append(s)
                }
            }
        } else if reader.contains("methods") { valid = false }
        if let list = reader.array("paths", nonEmpty: true) {
            for node in list.value {
                guard let s = node.expectString("each entry of \(reader.describe("paths"))", sink: sink) else { valid = false; continue }
                if let problem = PathGlobSyntax.problem(s) {
                    sink.error("path glob \"\(s)\" \(problem)", at: node.location)
                    valid = false
                } else {
                    m.paths.append(Glob(s, pathSegments: true))
                }
            }
        } else if reader.contains("paths") { valid = false }
        if let r = reader.object("identity", context: "identity condition") {
            if let i = identity(r) { m.identity = i } else { valid = false }
        } else if reader.contains("identity") { valid = false }
        m.headers = named(reader, "headers", context: "header condition", lowercase: true, valid: &valid)
        m.query = named(reader, "query", context: "query condition", lowercase: false, valid: &valid)
        if let list = reader.array("body", nonEmpty: true) {
            for node in list.value {
                guard let r = ObjectReader(node, context: "body condition", description: "each entry of \(reader.describe("body"))", sink: sink) else { valid = false; continue }
                defer { r.finish() }
                let path = fieldPath(r, "path", required: true)
                let test = ValueTestDecoding.decode(r, stringsOnly: false)
                if let path = path ?? nil, let test { m.body.append(FieldCondition(path: path, test: test)) } else { valid = false }
            }
        } else if reader.contains("body") { valid = false }
        if let list = reader.array("detected", nonEmpty: true) {
            for node in list.value {
                guard let r = ObjectReader(node, context: "detection condition", description: "each entry of \(reader.describe("detected"))", sink: sink) else { valid = false; continue }
                if let d = detection(r) { m.detected.append(d) } else { valid = false }
            }
        } else if reader.contains("detected") { valid = false }
        if let r = reader.object("sql", context: "sql condition") {
            if let c = sql(r) { m.sql = c } else { valid = false }
        } else if reader.contains("sql") { valid = false }
        if let r = reader.object("shell", context: "shell condition") {
            if let c = shell(r) { m.shell = c } else { valid = false }
        } else if reader.contains("shell") { valid = false }
        return valid ? m : nil
    }

    private func strings(_ list: Located<[JSONNode]>, _ what: String, valid: inout Bool) -> [String] {
        var out: [String] = []
        for node in list.value {
            if let s = node.expectString(what, sink: sink) { out.append(s) } else { valid = false }
        }
        return out
    }

    /// A `"field"`/`"path"` member: nil when absent, `.some(nil)` when invalid.
    func fieldPath(_ r: ObjectReader, _ key: String, required: Bool = false) -> FieldPath?? {
        guard let text = r.string(key, required: required) else {
            return r.contains(key) || required ? .some(nil) : nil
        }
        switch FieldPath.parse(text.value) {
        case .success(let p): return .some(p)
        case .failure(let problem):
            sink.error(problem.message, at: text.location)
            return .some(nil)
        }
    }

    private func named(_ reader: ObjectReader, _ key: String, context: String, lowercase: Bool, valid: inout Bool) -> [NamedValueCondition] {
        guard let list = reader.array(key, nonEmpty: true) else {
            if reader.contains(key) { valid = false }
            return []
        }
        var out: [NamedValueCondition] = []
        for node in list.value {
            guard let r = ObjectReader(node, context: context, description: "each entry of \(reader.describe(key))", sink: sink) else { valid = false; continue }
            defer { r.finish() }
            let name = r.string("name", required: true)
            if let name, lowercase, !HTTPHeaders.isValidFieldName(name.value) {
                sink.error("header name \"\(name.value)\" is not a valid field name (an HTTP token)", at: name.location)
                valid = false
            }
            let test = ValueTestDecoding.decode(r, stringsOnly: true)
            guard let name, let test else { valid = false; continue }
            out.append(NamedValueCondition(name: lowercase ? name.value.lowercased() : name.value, test: test))
        }
        return out
    }

    private func identity(_ r: ObjectReader) -> IdentityCondition? {
        defer { r.finish() }
        var c = IdentityCondition()
        var valid = true
        func list(_ key: String) -> [String] {
            guard let l = r.array(key, nonEmpty: true) else {
                if r.contains(key) { valid = false }
                return []
            }
            return strings(l, "each entry of \(r.describe(key))", valid: &valid)
        }
        c.subjects = list("subjects")
        c.groups = list("groups")
        c.clientIDs = list("client_ids")
        c.scopes = list("scopes")
        if let a = r.bool("authenticated") { c.authenticated = a.value } else if r.contains("authenticated") { valid = false }
        return valid ? c : nil
    }

    private func detection(_ r: ObjectReader) -> DetectionCondition? {
        defer { r.finish() }
        var valid = true
        let detector = r.string("detector")
        let pattern = r.string("pattern")
        if r.contains("detector") && detector == nil || r.contains("pattern") && pattern == nil { valid = false }
        var label: String?
        var isPattern = false
        switch (detector, pattern) {
        case (nil, nil):
            if valid { sink.error("detection condition needs \"detector\" or \"pattern\"", at: r.location) }
            valid = false
        case (.some, .some):
            sink.error("detection condition has both \"detector\" and \"pattern\"; use one per condition", at: r.location)
            valid = false
        case (let d?, nil):
            if Detector(rawValue: d.value) == nil {
                sink.error(Self.unknownDetector(d.value, patternNames: patternNames), at: d.location)
                valid = false
            } else {
                label = d.value
            }
        case (nil, let p?):
            if !patternNames.contains(p.value) {
                sink.error("unknown pattern \"\(p.value)\"; define it in \"patterns\" of a policy file\(Self.detectorHint(p.value))", at: p.location)
                valid = false
            } else {
                label = p.value
                isPattern = true
            }
        }
        let minCount = r.int("min_count", in: 0...1_000_000)
        let maxCount = r.int("max_count", in: 0...1_000_000)
        if r.contains("min_count") && minCount == nil || r.contains("max_count") && maxCount == nil { valid = false }
        var scopes = Set(DetectionScope.allCases)
        if let list = r.array("in", nonEmpty: true) {
            scopes = []
            for node in list.value {
                guard let s = node.expectString("each entry of \(r.describe("in"))", sink: sink) else { valid = false; continue }
                if let scope = DetectionScope(rawValue: s) { scopes.insert(scope) } else {
                    sink.error("\(r.describe("in")) must list \"body\", \"query\" or \"headers\", got \"\(s)\"", at: node.location)
                    valid = false
                }
            }
        } else if r.contains("in") { valid = false }
        guard valid, let label else { return nil }
        return DetectionCondition(label: label, isPattern: isPattern, minCount: minCount?.value ?? 1,
                                  maxCount: maxCount?.value, scopes: scopes)
    }

    private func sql(_ r: ObjectReader) -> SQLCondition? {
        defer { r.finish() }
        var valid = true
        let field = fieldPath(r, "field")
        if case .some(nil) = field { valid = false }
        let classes: Set<SQLClass> = enumList(r, "classes", valid: &valid)
        let flags: Set<SQLFlag> = enumList(r, "flags", valid: &valid)
        var dialects: SQLDialects = []
        if let list = r.array("dialects", nonEmpty: true) {
            for node in list.value {
                guard let s = node.expectString("each entry of \(r.describe("dialects"))", sink: sink) else { valid = false; continue }
                switch s {
                case "postgres": dialects.insert(.postgres)
                case "mysql": dialects.insert(.mysql)
                case "sqlserver": dialects.insert(.sqlServer)
                default:
                    sink.error("unknown SQL dialect \"\(s)\"; expected one of: mysql, postgres, sqlserver", at: node.location)
                    valid = false
                }
            }
        } else if r.contains("dialects") { valid = false }
        if valid, classes.isEmpty, flags.isEmpty {
            sink.error("sql condition needs \"classes\" or \"flags\"", at: r.location)
            valid = false
        }
        guard valid else { return nil }
        return SQLCondition(field: field ?? nil, classes: classes, flags: flags, dialects: dialects.isEmpty ? .all : dialects)
    }

    private func shell(_ r: ObjectReader) -> ShellCondition? {
        defer { r.finish() }
        var valid = true
        let field = fieldPath(r, "field")
        if case .some(nil) = field { valid = false }
        let risks: Set<ShellRisk> = enumList(r, "risks", valid: &valid)
        guard valid else { return nil }
        return ShellCondition(field: field ?? nil, risks: risks)
    }

    /// A non-empty array of an enum's raw values.
    private func enumList<E: RawRepresentable & CaseIterable & Hashable>(_ r: ObjectReader, _ key: String,
                                                                       valid: inout Bool) -> Set<E> where E.RawValue == String {
        guard let list = r.array(key, nonEmpty: true) else {
            if r.contains(key) { valid = false }
            return []
        }
        var out: Set<E> = []
        for node in list.value {
            guard let s = node.expectString("each entry of \(r.describe(key))", sink: sink) else { valid = false; continue }
            if let e = E(rawValue: s) { out.insert(e) } else {
                sink.error("unknown value \"\(s)\" in \(r.describe(key)); expected one of: \(E.allCases.map(\.rawValue).sorted().joined(separator: ", "))",
                           at: node.location)
                valid = false
            }
        }
        return out
    }

    static func unknownDetector(_ name: String, patternNames: Set<String>) -> String {
        var message = "unknown detector \"\(name)\"; known detectors: \(Detector.allCases.map(\.rawValue).sorted().joined(separator: ", "))"
        if patternNames.contains(name) { message += " (\"\(name)\" is a custom pattern: use \"pattern\")" }
        return message
    }

    static func detectorHint(_ name: String) -> String {
        Detector(rawValue: name) != nil ? " (\"\(name)\" is a built-in detector: use \"detector\")" : ""
    }
}
