import GatehouseCore

/// A decoded listener plus what the cross-listener checks need.
struct DecodedListener {
    var config: ListenerConfig
    var location: SourceLocation
    var nameLocation: SourceLocation
    var addressLocation: SourceLocation
    /// `nil` when the address was invalid (already reported).
    var ip: IPAddressLiteral?
}

enum ListenerDecoding {
    /// Decodes the element at `index` (0-based) of `"listeners"`.
    static func decode(_ node: JSONNode, index: Int, sourcePath: String, sink: JSONDiagnosticSink) -> DecodedListener? {
        guard let reader = ObjectReader(node, context: "listener", sink: sink) else { return nil }
        defer { reader.finish() }
        var listener = DecodedListener(
            config: ListenerConfig(name: "listener-\(index + 1)", address: "", port: 0),
            location: node.location, nameLocation: node.location, addressLocation: node.location, ip: nil)
        if let name = reader.string("name") {
            listener.nameLocation = name.location
            if TokenSyntax.isName(name.value) {
                listener.config.name = name.value
            } else {
                sink.error("\(reader.describe("name")) must be \(TokenSyntax.nameRule), got \"\(name.value)\"", at: name.location)
            }
        }
        let address = reader.string("address", required: true)
        let port = reader.int("port", in: 0...65535, required: true)
        listener.config.description = reader.string("description")?.value
        let tlsPresent = reader.contains("tls")
        listener.config.tls = TLSDecoding.listener(reader.object("tls", context: "listener tls"), sourcePath: sourcePath)
        if tlsPresent && listener.config.tls == nil { return nil }
        if let address {
            listener.addressLocation = address.location
            listener.config.address = address.value
            listener.ip = IPAddressLiteral.parse(address.value)
            if listener.ip == nil {
                let hint = address.value.hasPrefix("[") ? " (write IPv6 addresses without brackets)" : ""
                sink.error("\(reader.describe("address")) must be an IPv4 or IPv6 address literal, got \"\(address.value)\"\(hint)",
                           at: address.location)
            }
        }
        if let port { listener.config.port = port.value }
        guard address != nil, port != nil else { return nil }
        return listener
    }

    /// Reports listeners sharing a name, or sharing an address and non-zero port.
    static func checkUnique(_ listeners: [DecodedListener], sink: JSONDiagnosticSink) {
        var byName: [String: DecodedListener] = [:]
        var byEndpoint: [Endpoint: DecodedListener] = [:]
        for listener in listeners {
            let config = listener.config
            if let first = byName[config.name] {
                sink.error("duplicate listener name \"\(config.name)\" (first used at line \(first.nameLocation.line), column \(first.nameLocation.column))",
                           at: listener.nameLocation)
            } else {
                byName[config.name] = listener
            }
            guard let ip = listener.ip, config.port != 0 else { continue }
            let endpoint = Endpoint(ip: ip, port: config.port)
            if let first = byEndpoint[endpoint] {
                sink.error("listener \"\(config.name)\" uses \(IPAddressLiteral.display(config.address)):\(config.port), which listener \"\(first.config.name)\" (line \(first.location.line), column \(first.location.column)) already uses",
                           at: listener.addressLocation)
            } else {
                byEndpoint[endpoint] = listener
            }
        }
    }

    struct Endpoint: Hashable {
        var ip: IPAddressLiteral
        var port: Int
    }
}
