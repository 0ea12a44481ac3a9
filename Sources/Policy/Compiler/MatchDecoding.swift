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
}
