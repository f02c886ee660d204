/* Cropping and resampling a photo into a slot. The resampler is separable
 * and works in fixed point: when shrinking, each output pixel is the exact
 * area average of the source pixels it covers (a box filter over the
 * footprint, which removes the detail that would otherwise alias); when
 * enlarging, it interpolates linearly between pixel centres. Every output
 * pixel is computed from source pixels, so no edge is left transparent or
 * black by rounding. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "photo-private.h"

gp_crop gp_photo_crop(int w, int h, double slot_w, double slot_h)
{
    gp_crop crop = {0.0, 0.0, w, h};
    if (w <= 0 || h <= 0 || !(slot_w > 0.0) || !(slot_h > 0.0))
        return crop;
    double photo_aspect = (double)w / h;
    double slot_aspect = slot_w / slot_h;
    if (photo_aspect > slot_aspect) {
        crop.w = h * slot_aspect;
        crop.x = (w - crop.w) / 2.0;
    } else if (photo_aspect < slot_aspect) {
        crop.h = w / slot_aspect;
    }
    return crop;
}

#define WEIGHT_BITS 14
#define WEIGHT_ONE (1 << WEIGHT_BITS)
/* The horizontal pass keeps 7 fractional bits: 255 << 7 fits 16 bits, and
 * the vertical sum of such values times WEIGHT_ONE fits 31. */
#define MID_BITS 7

/* One dimension of the resampling: output pixel i reads count[i] source
 * pixels from start[i] on, with weights[i * taps ...] summing to WEIGHT_ONE. */
typedef struct filter {
    int n, taps;
    int *start, *count;
    int32_t *weights;
} filter;

/* Leaves f empty: a failed filter_init has freed it already, and its
 * caller frees every filter again on the way out. */
static void filter_free(filter *f)
{
    free(f->start);
    free(f->count);
    free(f->weights);
    f->start = f->count = NULL;
    f->weights = NULL;
}

/* Stores double weights w[0..k) as fixed point summing exactly to WEIGHT_ONE. */
static void quantise(const double *w, int k, int32_t *out)
{
    double total = 0.0;
    for (int j = 0; j < k; j++)
        total += w[j];
    int32_t sum = 0;
    int biggest = 0;
    for (int j = 0; j < k; j++) {
        out[j] = (int32_t)lround(w[j] / total * WEIGHT_ONE);
        sum += out[j];
        if (out[j] > out[biggest])
            biggest = j;
    }
    out[biggest] += WEIGHT_ONE - sum;
}

/* Maps the source span [src_start, src_start + src_len) of a line of src_n
 * pixels onto out_n output pixels. */
static bool filter_init(filter *f, int out_n, double src_start, double src_len, int src_n)
{
    double step = src_len / out_n;
    f->n = out_n;
    f->taps = step > 1.0 ? (int)ceil(step) + 1 : 2;
    f->start = calloc((size_t)out_n, sizeof *f->start);
    f->count = calloc((size_t)out_n, sizeof *f->count);
    f->weights = calloc((size_t)out_n * (size_t)f->taps, sizeof *f->weights);
    double *w = calloc((size_t)f->taps, sizeof *w);
    if (f->start == NULL || f->count == NULL || f->weights == NULL || w == NULL) {
        free(w);
        filter_free(f);
        return false;
    }
    for (int i = 0; i < out_n; i++) {
        int first, k = 0;
        if (step > 1.0) {
            double a = fmax(src_start + i * step, 0.0);
            double b = fmin(src_start + (i + 1) * step, src_n);
            first = (int)floor(a);
            for (int j = first; j < b && k < f->taps; j++) {
                double overlap = fmin(j + 1.0, b) - fmax((double)j, a);
                w[k++] = overlap > 0.0 ? overlap : 0.0;
            }
            /* Slivers below half a weight step only cost time. */
            while (k > 1 && w[k - 1] * WEIGHT_ONE < 0.5 * step)
                k--;
            while (k > 1 && w[0] * WEIGHT_ONE < 0.5 * step) {
                memmove(w, w + 1, (size_t)(k - 1) * sizeof *w);
                first++;
                k--;
            }
            if (k == 0 || (k == 1 && w[0] <= 0.0)) {
                w[0] = 1.0;
                k = 1;
            }
        } else {
            double centre = src_start + (i + 0.5) * step - 0.5;
            centre = fmin(fmax(centre, 0.0), src_n - 1.0);
            first = (int)floor(centre);
            double t = centre - first;
            w[k++] = 1.0 - t;
            if (first + 1 < src_n && t > 0.0)
                w[k++] = t;
        }
        if (first > src_n - k)
            first = src_n - k;
        if (first < 0)
            first = 0;
        f->start[i] = first;
        f->count[i] = k;
        quantise(w, k, f->weights + (size_t)i * f->taps);
    }
    free(w);
    return true;
}

static inline uint8_t clamp_channel(int32_t v) { return v < 0 ? 0 : v > 255 ? 255 : (uint8_t)v; }

/* The horizontal taps laid out for the row loop: every output pixel reads
 * the same even number of source pixels (weights past its own count are
 * zero; near the row's end its window moves left and its weights right, so
 * no read leaves the row), as 16-bit weight pairs. */
typedef struct row_filter {
    int n, pairs;
    int *start;
    int32_t *pair_weights; /* n * pairs: (w[2j + 1] << 16) | w[2j] */
} row_filter;

static bool row_filter_init(row_filter *rf, const filter *fx, int src_w)
{
    rf->n = fx->n;
    rf->pairs = (fx->taps + 1) / 2;
    rf->start = malloc((size_t)fx->n * sizeof *rf->start);
    rf->pair_weights = calloc((size_t)fx->n * (size_t)rf->pairs, sizeof *rf->pair_weights);
    if (rf->start == NULL || rf->pair_weights == NULL)
        return false;
    int span = 2 * rf->pairs;
    int32_t *wt = malloc((size_t)span * sizeof *wt);
    if (wt == NULL)
        return false;
    for (int x = 0; x < fx->n; x++) {
        int start = fx->start[x], shift = 0;
        if (start + span > src_w) {
            shift = start + span - src_w;
            if (shift > start)
                shift = start; /* a row narrower than the window: reads stay at 0.. */
            start -= shift;
        }
        memset(wt, 0, (size_t)span * sizeof *wt);
        for (int k = 0; k < fx->count[x] && k + shift < span; k++)
            wt[k + shift] = fx->weights[(size_t)x * fx->taps + (size_t)k];
        rf->start[x] = start;
        for (int j = 0; j < rf->pairs; j++)
            rf->pair_weights[(size_t)x * rf->pairs + j] =
                (int32_t)((uint32_t)wt[2 * j + 1] << 16 | ((uint32_t)wt[2 * j] & 0xFFFF));
    }
    free(wt);
    return true;
}

static void row_filter_free(row_filter *rf)
{
    free(rf->start);
    free(rf->pair_weights);
}

/* The horizontal pass of one source row into dst: four values a pixel (the
 * bytes of cairo's word: blue, green, red, unused), with MID_BITS of
 * fraction. SSE2 sums two taps a step with pmaddwd, to the same integers
 * as the plain loop. */
#ifdef __SSE2__
/* Two source pixels at p weighted by the 16-bit pair in w: B0 G0 R0 X0
 * B1 G1 R1 X1 interleaved to B0 B1 G0 G1 R0 R1 X0 X1 for pmaddwd. */
static inline __m128i two_taps(const uint32_t *p, int32_t w)
{
    __m128i two = _mm_unpacklo_epi8(_mm_loadl_epi64((const __m128i *)(const void *)p), _mm_setzero_si128());
    return _mm_madd_epi16(_mm_unpacklo_epi16(two, _mm_srli_si128(two, 8)), _mm_set1_epi32(w));
}
#endif

static void scale_row(const uint32_t *line, const row_filter *rf, uint16_t *dst)
{
    const int shift = WEIGHT_BITS - MID_BITS, half = 1 << (shift - 1);
#ifdef __SSE2__
    const __m128i zero = _mm_setzero_si128(), round = _mm_set1_epi32(half);
    if (rf->pairs == 2) { /* up to four taps: both sheet sizes from a 480 x 640 photo */
        for (int x = 0; x < rf->n; x++) {
            const uint32_t *p = line + rf->start[x];
            const int32_t *w = rf->pair_weights + (size_t)x * 2;
            __m128i acc = _mm_add_epi32(two_taps(p, w[0]), two_taps(p + 2, w[1]));
            __m128i v = _mm_srai_epi32(_mm_add_epi32(acc, round), shift);
            _mm_storel_epi64((__m128i *)(void *)(dst + 4 * x), _mm_packs_epi32(v, v));
        }
        return;
    }
    for (int x = 0; x < rf->n; x++) {
        const uint32_t *p = line + rf->start[x];
        const int32_t *w = rf->pair_weights + (size_t)x * rf->pairs;
        __m128i acc = zero;
        for (int j = 0; j < rf->pairs; j++)
            acc = _mm_add_epi32(acc, two_taps(p + 2 * j, w[j]));
        __m128i v = _mm_srai_epi32(_mm_add_epi32(acc, round), shift);
        _mm_storel_epi64((__m128i *)(void *)(dst + 4 * x), _mm_packs_epi32(v, v));
    }

#else
    for (int x = 0; x < rf->n; x++) {
        const uint32_t *p = line + rf->start[x];
        const int32_t *w = rf->pair_weights + (size_t)x * rf->pairs;
        int32_t sum[4] = {0, 0, 0, 0};
        for (int k = 0; k < 2 * rf->pairs; k++) {
            int32_t wk = (int16_t)(k % 2 ? (uint32_t)w[k / 2] >> 16 : (uint32_t)w[k / 2] & 0xFFFF);
            for (int c = 0; c < 4; c++)
                sum[c] += wk * (int32_t)((p[k] >> (8 * c)) & 0xFF);
        }
        for (int c = 0; c < 4; c++)
            dst[4 * x + c] = (uint16_t)((sum[c] + half) >> shift);
    }
#endif
}

/* The vertical pass into one output row: the n rows it reads, weighted,
 * rounded, clamped and packed into cairo's words. Values below 2^15,
 * weights at most 2^14: two rows a step with pmaddwd where SSE2 is there. */
static void vertical_pass(const uint16_t *const *rows, const int32_t *w, int n, int width, uint32_t *dst)
{
    const int shift = WEIGHT_BITS + MID_BITS, half = 1 << (shift - 1);
    int x = 0;
#ifdef __SSE2__
    const __m128i zero = _mm_setzero_si128(), round = _mm_set1_epi32(half);
    const __m128i opaque = _mm_set1_epi32((int32_t)0xFF000000u);
    /* The rows in pairs with their weight pairs, set up once a row; an
     * odd last row is paired with itself at weight 0. */
    enum { MAX_PAIRS = 32 };
    const uint16_t *ra[MAX_PAIRS], *rb[MAX_PAIRS];
    __m128i ww[MAX_PAIRS];
    int pairs = (n + 1) / 2;
    if (pairs > MAX_PAIRS)
        pairs = 0; /* more taps than any slot needs: the plain loop below */
    for (int j = 0; j < pairs; j++) {
        bool pair = 2 * j + 1 < n;
        ra[j] = rows[2 * j];
        rb[j] = pair ? rows[2 * j + 1] : rows[2 * j];
        int32_t w1 = pair ? w[2 * j + 1] : 0;
        ww[j] = _mm_set1_epi32((int32_t)((uint32_t)w1 << 16 | ((uint32_t)w[2 * j] & 0xFFFF)));
    }
    for (; pairs > 0 && x + 2 <= width; x += 2) { /* two pixels, eight values */
        __m128i lo = zero, hi = zero;
        for (int j = 0; j < pairs; j++) {
            __m128i a = _mm_loadu_si128((const __m128i *)(const void *)(ra[j] + 4 * x));
            __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(rb[j] + 4 * x));
            lo = _mm_add_epi32(lo, _mm_madd_epi16(_mm_unpacklo_epi16(a, b), ww[j]));
            hi = _mm_add_epi32(hi, _mm_madd_epi16(_mm_unpackhi_epi16(a, b), ww[j]));
        }
        lo = _mm_srai_epi32(_mm_add_epi32(lo, round), shift);
        hi = _mm_srai_epi32(_mm_add_epi32(hi, round), shift);
        /* Saturating packs clamp to 0..255, as clamp_channel. */
        __m128i px = _mm_packus_epi16(_mm_packs_epi32(lo, hi), zero);
        _mm_storel_epi64((__m128i *)(void *)(dst + x), _mm_or_si128(px, opaque));
    }
#endif
    for (; x < width; x++) {
        uint32_t word = 0xFF000000u;
        for (int c = 0; c < 3; c++) {
            int32_t sum = 0;
            for (int k = 0; k < n; k++)
                sum += w[k] * rows[k][4 * x + c];
            word |= (uint32_t)clamp_channel((sum + half) >> shift) << (8 * c);
        }
        dst[x] = word;
    }
}

cairo_surface_t *gp_photo_scale_to_slot(cairo_surface_t *decoded, int slot_w_px, int slot_h_px)
{
    if (slot_w_px <= 0 || slot_h_px <= 0)
        return NULL;
    cairo_surface_t *out = cairo_image_surface_create(CAIRO_FORMAT_RGB24, slot_w_px, slot_h_px);
    if (cairo_surface_status(out) != CAIRO_STATUS_SUCCESS || !gp_photo_scale_into(decoded, out)) {
        cairo_surface_destroy(out);
        return NULL;
    }
    return out;
}

bool gp_photo_scale_into(cairo_surface_t *decoded, cairo_surface_t *out)
{
    if (decoded == NULL || out == NULL || cairo_surface_get_type(decoded) != CAIRO_SURFACE_TYPE_IMAGE ||
        cairo_surface_get_type(out) != CAIRO_SURFACE_TYPE_IMAGE ||
        cairo_image_surface_get_format(out) != CAIRO_FORMAT_RGB24)
        return false;
    int slot_w_px = cairo_image_surface_get_width(out), slot_h_px = cairo_image_surface_get_height(out);
    if (slot_w_px <= 0 || slot_h_px <= 0)
        return false;
    cairo_format_t format = cairo_image_surface_get_format(decoded);
    if (format != CAIRO_FORMAT_RGB24 && format != CAIRO_FORMAT_ARGB32)
        return false;
    cairo_surface_flush(decoded);
    int src_w = cairo_image_surface_get_width(decoded);
    int src_h = cairo_image_surface_get_height(decoded);
    int src_stride = cairo_image_surface_get_stride(decoded);
    const unsigned char *src = cairo_image_surface_get_data(decoded);
    if (src == NULL || src_w <= 0 || src_h <= 0)
        return false;

    gp_crop crop = gp_photo_crop(src_w, src_h, slot_w_px, slot_h_px);
    filter fx = {0}, fy = {0};
    row_filter rf = {0};
    if (!filter_init(&fx, slot_w_px, crop.x, crop.w, src_w))
        return false;
    if (!filter_init(&fy, slot_h_px, crop.y, crop.h, src_h) || !row_filter_init(&rf, &fx, src_w)) {
        row_filter_free(&rf);
        filter_free(&fx);
        filter_free(&fy);
        return false;
    }
    /* Horizontally filtered source rows live in a ring of fy.taps lines,
     * source row r in line r % taps: the rows one output row reads are
     * consecutive and at most taps, so they never share a line. A few KB
     * that stay in cache instead of a whole intermediate image. */
    size_t mid_stride = (size_t)slot_w_px * 4;
    size_t ring_n = (size_t)fy.taps;
    uint16_t *mid = malloc(ring_n * mid_stride * sizeof *mid);
    int *ring_row = malloc(ring_n * sizeof *ring_row);
    const uint16_t **rows = malloc(ring_n * sizeof *rows);
    /* A source narrower than the taps' window is read from a zero-padded
     * copy of each row, so no read runs past the image. */
    size_t span = 2 * (size_t)rf.pairs;
    uint32_t *padded = span > (size_t)src_w ? calloc(span, sizeof *padded) : NULL;
    if (mid == NULL || ring_row == NULL || rows == NULL || (span > (size_t)src_w && padded == NULL)) {
        free(padded);
        free(rows);
        free(mid);
        free(ring_row);
        row_filter_free(&rf);
        filter_free(&fx);
        filter_free(&fy);
        return false;
    }
    for (size_t i = 0; i < ring_n; i++)
        ring_row[i] = -1;

    cairo_surface_flush(out);
    unsigned char *out_data = cairo_image_surface_get_data(out);
    int out_stride = cairo_image_surface_get_stride(out);
    for (int y = 0; y < slot_h_px; y++) {
        for (int k = 0; k < fy.count[y]; k++) {
            int row = fy.start[y] + k;
            size_t line = (size_t)row % ring_n;
            uint16_t *m = mid + line * mid_stride;
            rows[k] = m;
            if (ring_row[line] != row) {
                const uint32_t *source = (const uint32_t *)(const void *)(src + (size_t)row * (size_t)src_stride);
                if (padded != NULL) {
                    memcpy(padded, source, (size_t)src_w * sizeof *padded);
                    source = padded;
                }
                scale_row(source, &rf, m);
                ring_row[line] = row;
            }
        }
        vertical_pass(rows, fy.weights + (size_t)y * fy.taps, fy.count[y], slot_w_px,
                      (uint32_t *)(void *)(out_data + (size_t)y * (size_t)out_stride));
    }
    cairo_surface_mark_dirty(out);
    free(padded);
    free(rows);
    free(mid);
    free(ring_row);
    row_filter_free(&rf);
    filter_free(&fx);
    filter_free(&fy);
    return true;
}
