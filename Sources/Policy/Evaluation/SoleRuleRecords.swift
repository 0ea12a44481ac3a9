/// The decision records of a request where one rule alone matched (not in
/// dry run, without detection conditions) — the usual case — built once
/// per rule by `CompiledPolicy`, so the evaluator shares one of these
/// instead of allocating the list per request: the rule decided, or the
/// route default decided after it (allow or deny).
struct SoleRuleRecords {
    let decided: [RuleRecord]
    let thenAllow: [RuleRecord]
    let thenDeny: [RuleRecord]

    init(_ rule: PolicyRule) {
        let record = RuleRecord(ruleID: rule.id, action: rule.action.ruleClass.rawValue, detectors: [],
                                dryRun: rule.dryRun, decided: false)
        var decidedRecord = record
        decidedRecord.decided = true
        decided = [decidedRecord]
        thenAllow = [record, RuleRecord(ruleID: nil, action: "allow", detectors: [], dryRun: false, decided: true)]
        thenDeny = [record, RuleRecord(ruleID: nil, action: "deny", detectors: [], dryRun: false, decided: true)]
    }
}
