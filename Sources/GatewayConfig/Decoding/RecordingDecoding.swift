import GatehouseCore

/// The top-level `"recording"` object and a route's `"recording"` override.
enum RecordingDecoding {
    static let bodyCapRange = 0...1_073_741_824
    static let idleGapRange = 1_000...604_800_000
    static let maxAgeRange = 1_000...(1 << 53)
    static let maxBytesRange = 1_048_576...(1 << 53)
    static let queueCapacityRange = 16...1_048_576
    static let groupCommitDelayRange = 0...100_000
    static let groupCommitMinInFlightRange = 1...1_048_576

    /// Reads the top-level `"recording"`; nil when absent or when `path` is
    /// missing or invalid (the problems are in the sink).
    static func decode(_ reader: ObjectReader?) -> RecordingConfig? {
        guard let reader else { return nil }
        defer { reader.finish() }
        let path = decodePath(reader)
        var config = RecordingConfig(path: path ?? "")
        if let mode = durability(reader) { config.durability = mode }
        if let v = reader.int("body_cap_bytes", in: bodyCapRange) { config.bodyCapBytes = v.value }
        config.redactHeaders = redactHeaders(reader)
        if let header = reader.string("session_header"), checkHeaderName(header, key: "session_header", in: reader) {
            config.sessionHeader = header.value
        }
        if let v = reader.int("session_idle_gap_ms", in: idleGapRange) { config.sessionIdleGapMs = Int64(v.value) }
        config.retention = retention(reader.object("retention", context: "recording retention"))
        if let v = reader.int("queue_capacity", in: queueCapacityRange) { config.queueCapacity = v.value }
        if let v = reader.int("page_size_bytes", in: 512...65536) {
            if v.value & (v.value - 1) == 0 {
                config.pageSizeBytes = v.value
            } else {
                reader.sink.error("\(reader.describe("page_size_bytes")) must be a power of two from 512 to 65536, got \(v.value)",
                                  at: v.location)
            }
        }
        if let v = reader.int("group_commit_delay_us", in: groupCommitDelayRange) { config.groupCommitDelayUs = v.value }
        if let v = reader.int("group_commit_min_in_flight", in: groupCommitMinInFlightRange) {
            config.groupCommitMinInFlight = v.value
        }
        return path == nil ? nil : config
    }

    /// Reads a route's `"recording"` override: only `durability`.
    static func routeOverride(_ reader: ObjectReader?) -> RecordingDurability? {
        guard let reader else { return nil }
        defer { reader.finish() }
        return durability(reader)
    }

    /// `"path"`: required, non-empty, no NUL (SQLite takes a C string).
    private static func decodePath(_ reader: ObjectReader) -> String? {
        guard let path = reader.string("path", required: true) else { return nil }
        if path.value.isEmpty {
            reader.sink.error("\(reader.describe("path")) must not be empty", at: path.location)
            return nil
        }
        if path.value.utf8.contains(0) {
            reader.sink.error("\(reader.describe("path")) must not contain a NUL character", at: path.location)
            return nil
        }
        return path.value
    }

    private static func durability(_ reader: ObjectReader) -> RecordingDurability? {
        guard let text = reader.string("durability") else { return nil }
        if let mode = RecordingDurability(rawValue: text.value) { return mode }
        reader.sink.error("\(reader.describe("durability")) must be \"strict\" or \"async\", got \"\(text.value)\"",
                          at: text.location)
        return nil
    }

    /// `"redact_headers"`: header names (HTTP tokens). A name listed twice,
    /// or one that is always redacted, is a warning.
    private static func redactHeaders(_ reader: ObjectReader) -> [String] {
        guard let array = reader.array("redact_headers") else { return [] }
        let sink = reader.sink
        var names: [String] = []
        var seen: Set<String> = []
        for element in array.value {
            guard let name = element.expectString("each entry of \"redact_headers\" in recording", sink: sink) else { continue }
            guard TokenSyntax.isToken(name) else {
                sink.error("each entry of \"redact_headers\" in recording must be a valid header name (an HTTP token), got \"\(name)\"",
                           at: element.location)
                continue
            }
            let lower = HostSyntax.asciiLowercased(name)
            if alwaysRedacted.contains(lower) {
                sink.warning("header \"\(name)\" is always redacted; listing it in \"redact_headers\" has no effect",
                             at: element.location)
            } else if !seen.insert(lower).inserted {
                sink.warning("header \"\(name)\" is listed more than once in \"redact_headers\"", at: element.location)
            } else {
                names.append(name)
            }
        }
        return names
    }

    /// Headers the recorder redacts whatever the configuration says.
    static let alwaysRedacted: Set<String> = ["authorization", "proxy-authorization", "cookie", "set-cookie"]

    /// A header name that groups sessions: a token, and not one that frames
    /// messages or is hop-by-hop.
    private static func checkHeaderName(_ header: Located<String>, key: String, in reader: ObjectReader) -> Bool {
        if !TokenSyntax.isToken(header.value) {
            reader.sink.error("\(reader.describe(key)) must be a valid header name (an HTTP token), got \"\(header.value)\"",
                              at: header.location)
            return false
        }
        if TokenSyntax.reservedHeaders.contains(HostSyntax.asciiLowercased(header.value)) {
            reader.sink.error("\(reader.describe(key)) must not be a framing or hop-by-hop header, got \"\(header.value)\"",
                              at: header.location)
            return false
        }
        return true
    }

    private static func retention(_ reader: ObjectReader?) -> RecordingConfig.Retention {
        var retention = RecordingConfig.Retention()
        guard let reader else { return retention }
        defer { reader.finish() }
        if let v = reader.int("max_age_ms", in: maxAgeRange) { retention.maxAgeMs = Int64(v.value) }
        if let v = reader.int("max_bytes", in: maxBytesRange) { retention.maxBytes = Int64(v.value) }
        return retention
    }
}
