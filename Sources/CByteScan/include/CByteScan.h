#ifndef GATEHOUSE_CBYTESCAN_H
#define GATEHOUSE_CBYTESCAN_H

// Byte classification sixteen bytes at a time for the inspection hot path
// (the JSON walk and the numeric detectors), and the JSON string writer of
// the recording writer (`gh_json_quote`). Swift cannot name the SSE2
// compare and movemask instructions; these static inline helpers compile
// to a handful of them and are inlined into the Swift callers. Other
// targets get a portable loop with the same results. The numeric scan's
// block loop (`gh_numeric_scan`, in byte_scan.c) uses AVX2 or SSSE3 when
// the CPU has it.
//
// Each `…16` function reads exactly 16 bytes at `p`, `gh_masks64_of`
// 64 (the caller guarantees they are in bounds); masks have one bit per
// byte, bit k for p[k].

#include <stddef.h>
#include <stdint.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// Digits (`0`-`9`) in bits 0-15, colons in bits 16-31.
static inline uint32_t gh_digits_colons16(const uint8_t *p) {
#if defined(__SSE2__)
    __m128i v = _mm_loadu_si128((const __m128i *)p);
    __m128i d = _mm_sub_epi8(v, _mm_set1_epi8('0'));
    __m128i digit = _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d);  // d <= 9, unsigned
    __m128i colon = _mm_cmpeq_epi8(v, _mm_set1_epi8(':'));
    return (uint32_t)_mm_movemask_epi8(digit) | (uint32_t)_mm_movemask_epi8(colon) << 16;
#else
    uint32_t m = 0;
    for (int k = 0; k < 16; k++) {
        if ((uint8_t)(p[k] - '0') < 10) m |= 1u << k;
        if (p[k] == ':') m |= 1u << (k + 16);
    }
    return m;
#endif
}

/// Lowercase letters and `_` in bits 0-15, `"` in bits 16-31.
static inline uint32_t gh_lower_quote16(const uint8_t *p) {
#if defined(__SSE2__)
    __m128i v = _mm_loadu_si128((const __m128i *)p);
    __m128i l = _mm_sub_epi8(v, _mm_set1_epi8('a'));
    __m128i lower = _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(l, _mm_set1_epi8(25)), l),
                                 _mm_cmpeq_epi8(v, _mm_set1_epi8('_')));
    __m128i quote = _mm_cmpeq_epi8(v, _mm_set1_epi8('"'));
    return (uint32_t)_mm_movemask_epi8(lower) | (uint32_t)_mm_movemask_epi8(quote) << 16;
#else
    uint32_t m = 0;
    for (int k = 0; k < 16; k++) {
        if ((uint8_t)(p[k] - 'a') < 26 || p[k] == '_') m |= 1u << k;
        if (p[k] == '"') m |= 1u << (k + 16);
    }
    return m;
#endif
}

/// The separators a numeric pattern continues a digit run with (space,
/// `.`, `-`) in bits 0-15; in bits 16-31 the bytes after which a digit run
/// is visited whatever follows it: `+`, `(`, and 0x40-0x5F (capitals, for
/// IBANs; `@[\]^` are harmless extra visits, `_` is also in `lower`,
/// which the matcher lets win).
static inline uint32_t gh_seps_lead16(const uint8_t *p) {
#if defined(__SSE2__)
    __m128i v = _mm_loadu_si128((const __m128i *)p);
    __m128i d = _mm_sub_epi8(v, _mm_set1_epi8('-'));
    __m128i sep = _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(1)), d),  // `-` or `.`
                               _mm_cmpeq_epi8(v, _mm_set1_epi8(' ')));
    __m128i u = _mm_sub_epi8(v, _mm_set1_epi8(0x40));
    __m128i lead = _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(u, _mm_set1_epi8(0x1F)), u),
                                _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('+')), _mm_cmpeq_epi8(v, _mm_set1_epi8('('))));
    return (uint32_t)_mm_movemask_epi8(sep) | (uint32_t)_mm_movemask_epi8(lead) << 16;
#else
    uint32_t m = 0;
    for (int k = 0; k < 16; k++) {
        if (p[k] == ' ' || p[k] == '.' || p[k] == '-') m |= 1u << k;
        if ((uint8_t)(p[k] - 0x40) < 0x20 || p[k] == '+' || p[k] == '(') m |= 1u << (k + 16);
    }
    return m;
#endif
}

/// Digits, colons, lowercase letters or `_`, `"`, separators and leads
/// (`gh_seps_lead16`) of 64 bytes, bit k for p[k].
typedef struct { uint64_t digits; uint64_t colons; uint64_t lower; uint64_t quotes; uint64_t seps; uint64_t lead; } gh_masks64;

/// The masks of the 64 bytes at `p` with SSE2 (`colons` 0: `colons` and
/// `quotes` left 0, for scans without IPv6, their only user); `colons`
/// is a constant at each call, so each inlines to the work it needs.
static inline gh_masks64 gh_masks64_of(const uint8_t *p, int colons) {
    gh_masks64 m = { 0, 0, 0, 0, 0, 0 };
    for (int b = 0; b < 4; b++) {
        uint32_t x = gh_digits_colons16(p + 16 * b);
        uint32_t y = gh_lower_quote16(p + 16 * b);
        uint32_t z = gh_seps_lead16(p + 16 * b);
        m.digits |= (uint64_t)(x & 0xFFFF) << (16 * b);
        m.lower |= (uint64_t)(y & 0xFFFF) << (16 * b);
        m.seps |= (uint64_t)(z & 0xFFFF) << (16 * b);
        m.lead |= (uint64_t)(z >> 16) << (16 * b);
        if (colons) {
            m.colons |= (uint64_t)(x >> 16) << (16 * b);
            m.quotes |= (uint64_t)(y >> 16) << (16 * b);
        }
    }
    return m;
}

/// Where `gh_numeric_scan` is: the next block's offset, and bit 63 of
/// the previous block's digits, lowercase, leads and quotes. Zero to start.
typedef struct { size_t at; uint64_t digit; uint64_t lower; uint64_t lead; uint64_t quote; } gh_numeric_state;

/// A block with something for the numeric matcher to visit: its offset,
/// its digits, and the bits to visit (digit-run starts and, for IPv6, colons).
typedef struct { uint64_t at; uint64_t digits; uint64_t visits; } gh_numeric_block;

/// The candidate filter of the numeric matcher (`NumericMatcher`): scans
/// the `n` bytes at `p` 64 at a time from `s->at`, and writes to `out`
/// the blocks with a digit run that passes the matcher's first tests (or,
/// with `colons`, a colon it would look at), at most `max`; returns their
/// count and leaves `s` after the last block scanned (`s->at >= n` at the
/// end). Block masks from a nibble-table classification with AVX2 or
/// SSSE3 (checked at run time): two table look-ups per 32 (16) bytes for
/// all classes, about a third (two thirds) of the SSE2 compares of
/// `gh_masks64_of`, the fallback. Not inline,
/// and a loop rather than one call per block: AVX2 code cannot be inlined
/// into callers compiled for the x86-64 baseline, and most blocks have
/// nothing to visit. The last block is read in place when that stays
/// within its page (bytes past `n` are read but masked off).
size_t gh_numeric_scan(const uint8_t *p, size_t n, int colons, gh_numeric_state *s, gh_numeric_block *out, size_t max);

/// Bytes a JSON string scan must stop at: `"`, `\`, control characters
/// (below 0x20) and non-ASCII bytes (0x80 and above).
static inline uint32_t gh_string_stops16(const uint8_t *p) {
#if defined(__SSE2__)
    __m128i v = _mm_loadu_si128((const __m128i *)p);
    __m128i quote = _mm_cmpeq_epi8(v, _mm_set1_epi8('"'));
    __m128i backslash = _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'));
    __m128i low = _mm_cmplt_epi8(v, _mm_set1_epi8(0x20));  // signed: below 0x20, or 0x80 and above
    return (uint32_t)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(quote, backslash), low));
#else
    uint32_t m = 0;
    for (int k = 0; k < 16; k++) {
        uint8_t c = p[k];
        if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') m |= 1u << k;
    }
    return m;
#endif
}

/// Writes `src[0..<n]` to `dst` as a JSON string, quotes included, and
/// returns the bytes written. Escapes exactly as GatehouseCore's
/// `JSONOutput.appendString`: `\"`, `\\`, `\n`, `\r`, `\t`, and every other
/// control byte and DEL as `\u00xx` (lowercase hex). Bytes 0x80 and above
/// are copied as they are (the caller vouches that they are UTF-8), unless
/// `ascii_only`: then it returns -1 at the first such byte, and what it
/// wrote is to be discarded. `dst` must have room for `6 * n + 18` bytes
/// (sixteen-byte stores may write past the result's end).
long gh_json_quote(uint8_t *dst, const uint8_t *src, size_t n, int ascii_only);

#endif
