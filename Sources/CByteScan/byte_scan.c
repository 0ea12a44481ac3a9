// The classification helpers are in include/CByteScan.h (static inline, so
// they inline into Swift); the JSON string writer is here.
#include "CByteScan.h"

#if defined(__SSE2__)
/// Bytes of the sixteen at `p` that need an escape (or, with `ascii_only`,
/// stop the copy): `"`, `\`, below 0x20, DEL; and 0x80 and above.
static inline uint32_t quote_stops16(const uint8_t *p, int ascii_only) {
    __m128i v = _mm_loadu_si128((const __m128i *)p);
    __m128i control = _mm_cmpeq_epi8(_mm_max_epu8(v, _mm_set1_epi8(0x1F)), _mm_set1_epi8(0x1F));
    __m128i special = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\')));
    __m128i del = _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7F));
    uint32_t stops = (uint32_t)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(control, special), del));
    if (ascii_only) stops |= (uint32_t)_mm_movemask_epi8(v);
    return stops;
}
#endif

long gh_json_quote(uint8_t *dst, const uint8_t *src, size_t n, int ascii_only) {
    static const char hex[] = "0123456789abcdef";
    size_t i = 0, o = 0;
    dst[o++] = '"';
    while (i < n) {
#if defined(__SSE2__)
        // Sixteen plain bytes per step. The last step may read past `n`, but
        // only within the page holding `src + i` (so never into an unmapped
        // page); the bytes past `n` are masked off and never counted.
        size_t left = n - i;
        if (left >= 16 || ((uintptr_t)(src + i) & 4095) <= 4096 - 16) {
            uint32_t stops = quote_stops16(src + i, ascii_only);
            if (left < 16) stops |= 1u << left;
            _mm_storeu_si128((__m128i *)(dst + o), _mm_loadu_si128((const __m128i *)(src + i)));
            if (stops == 0) {
                i += 16;
                o += 16;
                continue;
            }
            unsigned k = (unsigned)__builtin_ctz(stops);
            i += k;
            o += k;
            if (i >= n) break;
        }
#endif
        uint8_t c = src[i++];
        if (c >= 0x80) {
            if (ascii_only) return -1;
            dst[o++] = c;
        } else if (c == '"' || c == '\\') {
            dst[o++] = '\\';
            dst[o++] = c;
        } else if (c == '\n') {
            dst[o++] = '\\';
            dst[o++] = 'n';
        } else if (c == '\r') {
            dst[o++] = '\\';
            dst[o++] = 'r';
        } else if (c == '\t') {
            dst[o++] = '\\';
            dst[o++] = 't';
        } else if (c < 0x20 || c == 0x7F) {
            dst[o++] = '\\';
            dst[o++] = 'u';
            dst[o++] = '0';
            dst[o++] = '0';
            dst[o++] = (uint8_t)hex[c >> 4];
            dst[o++] = (uint8_t)hex[c & 15];
        } else {
            dst[o++] = c;
        }
    }
    dst[o++] = '"';
    return (long)o;
}
