// The classification helpers are in include/CByteScan.h (static inline, so
// they inline into Swift); the JSON string writer and the numeric scan's
// block loop (AVX2 or SSSE3 when the CPU has it) are here.
#include "CByteScan.h"
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

#if defined(__x86_64__)
/// The class bits of a byte's low and high nibble (see `masks_avx2`),
/// shared by the AVX2 and SSSE3 classifications.
static const uint8_t numeric_low_nibbles[16] = {
    0xE4, 0xAC, 0xAC, 0xAC, 0xAC, 0xAC, 0xAC, 0xAC, 0xBC, 0xAC, 0x2C, 0x38, 0x28, 0x68, 0x68, 0x2A,
};
static const uint8_t numeric_high_nibbles[16] = {
    0, 0, 0x50, 0x80, 0x20, 0x22, 0x08, 0x04, 0, 0, 0, 0, 0, 0, 0, 0,
};

/// `gh_masks64_of` with AVX2. Each byte gets a class byte, the AND of a
/// table entry for its low nibble and one for its high nibble; bit b is
/// set for (high nibble in H_b) and (low nibble in L_b):
///   7 digit  `0`-`9`          H {3}    L 0-9
///   6 sep    space `-` `.`    H {2}    L {0, D, E}
///   5 lead   0x40-0x5F        H {4, 5} L all
///   4 lead   `(` `+`          H {2}    L {8, B}
///   3 lower  `a`-`o`          H {6}    L 1-F
///   2 lower  `p`-`z`          H {7}    L 0-A
///   1 lower  `_`              H {5}    L {F}
/// Bytes 0x80 and above get 0 (high-nibble entries 8-F). The bit groups
/// become masks by moving "any bit of the group" to bit 7 (an add) for
/// `vpmovmskb`. Colons and quotes are plain compares.
__attribute__((target("avx2"), always_inline))
static inline gh_masks64 masks_avx2(const uint8_t *p, int colons) {
    const __m256i lo = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)numeric_low_nibbles));
    const __m256i hi = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)numeric_high_nibbles));
    const __m256i nibble = _mm256_set1_epi8(0x0F);
    gh_masks64 m = { 0, 0, 0, 0, 0, 0 };
    for (int h = 0; h < 2; h++) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(p + 32 * h));
        __m256i c = _mm256_and_si256(_mm256_shuffle_epi8(lo, _mm256_and_si256(v, nibble)),
                                     _mm256_shuffle_epi8(hi, _mm256_and_si256(_mm256_srli_epi16(v, 4), nibble)));
        __m256i lead = _mm256_add_epi8(_mm256_and_si256(c, _mm256_set1_epi8(0x30)), _mm256_set1_epi8(0x70));
        __m256i lower = _mm256_add_epi8(_mm256_and_si256(c, _mm256_set1_epi8(0x0E)), _mm256_set1_epi8(0x7E));
        m.digits |= (uint64_t)(uint32_t)_mm256_movemask_epi8(c) << (32 * h);
        m.seps |= (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_add_epi8(c, c)) << (32 * h);
        m.lead |= (uint64_t)(uint32_t)_mm256_movemask_epi8(lead) << (32 * h);
        m.lower |= (uint64_t)(uint32_t)_mm256_movemask_epi8(lower) << (32 * h);
        if (colons) {
            m.colons |= (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_set1_epi8(':'))) << (32 * h);
            m.quotes |= (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('"'))) << (32 * h);
        }
    }
    return m;
}

/// `masks_avx2` sixteen bytes at a time with SSSE3 (`pshufb`), for CPUs
/// without AVX2: the same tables and bit groups.
__attribute__((target("ssse3"), always_inline))
static inline gh_masks64 masks_ssse3(const uint8_t *p, int colons) {
    const __m128i lo = _mm_loadu_si128((const __m128i *)numeric_low_nibbles);
    const __m128i hi = _mm_loadu_si128((const __m128i *)numeric_high_nibbles);
    const __m128i nibble = _mm_set1_epi8(0x0F);
    gh_masks64 m = { 0, 0, 0, 0, 0, 0 };
    for (int h = 0; h < 4; h++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + 16 * h));
        __m128i c = _mm_and_si128(_mm_shuffle_epi8(lo, _mm_and_si128(v, nibble)),
                                  _mm_shuffle_epi8(hi, _mm_and_si128(_mm_srli_epi16(v, 4), nibble)));
        __m128i lead = _mm_add_epi8(_mm_and_si128(c, _mm_set1_epi8(0x30)), _mm_set1_epi8(0x70));
        __m128i lower = _mm_add_epi8(_mm_and_si128(c, _mm_set1_epi8(0x0E)), _mm_set1_epi8(0x7E));
        m.digits |= (uint64_t)(uint32_t)_mm_movemask_epi8(c) << (16 * h);
        m.seps |= (uint64_t)(uint32_t)_mm_movemask_epi8(_mm_add_epi8(c, c)) << (16 * h);
        m.lead |= (uint64_t)(uint32_t)_mm_movemask_epi8(lead) << (16 * h);
        m.lower |= (uint64_t)(uint32_t)_mm_movemask_epi8(lower) << (16 * h);
        if (colons) {
            m.colons |= (uint64_t)(uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(':'))) << (16 * h);
            m.quotes |= (uint64_t)(uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('"'))) << (16 * h);
        }
    }
    return m;
}
#endif

typedef gh_masks64 (*classify64)(const uint8_t *p, int colons);

/// The masks of the block at `p` (`n` bytes left): read in place when
/// 64 bytes are left, or when fewer and reading 64 stays within the page
/// (the next one might not be mapped), else from a zero-padded copy; the
/// bits past the end are cleared.
__attribute__((always_inline))
static inline gh_masks64 block_masks(classify64 masks, const uint8_t *p, size_t n, int colons) {
    if (n >= 64) return masks(p, colons);
    uint8_t pad[64];
    if (((uintptr_t)p & 4095) > 4096 - 64) {
        memset(pad, 0, sizeof pad);
        memcpy(pad, p, n);
        p = pad;
    }
    gh_masks64 m = masks(p, colons);
    uint64_t in = ((uint64_t)1 << n) - 1;
    m.digits &= in;
    m.colons &= in;
    m.lower &= in;
    m.quotes &= in;
    m.seps &= in;
    m.lead &= in;
    return m;
}

/// The digit-run starts of a block to visit, and its colons for IPv6
/// (see `gh_numeric_scan`). A run is dropped after a lowercase letter or
/// `_`; it is kept after a lead (`+`, `(`, a capital), and otherwise only
/// when a separator (space, `.`, `-`) follows it or it has 13 digits or
/// more. A run reaching bit 63 counts as followed by a separator (its
/// next byte is in the next block). Updates the carries in `s`.
__attribute__((always_inline))
static inline uint64_t block_visits(gh_masks64 m, gh_numeric_state *s, int colons) {
    uint64_t d = m.digits;
    uint64_t starts = d & ~((d << 1) | s->digit);
    // The runs' last digits before a separator, filled down through each
    // run: distances up to 15, longer runs are kept by `lng`.
    uint64_t ended = d & ((m.seps >> 1) | (uint64_t)1 << 63);
    ended |= (ended >> 1) & d;
    uint64_t d2 = d & (d >> 1);  // bits k and k+1 digits
    ended |= (ended >> 2) & d2;
    uint64_t d4 = d2 & (d2 >> 2);
    ended |= (ended >> 4) & d4;
    uint64_t d8 = d4 & (d4 >> 4);
    ended |= (ended >> 8) & d8;
    uint64_t lng = d8 & (d8 >> 5);  // bits k to k+12 digits
    uint64_t after_lead = (m.lead << 1) | s->lead;
    uint64_t visits = starts & ~((m.lower << 1) | s->lower) & (after_lead | ended | lng);
    if (colons) {
        // Colons, except after `"` and not before `:` (a key's `":`, which
        // the matcher's `colon(at:)` would drop); at bit 63 the next byte is unknown.
        uint64_t quoted = ((m.quotes << 1) | s->quote) & ~((m.colons >> 1) | (uint64_t)1 << 63);
        visits |= m.colons & ~quoted;
    }
    s->digit = d >> 63;
    s->lower = m.lower >> 63;
    s->lead = m.lead >> 63;
    s->quote = m.quotes >> 63;
    return visits;
}

/// `gh_numeric_scan` with the classification `masks` (inlined: each
/// caller passes a constant). The state is copied in and out: `out` may
/// alias it as far as the compiler knows, which kept it in memory.
__attribute__((always_inline))
static inline size_t numeric_scan(classify64 masks, const uint8_t *p, size_t n, int colons, gh_numeric_state *state,
                                  gh_numeric_block *out, size_t max) {
    gh_numeric_state s = *state;
    size_t k = 0;
    while (k < max && s.at < n) {
        size_t at = s.at;
        gh_masks64 m = block_masks(masks, p + at, n - at, colons);
        uint64_t visits = block_visits(m, &s, colons);
        s.at = at + 64;
        if (visits != 0) out[k++] = (gh_numeric_block){ at, m.digits, visits };
    }
    *state = s;
    return k;
}

#if defined(__x86_64__)
__attribute__((target("avx2")))
static size_t numeric_scan_avx2(const uint8_t *p, size_t n, int colons, gh_numeric_state *s, gh_numeric_block *out, size_t max) {
    return colons ? numeric_scan(masks_avx2, p, n, 1, s, out, max) : numeric_scan(masks_avx2, p, n, 0, s, out, max);
}

__attribute__((target("ssse3")))
static size_t numeric_scan_ssse3(const uint8_t *p, size_t n, int colons, gh_numeric_state *s, gh_numeric_block *out, size_t max) {
    return colons ? numeric_scan(masks_ssse3, p, n, 1, s, out, max) : numeric_scan(masks_ssse3, p, n, 0, s, out, max);
}
#endif

size_t gh_numeric_scan(const uint8_t *p, size_t n, int colons, gh_numeric_state *s, gh_numeric_block *out, size_t max) {
#if defined(__x86_64__)
    if (__builtin_cpu_supports("avx2")) return numeric_scan_avx2(p, n, colons, s, out, max);
    if (__builtin_cpu_supports("ssse3")) return numeric_scan_ssse3(p, n, colons, s, out, max);
#endif
    return colons ? numeric_scan(gh_masks64_of, p, n, 1, s, out, max) : numeric_scan(gh_masks64_of, p, n, 0, s, out, max);
}

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
