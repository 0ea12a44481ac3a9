import Foundation
@testable import GatewayConfig
import XCTest

final class ConfigFileTests: XCTestCase {
    func testMissingFile() {
        guard case .failure(let errors) = ConfigLoader.load(path: "/nonexistent/gatehouse.json") else {
            return XCTFail("loaded a missing file")
        }
        XCTAssertEqual(errors.description, "/nonexistent/gatehouse.json:0:0: cannot read file: No such file or directory")
    }

    func testDirectoryIsNotAFile() throws {
        let dir = try Fixtures.directory().path
        guard case .failure(let errors) = ConfigLoader.load(path: dir) else { return XCTFail("loaded a directory") }
        XCTAssertEqual(errors.description, "\(dir):0:0: cannot read file: Is a directory")
    }

    func testLoadFromDiskUsesThePathInDiagnostics() throws {
        let path = try Fixtures.url("bad-syntax.json").path
        guard case .failure(let errors) = ConfigLoader.load(path: path) else { return XCTFail("loaded") }
        XCTAssertEqual(errors.description, "\(path):3:18: trailing comma is not allowed before ']'")
        let good = try Fixtures.url("valid-full.json").path
        XCTAssertEqual(try ConfigLoader.load(path: good).get().routes.count, 3)
    }
}
