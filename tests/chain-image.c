/* Decoding printer streams into ink, and measuring where the marks landed
 * (chain-image.h). */
#include "chain-image.h"

#include <cairo.h>
#include <math.h>
#include <poppler.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PT_MM (25.4 / 72.0)

void chain_image_free(chain_image *img)
{
    free(img->ink);
    memset(img, 0, sizeof *img);
}

/* Says why in the caller's buffer and fails. */
#define FAIL(...) (snprintf(why, why_size, __VA_ARGS__), false)

uint8_t *chain_slurp(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    uint8_t *data = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (data != NULL && fread(data, 1, (size_t)n, f) != (size_t)n) {
        free(data);
        data = NULL;
    }
    fclose(f);
    if (data != NULL)
        data[n] = '\0';
    *size = data != NULL ? (size_t)n : 0;
    return data;
}

static bool alloc_image(chain_image *img, int w, int h)
{
    img->w = w;
    img->h = h;
    img->ink = w > 0 && h > 0 ? calloc((size_t)w * (size_t)h, 1) : NULL;
    return img->ink != NULL;
}

/* ------------------------------------------------------------------ */
/* CUPS raster                                                         */

enum { CS_W = 0, CS_RGB = 1, CS_K = 3, CS_CMYK = 6, CS_SW = 18, CS_SRGB = 19 };

static uint32_t field(const uint8_t *h, int index, bool little)
{
    const uint8_t *p = h + 256 + 4 * index;
    return little ? (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24
                  : (uint32_t)p[3] | (uint32_t)p[2] << 8 | (uint32_t)p[1] << 16 | (uint32_t)p[0] << 24;
}

/* Ink of pixel x of a line, for the header's colour space and depth. */
static uint8_t raster_ink(const uint8_t *line, uint32_t x, uint32_t bits_color, uint32_t space, uint32_t colors)
{
    if (bits_color == 1) {
        /* One bit per colour, chunky: bits_per_pixel = colors. */
        uint32_t bit = x * colors;
        unsigned any = 0;
        for (uint32_t c = 0; c < colors; c++, bit++)
            any |= (line[bit / 8] >> (7 - bit % 8)) & 1u;
        bool white_is_one = space == CS_W || space == CS_SW || space == CS_RGB || space == CS_SRGB;
        return (white_is_one ? !any : any) ? 255 : 0;
    }
    const uint8_t *p = line + (size_t)x * colors;
    switch (space) {
    case CS_K: return p[0];
    case CS_CMYK: {
        unsigned v = p[3] + (p[0] + p[1] + p[2]) / 3u;
        return (uint8_t)(v > 255 ? 255 : v);
    }
    case CS_RGB:
    case CS_SRGB: return (uint8_t)(255 - (p[0] + p[1] + p[2]) / 3);
    default: return (uint8_t)(255 - p[0]);
    }
}

bool chain_decode_cups_raster(const char *path, int page, chain_image *img, char *why, size_t why_size)
{
    memset(img, 0, sizeof *img);
    size_t size;
    uint8_t *d = chain_slurp(path, &size);
    if (d == NULL || size < 4 + 1796) {
        free(d);
        return FAIL("%s: no CUPS raster", path);
    }
    bool little = memcmp(d, "3SaR", 4) == 0 || memcmp(d, "2SaR", 4) == 0 || memcmp(d, "tSaR", 4) == 0;
    bool compressed = memcmp(d, "RaS2", 4) == 0 || memcmp(d, "2SaR", 4) == 0;
    if (!little && memcmp(d, "RaS3", 4) != 0 && memcmp(d, "RaS2", 4) != 0 && memcmp(d, "RaSt", 4) != 0) {
        free(d);
        return FAIL("%s: not a CUPS raster stream (sync word)", path);
    }
    size_t pos = 4;
    bool ok = false;
    for (int p = 0; pos + 1796 <= size; p++) {
        const uint8_t *h = d + pos;
        pos += 1796;
        uint32_t res_x = field(h, 5, little), res_y = field(h, 6, little);
        uint32_t bb_left = field(h, 7, little), bb_top = field(h, 10, little);
        uint32_t page_w = field(h, 24, little), page_h = field(h, 25, little);
        uint32_t w = field(h, 29, little), hgt = field(h, 30, little), bits_color = field(h, 32, little);
        uint32_t bpl = field(h, 34, little), order = field(h, 35, little), space = field(h, 36, little);
        uint32_t colors = space == CS_CMYK ? 4 : (space == CS_RGB || space == CS_SRGB) ? 3 : 1;
        if (res_x == 0 || res_y == 0 || w == 0 || hgt == 0 || bpl == 0 || w > 100000 || hgt > 100000 ||
            order != 0 || (bits_color != 1 && bits_color != 8)) {
            snprintf(why, why_size, "%s: page %d: a raster this decoder does not read (%u bits, order %u)", path, p,
                     bits_color, order);
            break;
        }
        uint8_t *line = malloc(bpl);
        bool want = p == page;
        if (want) {
            img->px_x_mm = 25.4 / res_x;
            img->px_y_mm = 25.4 / res_y;
            img->paper_w_mm = page_w * PT_MM;
            img->paper_h_mm = page_h * PT_MM;
            /* A raster narrower than the page covers its imaging box. */
            bool full = fabs(w - page_w / 72.0 * res_x) < 2;
            img->origin_x_mm = full ? 0 : bb_left * PT_MM;
            img->origin_y_mm = full ? 0 : (page_h - bb_top) * PT_MM;
            if (!alloc_image(img, (int)w, (int)hgt)) {
                free(line);
                break;
            }
        }
        bool truncated = false;
        for (uint32_t y = 0; y < hgt && !truncated;) {
            uint32_t repeat = 1;
            if (compressed) {
                /* v2: a line-repeat byte, then runs of whole pixels. */
                if (pos >= size) {
                    truncated = true;
                    break;
                }
                repeat = d[pos++] + 1u;
                size_t unit = (bits_color * colors + 7) / 8, filled = 0;
                while (filled < bpl && pos < size) {
                    uint8_t c = d[pos++];
                    if (c < 128) {
                        size_t n = (c + 1u) * unit;
                        for (size_t k = 0; k < n && filled < bpl; k++)
                            line[filled++] = pos + k % unit < size ? d[pos + k % unit] : 0;
                        pos += unit;
                    } else {
                        size_t n = (257u - c) * unit;
                        for (size_t k = 0; k < n && filled < bpl && pos < size; k++)
                            line[filled++] = d[pos++];
                    }
                }
                truncated = filled < bpl;
            } else {
                if (pos + bpl > size) {
                    truncated = true;
                    break;
                }
                memcpy(line, d + pos, bpl);
                pos += bpl;
            }
            for (uint32_t r = 0; r < repeat && y < hgt; r++, y++)
                if (want)
                    for (uint32_t x = 0; x < w; x++)
                        img->ink[(size_t)y * w + x] = raster_ink(line, x, bits_color, space, colors);
        }
        free(line);
        if (want) {
            ok = !truncated;
            if (truncated)
                snprintf(why, why_size, "%s: page %d is cut short", path, p);
            break;
        }
        if (truncated)
            break;
    }
    if (!ok && img->ink == NULL && why[0] == '\0')
        snprintf(why, why_size, "%s: has no page %d", path, page);
    if (!ok)
        chain_image_free(img);
    free(d);
    return ok;
}

/* ------------------------------------------------------------------ */
/* ESC/P2                                                              */

static int32_t le32(const uint8_t *p)
{
    return (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
}

typedef struct escp2 {
    const uint8_t *d;
    size_t size, pos;
    int unit_page, unit_v, unit_h; /* units per inch */
    int dot_h;                     /* horizontal dots per inch of raster data */
    int nozzle_pitch;              /* rows of one ESC i are this many vertical units apart */
    long top;                      /* ESC ( c: the top of the printable area, page units */
    long paper_w, paper_h;         /* ESC ( S, page units */
    long y;                        /* vertical position, vertical units */
    long x;                        /* horizontal position, horizontal units */
} escp2;

/* Unpacks n bytes of TIFF PackBits; false when the stream ends first. */
static bool packbits(escp2 *e, uint8_t *out, size_t n)
{
    size_t got = 0;
    while (got < n) {
        if (e->pos >= e->size)
            return false;
        uint8_t c = e->d[e->pos++];
        if (c < 128) {
            size_t k = c + 1u;
            if (e->pos + k > e->size)
                return false;
            for (size_t i = 0; i < k && got < n; i++)
                out[got++] = e->d[e->pos + i];
            e->pos += k;
        } else if (c > 128) {
            if (e->pos >= e->size)
                return false;
            for (size_t i = 0; i < 257u - c && got < n; i++)
                out[got++] = e->d[e->pos];
            e->pos++;
        }
    }
    return true;
}

/* One ESC ( command; returns false at the end of the stream. */
static void escp2_paren(escp2 *e, uint8_t cmd, const uint8_t *a, size_t n)
{
    switch (cmd) {
    case 'U':
        if (n >= 5) {
            int base = a[3] | a[4] << 8;
            if (a[0] && a[1] && a[2]) {
                e->unit_page = base / a[0];
                e->unit_v = base / a[1];
                e->unit_h = base / a[2];
            }
        } else if (n == 1 && a[0]) {
            e->unit_page = e->unit_v = e->unit_h = 3600 / a[0];
        }
        break;
    case 'D':
        if (n >= 4 && a[2] && a[3]) {
            int base = a[0] | a[1] << 8;
            e->nozzle_pitch = e->unit_v * a[2] / base;
            e->dot_h = base / a[3];
        }
        break;
    case 'c':
        if (n >= 8)
            e->top = le32(a);
        else if (n >= 4)
            e->top = (int16_t)(a[0] | a[1] << 8);
        break;
    case 'S':
        if (n >= 8) {
            e->paper_w = le32(a);
            e->paper_h = le32(a + 4);
        }
        break;
    case 'v':
        e->y += n >= 4 ? le32(a) : n >= 2 ? (int16_t)(a[0] | a[1] << 8) : 0;
        break;
    case 'V':
        e->y = n >= 4 ? le32(a) : n >= 2 ? (a[0] | a[1] << 8) : e->y;
        break;
    case '$':
        e->x = n >= 4 ? le32(a) : e->x;
        break;
    case '\\':
        e->x += n >= 4 ? le32(a) : n >= 2 ? (int16_t)(a[0] | a[1] << 8) : 0;
        break;
    default: break;
    }
}

bool chain_decode_escp2(const char *path, int page, double left_margin_pt, chain_image *img, char *why,
                        size_t why_size)
{
    memset(img, 0, sizeof *img);
    size_t size;
    uint8_t *d = chain_slurp(path, &size);
    if (d == NULL)
        return FAIL("%s: cannot read", path);
    escp2 e = {d, size, 0, 720, 720, 720, 720, 4, 0, 0, 0, 0, 0};
    int p = 0;
    /* The canvas: dots across, vertical units down, made when the page's
     * first raster arrives (its size known by then). */
    bool ok = false;
    while (e.pos < e.size && p <= page) {
        uint8_t b = d[e.pos];
        if (b == 0x0c) {
            e.pos++;
            if (p == page) {
                ok = img->ink != NULL;
                break;
            }
            p++;
            e.y = 0;
            continue;
        }
        if (b == 0x0d) {
            e.x = 0;
            e.pos++;
            continue;
        }
        if (b != 0x1b || e.pos + 1 >= e.size) {
            e.pos++;
            continue;
        }
        uint8_t c = d[e.pos + 1];
        if (c == '(' && e.pos + 5 <= e.size) {
            uint8_t cmd = d[e.pos + 2];
            size_t n = d[e.pos + 3] | (size_t)d[e.pos + 4] << 8;
            const uint8_t *a = d + e.pos + 5;
            if (e.pos + 5 + n > e.size)
                break;
            e.pos += 5 + n;
            if (cmd == 'R') {
                /* Remote mode runs until ESC NUL NUL NUL. */
                size_t q = e.pos;
                while (q + 4 <= e.size && memcmp(d + q, "\x1b\0\0\0", 4) != 0)
                    q++;
                e.pos = q + 4 <= e.size ? q + 4 : e.size;
                continue;
            }
            escp2_paren(&e, cmd, a, n);
            continue;
        }
        if (c == 'i' && e.pos + 9 <= e.size) {
            int bits = d[e.pos + 4];
            size_t bytes = d[e.pos + 5] | (size_t)d[e.pos + 6] << 8, rows = d[e.pos + 7] | (size_t)d[e.pos + 8] << 8;
            bool comp = d[e.pos + 3] == 1;
            e.pos += 9;
            uint8_t *buf = malloc(bytes * rows + 1);
            bool got = buf != NULL && (comp ? packbits(&e, buf, bytes * rows)
                                            : (e.pos + bytes * rows <= e.size &&
                                               (memcpy(buf, d + e.pos, bytes * rows), e.pos += bytes * rows, true)));
            if (!got || bits < 1 || bits > 8) {
                free(buf);
                snprintf(why, why_size, "%s: a raster command is cut short", path);
                break;
            }
            if (p == page) {
                if (img->ink == NULL) {
                    int w = (int)(e.paper_w > 0 ? e.paper_w * e.dot_h / e.unit_page : 20000);
                    int h = (int)(e.paper_h > 0 ? e.paper_h * e.unit_v / e.unit_page : 20000);
                    if (!alloc_image(img, w, h)) {
                        free(buf);
                        break;
                    }
                    img->px_x_mm = 25.4 / e.dot_h;
                    img->px_y_mm = 25.4 / e.unit_v;
                    img->paper_w_mm = e.paper_w * 25.4 / e.unit_page;
                    img->paper_h_mm = e.paper_h * 25.4 / e.unit_page;
                }
                long x0 = (long)lround(left_margin_pt / 72.0 * e.dot_h) + e.x * e.dot_h / e.unit_h;
                long top = e.top * e.unit_v / e.unit_page;
                size_t per_row = bytes * 8 / (size_t)bits;
                for (size_t r = 0; r < rows; r++) {
                    long yy = e.y + top + (long)r * e.nozzle_pitch;
                    if (yy < 0 || yy >= img->h)
                        continue;
                    const uint8_t *row = buf + r * bytes;
                    for (size_t k = 0; k < per_row; k++) {
                        size_t bit = k * (size_t)bits;
                        unsigned v = (row[bit / 8] >> (8 - bits - bit % 8)) & ((1u << bits) - 1u);
                        long xx = x0 + (long)k;
                        if (v != 0 && xx >= 0 && xx < img->w)
                            img->ink[(size_t)yy * img->w + (size_t)xx] = 255;
                    }
                }
            }
            free(buf);
            continue;
        }
        e.pos += 2;
    }
    if (!ok && img->ink != NULL && p == page)
        ok = true; /* a last page without a form feed */
    if (!ok) {
        if (why[0] == '\0')
            snprintf(why, why_size, "%s: has no page %d", path, page);
        chain_image_free(img);
    }
    free(d);
    return ok;
}

/* ------------------------------------------------------------------ */
/* PostScript and PDF                                                  */

static bool read_pgm(const char *path, chain_image *img, double dpi)
{
    size_t size;
    uint8_t *d = chain_slurp(path, &size);
    if (d == NULL)
        return false;
    int w, h, max, n = 0;
    bool ok = size > 2 && sscanf((char *)d, "P5 %d %d %d%n", &w, &h, &max, &n) == 3;
    if (!ok) {
        /* A comment line after the magic. */
        char *nl = memchr(d, '\n', size);
        char *nl2 = nl != NULL && nl[1] == '#' ? memchr(nl + 1, '\n', size - (size_t)(nl + 1 - (char *)d)) : NULL;
        ok = nl2 != NULL && sscanf(nl2 + 1, "%d %d %d%n", &w, &h, &max, &n) == 3;
        n += ok ? (int)(nl2 + 1 - (char *)d) : 0;
    }
    ok = ok && max == 255 && w > 0 && h > 0 && (size_t)n + 1 + (size_t)w * (size_t)h <= size && alloc_image(img, w, h);
    if (ok) {
        const uint8_t *px = d + n + 1;
        for (size_t i = 0; i < (size_t)w * (size_t)h; i++)
            img->ink[i] = (uint8_t)(255 - px[i]);
        img->px_x_mm = img->px_y_mm = 25.4 / dpi;
        img->paper_w_mm = w * img->px_x_mm;
        img->paper_h_mm = h * img->px_y_mm;
    }
    free(d);
    return ok;
}

bool chain_decode_postscript(const char *path, int page, int dpi, const char *scratch_dir, chain_image *img,
                             char *why, size_t why_size)
{
    memset(img, 0, sizeof *img);
    char pattern[1024], cmd[3000], one[1100];
    snprintf(pattern, sizeof pattern, "%s/gs-page-%%d.pgm", scratch_dir);
    snprintf(cmd, sizeof cmd, "gs -q -dSAFER -dNOPAUSE -dBATCH -sDEVICE=pgmraw -r%d -o '%s' '%s' >/dev/null 2>&1",
             dpi, pattern, path);
    if (system(cmd) != 0)
        return FAIL("Ghostscript could not render %s (is ghostscript installed?)", path);
    snprintf(one, sizeof one, "%s/gs-page-%d.pgm", scratch_dir, page + 1);
    bool ok = read_pgm(one, img, dpi);
    for (int p = 1; p < 100; p++) {
        snprintf(one, sizeof one, "%s/gs-page-%d.pgm", scratch_dir, p);
        if (unlink(one) != 0)
            break;
    }
    return ok ? true : FAIL("%s: Ghostscript gave no such page", path);
}

int chain_pdf_pages(const char *path)
{
    char *uri = g_filename_to_uri(path, NULL, NULL);
    PopplerDocument *doc = uri ? poppler_document_new_from_file(uri, NULL, NULL) : NULL;
    g_free(uri);
    int n = doc ? poppler_document_get_n_pages(doc) : -1;
    if (doc)
        g_object_unref(doc);
    return n;
}

bool chain_decode_pdf(const char *path, int page, double dpi, chain_image *img, char *why, size_t why_size)
{
    memset(img, 0, sizeof *img);
    char *uri = g_filename_to_uri(path, NULL, NULL);
    PopplerDocument *doc = uri ? poppler_document_new_from_file(uri, NULL, NULL) : NULL;
    g_free(uri);
    PopplerPage *pg = doc ? poppler_document_get_page(doc, page) : NULL;
    if (pg == NULL) {
        if (doc)
            g_object_unref(doc);
        return FAIL("%s: no such PDF page", path);
    }
    double w_pt, h_pt;
    poppler_page_get_size(pg, &w_pt, &h_pt);
    int w = (int)ceil(w_pt / 72 * dpi), h = (int)ceil(h_pt / 72 * dpi);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, dpi / 72, dpi / 72);
    poppler_page_render_for_printing(pg, cr);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    bool ok = alloc_image(img, w, h);
    const uint8_t *px = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    for (int y = 0; ok && y < h; y++)
        for (int x = 0; x < w; x++) {
            const uint8_t *p = px + (size_t)y * stride + (size_t)x * 4;
            img->ink[(size_t)y * w + x] = (uint8_t)(255 - (p[0] + p[1] + p[2]) / 3);
        }
    img->px_x_mm = img->px_y_mm = 25.4 / dpi;
    img->paper_w_mm = w_pt * PT_MM;
    img->paper_h_mm = h_pt * PT_MM;
    cairo_surface_destroy(s);
    g_object_unref(pg);
    g_object_unref(doc);
    return ok;
}

bool chain_turn_upright(const chain_image *in, chain_image *out)
{
    memset(out, 0, sizeof *out);
    if (!alloc_image(out, in->h, in->w))
        return false;
    double wm = in->paper_w_mm;
    out->px_x_mm = in->px_y_mm;
    out->px_y_mm = in->px_x_mm;
    out->origin_x_mm = in->origin_y_mm;
    out->origin_y_mm = wm - in->origin_x_mm - in->w * in->px_x_mm;
    out->paper_w_mm = in->paper_h_mm;
    out->paper_h_mm = in->paper_w_mm;
    /* Upright (x, y) = (medium y, medium width - medium x). */
    for (int j = 0; j < in->h; j++)
        for (int i = 0; i < in->w; i++)
            out->ink[(size_t)(in->w - 1 - i) * out->w + (size_t)j] = in->ink[(size_t)j * in->w + (size_t)i];
    return true;
}

/* ------------------------------------------------------------------ */
/* Measuring                                                           */

#define GRID_MM 0.25
#define TILE 64   /* grid cells: 16 mm */
#define STEP 48   /* 12 mm between tiles */
#define SEARCH_MM 12.0
#define MIN_NCC 0.6

typedef struct grid {
    int w, h;
    float *v;
} grid;

/* The image on a GRID_MM grid over the blank, by area average. */
static bool to_grid(const chain_image *img, double w_mm, double h_mm, double cell, grid *g)
{
    g->w = (int)ceil(w_mm / cell);
    g->h = (int)ceil(h_mm / cell);
    g->v = calloc((size_t)g->w * (size_t)g->h, sizeof *g->v);
    float *count = calloc((size_t)g->w * (size_t)g->h, sizeof *count);
    if (g->v == NULL || count == NULL) {
        free(count);
        return false;
    }
    for (int y = 0; y < img->h; y++) {
        double my = img->origin_y_mm + (y + 0.5) * img->px_y_mm;
        int gy = (int)floor(my / cell);
        if (gy < 0 || gy >= g->h)
            continue;
        for (int x = 0; x < img->w; x++) {
            double mx = img->origin_x_mm + (x + 0.5) * img->px_x_mm;
            int gx = (int)floor(mx / cell);
            if (gx < 0 || gx >= g->w)
                continue;
            size_t k = (size_t)gy * g->w + gx;
            g->v[k] += img->ink[(size_t)y * img->w + x];
            count[k] += 1;
        }
    }
    for (size_t k = 0; k < (size_t)g->w * (size_t)g->h; k++)
        g->v[k] = count[k] > 0 ? g->v[k] / count[k] : 0;
    free(count);
    return true;
}

static float at(const grid *g, int x, int y)
{
    return x >= 0 && y >= 0 && x < g->w && y < g->h ? g->v[(size_t)y * g->w + x] : 0;
}

/* Normalised cross-correlation of ref's tile at (x0, y0) with out shifted
 * by (dx, dy); -2 when either is flat. */
static double ncc(const grid *ref, const grid *out, int x0, int y0, int size, int dx, int dy)
{
    double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
    int n = size * size;
    for (int y = 0; y < size; y++)
        for (int x = 0; x < size; x++) {
            double a = at(ref, x0 + x, y0 + y), b = at(out, x0 + x + dx, y0 + y + dy);
            sa += a;
            sb += b;
            saa += a * a;
            sbb += b * b;
            sab += a * b;
        }
    double va = saa - sa * sa / n, vb = sbb - sb * sb / n;
    if (va < 1e-6 || vb < 1e-6)
        return -2;
    return (sab - sa * sb / n) / sqrt(va * vb);
}

static double parabola(double l, double c, double r)
{
    double den = l - 2 * c + r;
    return fabs(den) > 1e-12 ? 0.5 * (l - r) / den : 0;
}

static void shrink(const grid *in, int f, grid *out)
{
    out->w = in->w / f;
    out->h = in->h / f;
    out->v = calloc((size_t)out->w * (size_t)out->h, sizeof *out->v);
    for (int y = 0; out->v && y < out->h; y++)
        for (int x = 0; x < out->w; x++) {
            float s = 0;
            for (int j = 0; j < f; j++)
                for (int i = 0; i < f; i++)
                    s += in->v[(size_t)(y * f + j) * in->w + x * f + i];
            out->v[(size_t)y * out->w + x] = s / (float)(f * f);
        }
}

typedef struct match {
    double x, y;   /* tile centre on the blank, mm */
    double dx, dy; /* where out has it, relative, mm */
} match;

static void fit_axis(const match *m, const bool *use, size_t n, bool x_axis, double *s, double *t)
{
    double sx = 0, sy = 0, sxx = 0, sxy = 0, k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!use[i])
            continue;
        double a = x_axis ? m[i].x : m[i].y, b = a + (x_axis ? m[i].dx : m[i].dy);
        sx += a;
        sy += b;
        sxx += a * a;
        sxy += a * b;
        k++;
    }
    double den = k * sxx - sx * sx;
    *s = fabs(den) > 1e-9 ? (k * sxy - sx * sy) / den : 1;
    *t = k > 0 ? (sy - *s * sx) / k : 0;
}

bool chain_measure(const chain_image *ref_img, const chain_image *out_img, double w_mm, double h_mm, chain_fit *fit)
{
    memset(fit, 0, sizeof *fit);
    grid ref = {0}, out = {0}, ref4 = {0}, out4 = {0};
    bool ok = to_grid(ref_img, w_mm, h_mm, GRID_MM, &ref) && to_grid(out_img, w_mm, h_mm, GRID_MM, &out);
    if (ok) {
        shrink(&ref, 4, &ref4);
        shrink(&out, 4, &out4);
        ok = ref4.v != NULL && out4.v != NULL;
    }
    size_t cap = (size_t)(ref.w / STEP + 2) * (size_t)(ref.h / STEP + 2);
    match *m = ok ? calloc(cap, sizeof *m) : NULL;
    size_t n = 0;
    int coarse_r = (int)(SEARCH_MM / (GRID_MM * 4));
    for (int ty = 0; m != NULL && ty + TILE <= ref.h; ty += STEP)
        for (int tx = 0; tx + TILE <= ref.w; tx += STEP) {
            /* Tiles with something to recognise only. */
            double s = 0, ss = 0;
            for (int y = 0; y < TILE; y++)
                for (int x = 0; x < TILE; x++) {
                    double v = at(&ref, tx + x, ty + y);
                    s += v;
                    ss += v * v;
                }
            double mean = s / (TILE * TILE), sd = sqrt(fmax(0, ss / (TILE * TILE) - mean * mean));
            if (sd < 20 || mean < 3)
                continue;
            fit->tiles++;
            int side = 2 * coarse_r + 1;
            double *surface = malloc((size_t)side * (size_t)side * sizeof *surface);
            if (surface == NULL)
                continue;
            double best = -2;
            int bx = 0, by = 0;
            for (int dy = -coarse_r; dy <= coarse_r; dy++)
                for (int dx = -coarse_r; dx <= coarse_r; dx++) {
                    double c = ncc(&ref4, &out4, tx / 4, ty / 4, TILE / 4, dx, dy);
                    surface[(dy + coarse_r) * side + dx + coarse_r] = c;
                    if (c > best) {
                        best = c;
                        bx = dx;
                        by = dy;
                    }
                }
            /* A tile that matches as well a few millimetres away (a long
             * straight edge, a flat area) says nothing about position. */
            double rival = -2;
            for (int dy = -coarse_r; dy <= coarse_r; dy++)
                for (int dx = -coarse_r; dx <= coarse_r; dx++)
                    if (abs(dx - bx) > 2 || abs(dy - by) > 2)
                        rival = fmax(rival, surface[(dy + coarse_r) * side + dx + coarse_r]);
            free(surface);
            bx *= 4;
            by *= 4;
            if (best - rival < 0.1) {
                fit->tiles--;
                fit->ambiguous++;
                continue;
            }
            if (best < 0.3)
                continue;
            double fine[9][9];
            int fx = bx, fy = by;
            best = -2;
            for (int j = -4; j <= 4; j++)
                for (int i = -4; i <= 4; i++) {
                    fine[j + 4][i + 4] = ncc(&ref, &out, tx, ty, TILE, bx + i, by + j);
                    if (fine[j + 4][i + 4] > best) {
                        best = fine[j + 4][i + 4];
                        fx = bx + i;
                        fy = by + j;
                    }
                }
            if (best < MIN_NCC)
                continue;
            double subx = 0, suby = 0;
            int ci = fx - bx + 4, cj = fy - by + 4;
            if (ci > 0 && ci < 8)
                subx = parabola(fine[cj][ci - 1], fine[cj][ci], fine[cj][ci + 1]);
            if (cj > 0 && cj < 8)
                suby = parabola(fine[cj - 1][ci], fine[cj][ci], fine[cj + 1][ci]);
            m[n].x = (tx + TILE / 2.0) * GRID_MM;
            m[n].y = (ty + TILE / 2.0) * GRID_MM;
            m[n].dx = (fx + subx) * GRID_MM;
            m[n].dy = (fy + suby) * GRID_MM;
            n++;
        }
    fit->found = n;
    bool *use = n ? malloc(n) : NULL;
    if (use != NULL && n >= 4) {
        memset(use, 1, n);
        fit_axis(m, use, n, true, &fit->scale_x, &fit->offset_x_mm);
        fit_axis(m, use, n, false, &fit->scale_y, &fit->offset_y_mm);
        for (size_t i = 0; i < n; i++) {
            double d = hypot(m[i].dx, m[i].dy);
            if (d > fit->worst_mm) {
                fit->worst_mm = d;
                fit->worst_x_mm = m[i].x;
                fit->worst_y_mm = m[i].y;
            }
        }
    }
    free(use);
    free(m);
    free(ref.v);
    free(out.v);
    free(ref4.v);
    free(out4.v);
    return ok && n >= 4;
}
