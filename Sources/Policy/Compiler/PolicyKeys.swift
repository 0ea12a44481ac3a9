/// The keys each policy-file object accepts. The decoders read exactly
/// these; `PolicySchemaTests` checks them against
/// `Docs/schema/policy.schema.json` and the unknown-key messages.
public enum PolicyKeys {
    public static let file: Set<String> = ["$schema", "description", "patterns", "route_defaults", "rules"]
    public static let pattern: Set<String> = ["caseless", "description", "name", "regex"]
    public static let rule: Set<String> = ["action", "description", "dry_run", "id", "match"]
    public static let match: Set<String> = [
        "body", "detected", "headers", "identity", "methods", "paths", "query", "routes", "shell", "sql",
    ]
    public static let valueTests: Set<String> = ["any_of", "equals", "glob", "present"]
    public static let header: Set<String> = valueTests.union(["name"])
    public static let query: Set<String> = valueTests.union(["name"])
    public static let bodyField: Set<String> = valueTests.union(["path"])
    public static let identity: Set<String> = ["authenticated", "client_ids", "groups", "scopes", "subjects"]
    public static let detection: Set<String> = ["detector", "in", "max_count", "min_count", "pattern"]
    public static let sql: Set<String> = ["classes", "dialects", "field", "flags", "only"]
    public static let shell: Set<String> = ["field", "risks"]
    /// An action object has exactly one of these keys.
    public static let action: Set<String> = ["allow", "audit", "deny", "mask", "require_approval"]
    public static let allow: Set<String> = []
    public static let audit: Set<String> = []
    public static let deny: Set<String> = ["message", "status"]
    public static let mask: Set<String> = ["detectors", "direction", "fields", "keep", "strategy"]
    public static let requireApproval: Set<String> = ["message"]
}
