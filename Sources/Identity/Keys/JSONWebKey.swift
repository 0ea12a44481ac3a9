import GatehouseCore
import TLS

/// One verification key from a JWKS, parsed into an OpenSSL key once
/// (RFC 7517 section 4, RFC 7518 section 6, RFC 8037 section 2).
public struct JSONWebKey: Sendable {
    public var keyID: String?
    /// `kty`: `RSA`, `EC` or `OKP`.
    public var keyType: String
    /// `alg`, when the key names the one algorithm it is for.
    public var algorithm: String?
    /// `crv` for EC and OKP keys.
    public var curve: String?
    public var key: PublicKey

    /// Smallest RSA modulus accepted (RFC 7518 section 3.3).
    public static let minimumRSABits = 2048

    /// Whether this key may check a token signed with `alg`: `kty`, `crv`
    /// and (when present) `alg` all agree with it.
    public func accepts(_ alg: JWSAlgorithm) -> Bool {
        guard keyType == alg.keyType else { return false }
        if let algorithm, algorithm != alg.rawValue { return false }
        return key.supports(alg.signature)
    }

    /// Parses one JWK object. Throws a short reason for a key that is
    /// skipped: unsupported type or curve, `use` other than `sig`, bad
    /// encoding, a point off the curve, or an RSA key under 2048 bits.
    public static func parse(_ node: JSONNode) throws(KeyParseError) -> JSONWebKey {
        guard node.objectValue != nil else { throw KeyParseError("a key is not an object") }
        func str(_ name: String) throws(KeyParseError) -> String? {
            guard let v = node[name] else { return nil }
            guard let s = v.stringValue else { throw KeyParseError("\"\(name)\" is not a string") }
            return s
        }
        func bytes(_ name: String) throws(KeyParseError) -> [UInt8] {
            guard let s = try str(name) else { throw KeyParseError("missing \"\(name)\"") }
            guard let b = Base64URL.decode(s) else { throw KeyParseError("\"\(name)\" is not unpadded base64url") }
            return b
        }
        guard let kty = try str("kty") else { throw KeyParseError("missing \"kty\"") }
        let kid = try str("kid"), alg = try str("alg"), crv = try str("crv")
        if let use = try str("use"), use != "sig" { throw KeyParseError("\"use\" is \"\(use)\", not \"sig\"") }
        if let alg, JWSAlgorithm(rawValue: alg) == nil { throw KeyParseError("unsupported \"alg\" \"\(alg)\"") }
        let key: PublicKey
        do {
            switch kty {
            case "RSA":
                key = try PublicKey.rsa(modulus: try bytes("n"), exponent: try bytes("e"))
                if case .rsa(let bits) = key.kind, bits < minimumRSABits {
                    throw KeyParseError("RSA key of \(bits) bits is under \(minimumRSABits)")
                }
            case "EC":
                guard let crv, let curve = EllipticCurve(rawValue: crv) else {
                    throw KeyParseError("unsupported EC curve \"\(crv ?? "none")\"")
                }
                key = try PublicKey.ec(curve: curve, x: try bytes("x"), y: try bytes("y"))
            case "OKP":
                guard crv == "Ed25519" else { throw KeyParseError("unsupported OKP curve \"\(crv ?? "none")\"") }
                key = try PublicKey.ed25519(try bytes("x"))
            default:
                throw KeyParseError("unsupported \"kty\" \"\(kty)\"")
            }
        } catch let error as CryptoError {
            throw KeyParseError(error.reason)
        } catch let error as KeyParseError {
            throw error
        } catch {
            throw KeyParseError("\(error)")
        }
        return JSONWebKey(keyID: kid, keyType: kty, algorithm: alg, curve: crv, key: key)
    }
}

/// Why one key of a set was skipped.
public struct KeyParseError: Error, Sendable, Equatable {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
}
