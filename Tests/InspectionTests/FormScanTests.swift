import XCTest
@testable import Inspection

final class FormScanTests: XCTestCase {
    func scan(_ body: String, _ inspector: Inspector = Shared.defaults) throws -> [(String, String, String?)] {
        let bytes = Array(body.utf8)
        let scratch = try inspector.makeScratch()
        return try bytes.withUnsafeBytes { raw in
            try inspector.scanForm(raw, scratch: scratch).map { ($0.kind.label, String(decoding: bytes[$0.range], as: UTF8.self), $0.pointer) }
        }
    }

    func testPercentDecodedValuesAreScanned() throws {
        let f = try scan("user=bob&email=alice%40example.com&card=4111+1111+1111+1111&note=a%zz")
        XCTAssertEqual(f.map(\.0), ["email", "credit_card"])
        XCTAssertEqual(f.map(\.1), ["alice%40example.com", "4111+1111+1111+1111"])
        XCTAssertEqual(f.map(\.2), ["email", "card"])
    }

    func testSecretFieldsAndMasking() throws {
        let body = "u=bob&db_password=Vq3%23Lm9%24Tz2%21Kw7p&ssn=536-22-8901"
        let f = try scan(body, Shared.all)
        XCTAssertEqual(f.map(\.0), ["generic_secret", "us_ssn"])
        let bytes = Array(body.utf8)
        let scratch = try Shared.all.makeScratch()
        let masked = try bytes.withUnsafeBytes { raw in
            Masker.maskForm(raw, findings: try Shared.all.scanForm(raw, scratch: scratch), plan: .all(.partial(keep: 4)))
        }
        XCTAssertEqual(masked.map { String(decoding: $0, as: UTF8.self) }, "u=bob&db_password=***%23***%24***%21Kw7p&ssn=***-**-8901")
    }

    func testAWSSecretInFormField() throws {
        let f = try scan("aws_secret_access_key=wJalrXUtnFEMI%2FK7MDENG%2FbPxRfiCYEXAMPLEKEY&x=1")
        XCTAssertEqual(f.map(\.0), ["aws_secret_access_key"])
    }

    func testQueryStringWithEmptyFields() throws {
        XCTAssertEqual(try scan("&&a=&=x&ip=10.0.0.1&").map(\.1), ["10.0.0.1"])
    }
}
