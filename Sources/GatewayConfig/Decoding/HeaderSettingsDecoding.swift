import GatehouseCore

/// `"request_id"` and `"forwarded"`.
enum HeaderSettingsDecoding {
    static func requestID(_ reader: ObjectReader?) -> RequestIDConfig {
        var config = RequestIDConfig()
        guard let reader else { return config }
        defer { reader.finish() }
        if let header = reader.string("header") {
            if !TokenSyntax.isToken(header.value) {
                reader.sink.error("\(reader.describe("header")) must be a valid header name (an HTTP token), got \"\(header.value)\"",
                                  at: header.location)
            } else if TokenSyntax.reservedHeaders.contains(HostSyntax.asciiLowercased(header.value)) {
                reader.sink.error("\(reader.describe("header")) must not be a framing or hop-by-hop header, got \"\(header.value)\"",
                                  at: header.location)
            } else {
                config.header = header.value
            }
        }
        if let trust = reader.bool("trust_incoming") { config.trustIncoming = trust.value }
        return config
    }

    static func forwarded(_ reader: ObjectReader?) -> ForwardedConfig {
        var config = ForwardedConfig()
        guard let reader else { return config }
        defer { reader.finish() }
        if let trust = reader.bool("trust_incoming") { config.trustIncoming = trust.value }
        if let via = reader.string("via") {
            if TokenSyntax.isToken(via.value) {
                config.via = via.value
            } else {
                reader.sink.error("\(reader.describe("via")) must be an HTTP token (letters, digits and !#$%&'*+-.^_`|~), got \"\(via.value)\"",
                                  at: via.location)
            }
        }
        return config
    }
}
