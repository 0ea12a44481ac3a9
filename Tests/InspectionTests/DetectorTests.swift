import XCTest
@testable import Inspection

/// Unit tests of individual validators (the corpus covers them end to end).
final class DetectorTests: XCTestCase {
    func check(_ text: String, _ body: (UnsafeRawBufferPointer) -> Void) {
        var s = text
        s.withUTF8 { body(UnsafeRawBufferPointer($0)) }
    }

    func testCardNetworksAndLengths() {
        typealias D = CreditCardDetector
        XCTAssertEqual(D.network(leading: 411111, length: 16), .visa)
        XCTAssertNil(D.network(leading: 411111, length: 15))
        XCTAssertEqual(D.network(leading: 222100, length: 16), .mastercard)
        XCTAssertEqual(D.network(leading: 272099, length: 16), .mastercard)
        XCTAssertNil(D.network(leading: 272100, length: 16))
        XCTAssertNil(D.network(leading: 222099, length: 16))
        XCTAssertEqual(D.network(leading: 340000, length: 15), .amex)
        XCTAssertEqual(D.network(leading: 601100, length: 16), .discover)
        XCTAssertEqual(D.network(leading: 622126, length: 16), .discover)
        XCTAssertEqual(D.network(leading: 644000, length: 16), .discover)
        XCTAssertEqual(D.network(leading: 352800, length: 16), .jcb)
        XCTAssertEqual(D.network(leading: 300000, length: 14), .diners)
        XCTAssertEqual(D.network(leading: 620000, length: 16), .unionpay)
        XCTAssertNil(D.network(leading: 123456, length: 16))
        check("4111111111111111 4111111111111112") { b in
            XCTAssertEqual(D.validate(b, 0, 16), 0..<16)
            XCTAssertNil(D.validate(b, 17, 33))  // Luhn
        }
        check("4111 1111-1111 1111") { b in XCTAssertNil(D.validate(b, 0, b.count)) }  // mixed separators
    }

    /// The one-pass card validator against the two-pass one it replaced,
    /// on random candidates: 13-19 digits, grouped by spaces or dashes
    /// (sometimes mixed), with and without valid check digits.
    func testCardValidatorMatchesTwoPassReference() {
        func reference(_ b: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Range<Int>? {
            guard Boundary.isNumericTokenEdge(b, start: start, end: end) else { return nil }
            var count = 0, separator: UInt8 = 0, leading = 0
            for i in start..<end {
                let c = b[i]
                if ByteClass.isDigit(c) {
                    if count < 6 { leading = leading * 10 + ByteClass.digitValue(c) }
                    count += 1
                    continue
                }
                if separator == 0 { separator = c } else if c != separator { return nil }
            }
            guard count >= 13, count <= 19, CreditCardDetector.network(leading: leading, length: count) != nil else { return nil }
            var sum = 0, double = false, i = end
            while i > start {
                i -= 1
                guard ByteClass.isDigit(b[i]) else { continue }
                var v = ByteClass.digitValue(b[i])
                if double { v *= 2; if v > 9 { v -= 9 } }
                sum += v
                double.toggle()
            }
            return sum % 10 == 0 ? start..<end : nil
        }
        var rng = SystemRandomNumberGenerator()
        let prefixes = ["4", "51", "2221", "34", "37", "6011", "65", "3528", "36", "62", "1", "9"]
        var valid = 0
        for _ in 0..<20_000 {
            let length = Int.random(in: 13...19, using: &rng)
            var digits = Array(prefixes.randomElement(using: &rng)!.utf8)
            while digits.count < length { digits.append(UInt8(ascii: "0") + UInt8.random(in: 0...9, using: &rng)) }
            var text: [UInt8] = [UInt8(ascii: " ")]
            let sep: [UInt8] = [0x20, 0x2D]
            let style = Int.random(in: 0...3, using: &rng)  // none, spaces, dashes, mixed
            for (k, d) in digits.enumerated() {
                if k > 0, k % 4 == 0, style > 0 { text.append(style == 3 ? sep.randomElement(using: &rng)! : sep[style - 1]) }
                text.append(d)
            }
            text.append(UInt8(ascii: " "))
            text.withUnsafeBytes { b in
                let got = CreditCardDetector.validate(b, 1, b.count - 1)
                XCTAssertEqual(got, reference(b, 1, b.count - 1), String(decoding: text, as: UTF8.self))
                if got != nil { valid += 1 }
            }
        }
        XCTAssertGreaterThan(valid, 100, "some candidates pass")
    }

    func testSSNRules() {
        for (text, ok) in [("536-22-8901", true), ("000-22-8901", false), ("666-22-8901", false), ("950-22-8901", false),
                           ("536-00-8901", false), ("536-22-0000", false), ("078-05-1120", false), ("219-09-9999", false),
                           ("123-45-6789", false), ("457-55-5462", false), ("457-55-5463", true), ("222-22-2222", false), ("536 22 8901", true), ("536-22 8901", false)] {
            check(text) { b in XCTAssertEqual(SSNDetector.validate(b, 0, b.count) != nil, ok, text) }
        }
    }

    func testIBANChecksumAndLengths() {
        check("GB82WEST12345698765432") { b in XCTAssertEqual(IBANDetector.mod97(b, 0..<b.count), 1) }
        XCTAssertEqual(IBANDetector.lengths.count, 88)
        for (text, ok) in [("DE89370400440532013000", true), ("DE89 3704 0044 0532 0130 00", true), ("DE89370400440532013001", false),
                           ("DE8937040044053201300", false), ("ZZ89370400440532013000", false), ("DE01370400440532013000", false)] {
            check(text) { b in XCTAssertEqual(IBANDetector.validate(b, 0, b.count) != nil, ok, text) }
        }
    }

    func testIPv6Parser() {
        for (text, ok) in [("::1", true), ("fe80::", true), ("1:2:3:4:5:6:7:8", true), ("1:2:3:4:5:6:7", false), ("1::2::3", false),
                           ("::ffff:1.2.3.4", true), ("::ffff:1.2.3", false), ("1:2:3:4:5:6:1.2.3.4", true), ("12345::", false),
                           ("::", false), (":1:2", false), ("1:2:3:4:5:6:7:8:9", false)] {
            check(text) { b in XCTAssertEqual(IPv6Detector.parse(b, 0..<b.count), ok, text) }
        }
    }

    func testIPv4Octets() {
        for (text, ok) in [("0.0.0.0", true), ("255.255.255.255", true), ("256.1.1.1", false), ("01.1.1.1", false), ("1.1.1", false)] {
            check(text) { b in XCTAssertEqual(IPv4Detector.octets(b, 0..<b.count), ok, text) }
        }
    }

    func testEmailParts() {
        check("a.b@ex-ample.co") { b in XCTAssertEqual(EmailDetector.validate(b, 2, 5), 0..<b.count) }
        check("x@example.c0m") { b in XCTAssertNil(EmailDetector.validate(b, 0, 3)) }
        check("x@xn--80ak6aa92e.com") { b in XCTAssertNotNil(EmailDetector.validate(b, 0, 3)) }
    }

    func testEntropy() {
        check("aaaaaaaa") { b in XCTAssertEqual(Entropy.bitsPerByte(b, 0..<b.count), 0) }
        check("abcdefgh") { b in XCTAssertEqual(Entropy.bitsPerByte(b, 0..<b.count), 3, accuracy: 1e-9) }
        check("aA1!") { b in XCTAssertEqual(Entropy.classCount(b, 0..<b.count), 4) }
    }

    func testJWTHeaderMustHaveAlg() {
        check("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln") { b in XCTAssertEqual(JWTDetector.validate(b, 0, 21), 0..<b.count) }
        check("eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiIxIn0.c2ln") { b in XCTAssertNil(JWTDetector.validate(b, 0, 19)) }
        XCTAssertEqual(Base64URL.decode(UnsafeRawBufferPointer(start: nil, count: 0), 0..<0), [])
    }

    func testGenericSecretKeyNames() {
        for (key, ok) in [("password", true), ("DB_PASSWORD", true), ("client-secret", true), ("apiKey", true), ("user", false),
                          ("passwordless", false), ("secrets_count", false)] {
            check(key) { b in XCTAssertEqual(GenericSecretDetector.isSecretKeyName(b), ok, key) }
        }
    }

    func testGenericSecretIsOptIn() throws {
        XCTAssertFalse(Detector.defaultSet.contains(.genericSecret))
        XCTAssertEqual(try Shared.defaults.matches(.genericSecret, in: "password=Xk9mP2vL7qR4tZ8w"), [])
        XCTAssertEqual(try Shared.all.matches(.genericSecret, in: "password=Xk9mP2vL7qR4tZ8w"), ["Xk9mP2vL7qR4tZ8w"])
        let strict = try Inspector(InspectorConfiguration(detectors: [.genericSecret], genericSecretMinEntropy: 4.5))
        XCTAssertEqual(try strict.matches(.genericSecret, in: "password=Xk9mP2vL7qR4tZ8w"), [])
    }

    func testContainedFindingsAreDropped() {
        let f = Inspector.resolve([
            Finding(kind: .detector(.creditCard), range: 5..<21),
            Finding(kind: .detector(.iban), range: 0..<27),
            Finding(kind: .detector(.iban), range: 0..<27),
            Finding(kind: .detector(.email), range: 26..<40),
        ])
        XCTAssertEqual(f.map(\.range), [0..<27, 26..<40])
    }
}
