import Foundation
import GatehouseCore
import HTTP1
import Inspection
import Policy
import XCTest

/// Compiling inline policies and building requests for the policy tests.
enum PolicyTest {
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static var fixtures: URL {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
    }

    /// Compiles `text` as `inline.json`; fails the test on errors.
    static func compile(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> CompiledPolicy {
        let result = PolicyCompiler.compile([PolicySource(path: "inline.json", text: text)])
        guard let policy = result.policy else {
            XCTFail("policy did not compile:\n\(result.diagnostics.map(\.description).joined(separator: "\n"))", file: file, line: line)
            throw XCTSkip("compile failed")
        }
        return policy
    }

    /// The diagnostic lines for `text` compiled as `name`.
    static func diagnostics(_ text: String, name: String = "p.json", knownRoutes: Set<String>? = nil) -> [String] {
        PolicyCompiler.compile([PolicySource(path: name, text: text)], options: PolicyCompileOptions(knownRoutes: knownRoutes))
            .diagnostics.map(\.description)
    }

    static func headers(_ pairs: [(String, String)]) -> HTTPHeaders {
        var h = HTTPHeaders()
        for (n, v) in pairs { h.append(name: n, value: v) }
        return h
    }

    static func request(route: String = "api", method: String = "GET", target: String = "/", headers: [(String, String)] = [],
                        identity: RequestIdentity = RequestIdentity(), body: String? = nil,
                        contentType: String? = "application/json") -> PolicyRequest {
        var pairs = headers
        if body != nil, let contentType { pairs.append(("Content-Type", contentType)) }
        return PolicyRequest(routeName: route, method: method, target: target, headers: self.headers(pairs),
                             identity: identity, body: body.map { .bytes(Array($0.utf8)) } ?? .none)
    }

    static func evaluate(_ policy: CompiledPolicy, _ request: PolicyRequest, trace: Bool = false,
                         bodyLimit: Int = PolicyEvaluator.defaultBodyLimit) throws -> PolicyDecision {
        let evaluator = PolicyEvaluator(policy: policy, bodyLimit: bodyLimit)
        return evaluator.evaluate(request, scratch: try evaluator.makeScratch(), trace: trace)
    }

    static let key = MaskKey(Secret(Array("test-mask-key".utf8)))
}

extension PolicyOutcome {
    /// `allow`/`allow:<rule>` or `<status> <code>` / `<status> <code> <rule>`.
    var short: String {
        switch self {
        case .allow(let id): id.map { "allow:\($0)" } ?? "allow"
        case .deny(let r, let id): "\(r.status) \(r.code)\(id.map { " \($0)" } ?? "")"
        }
    }
}
