internal import COpenSSL
#if canImport(Glibc)
import Glibc
#endif

extension TLSContext {
    /// Loads a leaf (plus intermediates), an optional separate chain file and
    /// the private key, and checks that key and certificate match. Every
    /// error names the file it is about.
    func loadCertificate(_ files: TLSCertificateFiles) throws(TLSConfigurationError) {
        try requireReadable(files.certificatePath)
        try requireReadable(files.privateKeyPath)
        OpenSSLErrorQueue.clear()
        try check(SSL_CTX_use_certificate_chain_file(ctx, files.certificatePath) == 1,
                  "loading certificate", path: files.certificatePath)
        if let chain = files.chainPath {
            try loadChain(chain)
        }
        try check(SSL_CTX_use_PrivateKey_file(ctx, files.privateKeyPath, GH_SSL_FILETYPE_PEM) == 1,
                  "loading private key", path: files.privateKeyPath)
        try check(SSL_CTX_check_private_key(ctx) == 1,
                  "private key does not match certificate \(files.certificatePath)", path: files.privateKeyPath)
    }

    /// Appends every certificate of a PEM file to the chain sent after the leaf.
    private func loadChain(_ path: String) throws(TLSConfigurationError) {
        try requireReadable(path)
        OpenSSLErrorQueue.clear()
        guard let bio = BIO_new_file(path, "r") else {
            try check(false, "opening chain", path: path)
            return
        }
        defer { BIO_free(bio) }
        var added = 0
        while let cert = PEM_read_bio_X509(bio, nil, nil, nil) {
            defer { X509_free(cert) }
            try check(gh_SSL_CTX_add1_chain_cert(ctx, cert) == 1, "adding chain certificate", path: path)
            added += 1
        }
        // Reading stops with "no start line" at the end of the file.
        OpenSSLErrorQueue.clear()
        if added == 0 {
            throw TLSConfigurationError(path: path, reason: "no PEM certificate in chain file")
        }
    }

    /// Fails early with the system's reason, which is clearer than
    /// OpenSSL's for a missing or unreadable file.
    func requireReadable(_ path: String) throws(TLSConfigurationError) {
        if access(path, R_OK) != 0 {
            let reason = String(cString: strerror(errno))
            throw TLSConfigurationError(path: path, reason: "cannot read: \(reason)")
        }
    }
}
