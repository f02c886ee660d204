/* Where the face is. OpenCV's cascades find the face box and eye boxes on
 * reduced grey copies (a cascade's cost grows with the image's area over
 * the smallest face's, so the copies are made just large enough); the
 * pupils, the cheeks and the top of the head are then measured on the
 * image itself, where a pixel is a pixel of the photo. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "photo-analysis-private.h"

/* The face cascade's window is 24 pixels, but faces only that small are
 * missed too often: the grey copy keeps the smallest face at 30. The eye
 * cascade's window is 20. */
#define FACE_WINDOW 30
#define EYE_WINDOW 20
#define MAX_BOXES 16
#define DEGREES_PER_RADIAN 57.29577951308232

void gp_analysis_scratch_free(gp_analysis_scratch *s)
{
    free(s->gray);
    free(s->small);
    memset(s, 0, sizeof *s);
}

static bool reserve(unsigned char **buf, size_t *cap, size_t need)
{
    if (need <= *cap)
        return true;
    unsigned char *p = realloc(*buf, need);
    if (p == NULL)
        return false;
    *buf = p;
    *cap = need;
    return true;
}

static inline int luma(const unsigned char *p) { return (77 * p[0] + 150 * p[1] + 29 * p[2] + 128) >> 8; }

/* The grey image of the part r of img reduced by factor, each pixel the
 * mean of factor x factor (of every other pixel each way when the factor
 * is large: a quarter of the reads, and still no aliasing the cascades
 * would notice). r is clipped to img; out's pixel (0, 0) is r's corner. */
static bool reduce_gray(const gp_rgb_image *img, gp_pixel_box r, int factor, unsigned char **buf, size_t *cap,
                        gp_gray_image *out)
{
    int x0 = r.x < 0 ? 0 : r.x, y0 = r.y < 0 ? 0 : r.y;
    int x1 = r.x + r.w > img->width ? img->width : r.x + r.w, y1 = r.y + r.h > img->height ? img->height : r.y + r.h;
    int w = (x1 - x0) / factor, h = (y1 - y0) / factor;
    if (w < 1 || h < 1 || !reserve(buf, cap, (size_t)w * (size_t)h))
        return false;
    int step = factor >= 4 ? 2 : 1, n = (factor / step) * (factor / step);
    for (int y = 0; y < h; y++) {
        unsigned char *dst = *buf + (size_t)y * (size_t)w;
        for (int x = 0; x < w; x++) {
            int sum = 0;
            for (int dy = 0; dy < factor - step + 1; dy += step) {
                const unsigned char *p = img->pixels + (size_t)(y0 + y * factor + dy) * (size_t)img->stride +
                                         (size_t)(x0 + x * factor) * 3;
                for (int dx = 0; dx < factor - step + 1; dx += step, p += 3 * step)
                    sum += luma(p);
            }
            dst[x] = (unsigned char)((sum + n / 2) / n);
        }
    }
    *out = (gp_gray_image){*buf, w, h, w};
    return true;
}

static gp_pixel_box scale_box(gp_pixel_box b, int f) { return (gp_pixel_box){b.x * f, b.y * f, b.w * f, b.h * f}; }

static bool overlaps(gp_pixel_box a, gp_pixel_box b)
{
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/* The darkest tenth of the middle of an eye box is the pupil and iris. */
static void pupil_centre(const gp_rgb_image *img, gp_pixel_box eye, double *cx, double *cy)
{
    *cx = eye.x + eye.w / 2.0;
    *cy = eye.y + eye.h / 2.0;
    int x0 = eye.x + eye.w / 5, x1 = eye.x + eye.w - eye.w / 5;
    int y0 = eye.y + eye.h / 4, y1 = eye.y + eye.h - eye.h / 5;
    if (x0 < 0 || y0 < 0 || x1 > img->width || y1 > img->height || x1 - x0 < 4 || y1 - y0 < 4)
        return;
    int hist[256] = {0}, n = 0;
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++, n++)
            hist[luma(img->pixels + (size_t)y * (size_t)img->stride + (size_t)x * 3)]++;
    int limit = 0;
    for (int seen = 0; limit < 255 && (seen += hist[limit]) < n / 10;)
        limit++;
    double sx = 0.0, sy = 0.0;
    long count = 0;
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++)
            if (luma(img->pixels + (size_t)y * (size_t)img->stride + (size_t)x * 3) <= limit) {
                sx += x;
                sy += y;
                count++;
            }
    if (count > 0) {
        *cx = sx / count + 0.5;
        *cy = sy / count + 0.5;
    }
}

/* Eye boxes inside the upper part of a face, in image pixels. An eye box
 * is about a fifth of the face box wide: the grey copy is reduced until
 * that is about the cascade's window, and only that range of sizes is
 * searched (each size costs the same, small or not). */
#define EYES_NOMEM (-2) /* find_eyes: the grey copy could not be made */

static int find_eyes(gp_face_detector *d, gp_analysis_scratch *s, const gp_rgb_image *img, gp_pixel_box face,
                     gp_pixel_box *eyes)
{
    int f = (int)lround(face.w * 0.21 / (EYE_WINDOW + 2));
    f = f < 1 ? 1 : f;
    gp_gray_image g;
    if (!reduce_gray(img, face, f, &s->small, &s->small_cap, &g))
        return EYES_NOMEM;
    int fw = face.w / f;
    int min_side = fw * 15 / 100 > EYE_WINDOW ? fw * 15 / 100 : EYE_WINDOW;
    int max_side = fw * 29 / 100 > min_side ? fw * 29 / 100 : min_side;
    /* Each eye in its own half of the band where eyes are: together less
     * area than the whole band, and a brow or nostril between them is
     * never searched. */
    int n = 0;
    for (int half = 0; half < 2; half++) {
        gp_pixel_box region = {face.w * (half ? 45 : 5) / 100 / f, face.h * 20 / 100 / f, face.w * 50 / 100 / f,
                         face.h * 38 / 100 / f};
        int found = gp_face_detector_find(d, GP_CASCADE_EYE, &g, region, min_side, max_side, 1.2, 3, eyes + n,
                                          MAX_BOXES / 2);
        if (found < 0)
            return -1;
        n += found < MAX_BOXES / 2 ? found : MAX_BOXES / 2;
    }
    int fx = face.x < 0 ? 0 : face.x, fy = face.y < 0 ? 0 : face.y;
    for (int i = 0; i < n; i++) {
        eyes[i] = scale_box(eyes[i], f);
        eyes[i].x += fx;
        eyes[i].y += fy;
    }
    return n;
}

/* The two eye boxes that look most like a pair of eyes in this face. */
static bool pick_pair(const gp_pixel_box *eyes, int n, gp_pixel_box face, int *left, int *right)
{
    double best = INFINITY, face_cx = face.x + face.w / 2.0;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            double xi = eyes[i].x + eyes[i].w / 2.0, yi = eyes[i].y + eyes[i].h / 2.0;
            double xj = eyes[j].x + eyes[j].w / 2.0, yj = eyes[j].y + eyes[j].h / 2.0;
            double dx = xj - xi, dy = fabs(yj - yi);
            if (i == j || dx < 0.2 * face.w || dx > 0.75 * face.w || dy > 0.3 * dx)
                continue;
            double ratio = (double)eyes[i].w / eyes[j].w;
            if (ratio > 1.8 || ratio < 1 / 1.8)
                continue;
            double score = fabs((xi + xj) / 2.0 - face_cx) / face.w + dy / dx + fabs(dx / face.w - 0.42);
            if (score < best) {
                best = score;
                *left = i;
                *right = j;
            }
        }
    return best < INFINITY;
}

static int colour_distance(const unsigned char *p, const int c[3])
{
    return abs(p[0] - c[0]) + abs(p[1] - c[1]) + abs(p[2] - c[2]);
}

int gp_find_head_top(const gp_rgb_image *img, const int bg[3], int x0, int x1, int start_y, int stop_y)
{
    x0 = x0 < 0 ? 0 : x0;
    x1 = x1 > img->width ? img->width : x1;
    stop_y = stop_y > img->height ? img->height : stop_y;
    if (x1 - x0 < 4)
        return -1;
    int run = 0;
    for (int y = start_y < 0 ? 0 : start_y; y < stop_y; y++) {
        const unsigned char *row = img->pixels + (size_t)y * (size_t)img->stride;
        int differ = 0;
        for (int x = x0; x < x1; x++)
            differ += colour_distance(row + (size_t)x * 3, bg) > 48;
        run = differ * 4 >= x1 - x0 ? run + 1 : 0;
        if (run == 3)
            return y - 2;
    }
    return -1;
}

static int edge_strength(const unsigned char *row, int x, int span)
{
    int d = 0;
    for (int c = 0; c < 3; c++)
        d += abs(row[(size_t)(x + span) * 3 + c] - row[(size_t)(x - span) * 3 + c]);
    return d;
}

/* The cheek's edge on one line of n pixels, between inner and outer: of
 * the local peaks of colour change at least a quarter as strong as the
 * strongest, the one nearest to expect. Hair beside the cheek makes two
 * edges, skin to hair and hair to background, and shading makes weak ones
 * inside the face; the face's proportions tell them apart. -1: none. */
static int cheek_edge(const unsigned char *line, int n, int inner, int outer, int expect, int span)
{
    int lo = inner < outer ? inner : outer, hi = inner < outer ? outer : inner;
    lo = lo < span + 1 ? span + 1 : lo;
    hi = hi > n - span - 2 ? n - span - 2 : hi;
    if (hi - lo < 4)
        return -1;
    int strongest = 0;
    for (int x = lo; x <= hi; x++) {
        int d = edge_strength(line, x, span);
        strongest = d > strongest ? d : strongest;
    }
    int floor = strongest / 4 > 40 ? strongest / 4 : 40;
    int best = -1;
    for (int x = lo; x <= hi; x++) {
        int d = edge_strength(line, x, span);
        if (d >= floor && d >= edge_strength(line, x - 1, span) && d > edge_strength(line, x + 1, span) &&
            (best < 0 || abs(x - expect) < abs(best - expect)))
            best = x;
    }
    return best;
}

static void sort_doubles(double *v, int n)
{
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
            double t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
}

/* Cheek to cheek, at the height of the nose tip: along lines parallel to
 * the pupils (so a tilted head is measured across, not aslant), the
 * cheek's edge on each side of the face centre; medians over nine lines.
 * The centre is the middle between the pupils when they were found. */
static void measure_cheeks(const gp_rgb_image *img, gp_face_geometry *g, double cx)
{
    double t = g->tilt / DEGREES_PER_RADIAN, ux = cos(t), uy = sin(t);
    int fw = g->face.w, half = (int)(0.78 * fw), n = 2 * half + 1;
    int span = fw / 70 > 2 ? fw / 70 : 2;
    unsigned char *line = malloc((size_t)n * 3);
    if (line == NULL)
        return;
    double lefts[9], rights[9];
    int rows = 0;
    /* Cheek to cheek is about 2.2 times the distance between the pupils
     * (adults: 130-140 mm against 60-66 mm), or a little less than the
     * detector's box. */
    int expect = g->eyes_found ? (int)lround(2.2 * hypot(g->eye_rx - g->eye_lx, g->eye_ry - g->eye_ly))
                               : fw * 95 / 100;
    double bx = cx - uy * 0.25 * g->face.h, by = g->eye_line + ux * 0.25 * g->face.h;
    for (int k = -4; k <= 4; k++) {
        double ox = bx - uy * 2 * k, oy = by + ux * 2 * k;
        for (int i = 0; i < n; i++) {
            int x = (int)lround(ox + ux * (i - half)), y = (int)lround(oy + uy * (i - half));
            x = x < 0 ? 0 : x >= img->width ? img->width - 1 : x;
            y = y < 0 ? 0 : y >= img->height ? img->height - 1 : y;
            memcpy(line + (size_t)i * 3, img->pixels + (size_t)y * (size_t)img->stride + (size_t)x * 3, 3);
        }
        int inner = (int)(0.28 * fw);
        int l = cheek_edge(line, n, half - inner, 0, half - expect / 2, span);
        int r = cheek_edge(line, n, half + inner, n - 1, half + expect / 2, span);
        if (l >= 0 && r >= 0) {
            lefts[rows] = l - half;
            rights[rows] = r - half;
            rows++;
        }
    }
    free(line);
    if (rows < 3)
        return;
    sort_doubles(lefts, rows);
    sort_doubles(rights, rows);
    double l = lefts[rows / 2], r = rights[rows / 2];
    g->face_left = (int)lround(bx + ux * l);
    g->face_right = (int)lround(bx + ux * r);
    g->face_width = (int)lround(r - l);
}

static void find_background(const gp_rgb_image *img, int frame, gp_face_geometry *g)
{
    int w = img->width, h = img->height;
    int cw = w / 10 > 2 ? w / 10 : 2, ch = h / 30 > 2 ? h / 30 : 2;
    int x0 = frame, y0 = frame;
    if (x0 + cw > w / 2 || y0 + ch > h / 2)
        x0 = y0 = 0;
    gp_colour_histogram hist;
    memset(&hist, 0, sizeof hist);
    gp_histogram_add(&hist, img, x0, y0, x0 + cw, y0 + ch);
    gp_histogram_add(&hist, img, w - x0 - cw, y0, w - x0, y0 + ch);
    gp_histogram_median(&hist, g->background);
    g->background_known = true;
}

gp_status gp_locate_face(gp_face_detector *detector, gp_analysis_scratch *scratch, const gp_rgb_image *img,
                         int min_face, int max_face, int frame, gp_face_geometry *g)
{
    memset(g, 0, sizeof *g);
    g->face_left = g->face_right = g->face_width = g->head_top = -1;
    find_background(img, frame, g);

    int f = min_face / FACE_WINDOW > 1 ? min_face / FACE_WINDOW : 1;
    gp_gray_image gray;
    gp_pixel_box whole = {0, 0, img->width, img->height};
    if (!reduce_gray(img, whole, f, &scratch->gray, &scratch->gray_cap, &gray))
        return GP_E_NOMEM;
    gp_pixel_box faces[MAX_BOXES];
    int min_side = min_face / f > 24 ? min_face / f : 24;
    int max_side = max_face / f > min_side ? max_face / f : min_side;
    gp_pixel_box all = {0, 0, gray.width, gray.height};
    int n = gp_face_detector_find(detector, GP_CASCADE_FACE, &gray, all, min_side, max_side, 1.2, 4, faces,
                                  MAX_BOXES);
    if (n < 0)
        return GP_E_INTERNAL;
    if (n > MAX_BOXES)
        n = MAX_BOXES;
    if (n == 0) {
        g->head_top = gp_find_head_top(img, g->background, img->width * 3 / 8, img->width * 5 / 8, frame,
                                       img->height / 2);
        return GP_OK;
    }
    g->face = scale_box(faces[0], f);
    g->faces = 1;

    gp_pixel_box eyes[MAX_BOXES];
    /* Another face counts only when the eye cascade agrees that it is one:
     * a stray hit in a patterned shirt must not refuse a photo. */
    for (int i = 1; i < n; i++) {
        gp_pixel_box other = scale_box(faces[i], f);
        if (overlaps(other, g->face) || (long)other.w * other.h * 4 < (long)g->face.w * g->face.h)
            continue;
        int ne = find_eyes(detector, scratch, img, other, eyes);
        if (ne < 0)
            return ne == EYES_NOMEM ? GP_E_NOMEM : GP_E_INTERNAL;
        if (ne > 0) {
            if (g->faces == 1)
                g->other = other;
            g->faces++;
        }
    }

    int ne = find_eyes(detector, scratch, img, g->face, eyes);
    if (ne < 0)
        return ne == EYES_NOMEM ? GP_E_NOMEM : GP_E_INTERNAL;
    int li = 0, ri = 0;
    double cx = g->face.x + g->face.w / 2.0;
    if (pick_pair(eyes, ne, g->face, &li, &ri)) {
        g->eyes_found = true;
        pupil_centre(img, eyes[li], &g->eye_lx, &g->eye_ly);
        pupil_centre(img, eyes[ri], &g->eye_rx, &g->eye_ry);
        g->eye_line = (g->eye_ly + g->eye_ry) / 2.0;
        g->tilt = atan2(g->eye_ry - g->eye_ly, g->eye_rx - g->eye_lx) * DEGREES_PER_RADIAN;
        cx = (g->eye_lx + g->eye_rx) / 2.0;
    } else {
        /* Where the cascade's boxes put the eyes on average. */
        g->eye_line = g->face.y + 0.38 * g->face.h;
    }
    measure_cheeks(img, g, cx);
    int band = g->face.w * 3 / 10;
    int centre = g->face_left >= 0 ? (g->face_left + g->face_right) / 2 : (int)cx;
    g->head_top = gp_find_head_top(img, g->background, centre - band, centre + band, frame,
                                   (int)g->eye_line);
    return GP_OK;
}
