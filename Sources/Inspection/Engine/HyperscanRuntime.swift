internal import CHyperscan
internal import Glibc

/// Which of the Hyperscan library's scan entry points Gatehouse scans with,
/// chosen once per process by a self-test.
///
/// Why. Vectorscan is built as a "fat runtime": `hs_scan` dispatches, by
/// the CPU it runs on, to one of several builds of the matcher (`core2`,
/// `corei7`, `avx2`, `avx512`). The AVX-512 build of vectorscan 5.4.9
/// (Debian 12's `libvectorscan5`, and later releases until the 2026 fixes
/// of its AVX-512 accelerators) misses matches: `@[a-z]` in a 66-byte
/// buffer with the `@` at offset 64 is not reported, and
/// `[^\s"]@[a-z0-9]` is missed at three of four placements past the first
/// 64 bytes. A gateway that trusted it would forward what its deny-list
/// names. On such a CPU, `hs_scan` fails the self-test below, and Gatehouse
/// calls the library's AVX2 build (`avx2_hs_scan`, exported by the fat
/// runtime) directly, with databases compiled for AVX2 (so that they hold
/// no AVX-512 engine the AVX2 build would refuse). If no entry point
/// passes, every database compile fails (`PatternEngineError.runtimeUnreliable`):
/// inspection fails closed rather than scanning with a matcher known to miss.
///
/// The self-test scans, for three patterns of the shapes that failed,
/// one occurrence at every offset of buffers of 1 to 200 bytes (about
/// 60,000 scans, a few milliseconds, once per process), and requires
/// exactly the matches the same occurrence gives on its own.
enum HyperscanRuntime {
    typealias ScanFunction = @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, UInt32, UInt32, OpaquePointer?,
                                             match_event_handler?, UnsafeMutableRawPointer?) -> hs_error_t

    struct Selection: @unchecked Sendable {
        /// nil when no entry point passed: databases must not be compiled.
        let scan: ScanFunction?
        /// The platform databases are compiled for; nil: this host.
        let platform: hs_platform_info_t?
        /// What was chosen and why, for the startup log.
        let description: String
        /// True when the library's own dispatch was bypassed.
        let bypassedDispatch: Bool
    }

    /// Chosen on first use (the first database compile).
    static let selected: Selection = select()

    private static func select() -> Selection {
        if passes(scan: hs_scan, platform: nil) {
            return Selection(scan: hs_scan, platform: nil, description: "hs_scan (the library's own CPU dispatch)",
                             bypassedDispatch: false)
        }
        var host = hs_platform_info_t()
        _ = hs_populate_platform(&host)
        // Newest first; each only where the CPU has what it needs.
        let candidates: [(symbol: String, features: UInt64, needs: UInt64)] = [
            ("avx2_hs_scan", UInt64(HS_CPU_FEATURES_AVX2), UInt64(HS_CPU_FEATURES_AVX2)),
            ("corei7_hs_scan", 0, 0),
        ]
        for c in candidates where host.cpu_features & c.needs == c.needs {
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), c.symbol) else { continue }  // RTLD_DEFAULT
            let scan = unsafeBitCast(symbol, to: ScanFunction.self)
            var platform = host
            platform.cpu_features = c.features
            if passes(scan: scan, platform: platform) {
                return Selection(scan: scan, platform: platform,
                                 description: "\(c.symbol) (hs_scan's own choice for this CPU failed the self-test: it misses matches)",
                                 bypassedDispatch: true)
            }
        }
        return Selection(scan: nil, platform: nil,
                         description: "none: every scan entry point of the installed Hyperscan library failed the self-test (it misses matches on this CPU)",
                         bypassedDispatch: false)
    }

    /// Scans each probe occurrence at every offset of every buffer length
    /// up to 200 bytes and compares the match count with the occurrence's
    /// count on its own.
    static func passes(scan: ScanFunction, platform: hs_platform_info_t?) -> Bool {
        // With and without start-of-match tracking, which selects other engines.
        let som = UInt32(HS_FLAG_SOM_LEFTMOST)
        let probes: [(pattern: String, flags: UInt32, occurrence: String)] = [
            ("@[a-z]", 0, "@b"), (#"[^\s"]@[a-z0-9]"#, som, "a@b"), ("k[a-z]{3,}", som, "kabcd"),
        ]
        var buffer = [UInt8](repeating: 0x20, count: 200)
        for probe in probes {
            guard let database = compile(probe.pattern, flags: probe.flags, platform: platform) else { return false }
            defer { hs_free_database(database) }
            var scratch: OpaquePointer?
            guard hs_alloc_scratch(database, &scratch) == HS_SUCCESS, let scratch else { return false }
            defer { hs_free_scratch(scratch) }
            let occurrence = Array(probe.occurrence.utf8)
            func count(_ length: Int) -> Int? {
                var matches = 0
                let rc = buffer.withUnsafeBufferPointer { b in
                    b.withMemoryRebound(to: CChar.self) { c in
                        scan(database, c.baseAddress, UInt32(length), 0, scratch, { _, _, _, _, ctx in
                            ctx!.assumingMemoryBound(to: Int.self).pointee += 1
                            return 0
                        }, &matches)
                    }
                }
                return rc == HS_SUCCESS ? matches : nil
            }
            buffer.replaceSubrange(0..<occurrence.count, with: occurrence)
            guard let expected = count(occurrence.count), expected > 0 else { return false }
            for i in occurrence.indices { buffer[i] = 0x20 }
            for length in occurrence.count...buffer.count {
                for at in 0...(length - occurrence.count) {
                    buffer.replaceSubrange(at..<(at + occurrence.count), with: occurrence)
                    let got = count(length)
                    for i in at..<(at + occurrence.count) { buffer[i] = 0x20 }
                    guard got == expected else { return false }
                }
            }
        }
        return true
    }

    private static func compile(_ pattern: String, flags: UInt32, platform: hs_platform_info_t?) -> OpaquePointer? {
        var database: OpaquePointer?
        var error: UnsafeMutablePointer<hs_compile_error_t>?
        let rc = withPlatform(platform) { hs_compile(pattern, flags, UInt32(HS_MODE_BLOCK), $0, &database, &error) }
        if let error { hs_free_compile_error(error) }
        return rc == HS_SUCCESS ? database : nil
    }

    /// `platform` as the pointer hs's compile functions take (nil: this host).
    static func withPlatform<R>(_ platform: hs_platform_info_t?, _ body: (UnsafePointer<hs_platform_info_t>?) -> R) -> R {
        guard var platform else { return body(nil) }
        return withUnsafePointer(to: &platform) { body($0) }
    }
}
