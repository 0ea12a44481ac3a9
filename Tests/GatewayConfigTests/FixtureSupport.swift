import Foundation
@testable import GatewayConfig
import XCTest

/// Fixture and repository file access for the config tests.
enum Fixtures {
    /// Directory of the copied `Fixtures` resource.
    static func directory() throws -> URL {
        try XCTUnwrap(Bundle.module.url(forResource: "Fixtures", withExtension: nil), "Fixtures resource missing")
    }

    static func url(_ name: String) throws -> URL {
        try directory().appendingPathComponent(name)
    }

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: url(name)))
    }

    /// The repository root, found from this source file's location.
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Parses fixture `name`, reporting it as `name` (not the full path) in diagnostics.
    static func parse(_ name: String) throws -> Result<GatehouseConfig, ConfigErrors> {
        ConfigLoader.parse(bytes: try bytes(name), path: name, defaultLoops: 2)
    }
}

extension XCTestCase {
    /// Loads fixture `name` and expects failure; returns the diagnostic lines.
    func errorLines(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> [String] {
        switch try Fixtures.parse(name) {
        case .success:
            XCTFail("\(name) unexpectedly loaded", file: file, line: line)
            return []
        case .failure(let errors):
            return errors.diagnostics.map(\.description)
        }
    }

    /// Loads fixture `name` and expects success.
    func loadOK(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> GatehouseConfig {
        switch try Fixtures.parse(name) {
        case .success(let config):
            return config
        case .failure(let errors):
            XCTFail("\(name) failed to load:\n\(errors)", file: file, line: line)
            throw errors
        }
    }

    /// Parses inline JSON text.
    func parseText(_ text: String) -> Result<GatehouseConfig, ConfigErrors> {
        ConfigLoader.parse(bytes: Array(text.utf8), path: "inline.json", defaultLoops: 2)
    }
}
