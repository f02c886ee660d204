/* Finding the calibration page's magenta rings in a scan registered into
 * the blank's frame. Magenta is the one colour whose green is far below
 * both its red and its blue; printed over a blank it stays so wherever the
 * blank is light, and a blank's own printing (black text, coloured
 * guilloche, a red title) is not. Around each expected place the pixels
 * that are clearly magenta form blobs; the ring (or a piece of it: an
 * anchor's crosshair cuts it in four) is the blob nearest to where it
 * should be, and its centre the centroid of the magenta-ness within a
 * ring's reach, moved until it settles, to a fraction of a pixel. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "calibration-scan-private.h"

/* A printer off by up to 4 mm and 1.5 % still puts a ring inside this. */
#define SEARCH_MM 6.5
/* Magenta-ness (min(R, B) - G, 0..255) a ring must reach somewhere. */
#define MIN_PEAK 45
/* Of its ring's peak, what a pixel needs to belong to it. */
#define MEMBER_SHARE 0.4

static int magenta(const gp_scan_image *img, int x, int y)
{
    const unsigned char *p = img->pixels + (size_t)y * img->stride + (size_t)x * 3;
    int rb = p[0] < p[2] ? p[0] : p[2];
    return rb - p[1];
}

typedef struct blob {
    double sx, sy, sw; /* weighted sums */
    int x0, y0, x1, y1, count;
} blob;

/* Grows the blob of window pixels at or above threshold that holds (x, y),
 * marking them in seen (window-sized). stack has room for the window. */
static blob grow(const gp_scan_image *img, int wx, int wy, int ww, int wh, int threshold, int base, int x, int y,
                 unsigned char *seen, int *stack)
{
    blob b = {0, 0, 0, x, y, x, y, 0};
    int top = 0;
    stack[top++] = (y - wy) * ww + (x - wx);
    seen[(y - wy) * ww + (x - wx)] = 1;
    while (top > 0) {
        int i = stack[--top];
        int px = wx + i % ww, py = wy + i / ww;
        double w = magenta(img, px, py) - base;
        b.sx += w * px;
        b.sy += w * py;
        b.sw += w;
        b.count++;
        b.x0 = px < b.x0 ? px : b.x0;
        b.x1 = px > b.x1 ? px : b.x1;
        b.y0 = py < b.y0 ? py : b.y0;
        b.y1 = py > b.y1 ? py : b.y1;
        static const int dx[4] = {1, -1, 0, 0}, dy[4] = {0, 0, 1, -1};
        for (int k = 0; k < 4; k++) {
            int nx = px + dx[k], ny = py + dy[k];
            if (nx < wx || ny < wy || nx >= wx + ww || ny >= wy + wh)
                continue;
            int j = (ny - wy) * ww + (nx - wx);
            if (!seen[j] && magenta(img, nx, ny) >= threshold) {
                seen[j] = 1;
                stack[top++] = j;
            }
        }
    }
    return b;
}

/* A blob that can be a ring or a piece of one: no wider than the ring, at
 * least a quarter of it. */
static bool ring_part(const blob *b, double px_per_mm)
{
    double d = 2 * GP_TARGET_OUTER_MM * px_per_mm;
    double w = b->x1 - b->x0 + 1, h = b->y1 - b->y0 + 1;
    return w < 1.4 * d && h < 1.4 * d && (w > 0.25 * d || h > 0.25 * d);
}

/* The centroid of the magenta pixels within a ring's reach of (*cx, *cy),
 * moved there, a few times: from a piece of the ring it settles on the
 * whole ring's centre. False when what it settles on is not a ring's
 * worth of magenta. */
static bool settle(const gp_scan_image *img, double px_per_mm, int wx, int wy, int ww, int wh, int threshold,
                   int base, double *cx, double *cy)
{
    double reach = (GP_TARGET_OUTER_MM + 1.0) * px_per_mm;
    int count = 0;
    for (int round = 0; round < 5; round++) {
        double sx = 0, sy = 0, sw = 0;
        count = 0;
        int x0 = (int)floor(*cx - reach), x1 = (int)ceil(*cx + reach);
        int y0 = (int)floor(*cy - reach), y1 = (int)ceil(*cy + reach);
        x0 = x0 < wx ? wx : x0;
        y0 = y0 < wy ? wy : y0;
        x1 = x1 > wx + ww - 1 ? wx + ww - 1 : x1;
        y1 = y1 > wy + wh - 1 ? wy + wh - 1 : y1;
        for (int y = y0; y <= y1; y++)
            for (int x = x0; x <= x1; x++) {
                int m = magenta(img, x, y);
                if (m < threshold || hypot(x - *cx, y - *cy) > reach)
                    continue;
                sx += (double)(m - base) * x;
                sy += (double)(m - base) * y;
                sw += m - base;
                count++;
            }
        if (sw <= 0)
            return false;
        *cx = sx / sw;
        *cy = sy / sw;
    }
    double area = acos(-1.0) * (GP_TARGET_OUTER_MM * GP_TARGET_OUTER_MM - GP_TARGET_INNER_MM * GP_TARGET_INNER_MM) *
                  px_per_mm * px_per_mm;
    return count > 0.4 * area && count < 2.5 * area;
}

static gp_mark_found find_one(const gp_scan_image *img, double px_per_mm, double ex, double ey, unsigned char *seen,
                              int *stack, int side)
{
    gp_mark_found none = {false, 0, 0};
    int half = side / 2;
    int cx = (int)lround(ex * px_per_mm), cy = (int)lround(ey * px_per_mm);
    int wx = cx - half, wy = cy - half, ww = side, wh = side;
    if (wx < 0) {
        ww += wx;
        wx = 0;
    }
    if (wy < 0) {
        wh += wy;
        wy = 0;
    }
    if (wx + ww > img->width)
        ww = img->width - wx;
    if (wy + wh > img->height)
        wh = img->height - wy;
    if (ww <= 0 || wh <= 0)
        return none;
    int peak = 0;
    for (int y = wy; y < wy + wh; y++)
        for (int x = wx; x < wx + ww; x++) {
            int m = magenta(img, x, y);
            peak = m > peak ? m : peak;
        }
    if (peak < MIN_PEAK)
        return none;
    int threshold = (int)lround(peak * MEMBER_SHARE);
    /* Weights start a little below the threshold, so the ring's soft edge
     * counts and the centroid does not depend on where the cut falls. */
    int base = threshold / 2;
    memset(seen, 0, (size_t)ww * (size_t)wh);
    double best_d = INFINITY, bx = 0, by = 0;
    for (int y = wy; y < wy + wh; y++)
        for (int x = wx; x < wx + ww; x++) {
            if (seen[(y - wy) * ww + (x - wx)] || magenta(img, x, y) < threshold)
                continue;
            blob b = grow(img, wx, wy, ww, wh, threshold, base, x, y, seen, stack);
            if (b.sw <= 0 || !ring_part(&b, px_per_mm))
                continue;
            double d = hypot(b.sx / b.sw - ex * px_per_mm, b.sy / b.sw - ey * px_per_mm);
            if (d < best_d) {
                best_d = d;
                bx = b.sx / b.sw;
                by = b.sy / b.sw;
            }
        }
    if (!isfinite(best_d) || !settle(img, px_per_mm, wx, wy, ww, wh, threshold, base, &bx, &by))
        return none;
    /* Pixel centres are at +0.5. */
    return (gp_mark_found){true, (bx + 0.5) / px_per_mm, (by + 0.5) / px_per_mm};
}

bool gp_calibration_find_marks(const gp_scan_image *img, double px_per_mm, const gp_calibration_target *targets,
                               size_t n, gp_mark_found *out)
{
    int side = (int)ceil(2 * (SEARCH_MM + GP_TARGET_OUTER_MM) * px_per_mm) + 1;
    size_t cells = (size_t)side * (size_t)side;
    unsigned char *seen = malloc(cells);
    int *stack = malloc(cells * sizeof *stack);
    bool ok = seen != NULL && stack != NULL;
    for (size_t i = 0; ok && i < n; i++)
        out[i] = find_one(img, px_per_mm, targets[i].x_mm, targets[i].y_mm, seen, stack, side);
    free(seen);
    free(stack);
    return ok;
}
