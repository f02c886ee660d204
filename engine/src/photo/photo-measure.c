/* The measurements that need no face detector: background, border,
 * sharpness, colour. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "photo-analysis-private.h"

#define STRAY_DISTANCE 45     /* sum of channel differences from the background's median */
#define BORDER_MAX_DEPTH 40
#define BORDER_UNIFORM 10     /* mean channel deviation along a border line */
#define BORDER_CONTRAST 60
#define DARK_LUMA 60

static inline const unsigned char *pixel(const gp_rgb_image *img, int x, int y)
{
    return img->pixels + (size_t)y * (size_t)img->stride + (size_t)x * 3;
}

static inline int distance(const unsigned char *p, const int c[3])
{
    return abs(p[0] - c[0]) + abs(p[1] - c[1]) + abs(p[2] - c[2]);
}

static inline int colour_gap(const int a[3], const int b[3])
{
    return abs(a[0] - b[0]) + abs(a[1] - b[1]) + abs(a[2] - b[2]);
}

typedef struct rect {
    int x0, y0, x1, y1;
} rect;

static rect clip(rect r, const gp_rgb_image *img)
{
    r.x0 = r.x0 < 0 ? 0 : r.x0;
    r.y0 = r.y0 < 0 ? 0 : r.y0;
    r.x1 = r.x1 > img->width ? img->width : r.x1;
    r.y1 = r.y1 > img->height ? img->height : r.y1;
    if (r.x1 < r.x0)
        r.x1 = r.x0;
    if (r.y1 < r.y0)
        r.y1 = r.y0;
    return r;
}

void gp_histogram_add(gp_colour_histogram *h, const gp_rgb_image *img, int x0, int y0, int x1, int y1)
{
    rect r = clip((rect){x0, y0, x1, y1}, img);
    for (int y = r.y0; y < r.y1; y++)
        for (int x = r.x0; x < r.x1; x++, h->n++) {
            const unsigned char *p = pixel(img, x, y);
            for (int c = 0; c < 3; c++)
                h->counts[c][p[c]]++;
        }
}

void gp_histogram_median(const gp_colour_histogram *h, int out[3])
{
    for (int c = 0; c < 3; c++) {
        long seen = 0;
        int v = 0;
        while (v < 255 && (seen += h->counts[c][v]) <= h->n / 2)
            v++;
        out[c] = v;
    }
}

void gp_measure_background(const gp_rgb_image *img, int head_top, double eye_line, int frame, int median[3],
                           double *stray)
{
    int w = img->width, h = img->height;
    int top_end = head_top > frame + 8 ? head_top - 6 : frame + (h / 40 > 4 ? h / 40 : 4);
    int side_end = eye_line > top_end ? (int)eye_line : h * 45 / 100;
    int strip = w * 6 / 100 > 2 ? w * 6 / 100 : 2;
    rect areas[3] = {
        clip((rect){frame, frame, w - frame, top_end}, img),
        clip((rect){frame, top_end, frame + strip, side_end}, img),
        clip((rect){w - frame - strip, top_end, w - frame, side_end}, img),
    };
    /* On the stack, as find_background's: a few kilobytes, and no
     * allocation whose failure would pass for a dark background. */
    gp_colour_histogram hist;
    memset(&hist, 0, sizeof hist);
    for (int a = 0; a < 3; a++)
        gp_histogram_add(&hist, img, areas[a].x0, areas[a].y0, areas[a].x1, areas[a].y1);
    gp_histogram_median(&hist, median);
    long off = 0, n = hist.n;
    for (int a = 0; a < 3; a++)
        for (int y = areas[a].y0; y < areas[a].y1; y++)
            for (int x = areas[a].x0; x < areas[a].x1; x++)
                off += distance(pixel(img, x, y), median) > STRAY_DISTANCE;
    *stray = n > 0 ? (double)off / n : 0.0;
}

/* The pixel at position i along an edge, depth d inward. */
static const unsigned char *edge_pixel(const gp_rgb_image *img, gp_edge edge, int i, int d)
{
    switch (edge) {
    case GP_EDGE_TOP: return pixel(img, i, d);
    case GP_EDGE_BOTTOM: return pixel(img, i, img->height - 1 - d);
    case GP_EDGE_LEFT: return pixel(img, d, i);
    case GP_EDGE_RIGHT: break;
    }
    return pixel(img, img->width - 1 - d, i);
}

/* A line's mean colour, and whether it is one colour along its length. */
static bool uniform_line(const gp_rgb_image *img, gp_edge edge, int length, int d, int mean[3])
{
    long sum[3] = {0, 0, 0};
    for (int i = 0; i < length; i++) {
        const unsigned char *p = edge_pixel(img, edge, i, d);
        for (int c = 0; c < 3; c++)
            sum[c] += p[c];
    }
    for (int c = 0; c < 3; c++)
        mean[c] = (int)(sum[c] / length);
    long dev = 0;
    for (int i = 0; i < length; i++)
        dev += distance(edge_pixel(img, edge, i, d), mean);
    return dev <= (long)BORDER_UNIFORM * 3 * length;
}

static int border_width(const gp_rgb_image *img, gp_edge edge, bool *dark)
{
    bool horizontal = edge == GP_EDGE_TOP || edge == GP_EDGE_BOTTOM;
    int length = horizontal ? img->width : img->height;
    int across = horizontal ? img->height : img->width;
    int max_depth = across / 8 < BORDER_MAX_DEPTH ? across / 8 : BORDER_MAX_DEPTH;
    int first[3], mean[3];
    if (length < 8 || max_depth < 4 || !uniform_line(img, edge, length, 0, first))
        return 0;
    int depth = 1;
    while (depth < max_depth && uniform_line(img, edge, length, depth, mean) && colour_gap(mean, first) <= 45)
        depth++;
    if (depth >= max_depth - 2)
        return 0;
    /* Past the blur of the border's own edge. */
    int inner = depth + 2;
    int unlike = 0;
    for (int i = 0; i < length; i++)
        unlike += distance(edge_pixel(img, edge, i, inner), first) > BORDER_CONTRAST;
    if (unlike * 10 < length * 6)
        return 0;
    *dark = (77 * first[0] + 150 * first[1] + 29 * first[2]) / 256 < DARK_LUMA;
    return depth;
}

void gp_measure_frame(const gp_rgb_image *img, gp_frame *out)
{
    memset(out, 0, sizeof *out);
    for (int e = GP_EDGE_TOP; e <= GP_EDGE_RIGHT; e++) {
        bool dark = false;
        int width = border_width(img, (gp_edge)e, &dark);
        if (width > out->width) {
            out->width = width;
            out->edge = (gp_edge)e;
            out->dark = dark;
        }
    }
}

double gp_measure_sharpness(const gp_rgb_image *img, gp_pixel_box box)
{
    rect r = clip((rect){box.x + 1, box.y + 1, box.x + box.w - 1, box.y + box.h - 1}, img);
    if (r.x0 < 1)
        r.x0 = 1;
    if (r.y0 < 1)
        r.y0 = 1;
    if (r.x1 > img->width - 1)
        r.x1 = img->width - 1;
    if (r.y1 > img->height - 1)
        r.y1 = img->height - 1;
    if (r.x1 - r.x0 < 3 || r.y1 - r.y0 < 3)
        return 0.0;
#define L(x, y) ((77 * pixel(img, x, y)[0] + 150 * pixel(img, x, y)[1] + 29 * pixel(img, x, y)[2]) / 256.0)
    double sum = 0.0, sum2 = 0.0;
    long n = 0;
    for (int y = r.y0; y < r.y1; y++)
        for (int x = r.x0; x < r.x1; x++, n++) {
            double v = L(x - 1, y) + L(x + 1, y) + L(x, y - 1) + L(x, y + 1) - 4.0 * L(x, y);
            sum += v;
            sum2 += v * v;
        }
#undef L
    double mean = sum / n;
    return sum2 / n - mean * mean;
}

bool gp_is_grey(const gp_rgb_image *img)
{
    long coloured = 0, n = (long)img->width * img->height;
    for (int y = 0; y < img->height; y++) {
        const unsigned char *p = pixel(img, 0, y);
        for (int x = 0; x < img->width; x++, p += 3) {
            int hi = p[0] > p[1] ? p[0] : p[1], lo = p[0] < p[1] ? p[0] : p[1];
            hi = p[2] > hi ? p[2] : hi;
            lo = p[2] < lo ? p[2] : lo;
            coloured += hi - lo > 16;
        }
    }
    return coloured * 200 < n;
}

static double linear(int v)
{
    double c = v / 255.0;
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double lab_f(double t) { return t > 216.0 / 24389.0 ? cbrt(t) : (24389.0 / 27.0 * t + 16.0) / 116.0; }

static void to_lab(const int rgb[3], double lab[3])
{
    double r = linear(rgb[0]), g = linear(rgb[1]), b = linear(rgb[2]);
    /* sRGB to XYZ (D65), over the white point. */
    double x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
    double y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    double z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
    double fx = lab_f(x), fy = lab_f(y), fz = lab_f(z);
    lab[0] = 116.0 * fy - 16.0;
    lab[1] = 500.0 * (fx - fy);
    lab[2] = 200.0 * (fy - fz);
}

double gp_delta_e(const int a[3], const int b[3])
{
    double la[3], lb[3];
    to_lab(a, la);
    to_lab(b, lb);
    return sqrt((la[0] - lb[0]) * (la[0] - lb[0]) + (la[1] - lb[1]) * (la[1] - lb[1]) +
                (la[2] - lb[2]) * (la[2] - lb[2]));
}
