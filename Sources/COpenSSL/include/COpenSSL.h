#ifndef GATEHOUSE_COPENSSL_H
#define GATEHOUSE_COPENSSL_H

// OpenSSL 3 from libssl-dev, plus thin wrappers for what Swift cannot import:
// function-like macros over SSL_ctrl/BIO_ctrl, 64-bit option bits built with
// SSL_OP_BIT, an error-queue formatter and one C callback (ALPN selection).
// Only what `TLS` uses is wrapped. Only the `TLS` module
// imports this, with `internal import`, so no OpenSSL type leaks into public
// API. Policy (which versions, ciphers, modes) lives in Swift, not here.

#include <stddef.h>
#include <stdint.h>
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/pem.h>
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/ec.h>
#include <openssl/rsa.h>
#include <openssl/param_build.h>
#include <openssl/core_names.h>

// MARK: option and mode bits (SSL_OP_BIT macros are not importable)

static const uint64_t GH_SSL_OP_NO_COMPRESSION = SSL_OP_NO_COMPRESSION;
static const uint64_t GH_SSL_OP_NO_RENEGOTIATION = SSL_OP_NO_RENEGOTIATION;
static const long GH_SSL_MODE_ENABLE_PARTIAL_WRITE = SSL_MODE_ENABLE_PARTIAL_WRITE;
static const long GH_SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER = SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER;
static const long GH_SSL_MODE_RELEASE_BUFFERS = SSL_MODE_RELEASE_BUFFERS;
static const long GH_SSL_SESS_CACHE_CLIENT = SSL_SESS_CACHE_CLIENT;
static const long GH_SSL_SESS_CACHE_NO_INTERNAL_STORE = SSL_SESS_CACHE_NO_INTERNAL_STORE;
static const int GH_TLS1_2_VERSION = TLS1_2_VERSION;
static const int GH_TLS1_3_VERSION = TLS1_3_VERSION;
static const int GH_SSL_FILETYPE_PEM = SSL_FILETYPE_PEM;
static const unsigned int GH_X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS = X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS;
static const unsigned long GH_XN_FLAG_RFC2253 = XN_FLAG_RFC2253;

// MARK: SSL_CTX macros

static inline int gh_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_min_proto_version(ctx, version);
}
static inline long gh_SSL_CTX_set_mode(SSL_CTX *ctx, long mode) { return SSL_CTX_set_mode(ctx, mode); }
static inline long gh_SSL_CTX_set_session_cache_mode(SSL_CTX *ctx, long mode) {
    return SSL_CTX_set_session_cache_mode(ctx, mode);
}
static inline int gh_SSL_CTX_set1_groups_list(SSL_CTX *ctx, const char *list) {
    return (int)SSL_CTX_set1_groups_list(ctx, list);
}
static inline int gh_SSL_CTX_set_dh_auto(SSL_CTX *ctx, int on) { return (int)SSL_CTX_set_dh_auto(ctx, on); }
/// Adds `cert` to the context's chain (takes its own reference).
static inline int gh_SSL_CTX_add1_chain_cert(SSL_CTX *ctx, X509 *cert) {
    return (int)SSL_CTX_add1_chain_cert(ctx, cert);
}

// MARK: SSL macros

/// Sends SNI (`SSL_set_tlsext_host_name` is a macro over SSL_ctrl).
static inline int gh_SSL_set_tlsext_host_name(SSL *ssl, const char *name) {
    return (int)SSL_set_tlsext_host_name(ssl, name);
}

// MARK: memory BIO macros

/// What reading an empty memory BIO returns: -1 means "retry" (more bytes
/// may come), 0 means end of stream (the peer's TCP FIN arrived).
static inline void gh_BIO_set_mem_eof_return(BIO *bio, int value) { (void)BIO_set_mem_eof_return(bio, value); }
/// Bytes allocated by a memory BIO (it grows to its high-water mark and
/// never shrinks), for memory accounting.
static inline size_t gh_BIO_mem_capacity(BIO *bio) {
    BUF_MEM *mem = NULL;
    BIO_get_mem_ptr(bio, &mem);
    return mem != NULL ? mem->max : 0;
}

// MARK: errors

/// Drains the calling thread's OpenSSL error queue into `buf` as
/// "library: reason (detail); ..." (NUL-terminated, truncated to `cap`).
/// Returns the number of characters written, 0 if the queue was empty.
size_t gh_err_drain(char *buf, size_t cap);

// MARK: ALPN

/// Installs a server-side ALPN callback that selects "http/1.1" when the
/// client offers it and refuses the handshake (no_application_protocol) when
/// the client offers only other protocols. Clients that send no ALPN
/// extension are unaffected.
void gh_SSL_CTX_select_alpn_http11(SSL_CTX *ctx);

// MARK: JOSE crypto (EVP keys and signatures)

/// `EVP_PKEY_PUBLIC_KEY` (a selection built from several macros): what
/// `EVP_PKEY_fromdata` imports for a verification key.
static const int GH_EVP_PKEY_PUBLIC_KEY = EVP_PKEY_PUBLIC_KEY;
/// PSS salt length equal to the digest length (RFC 7518 section 3.5).
static const int GH_RSA_PSS_SALTLEN_DIGEST = RSA_PSS_SALTLEN_DIGEST;
static const int GH_RSA_PKCS1_PSS_PADDING = RSA_PKCS1_PSS_PADDING;
static const int GH_RSA_PKCS1_PADDING = RSA_PKCS1_PADDING;

#endif
