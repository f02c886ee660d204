/* Writing the delivered photo: baseline JFIF with the profile's density,
 * 4:2:0, optimised Huffman tables and nothing else: no EXIF, no ICC, no
 * comment (GPS data and camera serials are personal data too). The quality
 * is the highest that fits the file-size window, found by bisection and
 * never below the profile's minimum; the file is never padded to a size. */
#include <stdio.h>

#include <jpeglib.h>
#include <math.h>
#include <setjmp.h>
#include <stdlib.h>

#include "photo-prepare-private.h"

typedef struct encode_failure {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
} encode_failure;

static void on_encode_error(j_common_ptr c) { longjmp(((encode_failure *)(void *)c->err)->jump, 1); }

static unsigned char *encode(const gp_photo_profile *p, const gp_rgb_image *img, int quality, size_t *size)
{
    struct jpeg_compress_struct c;
    encode_failure f;
    c.err = jpeg_std_error(&f.pub);
    f.pub.error_exit = on_encode_error;
    /* libjpeg grows the buffer through a pointer to it; kept on the heap,
     * it is still known after an error jumps back here. */
    struct out { unsigned char *data; unsigned long len; } *out = calloc(1, sizeof *out);
    if (out == NULL)
        return NULL;
    if (setjmp(f.jump)) {
        jpeg_destroy_compress(&c);
        free(out->data);
        free(out);
        return NULL;
    }
    jpeg_create_compress(&c);
    jpeg_mem_dest(&c, &out->data, &out->len);
    c.image_width = (JDIMENSION)img->width;
    c.image_height = (JDIMENSION)img->height;
    c.input_components = 3;
    c.in_color_space = JCS_RGB;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, quality, TRUE);
    c.optimize_coding = TRUE;
    c.dct_method = JDCT_ISLOW;
    c.write_JFIF_header = TRUE;
    c.density_unit = 1;
    c.X_density = c.Y_density = (UINT16)lround(p->dpi);
    jpeg_start_compress(&c, TRUE);
    while (c.next_scanline < c.image_height) {
        JSAMPROW row = (JSAMPROW)(img->pixels + (size_t)c.next_scanline * (size_t)img->stride);
        jpeg_write_scanlines(&c, &row, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    unsigned char *jpeg = out->data;
    *size = out->len;
    free(out);
    return jpeg;
}

/* Whether quality q fits; keeps the best fitting file so far. */
typedef struct search {
    const gp_photo_profile *p;
    const gp_rgb_image *img;
    size_t max;
    unsigned char *best;
    size_t best_size, last_size;
    int best_q;
    bool failed;
} search;

static int fits(search *s, int q)
{
    size_t size = 0;
    unsigned char *jpeg = encode(s->p, s->img, q, &size);
    if (jpeg == NULL) {
        s->failed = true;
        return -1;
    }
    s->last_size = size;
    if (size > s->max) {
        free(jpeg);
        return 0;
    }
    if (s->best == NULL || q > s->best_q) {
        free(s->best);
        s->best = jpeg;
        s->best_size = size;
        s->best_q = q;
    } else {
        free(jpeg);
    }
    return 1;
}

unsigned char *gp_encode_fitting(const gp_photo_profile *p, const gp_rgb_image *img, int guess, int *quality,
                                 size_t *size, int *why)
{
    search s = {p, img, (size_t)p->file_kb.max * 1024, NULL, 0, 0, 0, false};
    *why = 0;
    int lo = p->min_quality - 1, hi = 101; /* lo fits (or is below the range), hi does not */
    if (guess < p->min_quality || guess > 100)
        guess = (p->min_quality + 100) / 2;
    /* Photos of one session need about the same quality: from the last
     * one's, gallop outward until the window is bracketed, then bisect. */
    int r = fits(&s, guess);
    if (r < 0)
        return NULL;
    if (r == 1) {
        lo = guess;
        for (int step = 1; lo + step < hi; step *= 2) {
            int q = lo + step;
            if ((r = fits(&s, q)) < 0)
                break;
            if (r == 0) {
                hi = q;
                break;
            }
            lo = q;
        }
    } else {
        hi = guess;
        for (int step = 1; hi - step > lo; step *= 2) {
            int q = hi - step < p->min_quality ? p->min_quality : hi - step;
            if ((r = fits(&s, q)) < 0)
                break;
            if (r == 1) {
                lo = q;
                break;
            }
            hi = q;
            if (q == p->min_quality)
                break;
        }
    }
    while (!s.failed && hi - lo > 1 && lo >= p->min_quality) {
        int mid = (lo + hi) / 2;
        if (fits(&s, mid) == 1)
            lo = mid;
        else
            hi = mid;
    }
    if (s.failed) {
        free(s.best);
        return NULL;
    }
    if (s.best == NULL) {
        *size = s.last_size;
        *why = 1;
        return NULL;
    }
    if (s.best_size < (size_t)p->file_kb.min * 1024) {
        free(s.best);
        *size = s.best_size;
        *why = 2;
        return NULL;
    }
    *quality = s.best_q;
    *size = s.best_size;
    return s.best;
}
