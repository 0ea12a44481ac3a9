import GatehouseCore

/// A parsed JWKS document (RFC 7517 section 5). Keys that cannot be used
/// are skipped with a reason (for the log); the others still work. An
/// immutable value shared by every loop once built.
public struct JWKSet: Sendable {
    public var keys: [JSONWebKey]
    /// `kid` (or position) and reason of every skipped key.
    public var skipped: [String]

    public init(keys: [JSONWebKey], skipped: [String] = []) {
        self.keys = keys
        self.skipped = skipped
    }

    /// Parses a JWKS body; fails only when the document itself is unusable
    /// (not JSON, no `keys` array).
    public static func parse(_ body: [UInt8]) -> Result<JWKSet, DocumentError> {
        let root: JSONNode
        do { root = try JSONParser.parse(body) } catch {
            return .failure(DocumentError("JWKS is not valid JSON: \(error)"))
        }
        guard let list = root["keys"]?.arrayValue else { return .failure(DocumentError("JWKS has no \"keys\" array")) }
        var set = JWKSet(keys: [])
        for (i, node) in list.enumerated() {
            do {
                set.keys.append(try JSONWebKey.parse(node))
            } catch {
                let name = node["kid"]?.stringValue.map { "kid \"\($0)\"" } ?? "key #\(i)"
                set.skipped.append("\(name): \(error.reason)")
            }
        }
        return .success(set)
    }

    /// Keys that may check a token with `alg` and `kid`: with a `kid`, the
    /// keys carrying it; without one, every key that fits the algorithm.
    public func candidates(kid: String?, alg: JWSAlgorithm) -> [JSONWebKey] {
        keys.filter { ($0.keyID == kid || kid == nil) && $0.accepts(alg) }
    }

    /// Whether some key carries `kid` (whatever its type).
    public func contains(kid: String) -> Bool { keys.contains { $0.keyID == kid } }
}

/// A fetched document (discovery or JWKS) that cannot be used.
public struct DocumentError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
