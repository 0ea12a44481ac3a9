#include "COpenSSL.h"
#include <stdio.h>
#include <string.h>

size_t gh_err_drain(char *buf, size_t cap) {
    size_t used = 0;
    if (cap == 0) return 0;
    buf[0] = '\0';
    const char *file, *func, *data;
    int line, flags;
    unsigned long code;
    while ((code = ERR_get_error_all(&file, &line, &func, &data, &flags)) != 0) {
        if (used + 1 >= cap) continue; // keep draining, drop the text
        const char *lib = ERR_lib_error_string(code);
        const char *reason = ERR_reason_error_string(code);
        char reasonBuf[32];
        if (reason == NULL) {
            snprintf(reasonBuf, sizeof reasonBuf, "reason %d", ERR_GET_REASON(code));
            reason = reasonBuf;
        }
        int hasData = (flags & ERR_TXT_STRING) && data != NULL && data[0] != '\0';
        int n = snprintf(buf + used, cap - used, "%s%s%s%s%s%s%s",
                         used > 0 ? "; " : "",
                         lib ? lib : "", lib ? ": " : "",
                         reason,
                         hasData ? " (" : "", hasData ? data : "", hasData ? ")" : "");
        if (n < 0) break;
        used += (size_t)n;
        if (used >= cap) used = cap - 1;
    }
    return used;
}

static const unsigned char gh_http11[] = { 8, 'h', 't', 't', 'p', '/', '1', '.', '1' };

static int gh_alpn_select(SSL *ssl, const unsigned char **out, unsigned char *outlen,
                          const unsigned char *in, unsigned int inlen, void *arg) {
    (void)ssl; (void)arg;
    unsigned char *selected = NULL;
    unsigned char selectedLen = 0;
    if (SSL_select_next_proto(&selected, &selectedLen, gh_http11, sizeof gh_http11, in, inlen)
        != OPENSSL_NPN_NEGOTIATED) {
        return SSL_TLSEXT_ERR_ALERT_FATAL;
    }
    *out = selected;
    *outlen = selectedLen;
    return SSL_TLSEXT_ERR_OK;
}

void gh_SSL_CTX_select_alpn_http11(SSL_CTX *ctx) {
    SSL_CTX_set_alpn_select_cb(ctx, gh_alpn_select, NULL);
}
