/* The block-level JPEG writer (see jpeg-blocks.h). The transform is the
 * Arai-Agui-Nakajima factorisation of the 8-point DCT in single precision,
 * run on eight columns (then eight rows) at once with GCC's portable vector
 * types, so every x86-64 gets it in SSE registers; its output scaling is
 * folded into the quantisation step. */
#include "jpeg-blocks.h"

#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#ifdef __SSE2__
#include <emmintrin.h>
#include <xmmintrin.h>
#endif

#include "base/error-private.h"
#include "base/i18n-private.h"

typedef float v4f __attribute__((vector_size(16)));
typedef int32_t v4i __attribute__((vector_size(16)));

/* ------------------------------------------------------------------ */
/* Tables                                                              */

typedef struct table_error {
    struct jpeg_error_mgr mgr;
    jmp_buf jump;
} table_error;

static void table_error_exit(j_common_ptr cinfo)
{
    table_error *e = (table_error *)(void *)cinfo->err;
    longjmp(e->jump, 1);
}

static void huff_from(gp_jb_huff *h, const JHUFF_TBL *src)
{
    memset(h, 0, sizeof *h);
    int n = 0;
    for (int l = 1; l <= 16; l++) {
        h->bits[l] = src->bits[l];
        n += src->bits[l];
    }
    h->nvals = n > 256 ? 256 : n;
    memcpy(h->vals, src->huffval, (size_t)h->nvals);
    /* Codes of each length follow each other, then shift one bit left. */
    unsigned code = 0;
    int k = 0;
    for (int l = 1; l <= 16; l++) {
        for (int i = 0; i < h->bits[l] && k < h->nvals; i++, k++) {
            h->code[h->vals[k]] = (uint16_t)code++;
            h->size[h->vals[k]] = (uint8_t)l;
        }
        code <<= 1;
    }
}

/* Natural index (row * 8 + col) of zigzag position k, by walking the
 * anti-diagonals: odd ones downwards to the left, even ones upwards. */
static void zigzag(int natural[64])
{
    int k = 0;
    for (int s = 0; s < 15; s++) {
        int lo = s > 7 ? s - 7 : 0, hi = s < 7 ? s : 7;
        for (int i = 0; i <= hi - lo; i++) {
            int row = s % 2 ? lo + i : hi - i;
            natural[k++] = row * 8 + (s - row);
        }
    }
}

gp_status gp_jb_tables_init(gp_jb_tables *t, int quality, gp_error **err)
{
    memset(t, 0, sizeof *t);
    if (quality < 1 || quality > 100)
        return gp_error_set(err, GP_E_USAGE, NULL, 0, _("JPEG quality %d is outside 1-100"), quality);
    t->quality = quality;
    struct jpeg_compress_struct cinfo;
    table_error jerr;
    memset(&cinfo, 0, sizeof cinfo);
    cinfo.err = jpeg_std_error(&jerr.mgr);
    jerr.mgr.error_exit = table_error_exit;
    if (setjmp(jerr.jump)) {
        jpeg_destroy_compress(&cinfo);
        return gp_error_nomem(err);
    }
    jpeg_create_compress(&cinfo);
    cinfo.in_color_space = JCS_RGB;
    cinfo.input_components = 3;
    jpeg_set_defaults(&cinfo);
    jpeg_set_quality(&cinfo, quality, TRUE);
    for (int i = 0; i < 2; i++) {
        if (cinfo.quant_tbl_ptrs[i] == NULL || cinfo.dc_huff_tbl_ptrs[i] == NULL || cinfo.ac_huff_tbl_ptrs[i] == NULL) {
            jpeg_destroy_compress(&cinfo);
            return gp_error_set(err, GP_E_INTERNAL, NULL, 0, "%s",
                                _("libjpeg gave no standard tables; this libjpeg cannot be used"));
        }
    }
    /* AAN leaves coefficient (u, v) multiplied by 8 a(u) a(v). */
    double aan[8];
    aan[0] = 1.0;
    for (int k = 1; k < 8; k++)
        aan[k] = cos(k * 3.14159265358979323846 / 16.0) * sqrt(2.0);
    int natural[64];
    zigzag(natural);
    for (int i = 0; i < 2; i++) {
        const JQUANT_TBL *q = cinfo.quant_tbl_ptrs[i];
        for (int k = 0; k < 64; k++)
            t->quant_zigzag[i][k] = q->quantval[natural[k]];
        for (int row = 0; row < 8; row++)
            for (int col = 0; col < 8; col++)
                t->scale[i][col * 8 + row] = (float)(1.0 / (q->quantval[row * 8 + col] * aan[row] * aan[col] * 8.0));
        huff_from(&t->dc[i], cinfo.dc_huff_tbl_ptrs[i]);
        huff_from(&t->ac[i], cinfo.ac_huff_tbl_ptrs[i]);
    }
    for (int k = 0; k < 64; k++)
        t->zigzag_from[k] = (uint8_t)((natural[k] % 8) * 8 + natural[k] / 8);
    for (int k = 0; k < 64; k++) {
        int from = t->zigzag_from[k];
        for (int b = 0; b < 256; b++)
            if (b & (1 << (from % 8)))
                t->zigzag_bits[from / 8][b] |= (uint64_t)1 << k;
    }
    jpeg_destroy_compress(&cinfo);
    return GP_OK;
}

/* ------------------------------------------------------------------ */
/* Transform                                                           */

/* The 8-point DCT of d[0..7] (d[i * step]), lane by lane, scaled by
 * 8 a(k) (a(0) = 1, a(k) = sqrt(2) cos(k pi / 16)). */
static inline void aan8(v4f *d, int step)
{
#define D(i) d[(i) * step]
    v4f t0 = D(0) + D(7), t7 = D(0) - D(7);
    v4f t1 = D(1) + D(6), t6 = D(1) - D(6);
    v4f t2 = D(2) + D(5), t5 = D(2) - D(5);
    v4f t3 = D(3) + D(4), t4 = D(3) - D(4);

    v4f e10 = t0 + t3, e13 = t0 - t3, e11 = t1 + t2, e12 = t1 - t2;
    D(0) = e10 + e11;
    D(4) = e10 - e11;
    v4f z1 = (e12 + e13) * 0.707106781f;
    D(2) = e13 + z1;
    D(6) = e13 - z1;

    v4f o10 = t4 + t5, o11 = t5 + t6, o12 = t6 + t7;
    v4f z5 = (o10 - o12) * 0.382683433f;
    v4f z2 = o10 * 0.541196100f + z5;
    v4f z4 = o12 * 1.306562965f + z5;
    v4f z3 = o11 * 0.707106781f;
    v4f z11 = t7 + z3, z13 = t7 - z3;
    D(5) = z13 + z2;
    D(3) = z13 - z2;
    D(1) = z11 + z4;
    D(7) = z11 - z4;
#undef D
}

/* The 4x4 block of rows r[0], r[step], ... in place. */
static inline void transpose4(v4f *r0, v4f *r1, v4f *r2, v4f *r3)
{
#ifdef __SSE2__
    __m128 a = *r0, b = *r1, c = *r2, d = *r3;
    _MM_TRANSPOSE4_PS(a, b, c, d);
    *r0 = a, *r1 = b, *r2 = c, *r3 = d;
#else
    float m[4][4];
    memcpy(m[0], r0, 16), memcpy(m[1], r1, 16), memcpy(m[2], r2, 16), memcpy(m[3], r3, 16);
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < i; j++) {
            float x = m[i][j];
            m[i][j] = m[j][i];
            m[j][i] = x;
        }
    memcpy(r0, m[0], 16), memcpy(r1, m[1], 16), memcpy(r2, m[2], 16), memcpy(r3, m[3], 16);
#endif
}

/* One component: d[row * 2 + half], half 0 holding columns 0-3. Leaves
 * coefficient (row v, col u) at d[u * 2 + v / 4], lane v % 4. */
static inline void dct2d(v4f *d)
{
    aan8(d, 2); /* columns 0-3: vertical frequencies */
    aan8(d + 1, 2);
    /* Transposed: row i of the result is column i of the input. The
     * off-diagonal 4x4 blocks swap places. */
    transpose4(&d[0], &d[2], &d[4], &d[6]);
    transpose4(&d[9], &d[11], &d[13], &d[15]);
    transpose4(&d[1], &d[3], &d[5], &d[7]);
    transpose4(&d[8], &d[10], &d[12], &d[14]);
    for (int i = 0; i < 4; i++) {
        v4f x = d[2 * i + 1];
        d[2 * i + 1] = d[8 + 2 * i];
        d[8 + 2 * i] = x;
    }
    aan8(d, 2); /* rows: horizontal frequencies */
    aan8(d + 1, 2);
}

static inline void quantise(const gp_jb_tables *t, int table, const v4f *d, int16_t *out)
{
    const v4i sign = (v4i){0, 0, 0, 0} + (int32_t)0x80000000u;
    const v4i half = (v4i){0, 0, 0, 0} + 0x3F000000; /* 0.5f */
    /* No clamping needed: from 8-bit samples the DC is within -1024..1016
     * and an AC coefficient within +-832 before the division by a
     * quantiser of at least 1, inside baseline's 11 and 10 bits. */
    for (int i = 0; i < 16; i += 2) {
        v4f s0, s1;
        memcpy(&s0, &t->scale[table][i * 4], sizeof s0);
        memcpy(&s1, &t->scale[table][i * 4 + 4], sizeof s1);
        v4f a = d[i] * s0, b = d[i + 1] * s1;
        /* Half away from zero, then truncate: what libjpeg's DCT does. */
        v4i na = __builtin_convertvector(a + (v4f)(((v4i)a & sign) | half), v4i);
        v4i nb = __builtin_convertvector(b + (v4f)(((v4i)b & sign) | half), v4i);
#ifdef __SSE2__
        _mm_storeu_si128((__m128i *)(void *)(out + i * 4), _mm_packs_epi32((__m128i)na, (__m128i)nb));
#else
        for (int k = 0; k < 4; k++) {
            out[i * 4 + k] = (int16_t)na[k];
            out[i * 4 + 4 + k] = (int16_t)nb[k];
        }
#endif
    }
}

void gp_jb_fdct(const gp_jb_tables *t, const uint32_t *px, size_t stride, gp_jb_mcu *out)
{
    v4f y[16], cb[16], cr[16];
    for (int i = 0; i < 16; i++) {
        v4i w;
        memcpy(&w, px + (size_t)(i / 2) * stride + (size_t)(i % 2) * 4, sizeof w);
        v4f R = __builtin_convertvector((w >> 16) & 0xFF, v4f);
        v4f G = __builtin_convertvector((w >> 8) & 0xFF, v4f);
        v4f B = __builtin_convertvector(w & 0xFF, v4f);
        /* JFIF, level-shifted: the +128 of Cb and Cr cancels the shift. */
        y[i] = R * 0.299f + G * 0.587f + B * 0.114f - 128.0f;
        cb[i] = R * -0.168735892f + G * -0.331264108f + B * 0.5f;
        cr[i] = R * 0.5f + G * -0.418687589f + B * -0.081312411f;
    }
    dct2d(y);
    dct2d(cb);
    dct2d(cr);
    quantise(t, 0, y, out->c[0]);
    quantise(t, 1, cb, out->c[1]);
    quantise(t, 1, cr, out->c[2]);
}

bool gp_jb_block_uniform(const uint32_t *px, size_t stride)
{
    /* No early exit: the compiler turns the sums into vector code. */
    uint32_t first = px[0], diff = 0;
    for (int r = 0; r < 8; r++)
        for (int x = 0; x < 8; x++)
            diff |= px[(size_t)r * stride + (size_t)x] ^ first;
    return (diff & 0xFFFFFFu) == 0;
}

/* ------------------------------------------------------------------ */
/* Bits                                                                */

void gp_jb_bits_init(gp_jb_bits *b) { memset(b, 0, sizeof *b); }

void gp_jb_bits_free(gp_jb_bits *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

void gp_jb_bits_reset(gp_jb_bits *b)
{
    b->len = 0;
    b->run_start = 0;
    b->acc = 0;
    b->nacc = 0;
    b->failed = false;
}

/* Room for more bytes: at least need beyond len (plus the four a flush writes). */
static bool reserve(gp_jb_bits *b, size_t need)
{
    if (b->failed)
        return false;
    if (b->cap - b->len >= need + 8)
        return true;
    size_t cap = b->cap ? b->cap : 64 * 1024;
    while (cap - b->len < need + 8)
        cap *= 2;
    uint8_t *data = realloc(b->data, cap);
    if (data == NULL) {
        b->failed = true;
        return false;
    }
    b->data = data;
    b->cap = cap;
    return true;
}

/* n <= 32 bits of v (v < 2^n). Callers reserve room first. */
static inline void put_bits(gp_jb_bits *b, uint32_t v, int n)
{
    if (b->nacc >= 32) {
        uint32_t w = (uint32_t)(b->acc >> (b->nacc - 32));
        uint8_t *p = b->data + b->len;
        p[0] = (uint8_t)(w >> 24);
        p[1] = (uint8_t)(w >> 16);
        p[2] = (uint8_t)(w >> 8);
        p[3] = (uint8_t)w;
        b->len += 4;
        b->nacc -= 32;
    }
    b->acc = (b->acc << n) | v;
    b->nacc += n;
}

/* Bit k set when c[k] is not zero. */
static inline uint64_t nonzero_mask(const int16_t *c)
{
#ifdef __SSE2__
    const __m128i zero = _mm_setzero_si128();
    uint64_t mask = 0;
    for (int i = 0; i < 4; i++) {
        __m128i a = _mm_loadu_si128((const __m128i *)(const void *)(c + 16 * i));
        __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(c + 16 * i + 8));
        /* One byte per coefficient, 0xFF where it is zero. */
        __m128i zeros = _mm_packs_epi16(_mm_cmpeq_epi16(a, zero), _mm_cmpeq_epi16(b, zero));
        mask |= (uint64_t)(uint16_t)~_mm_movemask_epi8(zeros) << (16 * i);
    }
    return mask;
#else
    uint64_t mask = 0;
    for (int k = 0; k < 64; k++)
        mask |= (uint64_t)(c[k] != 0) << k;
    return mask;
#endif
}

static inline int bit_length(unsigned a) { return a ? 32 - __builtin_clz(a) : 0; }

static inline void encode_block(gp_jb_bits *b, const int16_t *c, int *pred, const gp_jb_huff *dc,
                                const gp_jb_huff *ac, const uint8_t *zigzag_from,
                                const uint64_t zigzag_bits[8][256])
{
    int diff = c[0] - *pred;
    *pred = c[0];
    int nb = bit_length((unsigned)(diff < 0 ? -diff : diff));
    uint32_t v = (uint32_t)(diff < 0 ? diff - 1 : diff) & ((1u << nb) - 1);
    put_bits(b, ((uint32_t)dc->code[nb] << nb) | v, dc->size[nb] + nb);

    uint64_t in_order = nonzero_mask(c), nonzero = 0;
    if ((in_order & ~(uint64_t)1) == 0) { /* paper: a DC and nothing else */
        put_bits(b, ac->code[0], ac->size[0]);
        return;
    }
    for (int i = 0; i < 8; i++)
        nonzero |= zigzag_bits[i][(in_order >> (8 * i)) & 0xFF];
    nonzero &= ~(uint64_t)1;
    int last = 0;
    while (nonzero != 0) {
        int k = __builtin_ctzll(nonzero);
        nonzero &= nonzero - 1;
        int run = k - last - 1;
        while (run > 15) {
            put_bits(b, ac->code[0xF0], ac->size[0xF0]); /* ZRL: sixteen zeros */
            run -= 16;
        }
        int x = c[zigzag_from[k]];
        nb = bit_length((unsigned)(x < 0 ? -x : x));
        v = (uint32_t)(x < 0 ? x - 1 : x) & ((1u << nb) - 1);
        int sym = run << 4 | nb;
        put_bits(b, ((uint32_t)ac->code[sym] << nb) | v, ac->size[sym] + nb);
        last = k;
    }
    if (last != 63)
        put_bits(b, ac->code[0], ac->size[0]); /* EOB */
}

void gp_jb_encode_mcu(gp_jb_bits *b, const gp_jb_tables *t, const gp_jb_mcu *m, int pred[3])
{
    /* Three blocks of at most 64 codes of at most 27 bits. */
    if (!reserve(b, 3 * 64 * 4))
        return;
    encode_block(b, m->c[0], &pred[0], &t->dc[0], &t->ac[0], t->zigzag_from, t->zigzag_bits);
    encode_block(b, m->c[1], &pred[1], &t->dc[1], &t->ac[1], t->zigzag_from, t->zigzag_bits);
    encode_block(b, m->c[2], &pred[2], &t->dc[1], &t->ac[1], t->zigzag_from, t->zigzag_bits);
}

static void flush_bytes(gp_jb_bits *b)
{
    while (b->nacc >= 8) {
        b->data[b->len++] = (uint8_t)(b->acc >> (b->nacc - 8));
        b->nacc -= 8;
    }
}

void gp_jb_bits_seal(gp_jb_bits *b, size_t *nbits)
{
    *nbits = gp_jb_bits_count(b) - b->run_start * 8;
    if (!reserve(b, 16)) {
        *nbits = 0;
        return;
    }
    flush_bytes(b);
    if (b->nacc > 0) {
        b->data[b->len++] = (uint8_t)(b->acc << (8 - b->nacc));
        b->nacc = 0;
    }
    b->acc = 0;
    b->run_start = b->len;
}

void gp_jb_bits_append(gp_jb_bits *b, const uint8_t *data, size_t nbits)
{
    size_t words = nbits / 32;
    if (nbits == 0 || !reserve(b, words * 4 + 16))
        return;
    const uint8_t *p = data;
    for (size_t i = 0; i < words; i++, p += 4)
        put_bits(b, (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3], 32);
    int rest = (int)(nbits % 32);
    if (rest > 0) {
        uint32_t w = 0;
        for (int i = 0; i < (rest + 7) / 8; i++)
            w |= (uint32_t)p[i] << (24 - 8 * i);
        put_bits(b, w >> (32 - rest), rest);
    }
}

/* The 32 bits of data from bit at on. */
static inline uint32_t bits_at(const uint8_t *data, size_t at)
{
    const uint8_t *p = data + at / 8;
    uint64_t v = (uint64_t)p[0] << 32 | (uint64_t)p[1] << 24 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 8 | p[4];
    return (uint32_t)(v >> (8 - at % 8));
}

void gp_jb_bits_append_from(gp_jb_bits *b, const uint8_t *data, size_t start_bit, size_t nbits)
{
    if (nbits == 0 || !reserve(b, nbits / 8 + 16))
        return;
    size_t at = start_bit, end = start_bit + nbits;
    for (; end - at >= 32; at += 32)
        put_bits(b, bits_at(data, at), 32);
    int rest = (int)(end - at);
    if (rest > 0)
        put_bits(b, bits_at(data, at) >> (32 - rest), rest);
}

/* ------------------------------------------------------------------ */
/* The file                                                            */

static void put16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v & 0xFF);
    p[1] = (unsigned char)(v >> 8);
}

static void put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* One little-endian IFD entry whose value fits in the four value bytes, or
 * whose offset is value. */
static unsigned char *put_entry(unsigned char *p, unsigned tag, unsigned type, uint32_t count, uint32_t value)
{
    put16(p, tag);
    put16(p + 2, type);
    put32(p + 4, count);
    put32(p + 8, value);
    return p + 12;
}

enum { TIFF_BYTE_SHORT = 3, TIFF_LONG = 4, TIFF_RATIONAL = 5, TIFF_UNDEFINED = 7 };

/* Layout of the TIFF structure inside the APP1 segment (offsets from "II"). */
#define IFD0_OFFSET 8
#define IFD0_ENTRIES 4
#define XRES_OFFSET (IFD0_OFFSET + 2 + IFD0_ENTRIES * 12 + 4)
#define YRES_OFFSET (XRES_OFFSET + 8)
#define EXIF_IFD_OFFSET (YRES_OFFSET + 8)
#define EXIF_IFD_ENTRIES 3
#define TIFF_SIZE (EXIF_IFD_OFFSET + 2 + EXIF_IFD_ENTRIES * 12 + 4)
_Static_assert(6 + TIFF_SIZE == GP_JPEG_EXIF_APP1_SIZE, "Exif APP1 size");

/* IFD0 with X/YResolution in dots per inch and a pointer to the Exif IFD,
 * which holds the mandatory versions and ColorSpace = sRGB. */
void gp_jpeg_exif_app1(unsigned char buf[GP_JPEG_EXIF_APP1_SIZE], int dpi)
{
    memset(buf, 0, GP_JPEG_EXIF_APP1_SIZE);
    memcpy(buf, "Exif\0\0", 6);
    unsigned char *t = buf + 6;
    memcpy(t, "II", 2);
    put16(t + 2, 42);
    put32(t + 4, IFD0_OFFSET);

    unsigned char *p = t + IFD0_OFFSET;
    put16(p, IFD0_ENTRIES);
    p += 2;
    p = put_entry(p, 0x011A, TIFF_RATIONAL, 1, XRES_OFFSET); /* XResolution */
    p = put_entry(p, 0x011B, TIFF_RATIONAL, 1, YRES_OFFSET); /* YResolution */
    p = put_entry(p, 0x0128, TIFF_BYTE_SHORT, 1, 2);         /* ResolutionUnit: inch */
    p = put_entry(p, 0x8769, TIFF_LONG, 1, EXIF_IFD_OFFSET); /* Exif IFD pointer */
    put32(p, 0);                                             /* no IFD1 */

    put32(t + XRES_OFFSET, (uint32_t)dpi);
    put32(t + XRES_OFFSET + 4, 1);
    put32(t + YRES_OFFSET, (uint32_t)dpi);
    put32(t + YRES_OFFSET + 4, 1);

    p = t + EXIF_IFD_OFFSET;
    put16(p, EXIF_IFD_ENTRIES);
    p += 2;
    p = put_entry(p, 0x9000, TIFF_UNDEFINED, 4, 0); /* ExifVersion */
    memcpy(p - 4, "0232", 4);
    p = put_entry(p, 0xA000, TIFF_UNDEFINED, 4, 0); /* FlashpixVersion */
    memcpy(p - 4, "0100", 4);
    p = put_entry(p, 0xA001, TIFF_BYTE_SHORT, 1, 1); /* ColorSpace: sRGB */
    put32(p, 0);
}

void gp_jb_file_free(gp_jb_file *f)
{
    free(f->data);
    memset(f, 0, sizeof *f);
}

static bool file_reserve(gp_jb_file *f, size_t need)
{
    if (f->cap - f->len >= need)
        return true;
    size_t cap = f->cap ? f->cap : 256 * 1024;
    while (cap - f->len < need)
        cap *= 2;
    uint8_t *data = realloc(f->data, cap);
    if (data == NULL)
        return false;
    f->data = data;
    f->cap = cap;
    return true;
}

static void out_bytes(gp_jb_file *f, const void *p, size_t n)
{
    memcpy(f->data + f->len, p, n);
    f->len += n;
}

static void out_be16(gp_jb_file *f, unsigned v)
{
    f->data[f->len++] = (uint8_t)(v >> 8);
    f->data[f->len++] = (uint8_t)v;
}

static void out_marker(gp_jb_file *f, unsigned marker, size_t body_len)
{
    f->data[f->len++] = 0xFF;
    f->data[f->len++] = (uint8_t)marker;
    out_be16(f, (unsigned)(body_len + 2));
}

static void out_dht(gp_jb_file *f, int class_id, const gp_jb_huff *h)
{
    f->data[f->len++] = (uint8_t)class_id;
    out_bytes(f, h->bits + 1, 16);
    out_bytes(f, h->vals, (size_t)h->nvals);
}

gp_status gp_jb_file_build(gp_jb_file *f, const gp_jb_tables *t, int width, int height, int dpi,
                           gp_jb_bits *scan, gp_error **err)
{
    if (width < 1 || height < 1 || width > 65535 || height > 65535 || dpi < 1 || dpi > 65535)
        return gp_error_set(err, GP_E_INTERNAL, NULL, 0, _("a JPEG of %d x %d pixels at %d dpi cannot be made"),
                            width, height, dpi);
    /* Fill the last byte with one bits; then every bit is in a byte. */
    if (reserve(scan, 16)) {
        int pad = (8 - scan->nacc % 8) % 8;
        put_bits(scan, (1u << pad) - 1, pad);
        flush_bytes(scan);
    }
    if (scan->failed)
        return gp_error_nomem(err);
    size_t dht = 0;
    for (int i = 0; i < 2; i++)
        dht += 2 * 17 + (size_t)t->dc[i].nvals + (size_t)t->ac[i].nvals;
    /* Stuffing adds at most one byte per byte of data. */
    f->len = 0;
    if (!file_reserve(f, 1024 + dht + 2 * scan->len))
        return gp_error_nomem(err);
    f->data[f->len++] = 0xFF;
    f->data[f->len++] = 0xD8; /* SOI */

    out_marker(f, 0xE0, 14); /* APP0 JFIF 1.01, density in dots per inch, no thumbnail */
    out_bytes(f, "JFIF\0\x01\x01\x01", 8);
    out_be16(f, (unsigned)dpi);
    out_be16(f, (unsigned)dpi);
    out_bytes(f, "\0\0", 2);

    unsigned char exif[GP_JPEG_EXIF_APP1_SIZE];
    gp_jpeg_exif_app1(exif, dpi);
    out_marker(f, 0xE1, sizeof exif);
    out_bytes(f, exif, sizeof exif);

    out_marker(f, 0xDB, 2 * 65); /* DQT: two 8-bit tables */
    for (int i = 0; i < 2; i++) {
        f->data[f->len++] = (uint8_t)i;
        for (int k = 0; k < 64; k++)
            f->data[f->len++] = (uint8_t)(t->quant_zigzag[i][k] > 255 ? 255 : t->quant_zigzag[i][k]);
    }

    out_marker(f, 0xC0, 6 + 3 * 3); /* SOF0: 8 bits, three components, 1x1 each */
    f->data[f->len++] = 8;
    out_be16(f, (unsigned)height);
    out_be16(f, (unsigned)width);
    f->data[f->len++] = 3;
    static const uint8_t components[9] = {1, 0x11, 0, 2, 0x11, 1, 3, 0x11, 1};
    out_bytes(f, components, sizeof components);

    out_marker(f, 0xC4, dht);
    out_dht(f, 0x00, &t->dc[0]);
    out_dht(f, 0x10, &t->ac[0]);
    out_dht(f, 0x01, &t->dc[1]);
    out_dht(f, 0x11, &t->ac[1]);

    out_marker(f, 0xDA, 1 + 3 * 2 + 3); /* SOS: all three, full spectrum */
    static const uint8_t sos[10] = {3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0};
    out_bytes(f, sos, sizeof sos);

    /* The entropy data with a zero byte after every 0xFF. */
    const uint8_t *p = scan->data, *end = scan->data + scan->len;
    while (p < end) {
        const uint8_t *ff = memchr(p, 0xFF, (size_t)(end - p));
        size_t n = (size_t)((ff ? ff + 1 : end) - p);
        out_bytes(f, p, n);
        if (ff != NULL)
            f->data[f->len++] = 0x00;
        p += n;
    }
    f->data[f->len++] = 0xFF;
    f->data[f->len++] = 0xD9; /* EOI */
    return GP_OK;
}

gp_status gp_jb_encode_pixels(const gp_jb_tables *t, const uint32_t *px, size_t stride, int width, int height,
                              gp_jb_bits *scan, gp_error **err)
{
    int pred[3] = {0, 0, 0};
    uint32_t edge[64];
    uint32_t uniform_colour = 0;
    bool have_uniform = false;
    gp_jb_mcu mcu, uniform;
    for (int by = 0; by < (height + 7) / 8; by++) {
        for (int bx = 0; bx < (width + 7) / 8; bx++) {
            const uint32_t *block = px + (size_t)by * 8 * stride + (size_t)bx * 8;
            size_t block_stride = stride;
            if (bx * 8 + 8 > width || by * 8 + 8 > height) {
                /* Past the page edge JPEG wants the edge pixels repeated. */
                for (int y = 0; y < 8; y++)
                    for (int x = 0; x < 8; x++) {
                        int sx = bx * 8 + x < width ? bx * 8 + x : width - 1;
                        int sy = by * 8 + y < height ? by * 8 + y : height - 1;
                        edge[y * 8 + x] = px[(size_t)sy * stride + (size_t)sx];
                    }
                block = edge;
                block_stride = 8;
            }
            if (gp_jb_block_uniform(block, block_stride)) {
                uint32_t colour = block[0] & 0xFFFFFFu;
                if (!have_uniform || colour != uniform_colour) {
                    gp_jb_fdct(t, block, block_stride, &uniform);
                    uniform_colour = colour;
                    have_uniform = true;
                }
                gp_jb_encode_mcu(scan, t, &uniform, pred);
            } else {
                gp_jb_fdct(t, block, block_stride, &mcu);
                gp_jb_encode_mcu(scan, t, &mcu, pred);
            }
        }
    }
    return scan->failed ? gp_error_nomem(err) : GP_OK;
}
