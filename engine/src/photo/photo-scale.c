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

static void filter_free(filter *f)
{
    free(f->start);
    free(f->count);
    free(f->weights);
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

/* The horizontal pass of one source row into dst (slot_w * 3 values). */
static void scale_row(const uint32_t *line, const filter *fx, uint16_t *dst)
{
    const int shift = WEIGHT_BITS - MID_BITS, half = 1 << (shift - 1);
    for (int x = 0; x < fx->n; x++) {
        const uint32_t *p = line + fx->start[x];
        const int32_t *w = fx->weights + (size_t)x * fx->taps;
        int32_t r = 0, g = 0, b = 0;
        for (int k = 0; k < fx->count[x]; k++) {
            uint32_t px = p[k];
            r += w[k] * (int32_t)((px >> 16) & 0xFF);
            g += w[k] * (int32_t)((px >> 8) & 0xFF);
            b += w[k] * (int32_t)(px & 0xFF);
        }
        dst[3 * x] = (uint16_t)((r + half) >> shift);
        dst[3 * x + 1] = (uint16_t)((g + half) >> shift);
        dst[3 * x + 2] = (uint16_t)((b + half) >> shift);
    }
}

cairo_surface_t *gp_photo_scale_to_slot(cairo_surface_t *decoded, int slot_w_px, int slot_h_px)
{
    if (decoded == NULL || cairo_surface_get_type(decoded) != CAIRO_SURFACE_TYPE_IMAGE || slot_w_px <= 0 ||
        slot_h_px <= 0)
        return NULL;
    cairo_format_t format = cairo_image_surface_get_format(decoded);
    if (format != CAIRO_FORMAT_RGB24 && format != CAIRO_FORMAT_ARGB32)
        return NULL;
    cairo_surface_flush(decoded);
    int src_w = cairo_image_surface_get_width(decoded);
    int src_h = cairo_image_surface_get_height(decoded);
    int src_stride = cairo_image_surface_get_stride(decoded);
    const unsigned char *src = cairo_image_surface_get_data(decoded);
    if (src == NULL || src_w <= 0 || src_h <= 0)
        return NULL;

    gp_crop crop = gp_photo_crop(src_w, src_h, slot_w_px, slot_h_px);
    filter fx = {0}, fy = {0};
    if (!filter_init(&fx, slot_w_px, crop.x, crop.w, src_w))
        return NULL;
    if (!filter_init(&fy, slot_h_px, crop.y, crop.h, src_h)) {
        filter_free(&fx);
        return NULL;
    }
    /* Horizontally filtered source rows live in a ring of fy.taps lines,
     * source row r in line r % taps: the rows one output row reads are
     * consecutive and at most taps, so they never share a line. A few KB
     * that stay in cache instead of a whole intermediate image. */
    size_t mid_stride = (size_t)slot_w_px * 3;
    size_t ring_n = (size_t)fy.taps;
    uint16_t *mid = malloc(ring_n * mid_stride * sizeof *mid);
    int *ring_row = malloc(ring_n * sizeof *ring_row);
    int32_t *acc = malloc(mid_stride * sizeof *acc);
    cairo_surface_t *out = cairo_image_surface_create(CAIRO_FORMAT_RGB24, slot_w_px, slot_h_px);
    if (mid == NULL || ring_row == NULL || acc == NULL || cairo_surface_status(out) != CAIRO_STATUS_SUCCESS) {
        free(mid);
        free(ring_row);
        free(acc);
        filter_free(&fx);
        filter_free(&fy);
        cairo_surface_destroy(out);
        return NULL;
    }
    for (size_t i = 0; i < ring_n; i++)
        ring_row[i] = -1;

    cairo_surface_flush(out);
    unsigned char *out_data = cairo_image_surface_get_data(out);
    int out_stride = cairo_image_surface_get_stride(out);
    const int shift = WEIGHT_BITS + MID_BITS, half = 1 << (shift - 1);
    for (int y = 0; y < slot_h_px; y++) {
        memset(acc, 0, mid_stride * sizeof *acc);
        const int32_t *w = fy.weights + (size_t)y * fy.taps;
        for (int k = 0; k < fy.count[y]; k++) {
            int row = fy.start[y] + k;
            size_t line = (size_t)row % ring_n;
            uint16_t *m = mid + line * mid_stride;
            if (ring_row[line] != row) {
                scale_row((const uint32_t *)(const void *)(src + (size_t)row * (size_t)src_stride), &fx, m);
                ring_row[line] = row;
            }
            int32_t wk = w[k];
            for (size_t i = 0; i < mid_stride; i++)
                acc[i] += wk * m[i];
        }
        uint32_t *dst = (uint32_t *)(void *)(out_data + (size_t)y * (size_t)out_stride);
        for (int x = 0; x < slot_w_px; x++) {
            uint32_t r = clamp_channel((acc[3 * x] + half) >> shift);
            uint32_t g = clamp_channel((acc[3 * x + 1] + half) >> shift);
            uint32_t b = clamp_channel((acc[3 * x + 2] + half) >> shift);
            dst[x] = 0xFF000000u | r << 16 | g << 8 | b;
        }
    }
    cairo_surface_mark_dirty(out);
    free(mid);
    free(ring_row);
    free(acc);
    filter_free(&fx);
    filter_free(&fy);
    return out;
}
