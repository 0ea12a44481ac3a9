/// Where something was defined in a policy file, for diagnostics and for
/// `gatehouse explain` output.
public struct PolicySourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`.
    public var description: String { "\(file):\(line):\(column)" }
}

/// One compiled rule: an ID unique in the policy set, its match, its
/// action, and whether it only runs in dry run (decision recorded, not enforced).
public struct PolicyRule: Sendable, Hashable {
    public var id: String
    public var description: String?
    public var match: RuleMatch
    public var action: RuleAction
    public var dryRun: Bool
    /// The rule object's `{` in its file.
    public var location: PolicySourceLocation

    public init(id: String, description: String? = nil, match: RuleMatch, action: RuleAction, dryRun: Bool = false,
                location: PolicySourceLocation) {
        self.id = id
        self.description = description
        self.match = match
        self.action = action
        self.dryRun = dryRun
        self.location = location
    }

    /// Whether evaluating this rule may need the request body: body fields,
    /// SQL or shell text, detections in the body, or a request mask.
    public var needsRequestBody: Bool {
        if match.needsBody { return true }
        if case .mask(let spec) = action, spec.direction.coversRequest { return true }
        return false
    }
}
