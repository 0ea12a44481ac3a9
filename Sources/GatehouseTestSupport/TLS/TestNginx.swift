import Foundation

/// A real nginx (from Debian's `nginx-light`) started by a test as a TLS
/// upstream: a server Gatehouse did not write. It listens on 127.0.0.1 with
/// a test certificate, keeps connections alive, and answers every request
/// with `200` and a body naming the client certificate's subject (empty
/// without one) and whether the TLS session was resumed, so mTLS and
/// resumption are visible in the response. Stopped on `stop()` or
/// deinit. TEST ONLY.
public final class TestNginx {
    public let port: Int
    private let process = Process()
    private let directory: String

    /// - Parameters:
    ///   - certificate, key: the server's PEM files.
    ///   - clientCA: when set, a client certificate signed by it is required.
    ///   - keepaliveRequests: requests per connection before nginx closes it.
    public init(certificate: String, key: String, clientCA: String? = nil, keepaliveRequests: Int = 1000) throws {
        port = try TestPorts.free()
        directory = NSTemporaryDirectory() + "gatehouse-nginx-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory + "/logs", withIntermediateDirectories: true)
        let verify = clientCA.map { "ssl_verify_client on; ssl_client_certificate \($0);" } ?? ""
        let conf = """
        worker_processes 1;
        error_log \(directory)/logs/error.log warn;
        pid \(directory)/nginx.pid;
        events { worker_connections 64; }
        http {
            access_log off;
            client_body_temp_path \(directory)/body;
            proxy_temp_path \(directory)/proxy;
            fastcgi_temp_path \(directory)/fastcgi;
            uwsgi_temp_path \(directory)/uwsgi;
            scgi_temp_path \(directory)/scgi;
            server {
                listen 127.0.0.1:\(port) ssl;
                ssl_certificate \(certificate);
                ssl_certificate_key \(key);
                \(verify)
                keepalive_requests \(keepaliveRequests);
                location / { default_type text/plain; return 200 "nginx says hi; client=$ssl_client_s_dn; sni=$ssl_server_name; reused=$ssl_session_reused\\n"; }
            }
        }
        """
        try conf.write(toFile: directory + "/nginx.conf", atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/nginx")
        process.arguments = ["-p", directory, "-c", directory + "/nginx.conf", "-g", "daemon off;"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait (bounded) until it accepts connections.
        let probe = try TestPorts.connect(port: port, within: 10)
        probe.close()
    }

    public func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: directory)
    }

    deinit { stop() }
}
