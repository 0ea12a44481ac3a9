import GatehouseCore
import Inspection

/// A policy file's path (as shown in diagnostics) and bytes.
public struct PolicySource: Sendable {
    public var path: String
    public var bytes: [UInt8]
    public init(path: String, bytes: [UInt8]) { self.path = path; self.bytes = bytes }
    public init(path: String, text: String) { self.init(path: path, bytes: Array(text.utf8)) }
}

/// What the compiler may check against the rest of the configuration.
public struct PolicyCompileOptions: Sendable {
    /// Route names from the gateway config; when set, rules and route
    /// defaults naming only unknown routes get warnings.
    public var knownRoutes: Set<String>?
    public init(knownRoutes: Set<String>? = nil) { self.knownRoutes = knownRoutes }
}

/// Compiles JSON policy files into a `CompiledPolicy`, collecting every
/// problem as `file:line:column: message` (JSON syntax errors stop that
/// file at the first one). Runs at load and for `gatehouse check`; never on
/// the data path.
///
/// Steps: parse each file strictly (`JSONParser`); collect custom pattern
/// names from all files; decode each file (unknown keys, types, globs,
/// JSON Pointers, detectors, patterns); compile each custom pattern alone
/// through Hyperscan so a bad regex is reported at its own location; check
/// across files (duplicate rule IDs and pattern names, conflicting route
/// defaults); lint (never-matching and shadowed rules); build one
/// `Inspector` with every detector and pattern the rules use.
public enum PolicyCompiler {
    public static func compile(_ sources: [PolicySource], options: PolicyCompileOptions = PolicyCompileOptions()) -> PolicyCompilation {
        var diagnostics: [PolicyDiagnostic] = []
        var parsed: [(path: String, root: JSONNode)] = []
        for source in sources {
            if isBlank(source.bytes) {
                diagnostics.append(PolicyDiagnostic(file: source.path, line: 1, column: 1, message: "policy file is empty; expected a JSON object"))
                continue
            }
            do {
                parsed.append((source.path, try JSONParser.parse(source.bytes)))
            } catch {
                diagnostics.append(PolicyDiagnostic(file: source.path, line: error.location.line, column: error.location.column, message: error.message))
            }
        }
        let patternNames = Set(parsed.flatMap { PolicyFileDecoding.patternNames($0.root) })

        var lintEntries: [PolicyLints.Entry] = []
        var ruleIDs: [String: PolicySourceLocation] = [:]
        var patterns: [CustomPattern] = []
        var patternLocations: [String: PolicySourceLocation] = [:]
        var defaults: [String: DefaultAction] = [:]
        var defaultLocations: [String: PolicySourceLocation] = [:]
        for (path, root) in parsed {
            let sink = JSONDiagnosticSink()
            let file = PolicyFileDecoding(sink: sink, file: path, patternNames: patternNames).decode(root)
            var fileDiagnostics = sink.diagnostics.map { PolicyDiagnostic(file: path, $0) }
            func at(_ l: SourceLocation) -> PolicySourceLocation { PolicySourceLocation(file: path, line: l.line, column: l.column) }
            for p in file.patterns {
                if let first = patternLocations[p.pattern.name] {
                    fileDiagnostics.append(PolicyDiagnostic(at(p.nameLocation), "duplicate pattern name \"\(p.pattern.name)\" (first defined at \(first))"))
                    continue
                }
                patternLocations[p.pattern.name] = at(p.nameLocation)
                var flags: PatternFlags = [.leftmostStart]
                if p.pattern.caseless { flags.insert(.caseless) }
                do {
                    _ = try PatternDatabase([PatternSpec(id: p.pattern.name, expression: p.pattern.expression, flags: flags)])
                    patterns.append(p.pattern)
                } catch {
                    if case .runtimeUnreliable = error {  // not this pattern's fault: say what is wrong
                        fileDiagnostics.append(PolicyDiagnostic(at(p.regexLocation), "pattern \"\(p.pattern.name)\" cannot be compiled: \(error.description)"))
                        continue
                    }
                    let message: String
                    if case .compile(_, _, let hs) = error { message = hs } else { message = error.description }
                    fileDiagnostics.append(PolicyDiagnostic(at(p.regexLocation), "invalid regex for pattern \"\(p.pattern.name)\": \(message)"))
                }
            }
            for d in file.routeDefaults {
                if let first = defaultLocations[d.route], defaults[d.route] != d.action {
                    fileDiagnostics.append(PolicyDiagnostic(at(d.location), "conflicting default for route \"\(d.route)\" (first set at \(first))"))
                    continue
                }
                defaults[d.route] = d.action
                defaultLocations[d.route] = at(d.location)
                if let known = options.knownRoutes, d.route != "*", !known.contains(d.route) {
                    fileDiagnostics.append(PolicyDiagnostic(at(d.location), severity: .warning,
                                                            "route default for \"\(d.route)\", which is not defined in the configuration"))
                }
            }
            for (rule, id, idLocation) in file.rules {
                if let first = ruleIDs[id] {
                    fileDiagnostics.append(PolicyDiagnostic(at(idLocation), "duplicate rule id \"\(id)\" (first defined at \(first))"))
                    continue
                }
                ruleIDs[id] = at(idLocation)
                if let rule { lintEntries.append(PolicyLints.Entry(rule: rule, idLocation: at(idLocation))) }
            }
            diagnostics += fileDiagnostics
        }
        diagnostics += PolicyLints(entries: lintEntries, knownRoutes: options.knownRoutes).run()

        let rules = lintEntries.map(\.rule)
        let (detectors, usedLabels) = referencedKinds(rules)
        // Only on a clean set: a rule with errors is not decoded, so its uses are unknown.
        let hasErrors = diagnostics.contains { $0.severity == .error }
        for name in patternLocations.keys.sorted() where !hasErrors && !usedLabels.contains(name) {
            diagnostics.append(PolicyDiagnostic(patternLocations[name]!, severity: .warning,
                                                "pattern \"\(name)\" is not used by any rule"))
        }
        diagnostics = sorted(diagnostics, fileOrder: sources.map(\.path))
        guard !diagnostics.contains(where: { $0.severity == .error }) else {
            return PolicyCompilation(policy: nil, diagnostics: diagnostics)
        }
        do {
            let inspector = try Inspector(InspectorConfiguration(detectors: detectors, customPatterns: patterns))
            let policy = CompiledPolicy(rules: rules, routeDefaults: defaults, inspector: inspector,
                                        patternNames: Set(patterns.map(\.name)))
            return PolicyCompilation(policy: policy, diagnostics: diagnostics)
        } catch {
            let file = sources.first?.path ?? "policy"
            diagnostics.append(PolicyDiagnostic(file: file, line: 0, column: 0, message: "cannot compile the policy's patterns: \(error)"))
            return PolicyCompilation(policy: nil, diagnostics: diagnostics)
        }
    }

    /// Reads and compiles the files at `paths` (in that order). A file that
    /// cannot be read yields `path:0:0: cannot read file: <errno text>`.
    public static func compile(paths: [String], options: PolicyCompileOptions = PolicyCompileOptions()) -> PolicyCompilation {
        var sources: [PolicySource] = []
        var unreadable: [PolicyDiagnostic] = []
        for path in paths {
            switch PolicyFiles.read(path: path) {
            case .success(let bytes): sources.append(PolicySource(path: path, bytes: bytes))
            case .failure(let e): unreadable.append(PolicyDiagnostic(file: path, line: 0, column: 0, message: "cannot read file: \(e.message)"))
            }
        }
        var result = compile(sources, options: options)
        if !unreadable.isEmpty {
            result.policy = nil
            result.diagnostics = unreadable + result.diagnostics
        }
        return result
    }

    /// Built-in detectors that any rule uses (detections and masks), and
    /// every label used (detectors and patterns).
    static func referencedKinds(_ rules: [PolicyRule]) -> (Set<Detector>, Set<String>) {
        var labels: Set<String> = []
        for rule in rules {
            for d in rule.match.detected { labels.insert(d.label) }
            if case .mask(let spec) = rule.action { labels.formUnion(spec.labels) }
        }
        return (Set(labels.compactMap(Detector.init(rawValue:))), labels)
    }

    /// By file (in the order given), then line and column; stable otherwise.
    static func sorted(_ d: [PolicyDiagnostic], fileOrder: [String]) -> [PolicyDiagnostic] {
        var rank: [String: Int] = [:]
        for (i, f) in fileOrder.enumerated() where rank[f] == nil { rank[f] = i }
        return d.enumerated().sorted { x, y in
            let a = (rank[x.element.file] ?? Int.max, x.element.line, x.element.column, x.offset)
            let b = (rank[y.element.file] ?? Int.max, y.element.line, y.element.column, y.offset)
            return a < b
        }.map(\.element)
    }

    private static func isBlank(_ bytes: [UInt8]) -> Bool {
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes.dropFirst(3) : bytes[...]
        return body.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
    }
}
