internal import CHyperscan
internal import Glibc

/// A compiled, immutable Hyperscan block-mode database.
///
/// Compile once (at policy load), then share across threads: hs databases
/// are read-only after compilation, which is why this is `@unchecked
/// Sendable`. Scanning needs a `PatternScratch`, which is per thread.
///
/// Streaming design (not implemented yet; block mode only). Two options were
/// weighed for chunked and SSE bodies:
/// - hs stream mode (`HS_MODE_STREAM | HS_MODE_SOM_HORIZON_LARGE`) keeps
///   automaton state across chunks, but validators need the matched bytes,
///   which a finished chunk no longer has, and stream state costs memory per
///   exchange.
/// - a bounded look-behind window: the streaming masker holds back the last
///   `W` bytes of each chunk (W = the longest bounded detector match, about
///   4 KiB for PEM keys, which are re-checked on their own markers), rescans
///   `window + new chunk` in block mode, releases only bytes before
///   `end - W` that no match overlaps, and never splits a UTF-8 sequence.
/// The plan is the look-behind window: it reuses this block database and
/// the same validators, and bounds memory per exchange by `W`.
public final class PatternDatabase: @unchecked Sendable {
    let raw: OpaquePointer
    /// The specs in compile order; `PatternMatch.pattern` indexes this.
    public let specs: [PatternSpec]
    /// The entry point that scans it: the one `HyperscanRuntime` chose
    /// (and compiled it for), resolved once here rather than per scan.
    let scan: HyperscanRuntime.ScanFunction

    /// Compiles `specs` into one block-mode database. Throws
    /// `PatternEngineError.compile` with the offending spec's id and hs's
    /// message when an expression is rejected.
    public init(_ specs: [PatternSpec]) throws(PatternEngineError) {
        precondition(!specs.isEmpty, "PatternDatabase needs at least one pattern")
        let runtime = HyperscanRuntime.selected
        guard let scanFunction = runtime.scan else { throw .runtimeUnreliable(runtime.description) }
        self.specs = specs
        scan = scanFunction
        var cStrings: [UnsafeMutablePointer<CChar>?] = specs.map { strdup($0.expression) }
        defer { for p in cStrings { free(p) } }
        let flags: [UInt32] = specs.map { PatternDatabase.hsFlags($0.flags) }
        let ids: [UInt32] = (0..<specs.count).map { UInt32($0) }
        var db: OpaquePointer?
        var error: UnsafeMutablePointer<hs_compile_error_t>?
        let rc = cStrings.withUnsafeMutableBufferPointer { exprs in
            exprs.withMemoryRebound(to: UnsafePointer<CChar>?.self) { exprs in
                HyperscanRuntime.withPlatform(runtime.platform) { platform in
                    hs_compile_multi(exprs.baseAddress, flags, ids, UInt32(specs.count),
                                     UInt32(HS_MODE_BLOCK), platform, &db, &error)
                }
            }
        }
        guard rc == HS_SUCCESS, let db else {
            let index = Int(error?.pointee.expression ?? -1)
            let message = error?.pointee.message.map { String(cString: $0) } ?? "hs_compile_multi failed (\(rc))"
            if let error { hs_free_compile_error(error) }
            let id = specs.indices.contains(index) ? specs[index].id : ""
            throw .compile(id: id, index: index, message: message)
        }
        raw = db
    }

    deinit { hs_free_database(raw) }

    /// The Hyperscan entry point this process scans with, and why
    /// (`HyperscanRuntime`): for the startup log.
    public static var runtimeDescription: String { HyperscanRuntime.selected.description }

    /// True when the library's own CPU dispatch failed the self-test and a
    /// specific build of the matcher is called instead.
    public static var runtimeBypassesDispatch: Bool { HyperscanRuntime.selected.bypassedDispatch }

    /// Allocates scratch space for this database. Each event loop (thread)
    /// owns exactly one scratch per database and never shares it.
    public func makeScratch() throws(PatternEngineError) -> PatternScratch {
        var scratch: OpaquePointer?
        let rc = hs_alloc_scratch(raw, &scratch)
        guard rc == HS_SUCCESS, let scratch else { throw .scratch(code: rc) }
        return PatternScratch(raw: scratch, database: self)
    }

    static func hsFlags(_ flags: PatternFlags) -> UInt32 {
        var f: Int32 = 0
        if flags.contains(.caseless) { f |= HS_FLAG_CASELESS }
        if flags.contains(.dotAll) { f |= HS_FLAG_DOTALL }
        if flags.contains(.multiline) { f |= HS_FLAG_MULTILINE }
        if flags.contains(.singleMatch) { f |= HS_FLAG_SINGLEMATCH }
        if flags.contains(.utf8) { f |= HS_FLAG_UTF8 }
        if flags.contains(.unicodeProperties) { f |= HS_FLAG_UCP }
        if flags.contains(.leftmostStart) { f |= HS_FLAG_SOM_LEFTMOST }
        return UInt32(f)
    }
}
