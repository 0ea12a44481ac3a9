/// How an exchange's audit records are made durable (`"durability"`).
/// Mirrors `Recording.DurabilityMode`; GatewayConfig does not depend on the
/// Recording module, so the gateway maps one to the other.
public enum RecordingDurability: String, Sendable, Equatable, CaseIterable {
    /// The gateway waits for each record's commit before forwarding the
    /// request and before releasing the response's last byte; a store
    /// failure refuses the exchange with 503 `audit_unavailable`. The default.
    case strict
    /// The gateway does not wait for the commit; records still queued when
    /// the process dies, or refused because the queue was full, are lost.
    case async
}

/// Session recording (the top-level `"recording"` object). Absent means
/// recording is off. Each field maps 1:1 to the Recording module's
/// `RecorderConfiguration`, as noted per field. See Docs/CONFIG.md and
/// Docs/RECORDING.md.
public struct RecordingConfig: Sendable, Equatable {
    /// Retention limits (`"retention"`); both optional.
    public struct Retention: Sendable, Equatable {
        /// `"max_age_ms"` → `retention.maxAgeMs`: exchanges older than this
        /// are pruned. Nil: no age limit.
        public var maxAgeMs: Int64?
        /// `"max_bytes"` → `retention.maxBytes`: live data above this is
        /// pruned, oldest first. Nil: no size limit.
        public var maxBytes: Int64?

        /// Creates retention limits; nil means no limit.
        public init(maxAgeMs: Int64? = nil, maxBytes: Int64? = nil) {
            self.maxAgeMs = maxAgeMs
            self.maxBytes = maxBytes
        }
    }

    /// The built-in default of `"body_cap_bytes"`: 1 MiB.
    public static let defaultBodyCapBytes = 1_048_576
    /// The built-in default of `"session_idle_gap_ms"`: 5 minutes.
    public static let defaultSessionIdleGapMs: Int64 = 300_000

    /// `"path"` → `path`: the SQLite database file (its `-wal` and `-shm`
    /// files sit beside it). Required. A relative path is relative to the
    /// working directory of the process that opens it.
    public var path: String
    /// `"durability"`: the mode of routes that do not override it
    /// (default `strict`).
    public var durability: RecordingDurability
    /// `"body_cap_bytes"` → `bodyCap`: bodies are stored up to this many
    /// bytes, with a truncation flag (default 1 MiB; 0 stores no bodies).
    public var bodyCapBytes: Int
    /// `"redact_headers"` → `redactedHeaders`: header names whose values are
    /// redacted in addition to the built-in `Authorization`, `Cookie`,
    /// `Proxy-Authorization` and `Set-Cookie`. As written in the file.
    public var redactHeaders: [String]
    /// `"session_header"` → `sessionHeader`: a client-supplied header that
    /// groups exchanges into sessions when no `Mcp-Session-Id` is present.
    public var sessionHeader: String?
    /// `"session_idle_gap_ms"` → `sessionIdleGapMs`: identity- and
    /// address-based sessions end after this much inactivity (default 5 min).
    public var sessionIdleGapMs: Int64
    /// `"retention"` → `retention.maxAgeMs` / `retention.maxBytes`.
    public var retention: Retention
    /// `"queue_capacity"` → `maxQueuedRecords`: the bound of the record
    /// queue. Nil: the recorder's default (8192).
    public var queueCapacity: Int?
    /// `"page_size_bytes"` → `pageSize`: the SQLite page size of a new
    /// database file (a power of two, 512–65536). Nil: 4 KiB. An existing
    /// file keeps its page size.
    public var pageSizeBytes: Int?
    /// `"group_commit_delay_us"`: how long the writer gathers strict records
    /// before it commits them, when at least `groupCommitMinInFlight`
    /// exchanges are in flight (0: commit at once). Nil: the recorder's
    /// default (`RecorderConfiguration.strictDelayUs`).
    public var groupCommitDelayUs: Int?
    /// `"group_commit_min_in_flight"`: below this many exchanges in flight
    /// the writer never waits. Nil: the recorder's default.
    public var groupCommitMinInFlight: Int?

    /// Creates recording settings; unspecified values take their defaults.
    public init(path: String,
                durability: RecordingDurability = .strict,
                bodyCapBytes: Int = RecordingConfig.defaultBodyCapBytes,
                redactHeaders: [String] = [],
                sessionHeader: String? = nil,
                sessionIdleGapMs: Int64 = RecordingConfig.defaultSessionIdleGapMs,
                retention: Retention = Retention(),
                queueCapacity: Int? = nil,
                pageSizeBytes: Int? = nil) {
        self.path = path
        self.durability = durability
        self.bodyCapBytes = bodyCapBytes
        self.redactHeaders = redactHeaders
        self.sessionHeader = sessionHeader
        self.sessionIdleGapMs = sessionIdleGapMs
        self.retention = retention
        self.queueCapacity = queueCapacity
        self.pageSizeBytes = pageSizeBytes
    }
}
