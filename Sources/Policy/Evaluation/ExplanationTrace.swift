/// One condition of a rule as evaluated, for `gatehouse explain`. Details
/// name what was tested and counts, never matched values.
public struct ConditionTrace: Sendable, Hashable, CustomStringConvertible {
    /// The match key (`routes`, `paths`, `body`, `detected`, …).
    public var condition: String
    public var matched: Bool
    public var detail: String

    public var description: String { "\(matched ? "yes" : "no "): \(condition): \(detail)" }
}

/// One rule as considered: whether it matched, each condition, and what
/// it did to the decision.
public struct RuleTrace: Sendable, Equatable {
    public var ruleID: String
    public var ruleClass: RuleClass
    public var dryRun: Bool
    public var location: PolicySourceLocation
    public var matched: Bool
    /// In trace mode every condition is evaluated (no short cut).
    public var conditions: [ConditionTrace]
    /// Set when the body could not be inspected for this rule.
    public var problem: BodyProblem?
    /// What the rule did: `decides the outcome`, `not reached: …`, `mask
    /// accumulated`, `recorded`, `did not match`, … (filled by the evaluator).
    public var effect: String

    /// Several lines: the rule header, then one line per condition.
    public var rendered: String {
        var lines = ["rule \(ruleID) [\(ruleClass.rawValue)\(dryRun ? ", dry run" : "")] at \(location): \(matched ? "matched" : "no match") — \(effect)"]
        for c in conditions { lines.append("  \(c)") }
        if let problem { lines.append("  body: \(problem.code): \(problem)") }
        return lines.joined(separator: "\n")
    }
}
