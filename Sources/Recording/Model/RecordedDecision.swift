/// One policy decision about an exchange. Carries the names of the detectors
/// that fired and never the values they matched, so a recording cannot leak
/// what masking removed.
public struct RecordedDecision: Sendable, Equatable {
    /// The stage that decided (`identity`, `deny_list`, `inspection`, …).
    public var stage: String
    /// The policy rule that matched, if a rule did.
    public var ruleID: String?
    /// What was done: `allow`, `deny`, `mask`, `hold`, `log`, …
    public var action: String
    /// Detector names that fired (`email`, `aws_key`, …), never matches.
    public var detectors: [String]
    /// True when the rule ran in dry-run mode: recorded, not enforced.
    public var dryRun: Bool

    public init(stage: String, ruleID: String? = nil, action: String, detectors: [String] = [], dryRun: Bool = false) {
        self.stage = stage
        self.ruleID = ruleID
        self.action = action
        self.detectors = detectors
        self.dryRun = dryRun
    }
}
