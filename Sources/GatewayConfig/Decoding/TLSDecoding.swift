import GatehouseCore

/// A listener's and a route's `"tls"` objects. Only the shape is checked
/// here; the files are read (and their errors reported with this location)
/// when the TLS contexts are built, by the server and by `gatehouse check`.
enum TLSDecoding {
    static let handshakeTimeoutRange = 100...600_000

    /// A listener's `"tls"`; nil when absent or invalid (problems in the sink).
    static func listener(_ reader: ObjectReader?, sourcePath: String) -> ListenerTLSConfig? {
        guard let reader else { return nil }
        defer { reader.finish() }
        let certificate = path(reader, "certificate", required: true, sourcePath: sourcePath)
        let key = path(reader, "private_key", required: true, sourcePath: sourcePath)
        let chain = path(reader, "chain", sourcePath: sourcePath)
        let clients = clientCertificates(reader.object("client_certificates", context: "listener tls client_certificates"),
                                         sourcePath: sourcePath)
        let timeout = reader.int("handshake_timeout_ms", in: handshakeTimeoutRange)?.value ?? 10_000
        guard let certificate, let key, let clients else { return nil }
        return ListenerTLSConfig(certificate: certificate, privateKey: key, chain: chain, clientCertificates: clients,
                                 handshakeTimeoutMs: timeout, location: reader.location)
    }

    /// `"client_certificates": {"mode": "none"|"optional"|"required", "ca_bundle": …}`.
    private static func clientCertificates(_ reader: ObjectReader?,
                                           sourcePath: String) -> ListenerTLSConfig.ClientCertificates? {
        guard let reader else { return ListenerTLSConfig.ClientCertificates.none }
        defer { reader.finish() }
        let bundle = path(reader, "ca_bundle", sourcePath: sourcePath)
        guard let mode = reader.string("mode", required: true) else { return nil }
        switch mode.value {
        case "none":
            if bundle != nil {
                reader.sink.warning("\(reader.describe("ca_bundle")) is ignored when \"mode\" is \"none\"", at: reader.location)
            }
            return ListenerTLSConfig.ClientCertificates.none
        case "optional", "required":
            guard let bundle else {
                if !reader.contains("ca_bundle") {
                    reader.sink.error("\(reader.describe("ca_bundle")) is required when \"mode\" is \"\(mode.value)\"",
                                      at: reader.location)
                }
                return nil
            }
            return mode.value == "optional" ? .optional(caBundle: bundle) : .required(caBundle: bundle)
        default:
            reader.sink.error("\(reader.describe("mode")) must be \"none\", \"optional\" or \"required\", got \"\(mode.value)\"",
                              at: mode.location)
            return nil
        }
    }

    /// A route's `"tls"`; `isHTTPS` says whether its upstream is `https://`.
    static func route(_ reader: ObjectReader?, isHTTPS: Bool, sourcePath: String) -> UpstreamTLSConfig? {
        guard let reader else { return nil }
        defer { reader.finish() }
        var config = UpstreamTLSConfig(location: reader.location)
        config.caBundle = path(reader, "ca_bundle", sourcePath: sourcePath)
        config.clientCertificate = path(reader, "client_certificate", sourcePath: sourcePath)
        config.clientKey = path(reader, "client_key", sourcePath: sourcePath)
        if reader.contains("client_certificate") != reader.contains("client_key") {
            reader.sink.error("\"client_certificate\" and \"client_key\" in route tls must be given together",
                              at: reader.location)
        }
        if !isHTTPS {
            reader.sink.error("route \"tls\" applies only to an https:// upstream", at: reader.location)
        }
        return config
    }

    /// A non-empty path string, resolved against the config file's directory.
    private static func path(_ reader: ObjectReader, _ key: String, required: Bool = false,
                             sourcePath: String) -> String? {
        guard let text = reader.string(key, required: required) else { return nil }
        if text.value.isEmpty || text.value.utf8.contains(0) {
            reader.sink.error("\(reader.describe(key)) must be a non-empty file path", at: text.location)
            return nil
        }
        return ConfigDecoder.resolve(text.value, relativeTo: sourcePath)
    }
}
