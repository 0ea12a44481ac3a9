import GatehouseCore
import HTTP1
import Policy

/// The 50-rule policy and the two requests of the policy measurement (the
/// same as `PolicyThroughputTests`): 40 route/method/path rules, 5 header
/// rules, and shell, detection, mask, SQL and allow rules on route `api`.
enum PolicyBench {
    static let text: String = {
        var rules: [String] = []
        for i in 0..<40 {
            rules.append(#"{"id": "route-\#(i)", "match": {"routes": ["svc-\#(i)"], "methods": ["POST", "PUT"], "paths": ["/v\#(i)/**"]}, "action": "deny"}"#)
        }
        for i in 0..<5 {
            rules.append(#"{"id": "hdr-\#(i)", "match": {"headers": [{"name": "x-tenant-\#(i)", "equals": "blocked"}]}, "action": "deny"}"#)
        }
        rules.append(#"{"id": "shell", "match": {"routes": ["api"], "body": [{"path": "method", "equals": "tools/call"}], "shell": {"field": "params.arguments.command"}}, "action": "deny"}"#)
        rules.append(#"{"id": "cards", "match": {"routes": ["api"], "detected": [{"detector": "credit_card", "in": ["body"]}]}, "action": "audit"}"#)
        rules.append(#"{"id": "mask", "match": {"routes": ["api"]}, "action": {"mask": {"detectors": ["us_ssn", "email"], "direction": "response"}}}"#)
        rules.append(#"{"id": "sql", "match": {"routes": ["api"], "sql": {"field": "params.arguments.sql", "classes": ["ddl", "write"]}}, "action": "deny"}"#)
        rules.append(#"{"id": "ok", "match": {"routes": ["api"]}, "action": "allow"}"#)
        return #"{"route_defaults": {"*": "allow"}, "rules": [\#(rules.joined(separator: ",\n"))]}"#
    }()

    static let postBody: [UInt8] = Array(#"{"jsonrpc": "2.0", "id": 9, "method": "tools/call", "params": {"name": "shell", "arguments": {"command": "ls -la /srv/app && cat README.md", "sql": "SELECT id, name FROM users WHERE id = 7"}}, "meta": {"note": "\#(String(repeating: "lorem ipsum dolor sit amet ", count: 60))"}}"#.utf8)

    static func headers(_ pairs: [(String, String)]) -> HTTPHeaders {
        var h = HTTPHeaders()
        for (n, v) in pairs { h.append(name: n, value: v) }
        return h
    }

    static let get = PolicyRequest(routeName: "other", method: "GET", target: "/v1/items?page=2",
                                   headers: headers([("Accept", "application/json"), ("User-Agent", "agent/1.0")]))

    static let post = PolicyRequest(routeName: "api", method: "POST", target: "/mcp",
                                    headers: headers([("Content-Type", "application/json")]), body: .bytes(postBody))
}
