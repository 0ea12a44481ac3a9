import XCTest
import TLS

/// Key import from JWK parameters, JOSE-form signatures and SHA-256.
final class JOSECryptoTests: XCTestCase {
    private let message = Array("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0".utf8)

    func testEverySchemeVerifiesItsOwnSignatureAndRejectsATamperedOne() throws {
        let rsa = try SigningKey.generateRSA(bits: 2048)
        let p256 = try SigningKey.generateEC(.p256)
        let p384 = try SigningKey.generateEC(.p384)
        let p521 = try SigningKey.generateEC(.p521)
        let ed = try SigningKey.generateEd25519()
        let cases: [(SigningKey, SignatureAlgorithm)] = [
            (rsa, .rsaPKCS1(.sha256)), (rsa, .rsaPKCS1(.sha384)), (rsa, .rsaPKCS1(.sha512)),
            (rsa, .rsaPSS(.sha256)), (rsa, .rsaPSS(.sha384)), (rsa, .rsaPSS(.sha512)),
            (p256, .ecdsa(.p256)), (p384, .ecdsa(.p384)), (p521, .ecdsa(.p521)), (ed, .ed25519),
        ]
        for (key, alg) in cases {
            let sig = try key.sign(message, algorithm: alg)
            let pub = try key.publicKey()
            XCTAssertTrue(pub.verify(signature: sig, message: message, algorithm: alg), "\(alg)")
            var bad = sig
            bad[bad.count / 2] ^= 0x01
            XCTAssertFalse(pub.verify(signature: bad, message: message, algorithm: alg), "\(alg) tampered signature")
            XCTAssertFalse(pub.verify(signature: sig, message: message + [0x2E], algorithm: alg), "\(alg) other message")
        }
    }

    func testECDSASignatureLengthIsExactAndDERIsRefused() throws {
        let key = try SigningKey.generateEC(.p256)
        let sig = try key.sign(message, algorithm: .ecdsa(.p256))
        XCTAssertEqual(sig.count, 64)
        let pub = try key.publicKey()
        XCTAssertFalse(pub.verify(signature: Array(sig.dropLast()), message: message, algorithm: .ecdsa(.p256)))
        XCTAssertFalse(pub.verify(signature: sig + [0], message: message, algorithm: .ecdsa(.p256)))
        // The same signature in DER (what OpenSSL itself would produce) is not accepted.
        let der = derEncode(r: Array(sig[0..<32]), s: Array(sig[32...]))
        XCTAssertFalse(pub.verify(signature: der, message: message, algorithm: .ecdsa(.p256)))
    }

    func testPSSAndPKCS1AreNotInterchangeable() throws {
        let key = try SigningKey.generateRSA()
        let pub = try key.publicKey()
        let pss = try key.sign(message, algorithm: .rsaPSS(.sha256))
        XCTAssertFalse(pub.verify(signature: pss, message: message, algorithm: .rsaPKCS1(.sha256)))
        let pkcs = try key.sign(message, algorithm: .rsaPKCS1(.sha256))
        XCTAssertFalse(pub.verify(signature: pkcs, message: message, algorithm: .rsaPSS(.sha256)))
    }

    func testWrongKeyKindNeverVerifies() throws {
        let ec = try SigningKey.generateEC(.p256)
        let rsa = try SigningKey.generateRSA()
        let sig = try ec.sign(message, algorithm: .ecdsa(.p256))
        XCTAssertFalse(try rsa.publicKey().verify(signature: sig, message: message, algorithm: .ecdsa(.p256)))
        XCTAssertFalse(try ec.publicKey().supports(.ecdsa(.p384)))
        XCTAssertFalse(try ec.publicKey().supports(.rsaPKCS1(.sha256)))
    }

    func testImportReportsKindAndSizeAndRefusesBadPoints() throws {
        let rsa = try SigningKey.generateRSA(bits: 2048)
        guard case .rsa(let n, let e) = try rsa.publicParameters() else { return XCTFail("not RSA") }
        XCTAssertEqual(try PublicKey.rsa(modulus: n, exponent: e).kind, .rsa(bits: 2048))
        XCTAssertEqual(try PublicKey.rsa(modulus: [0, 0] + n, exponent: e).kind, .rsa(bits: 2048))
        // Degenerate exponents are refused: 1, even, zero.
        for bad: [UInt8] in [[1], [0, 1], [2], [0x01, 0x00, 0x00], [0]] {
            XCTAssertThrowsError(try PublicKey.rsa(modulus: n, exponent: bad), "\(bad)")
        }
        XCTAssertNoThrow(try PublicKey.rsa(modulus: n, exponent: [3]))
        let small = try SigningKey.generateRSA(bits: 1024)
        XCTAssertEqual(try small.publicKey().kind, .rsa(bits: 1024))

        let ec = try SigningKey.generateEC(.p384)
        guard case .ec(let curve, let x, var y) = try ec.publicParameters() else { return XCTFail("not EC") }
        XCTAssertEqual(curve, .p384)
        XCTAssertEqual(x.count, 48)
        XCTAssertEqual(try PublicKey.ec(curve: .p384, x: x, y: y).kind, .ec(.p384))
        XCTAssertThrowsError(try PublicKey.ec(curve: .p256, x: x, y: y))  // wrong length for the curve
        y[y.count - 1] ^= 1
        XCTAssertThrowsError(try PublicKey.ec(curve: .p384, x: x, y: y))  // off the curve
        XCTAssertThrowsError(try PublicKey.ed25519([1, 2, 3]))
    }

    func testSHA256KnownAnswer() {
        let hex = SHA256.hash(Array("abc".utf8)).map { String(format: "%02x", $0) }.joined()
        XCTAssertEqual(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    private func derEncode(r: [UInt8], s: [UInt8]) -> [UInt8] {
        func int(_ v: [UInt8]) -> [UInt8] {
            var b = Array(v.drop { $0 == 0 })
            if b.isEmpty || b[0] & 0x80 != 0 { b.insert(0, at: 0) }
            return [0x02, UInt8(b.count)] + b
        }
        let body = int(r) + int(s)
        return [0x30, UInt8(body.count)] + body
    }
}
