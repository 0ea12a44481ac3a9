import Inspection

/// What happens to a request on a route when no allow rule matched (and no
/// deny or approval rule did). Routes default to `deny`.
public enum DefaultAction: Sendable, Hashable {
    case allow
    case deny(status: Int, message: String)

    /// The built-in default: 403 `policy_default_deny`.
    public static let standardDeny = DefaultAction.deny(status: 403, message: standardDenyMessage)
    public static let standardDenyMessage = "no policy rule allows this request"
}

/// A policy set compiled from one or more policy files: rules in file order
/// (files in the order given), route defaults, and one `Inspector` holding
/// every detector and custom pattern the rules use. Immutable and shared
/// by all event loops.
public struct CompiledPolicy: Sendable {
    public let rules: [PolicyRule]
    /// Default action per route name; `"*"` is the fallback for routes not listed.
    public let routeDefaults: [String: DefaultAction]
    /// Detectors and custom patterns referenced by any rule, compiled once.
    public let inspector: Inspector
    /// Custom pattern names defined by the files.
    public let patternNames: Set<String>
    /// Each rule's match behind a reference, so evaluation borrows it
    /// instead of copying a dozen arrays per rule per request.
    let matches: [MatchBox]
    /// Each mask rule's masks per direction, built once here: evaluation
    /// merges them (the first one is shared, not rebuilt) instead of
    /// hashing every label into a new set per request.
    let ruleMasks: [RuleMasks]
    /// `[rules[k].id]` for each rule, built once: the evaluator's lists of
    /// matched rules start as one of these (shared, not allocated per request).
    let ruleIDLists: [[String]]
    /// Each rule's records for when it alone matched (`SoleRuleRecords`).
    let soleRuleRecords: [SoleRuleRecords]
    /// Whether any rule runs in dry run; without one the evaluator skips the shadow decision.
    let hasDryRunRules: Bool
    /// Rules' route and method conditions as bitsets (see `RulePrefilter`).
    let prefilter: RulePrefilter
    /// `routeDefaults` as a list when it has at most 8 entries (the usual
    /// case), for `defaultAction(route:)`; nil otherwise.
    let routeDefaultList: [(route: String, action: DefaultAction)]?

    public init(rules: [PolicyRule], routeDefaults: [String: DefaultAction], inspector: Inspector,
                patternNames: Set<String>) {
        self.rules = rules
        self.routeDefaults = routeDefaults
        self.inspector = inspector
        self.patternNames = patternNames
        matches = rules.map { MatchBox($0.match) }
        ruleMasks = rules.map(RuleMasks.init)
        ruleIDLists = rules.map { [$0.id] }
        soleRuleRecords = rules.map(SoleRuleRecords.init)
        hasDryRunRules = rules.contains(where: \.dryRun)
        prefilter = RulePrefilter(rules)
        routeDefaultList = routeDefaults.count <= 8 ? routeDefaults.map { (route: $0.key, action: $0.value) } : nil
    }

    /// The default for `route`: its own entry, else `"*"`, else deny.
    public func defaultAction(route: String) -> DefaultAction {
        guard let list = routeDefaultList else { return routeDefaults[route] ?? routeDefaults["*"] ?? .standardDeny }
        // A few entries: compared in turn (short route names compare in a
        // word or two), without hashing the name twice per request.
        var fallback: DefaultAction?
        for entry in list {
            if entry.route == route { return entry.action }
            if entry.route == "*" { fallback = entry.action }
        }
        return fallback ?? .standardDeny
    }

    /// The rule with `id`, if any.
    public func rule(id: String) -> PolicyRule? { rules.first { $0.id == id } }
}

/// A mask rule's `MaskSet` for each direction it covers (nil for the
/// other direction, and for rules of other actions).
struct RuleMasks: Sendable {
    var request: MaskSet?
    var response: MaskSet?

    init(_ rule: PolicyRule) {
        guard case .mask(let spec) = rule.action else { return }
        if spec.direction.coversRequest { request = MaskSet(spec, ruleID: rule.id) }
        if spec.direction.coversResponse { response = MaskSet(spec, ruleID: rule.id) }
    }
}

/// A rule's match, shared by reference (see `CompiledPolicy.matches`).
final class MatchBox: Sendable {
    let match: RuleMatch
    init(_ match: RuleMatch) { self.match = match }
}
