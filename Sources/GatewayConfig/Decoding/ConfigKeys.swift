/// The keys each configuration object accepts. The decoders read exactly
/// these; tests check them against the JSON Schema and the decoders'
/// unknown-key messages.
enum ConfigKeys {
    static let topLevel: Set<String> = [
        "access_log", "forwarded", "identity", "limits", "listeners", "loops", "policy_dir", "recording", "request_id", "routes",
        "timeouts",
    ]
    static let listener: Set<String> = ["address", "description", "name", "port", "tls"]
    static let listenerTLS: Set<String> = ["certificate", "chain", "client_certificates", "handshake_timeout_ms", "private_key"]
    static let listenerClientCertificates: Set<String> = ["ca_bundle", "mode"]
    static let routeTLS: Set<String> = ["ca_bundle", "client_certificate", "client_key"]
    static let route: Set<String> = [
        "description", "hosts", "identity", "limits", "name", "path_prefix", "recording", "strip_prefix", "timeouts", "tls",
        "upstream",
    ]
    static let globalLimits: Set<String> = routeLimits.union(["max_connections"])
    static let routeLimits: Set<String> = [
        "max_body_bytes", "max_header_bytes", "max_header_count", "max_request_line_bytes",
    ]
    static let globalTimeouts: Set<String> = routeTimeouts.union(["drain_ms"])
    static let routeTimeouts: Set<String> = [
        "body_read_ms", "header_read_ms", "idle_keepalive_ms", "upstream_connect_ms", "upstream_response_ms",
    ]
    static let requestID: Set<String> = ["header", "trust_incoming"]
    static let forwarded: Set<String> = ["trust_incoming", "via"]
    static let recording: Set<String> = [
        "body_cap_bytes", "durability", "group_commit_delay_us", "group_commit_min_in_flight", "page_size_bytes", "path", "queue_capacity", "redact_headers", "retention",
        "session_header", "session_idle_gap_ms",
    ]
    static let recordingRetention: Set<String> = ["max_age_ms", "max_bytes"]
    static let routeRecording: Set<String> = ["durability"]
    static let identity: Set<String> = ["issuers", "mode"]
    static let identityIssuer: Set<String> = [
        "algorithms", "audiences", "claims", "discovery_url", "issuer", "jwks_cache", "jwks_uri", "leeway_s",
        "max_token_lifetime_s", "required_typ",
    ]
    static let identityClaims: Set<String> = ["client_id", "groups", "scopes", "subject"]
    static let identityJWKSCache: Set<String> = ["max_s", "min_s"]
    static let routeIdentity: Set<String> = [
        "forward_headers", "issuer", "issuers", "mode", "required_scopes", "resource", "resource_metadata",
    ]
    static let identityForwardHeaders: Set<String> = ["client_id", "groups", "issuer", "scopes", "subject"]
}
