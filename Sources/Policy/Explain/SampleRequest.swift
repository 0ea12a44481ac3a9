import GatehouseCore
import HTTP1

/// A sample request for `gatehouse explain --request FILE`: a JSON object
///
/// ```json
/// {"route": "prod-db", "method": "POST", "target": "/v1/query?x=1",
///  "headers": {"Content-Type": "application/json", "X-Tag": ["a", "b"]},
///  "identity": {"subject": "alice", "groups": ["eng"], "client_id": "agent-7", "scopes": ["db:read"]},
///  "body": {"query": "SELECT 1"}}
/// ```
///
/// `body` is sent as is when it is a string, and as compact JSON otherwise;
/// absent means no body. Problems are reported like policy-file problems.
public enum SampleRequest {
    public static let keys: Set<String> = ["body", "headers", "identity", "method", "route", "target"]
    public static let identityKeys: Set<String> = ["client_id", "groups", "scopes", "subject"]

    public static func decode(_ bytes: [UInt8], path: String) -> Result<PolicyRequest, PolicyDiagnostics> {
        let root: JSONNode
        do throws(JSONParseError) {
            root = try JSONParser.parse(bytes)
        } catch {
            return .failure(PolicyDiagnostics([PolicyDiagnostic(file: path, line: error.location.line, column: error.location.column, message: error.message)]))
        }
        let sink = JSONDiagnosticSink()
        var request: PolicyRequest?
        if let r = ObjectReader(root, context: "sample request", sink: sink) {
            request = decode(r)
            r.finish()
        }
        let diagnostics = sink.sortedDiagnostics.map { PolicyDiagnostic(file: path, $0) }
        guard let request, !sink.hasErrors else { return .failure(PolicyDiagnostics(diagnostics)) }
        return .success(request)
    }

    private static func decode(_ r: ObjectReader) -> PolicyRequest? {
        let sink = r.sink
        let route = r.string("route", required: true)
        let method = r.string("method")
        let target = r.string("target")
        if let target, !target.value.hasPrefix("/") {
            sink.error("\(r.describe("target")) must start with '/', got \"\(target.value)\"", at: target.location)
        }
        var headers = HTTPHeaders()
        if let h = r.member("headers") {
            if let members = h.node.objectValue {
                for m in members {
                    guard HTTPHeaders.isValidFieldName(m.key) else {
                        sink.error("header name \"\(m.key)\" is not an HTTP token", at: m.keyLocation)
                        continue
                    }
                    let values: [JSONNode] = m.node.arrayValue ?? [m.node]
                    for v in values {
                        guard let s = v.expectString("header \"\(m.key)\" value", sink: sink) else { continue }
                        headers.append(name: m.key, value: s)
                    }
                }
            } else {
                sink.error("\(r.describe("headers")) must be an object of header names to strings, got \(h.node.value.typeName)", at: h.node.location)
            }
        }
        var identity = RequestIdentity()
        if let i = r.object("identity", context: "sample identity") {
            identity.subject = i.string("subject")?.value
            identity.clientID = i.string("client_id")?.value
            identity.groups = i.array("groups")?.value.compactMap { $0.expectString("each group", sink: sink) } ?? []
            identity.scopes = i.array("scopes")?.value.compactMap { $0.expectString("each scope", sink: sink) } ?? []
            i.finish()
        }
        var body = RequestBody.none
        if let b = r.member("body") {
            if case .string(let s) = b.node.value {
                body = .bytes(Array(s.utf8))
            } else {
                var out: [UInt8] = []
                CompactJSON.write(b.node, to: &out)
                body = .bytes(out)
                if !headers.contains("content-type") { headers.append(name: "Content-Type", value: "application/json") }
            }
        }
        guard let route else { return nil }
        return PolicyRequest(routeName: route.value, method: method?.value ?? "GET", target: target?.value ?? "/",
                             headers: headers, identity: identity, body: body)
    }
}

/// Writes a parsed JSON value back as compact JSON (for sample bodies).
enum CompactJSON {
    static func write(_ node: JSONNode, to out: inout [UInt8]) {
        switch node.value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let n): out.append(contentsOf: n.literal.utf8)
        case .string(let s): JSONOutput.appendString(s, to: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (k, e) in elements.enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                write(e, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (k, m) in members.enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                JSONOutput.appendString(m.key, to: &out)
                out.append(UInt8(ascii: ":"))
                write(m.node, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }
}
