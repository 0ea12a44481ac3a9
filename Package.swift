// swift-tools-version:6.0
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]
/// Data-path modules: dynamic exclusivity checks cost ~6% of the proxy's
/// instructions per request (measured with callgrind); debug builds and the
/// test suite keep them on. See Docs/ARCHITECTURE.md.
let dataPath: [SwiftSetting] = strict + [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "Gatehouse",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "gatehouse", targets: ["gatehouse"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // C shims: macros and inline helpers Swift cannot import directly.
        .target(name: "CLinuxShims", path: "Sources/CLinuxShims"),
        // SSE2 byte classification for the inspection hot path (portable fallback).
        .target(name: "CByteScan", path: "Sources/CByteScan"),
        // Vectorscan (Hyperscan API); wrapped only by `Inspection`.
        .systemLibrary(name: "CHyperscan", path: "Sources/CHyperscan", pkgConfig: "libhs",
                       providers: [.apt(["libvectorscan-dev"])]),

        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),

        // OpenSSL 3 (libssl-dev) plus a shim for the macros Swift cannot
        // import; wrapped only by `TLS`.
        .target(name: "COpenSSL", path: "Sources/COpenSSL",
                linkerSettings: [.linkedLibrary("ssl"), .linkedLibrary("crypto")]),

        .target(name: "GatehouseCore", swiftSettings: dataPath),
        .target(name: "Reactor", dependencies: ["GatehouseCore", "CLinuxShims"], swiftSettings: dataPath),
        .target(name: "HTTP1", dependencies: ["GatehouseCore"], swiftSettings: dataPath),
        .target(name: "Inspection", dependencies: ["GatehouseCore", "CHyperscan", "CByteScan"], swiftSettings: dataPath),
        .target(name: "TLS", dependencies: ["GatehouseCore", "COpenSSL"], swiftSettings: dataPath),
        .target(name: "Policy", dependencies: ["GatehouseCore", "HTTP1", "Inspection"], swiftSettings: dataPath),
        // Bearer JWT verification, JWKS/discovery key store, the identity stage.
        .target(name: "Identity", dependencies: ["GatehouseCore", "TLS", "Policy", "HTTP1"], swiftSettings: dataPath),
        .target(name: "GatewayConfig", dependencies: ["GatehouseCore"], swiftSettings: strict),
        .target(name: "Recording", dependencies: ["GatehouseCore", "CSQLite", "CByteScan"], swiftSettings: dataPath),
        .target(name: "Gateway",
                dependencies: ["GatehouseCore", "Reactor", "HTTP1", "Policy", "Inspection", "GatewayConfig", "Recording", "Identity",
                               "TLS", "CLinuxShims"],
                swiftSettings: dataPath),
        .executableTarget(name: "gatehouse",
                          dependencies: ["Gateway", "GatewayConfig", "Recording", "Policy", "Inspection", "GatehouseCore",
                                         "CLinuxShims",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          swiftSettings: strict),
        // Writer throughput and bytes per exchange (Docs/BENCHMARKS.md, "Recording").
        .executableTarget(name: "recording-bench", dependencies: ["Recording", "GatehouseCore"], path: "Benchmarks/recording",
                          exclude: ["thread-profile.sh"],
                          swiftSettings: strict),
        // Token verifications per second and the cache-hit cost (Docs/BENCHMARKS.md, "Identity").
        .executableTarget(name: "identity-bench", dependencies: ["Identity", "TLS", "Policy", "HTTP1"],
                          path: "Benchmarks/identity", swiftSettings: strict),
        // Inspection engine and policy evaluation cost (Docs/BENCHMARKS.md, "Inspection").
        .executableTarget(name: "inspect-bench", dependencies: ["Inspection", "Policy", "HTTP1", "GatehouseCore"],
                          path: "Benchmarks/inspect", exclude: ["make-corpus.py"], swiftSettings: strict),
        .target(name: "GatehouseTestSupport",
                dependencies: ["GatehouseCore", "Policy", "HTTP1", "TLS", "Identity"],
                path: "Sources/GatehouseTestSupport", swiftSettings: strict),

        .testTarget(name: "GatehouseCoreTests", dependencies: ["GatehouseCore"], swiftSettings: strict),
        .testTarget(name: "ReactorTests", dependencies: ["Reactor", "GatehouseCore"], swiftSettings: strict),
        .testTarget(name: "HTTP1Tests", dependencies: ["HTTP1", "GatehouseCore"], swiftSettings: strict),
        .testTarget(name: "PolicyTests", dependencies: ["Policy", "HTTP1", "GatehouseCore", "Inspection"],
                    resources: [.copy("Fixtures")], swiftSettings: strict),
        // The labelled corpus lives in Tests/Fixtures/inspection (outside the
        // target, so it is read by path; see CorpusSupport.swift).
        .testTarget(name: "InspectionTests", dependencies: ["Inspection", "GatehouseCore"],
                    swiftSettings: strict),
        .testTarget(name: "TLSTests", dependencies: ["TLS", "GatehouseCore", "GatehouseTestSupport"],
                    swiftSettings: strict),
        .testTarget(name: "IdentityTests",
                    dependencies: ["Identity", "TLS", "Policy", "HTTP1", "GatehouseCore", "GatehouseTestSupport"],
                    exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(name: "GatewayConfigTests", dependencies: ["GatewayConfig", "GatehouseCore"],
                    resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(name: "RecordingTests", dependencies: ["Recording", "GatehouseCore"], swiftSettings: strict),
        .testTarget(name: "GatehouseCLITests",
                    dependencies: ["gatehouse", "Recording", "GatewayConfig", "GatehouseCore", "GatehouseTestSupport"],
                    swiftSettings: strict),
        .testTarget(name: "GatewayTests",
                    dependencies: ["Gateway", "GatewayConfig", "Policy", "Inspection", "HTTP1", "GatehouseCore", "GatehouseTestSupport",
                                   "Identity", "Recording", "TLS"],
                    swiftSettings: strict),
    ]
)
