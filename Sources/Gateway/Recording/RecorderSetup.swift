import GatewayConfig
import Recording

/// Builds the recorder from the config's `recording` section. The recorder
/// lives as long as the daemon (a config reload does not replace it).
enum RecorderSetup {
    static func configuration(for config: GatehouseConfig) -> RecorderConfiguration? {
        guard let r = config.recording else { return nil }
        var c = RecorderConfiguration(path: r.path)
        // synchronous=NORMAL only when no route is strict: strict promises
        // that acknowledged records survive power loss, not just a crash.
        c.synchronous = config.everyRouteRecordsAsync ? .normal : .full
        c.pageSize = r.pageSizeBytes
        if let us = r.groupCommitDelayUs { c.strictDelayUs = us }
        if let n = r.groupCommitMinInFlight { c.strictDelayMinInFlight = n }
        c.bodyCap = r.bodyCapBytes
        c.redactedHeaders = r.redactHeaders
        c.sessionHeader = r.sessionHeader
        c.sessionIdleGapMs = r.sessionIdleGapMs
        c.retention.maxAgeMs = r.retention.maxAgeMs
        c.retention.maxBytes = r.retention.maxBytes
        if let q = r.queueCapacity {
            c.maxQueuedRecords = q
            c.strictReserve = max(1, q / 8)
        }
        return c
    }

    static func durability(_ d: RecordingDurability?) -> DurabilityMode? {
        switch d {
        case .strict?: return .strict
        case .async?: return .async
        case nil: return nil
        }
    }
}
