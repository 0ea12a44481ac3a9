import GatehouseCore
import GatewayConfig
import TLS

/// A TLS context named by the config could not be built. Says where in the
/// config it was named, which file failed and why, in the same
/// `file:line:column: message` form as every other config problem.
public struct TLSSetupError: Error, Sendable, CustomStringConvertible {
    /// The config file.
    public var configPath: String
    /// Where the `"tls"` object is in it.
    public var location: SourceLocation?
    /// `listener "public"` or `route "crm"`.
    public var owner: String
    public var underlying: TLSConfigurationError

    public var description: String {
        let at = location.map { "\(configPath):\($0.line):\($0.column)" } ?? configPath
        return "\(at): \(owner) tls: \(underlying)"
    }
}

/// Builds the TLS contexts a config names. Building reads PEM files, so it
/// runs off the loops: at start-up, on reload and in `gatehouse check`.
public enum TLSSetup {
    /// The server context for a TLS listener; nil for a plain one.
    public static func serverContext(for listener: ListenerConfig,
                                     in config: GatehouseConfig) throws(TLSSetupError) -> TLSContext? {
        guard let tls = listener.tls else { return nil }
        let verification: TLSServerConfiguration.ClientVerification
        switch tls.clientCertificates {
        case .none: verification = .none
        case .optional(let bundle): verification = .optional(caBundlePath: bundle)
        case .required(let bundle): verification = .required(caBundlePath: bundle)
        }
        let files = TLSCertificateFiles(certificatePath: tls.certificate, privateKeyPath: tls.privateKey,
                                        chainPath: tls.chain)
        do {
            return try TLSContext(server: TLSServerConfiguration(certificate: files, clientVerification: verification))
        } catch {
            throw TLSSetupError(configPath: config.sourcePath, location: tls.location,
                                owner: "listener \"\(listener.name)\"", underlying: error)
        }
    }

    /// The client settings for a route's `https://` upstream.
    static func clientConfiguration(for tls: UpstreamTLSConfig?) -> TLSClientConfiguration {
        var configuration = TLSClientConfiguration()
        if let bundle = tls?.caBundle { configuration.trust = .caBundle(path: bundle) }
        if let cert = tls?.clientCertificate, let key = tls?.clientKey {
            configuration.clientCertificate = TLSCertificateFiles(certificatePath: cert, privateKeyPath: key)
        }
        return configuration
    }

    /// One client context per distinct route TLS setting: routes with the
    /// same trust and client certificate share a context, hence a session
    /// cache; different settings never share sessions or connections.
    static func clientContexts(for config: GatehouseConfig) throws(TLSSetupError) -> [UpstreamTLSKey: TLSContext] {
        var contexts: [UpstreamTLSKey: TLSContext] = [:]
        for route in config.routes where route.upstream.isHTTPS {
            let key = UpstreamTLSKey(route.upstreamTLS)
            if contexts[key] != nil { continue }
            contexts[key] = try clientContext(for: route, in: config)
        }
        return contexts
    }

    /// The client context for one `https://` route; errors name the route.
    private static func clientContext(for route: RouteConfig, in config: GatehouseConfig) throws(TLSSetupError) -> TLSContext {
        do {
            return try TLSContext(client: clientConfiguration(for: route.upstreamTLS))
        } catch {
            throw TLSSetupError(configPath: config.sourcePath, location: route.upstreamTLS?.location,
                                owner: "route \"\(route.name)\"", underlying: error)
        }
    }

    /// Every TLS problem in `config` (for `gatehouse check`), one line each.
    public static func problems(in config: GatehouseConfig) -> [String] {
        var lines: [String] = []
        for listener in config.listeners {
            do throws(TLSSetupError) { _ = try serverContext(for: listener, in: config) } catch { lines.append(error.description) }
        }
        var seen: Set<UpstreamTLSKey> = []
        for route in config.routes where route.upstream.isHTTPS && seen.insert(UpstreamTLSKey(route.upstreamTLS)).inserted {
            do throws(TLSSetupError) { _ = try clientContext(for: route, in: config) } catch { lines.append(error.description) }
        }
        return lines
    }
}

/// A route's upstream TLS setting as a dictionary key (nil: system trust).
struct UpstreamTLSKey: Hashable {
    var settings: UpstreamTLSConfig?
    init(_ settings: UpstreamTLSConfig?) { self.settings = settings }
}
