import GatehouseCore
import Inspection

/// Decodes a rule's `"action"`: a string (`"allow"`, `"deny"`, `"audit"`,
/// `"require_approval"`, with defaults) or an object with exactly one of
/// `allow`, `deny`, `mask`, `require_approval`, `audit`.
struct ActionDecoding {
    let sink: JSONDiagnosticSink
    let patternNames: Set<String>

    static let defaultDenyStatus = 403
    static let statusRange = 400...599

    func decode(_ node: JSONNode, ruleID: String, allowed: Set<String> = PolicyKeys.action, context: String = "action",
                defaultDenyMessage: String? = nil) -> RuleAction? {
        let denyMessage = defaultDenyMessage ?? "denied by policy rule \(ruleID)"
        let expected = allowed.sorted().map { "\"\($0)\"" }.joined(separator: ", ")
        switch node.value {
        case .string(let name):
            guard allowed.contains(name) else {
                sink.error("unknown \(context) \"\(name)\"; expected one of: \(expected)", at: node.location)
                return nil
            }
            if name == "mask" {
                sink.error("a mask action needs its settings: {\"mask\": {\"detectors\": [...], \"strategy\": \"redact\"}}", at: node.location)
                return nil
            }
            return action(name, body: nil, ruleID: ruleID, denyMessage: denyMessage)
        case .object(let members):
            guard members.count == 1, let only = members.first else {
                sink.error("\(context) object must have exactly one key, one of: \(expected)", at: node.location)
                return nil
            }
            guard allowed.contains(only.key) else {
                sink.error("unknown \(context) \"\(only.key)\"; expected one of: \(expected)", at: only.keyLocation)
                return nil
            }
            return action(only.key, body: only.node, ruleID: ruleID, denyMessage: denyMessage)
        default:
            sink.error("\(context) must be a string or an object, got \(node.value.typeName)", at: node.location)
            return nil
        }
    }

    private func action(_ name: String, body: JSONNode?, ruleID: String, denyMessage: String) -> RuleAction? {
        let contextName = "\(name) action"
        var reader: ObjectReader?
        if let body {
            guard let r = ObjectReader(body, context: contextName, sink: sink) else { return nil }
            reader = r
        }
        defer { reader?.finish() }
        switch name {
        case "allow": return .allow
        case "audit": return .audit
        case "deny":
            let status = reader?.int("status", in: Self.statusRange)
            let message = reader?.string("message")
            if reader?.contains("status") == true && status == nil || reader?.contains("message") == true && message == nil { return nil }
            return .deny(status: status?.value ?? Self.defaultDenyStatus, message: message?.value ?? denyMessage)
        case "require_approval":
            let message = reader?.string("message")
            if reader?.contains("message") == true && message == nil { return nil }
            return .requireApproval(message: message?.value ?? "policy rule \(ruleID) requires an approval")
        case "mask":
            guard let reader else { return nil }
            return mask(reader).map(RuleAction.mask)
        default:
            return nil
        }
    }

    private func mask(_ r: ObjectReader) -> MaskSpec? {
        var valid = true
        var labels: [String] = []
        if let list = r.array("detectors", nonEmpty: true) {
            for node in list.value {
                guard let s = node.expectString("each entry of \(r.describe("detectors"))", sink: sink) else { valid = false; continue }
                if Detector(rawValue: s) != nil || patternNames.contains(s) {
                    labels.append(s)
                } else {
                    sink.error("unknown detector or pattern \"\(s)\"; known detectors: \(Detector.allCases.map(\.rawValue).sorted().joined(separator: ", "))",
                               at: node.location)
                    valid = false
                }
            }
        } else if r.contains("detectors") { valid = false }
        var fields: [FieldPath] = []
        if let list = r.array("fields", nonEmpty: true) {
            for node in list.value {
                guard let s = node.expectString("each entry of \(r.describe("fields"))", sink: sink) else { valid = false; continue }
                switch FieldPath.parse(s) {
                case .success(let p): fields.append(p)
                case .failure(let problem): sink.error(problem.message, at: node.location); valid = false
                }
            }
        } else if r.contains("fields") { valid = false }
        var strategy = MaskStrategyName.redact
        if let s = r.string("strategy") {
            switch s.value {
            case "redact": strategy = .redact
            case "hash": strategy = .hash
            case "partial": strategy = .partial(keep: 4)
            default:
                sink.error("unknown masking strategy \"\(s.value)\"; expected one of: hash, partial, redact", at: s.location)
                valid = false
            }
        } else if r.contains("strategy") { valid = false }
        if let keep = r.int("keep", in: 0...64) {
            if case .partial = strategy { strategy = .partial(keep: keep.value) } else if valid {
                sink.error("\"keep\" only applies to the \"partial\" strategy", at: keep.location)
                valid = false
            }
        } else if r.contains("keep") { valid = false }
        var direction = MaskDirection.both
        if let d = r.string("direction") {
            if let parsed = MaskDirection(rawValue: d.value) { direction = parsed } else {
                sink.error("unknown mask direction \"\(d.value)\"; expected one of: both, request, response", at: d.location)
                valid = false
            }
        } else if r.contains("direction") { valid = false }
        if valid, labels.isEmpty, fields.isEmpty {
            sink.error("mask action needs \"detectors\" or \"fields\"", at: r.location)
            valid = false
        }
        return valid ? MaskSpec(labels: labels, fields: fields, strategy: strategy, direction: direction) : nil
    }
}
