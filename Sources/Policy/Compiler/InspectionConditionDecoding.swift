import GatehouseCore
import Inspection

/// Decoding of the conditions that inspect content: detections (detectors
/// and custom patterns with counts), SQL classes/flags and shell risks.
extension MatchDecoding {
    func detection(_ r: ObjectReader) -> DetectionCondition? {
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

    func sql(_ r: ObjectReader) -> SQLCondition? {
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
        let only = r.bool("only")
        if r.contains("only") && only == nil { valid = false }
        if valid, only?.value == true {
            if classes.isEmpty || !flags.isEmpty {
                sink.error("\"only\" in sql condition needs \"classes\" and no \"flags\" (it holds when every statement has one of the classes)", at: only!.location)
                valid = false
            }
        } else if valid, classes.isEmpty, flags.isEmpty {
            sink.error("sql condition needs \"classes\" or \"flags\"", at: r.location)
            valid = false
        }
        guard valid else { return nil }
        return SQLCondition(field: field ?? nil, classes: classes, flags: flags, dialects: dialects.isEmpty ? .all : dialects,
                            only: only?.value ?? false)
    }

    func shell(_ r: ObjectReader) -> ShellCondition? {
        defer { r.finish() }
        var valid = true
        let field = fieldPath(r, "field")
        if case .some(nil) = field { valid = false }
        let risks: Set<ShellRisk> = enumList(r, "risks", valid: &valid)
        guard valid else { return nil }
        return ShellCondition(field: field ?? nil, risks: risks)
    }

    /// A non-empty array of an enum's raw values.
    func enumList<E: RawRepresentable & CaseIterable & Hashable>(_ r: ObjectReader, _ key: String,
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
