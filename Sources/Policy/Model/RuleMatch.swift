import Inspection

/// A rule's match: every condition that is present must hold (AND); a list
/// inside a condition holds when any entry does (OR). An empty match
/// matches every request. See Docs/POLICY.md for each key.
public struct RuleMatch: Sendable, Hashable {
    /// Route names from the config; empty = any route.
    public var routes: [String] = []
    /// Methods, compared case-sensitively; empty = any method.
    public var methods: [String] = []
    /// Path globs matched against the normalized path; empty = any path.
    public var paths: [Glob] = []
    public var identity: IdentityCondition?
    public var headers: [NamedValueCondition] = []
    public var query: [NamedValueCondition] = []
    public var body: [FieldCondition] = []
    public var detected: [DetectionCondition] = []
    public var sql: SQLCondition?
    public var shell: ShellCondition?

    public init() {}

    /// Whether some condition reads the request body.
    public var needsBody: Bool {
        !body.isEmpty || sql != nil || shell != nil || detected.contains { $0.scopes.contains(.body) }
    }

    /// Whether the match has no condition besides `routes` and `methods`:
    /// when those hold (as `RulePrefilter` establishes), it holds.
    public var onlyRoutesAndMethods: Bool {
        paths.isEmpty && identity == nil && headers.isEmpty && query.isEmpty && body.isEmpty && detected.isEmpty
            && sql == nil && shell == nil
    }

    /// Whether some condition needs the body parsed as JSON.
    public var needsJSON: Bool {
        !body.isEmpty || sql?.field != nil || shell?.field != nil
    }
}

/// A JSON scalar a condition compares with.
public enum ScalarValue: Sendable, Hashable, CustomStringConvertible {
    case string(String)
    /// The literal and its value; numbers compare by value (`1` equals `1.0`).
    case number(String, Double)
    case bool(Bool)
    case null

    public var description: String {
        switch self {
        case .string(let s): "\"\(s)\""
        case .number(let literal, _): literal
        case .bool(let b): b ? "true" : "false"
        case .null: "null"
        }
    }
}

/// What a value must satisfy. Exactly one per condition.
public enum ValueTest: Sendable, Hashable, CustomStringConvertible {
    /// `present: true` holds when a value exists; `present: false` when none does.
    case present(Bool)
    case equals(ScalarValue)
    case anyOf([ScalarValue])
    /// String values only.
    case glob(Glob)

    public var description: String {
        switch self {
        case .present(let p): p ? "is present" : "is absent"
        case .equals(let v): "equals \(v)"
        case .anyOf(let vs): "is one of [\(vs.map(\.description).joined(separator: ", "))]"
        case .glob(let g): "matches glob \"\(g.pattern)\""
        }
    }
}

/// A header (name compared case-insensitively) or query parameter test.
/// Holds when any of the values sent under that name passes (`present:
/// false`: when none is sent).
public struct NamedValueCondition: Sendable, Hashable {
    /// Lower-cased for headers; exact (decoded) for query parameters.
    public var name: String
    public var test: ValueTest
    public init(name: String, test: ValueTest) { self.name = name; self.test = test }
}

/// A body field test: holds when any value the path selects passes.
public struct FieldCondition: Sendable, Hashable {
    public var path: FieldPath
    public var test: ValueTest
    public init(path: FieldPath, test: ValueTest) { self.path = path; self.test = test }
}

/// Where detection runs.
public enum DetectionScope: String, Sendable, Hashable, CaseIterable {
    case body, query, headers
}

/// A detector or custom pattern with a count range over the chosen scopes.
public struct DetectionCondition: Sendable, Hashable {
    /// A `Detector` raw value or a custom pattern name.
    public var label: String
    public var isPattern: Bool
    public var minCount: Int
    public var maxCount: Int?
    public var scopes: Set<DetectionScope>

    public init(label: String, isPattern: Bool, minCount: Int = 1, maxCount: Int? = nil,
                scopes: Set<DetectionScope> = Set(DetectionScope.allCases)) {
        self.label = label
        self.isPattern = isPattern
        self.minCount = minCount
        self.maxCount = maxCount
        self.scopes = scopes
    }

    public var kind: FindingKind {
        isPattern ? .custom(label) : Detector(rawValue: label).map(FindingKind.detector) ?? .custom(label)
    }
}

/// SQL text (a body field, or the whole body when `field` is nil) that
/// holds any of `classes` or `flags` — or, with `only`, whose statements
/// all have one of `classes` (for allow rules: `SELECT 1; DROP TABLE t`
/// has a read, but is not only reads).
public struct SQLCondition: Sendable, Hashable {
    public var field: FieldPath?
    public var classes: Set<SQLClass>
    public var flags: Set<SQLFlag>
    public var dialects: SQLDialects
    public var only: Bool

    public init(field: FieldPath?, classes: Set<SQLClass>, flags: Set<SQLFlag>, dialects: SQLDialects = .all, only: Bool = false) {
        self.field = field
        self.classes = classes
        self.flags = flags
        self.dialects = dialects
        self.only = only
    }
}

/// A shell command line (a body field, or the whole body) with any of
/// `risks` (any risk when empty). A command the parser cannot read
/// (unterminated quote or substitution) counts as a match: fail closed.
public struct ShellCondition: Sendable, Hashable {
    public var field: FieldPath?
    public var risks: Set<ShellRisk>

    public init(field: FieldPath?, risks: Set<ShellRisk>) {
        self.field = field
        self.risks = risks
    }
}

/// Identity facts (see `IdentityAttributes`). Each list holds when the
/// request has any listed value; `authenticated` when the request is (or is
/// not) authenticated.
public struct IdentityCondition: Sendable, Hashable {
    public var subjects: [String] = []
    public var groups: [String] = []
    public var clientIDs: [String] = []
    public var scopes: [String] = []
    public var authenticated: Bool?

    public init() {}
}
