import GatehouseCore
import HTTP1
import Inspection

/// The facts about one request that rules share, each computed at most
/// once and only when a rule reaches the condition that needs it: the
/// normalized path, query parameters, the body checked against the bound
/// and its encoding, the parsed JSON, and detector findings per scope.
/// Lives for one evaluation on one thread (it holds that thread's scratch).
final class RequestInspection {
    let request: PolicyRequest
    /// The policy's inspector (not the whole `CompiledPolicy`: a copy of it
    /// per request retained each of its arrays).
    let inspector: Inspector
    let scratch: PatternScratch
    let bodyLimit: Int

    init(request: consuming PolicyRequest, policy: CompiledPolicy, scratch: PatternScratch, bodyLimit: Int) {
        self.request = request
        inspector = policy.inspector
        self.scratch = scratch
        self.bodyLimit = bodyLimit
    }

    private(set) lazy var normalizedPath: String = PathNormalizer.normalize(request.rawPath)
    private(set) lazy var queryParameters: [(name: String, value: String)] = QueryParameters.parse(request.rawQuery)

    /// What the body is, from `Content-Type`.
    enum BodyKind { case json, form, text }

    private(set) lazy var bodyKind: BodyKind = Self.bodyKind(contentType: request.headers.firstValue("content-type"))

    /// `application/json` and `*+json` are JSON; `application/x-www-form-urlencoded`
    /// is a form; anything else (or nothing) is text.
    static func bodyKind(contentType: String?) -> BodyKind {
        guard let ct = contentType else { return .text }
        let media = ct.split(separator: ";", maxSplits: 1).first.map { $0.trimmingSpaces.lowercased() } ?? ""
        if media == "application/json" || media.hasSuffix("+json") { return .json }
        if media == "application/x-www-form-urlencoded" { return .form }
        return .text
    }

    /// The body bytes (nil when the request has none), or why they cannot be inspected.
    private(set) lazy var body: Result<[UInt8]?, BodyProblem> = {
        let bytes: [UInt8]
        switch request.body {
        case .none: return .success(nil)
        case .unavailable: return .failure(.uninspectable("the body was not buffered"))
        case .bytes(let b): bytes = b
        }
        if bytes.count > bodyLimit { return .failure(.tooLarge(limit: bodyLimit)) }
        if let problem = UndecodedEncoding.problem(in: request.headers) { return .failure(.uninspectable(problem)) }
        return .success(bytes.isEmpty ? nil : bytes)
    }()

    /// The body parsed as JSON (nil when there is no body).
    private(set) lazy var json: Result<JSONNode?, BodyProblem> = {
        switch body {
        case .failure(let p): return .failure(p)
        case .success(nil): return .success(nil)
        case .success(let bytes?):
            do throws(JSONParseError) {
                return .success(try JSONParser.parse(bytes))
            } catch {
                return .failure(.malformed("\(error.location): \(error.message)"))
            }
        }
    }()

    /// Detector findings in the body: JSON, form or text scanning by
    /// `Content-Type`. A body typed JSON that is not JSON is malformed.
    private(set) lazy var bodyFindings: Result<[Finding], BodyProblem> = {
        switch body {
        case .failure(let p): return .failure(p)
        case .success(nil): return .success([])
        case .success(let bytes?):
            let inspector = self.inspector
            let scratch = self.scratch
            let kind = bodyKind
            return bytes.withUnsafeBytes { raw -> Result<[Finding], BodyProblem> in
                do {
                    switch kind {
                    case .json:
                        do throws(InspectionError) {
                            return .success(try inspector.scanJSON(raw, scratch: scratch, pointers: false))
                        } catch {
                            if case .malformedJSON(let offset, let reason) = error {
                                return .failure(.malformed("byte \(offset): \(reason)"))
                            }
                            return .failure(.uninspectable(error.description))
                        }
                    case .form: return .success(try inspector.scanForm(raw, scratch: scratch))
                    case .text: return .success(try inspector.scan(raw, scratch: scratch))
                    }
                } catch {
                    return .failure(.uninspectable("\(error)"))
                }
            }
        }
    }()

    /// Findings in the raw query string (form decoding).
    private(set) lazy var queryFindings: Result<[Finding], BodyProblem> = {
        guard let q = request.rawQuery, !q.isEmpty else { return .success([]) }
        var s = String(q)
        let inspector = self.inspector
        let scratch = self.scratch
        return s.withUTF8 { raw in
            do { return .success(try inspector.scanForm(UnsafeRawBufferPointer(raw), scratch: scratch)) } catch {
                return .failure(.uninspectable("\(error)"))
            }
        }
    }()

    /// Findings in every header value.
    private(set) lazy var headerFindings: Result<[Finding], BodyProblem> = {
        var out: [Finding] = []
        let inspector = self.inspector
        let scratch = self.scratch
        do {
            for i in 0..<request.headers.count {
                try request.headers.withField(at: i) { _, value in
                    out += try inspector.scan(value, scratch: scratch)
                }
            }
        } catch {
            return .failure(.uninspectable("\(error)"))
        }
        return .success(out)
    }()

    /// How many findings of `kind` the scopes hold.
    func count(_ kind: FindingKind, in scopes: Set<DetectionScope>) -> Result<Int, BodyProblem> {
        var n = 0
        for scope in DetectionScope.allCases where scopes.contains(scope) {
            let found: Result<[Finding], BodyProblem>
            switch scope {
            case .body: found = bodyFindings
            case .query: found = queryFindings
            case .headers: found = headerFindings
            }
            switch found {
            case .failure(let p): return .failure(p)
            case .success(let fs): n += fs.reduce(0) { $0 + ($1.kind == kind ? 1 : 0) }
            }
        }
        return .success(n)
    }

    /// Every label found in each scope that was scanned, with counts, for
    /// the decision (labels only, never the values).
    func detectionCounts() -> [DetectionCount] {
        guard bodyScanned || queryScanned || headersScanned else { return [] }
        var out: [DetectionCount] = []
        for (scope, result) in [(DetectionScope.body, bodyFindingsIfComputed), (.query, queryFindingsIfComputed),
                                (.headers, headerFindingsIfComputed)] {
            guard case .success(let fs)? = result else { continue }
            var counts: [String: Int] = [:]
            for f in fs { counts[f.kind.label, default: 0] += 1 }
            for (label, n) in counts.sorted(by: { $0.key < $1.key }) { out.append(DetectionCount(label: label, scope: scope, count: n)) }
        }
        return out
    }

    // Whether a scan ran is tracked so the decision lists only what was scanned.
    private var bodyScanned = false, queryScanned = false, headersScanned = false
    func noteScanned(_ scopes: Set<DetectionScope>) {
        if scopes.contains(.body) { bodyScanned = true }
        if scopes.contains(.query) { queryScanned = true }
        if scopes.contains(.headers) { headersScanned = true }
    }
    private var bodyFindingsIfComputed: Result<[Finding], BodyProblem>? { bodyScanned ? bodyFindings : nil }
    private var queryFindingsIfComputed: Result<[Finding], BodyProblem>? { queryScanned ? queryFindings : nil }
    private var headerFindingsIfComputed: Result<[Finding], BodyProblem>? { headersScanned ? headerFindings : nil }
}

extension Substring {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: Substring {
        var s = self
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return s
    }
}

/// How many findings of one label a scope held. Never the values.
public struct DetectionCount: Sendable, Hashable, CustomStringConvertible {
    public var label: String
    public var scope: DetectionScope
    public var count: Int
    public var description: String { "\(label) ×\(count) in \(scope.rawValue)" }
}
