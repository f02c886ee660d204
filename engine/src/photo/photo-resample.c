/* Resampling a rectangle of an original into the output photo: separable
 * Catmull-Rom, widened by the reduction factor when shrinking (so every
 * source pixel under an output pixel counts and nothing aliases), in fixed
 * point. Catmull-Rom keeps edges crisp without the ringing of longer sinc
 * windows; the negative lobes are clamped. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "photo-prepare-private.h"

#define WEIGHT_BITS 14
#define WEIGHT_ONE (1 << WEIGHT_BITS)

typedef struct taps {
    int n, width; /* outputs, taps per output */
    int *first;   /* first source pixel of each output */
    int32_t *w;   /* n * width weights summing to WEIGHT_ONE */
} taps;

static double catmull_rom(double t)
{
    t = fabs(t);
    if (t < 1.0)
        return (1.5 * t - 2.5) * t * t + 1.0;
    if (t < 2.0)
        return ((-0.5 * t + 2.5) * t - 4.0) * t + 2.0;
    return 0.0;
}

static void taps_free(taps *t)
{
    free(t->first);
    free(t->w);
}

/* Output i covers source [start + i * step, start + (i + 1) * step). */
static bool taps_init(taps *t, int out_n, double start, double len)
{
    double step = len / out_n, scale = step > 1.0 ? step : 1.0;
    t->n = out_n;
    t->width = (int)ceil(4.0 * scale) + 1;
    t->first = malloc(sizeof *t->first * (size_t)out_n);
    t->w = malloc(sizeof *t->w * (size_t)out_n * (size_t)t->width);
    double *w = malloc(sizeof *w * (size_t)t->width);
    if (t->first == NULL || t->w == NULL || w == NULL) {
        free(w);
        taps_free(t);
        return false;
    }
    for (int i = 0; i < out_n; i++) {
        double centre = start + (i + 0.5) * step;
        int lo = (int)floor(centre - 2.0 * scale);
        double total = 0.0;
        for (int k = 0; k < t->width; k++) {
            /* Pixels beyond the edge repeat the edge pixel. */
            w[k] = catmull_rom((lo + k + 0.5 - centre) / scale);
            total += w[k];
        }
        t->first[i] = lo;
        int32_t sum = 0, *out = t->w + (size_t)i * t->width;
        int biggest = 0;
        for (int k = 0; k < t->width; k++) {
            out[k] = (int32_t)lround(w[k] / total * WEIGHT_ONE);
            sum += out[k];
            if (out[k] > out[biggest])
                biggest = k;
        }
        out[biggest] += WEIGHT_ONE - sum;
    }
    free(w);
    return true;
}

static inline int clamp_index(int i, int n) { return i < 0 ? 0 : i >= n ? n - 1 : i; }
static inline unsigned char clamp_byte(int32_t v) { return v < 0 ? 0 : v > 255 ? 255 : (unsigned char)v; }

bool gp_rgb_resample(const gp_rgb_image *src, double sx, double sy, double sw, double sh, gp_rgb_buffer *out,
                     int out_w, int out_h)
{
    taps tx = {0}, ty = {0};
    if (!taps_init(&tx, out_w, sx, sw))
        return false;
    if (!taps_init(&ty, out_h, sy, sh)) {
        taps_free(&tx);
        return false;
    }
    /* Source rows the vertical pass reads, filtered horizontally once each;
     * 6 fractional bits keep the negative lobes and the rounding, and
     * -2 x 255 .. 2 x 255 still fits 16 bits with them. */
    int row0 = clamp_index(ty.first[0], src->height);
    int row1 = clamp_index(ty.first[out_h - 1] + ty.width - 1, src->height);
    int rows = row1 - row0 + 1;
    int16_t *mid = malloc(sizeof *mid * (size_t)rows * (size_t)out_w * 3);
    if (mid == NULL || !gp_rgb_buffer_reserve(out, out_w, out_h)) {
        free(mid);
        taps_free(&tx);
        taps_free(&ty);
        return false;
    }
    for (int r = 0; r < rows; r++) {
        const unsigned char *line = src->pixels + (size_t)(row0 + r) * (size_t)src->stride;
        int16_t *m = mid + (size_t)r * out_w * 3;
        for (int x = 0; x < out_w; x++) {
            const int32_t *w = tx.w + (size_t)x * tx.width;
            int32_t acc[3] = {0, 0, 0};
            int first = tx.first[x];
            bool inside = first >= 0 && first + tx.width <= src->width;
            for (int k = 0; k < tx.width; k++) {
                const unsigned char *p = line + (size_t)(inside ? first + k : clamp_index(first + k, src->width)) * 3;
                acc[0] += w[k] * p[0];
                acc[1] += w[k] * p[1];
                acc[2] += w[k] * p[2];
            }
            for (int c = 0; c < 3; c++)
                m[3 * x + c] = (int16_t)((acc[c] + (1 << (WEIGHT_BITS - 7))) >> (WEIGHT_BITS - 6));
        }
    }
    const int32_t half = 1 << (WEIGHT_BITS + 6 - 1);
    size_t line = (size_t)out_w * 3;
    int32_t *acc = malloc(sizeof *acc * line);
    if (acc == NULL) {
        free(mid);
        taps_free(&tx);
        taps_free(&ty);
        return false;
    }
    for (int y = 0; y < out_h; y++) {
        const int32_t *w = ty.w + (size_t)y * ty.width;
        memset(acc, 0, sizeof *acc * line);
        for (int k = 0; k < ty.width; k++) {
            const int16_t *m = mid + (size_t)(clamp_index(ty.first[y] + k, src->height) - row0) * line;
            int32_t wk = w[k];
            for (size_t i = 0; i < line; i++)
                acc[i] += wk * m[i];
        }
        unsigned char *dst = out->pixels + (size_t)y * line;
        for (size_t i = 0; i < line; i++)
            dst[i] = clamp_byte((acc[i] + half) >> (WEIGHT_BITS + 6));
    }
    free(acc);
    free(mid);
    taps_free(&tx);
    taps_free(&ty);
    return true;
}
