/* Camera originals and students' own photos: JPEG (decoded with libjpeg,
 * scaled in the DCT and cropped to the rows and columns needed) or PNG
 * (through cairo), turned upright by their EXIF orientation. Turning by a
 * multiple of 90 degrees is how every viewer shows the picture, so it is
 * what the photographer saw; a tag that asks for mirroring is refused,
 * since gradprint never mirrors. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

#include <jpeglib.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "base/error-private.h"
#include "base/i18n-private.h"
#include "base/report-private.h"
#include "photo-prepare-private.h"

void gp_rgb_buffer_free(gp_rgb_buffer *b)
{
    free(b->pixels);
    memset(b, 0, sizeof *b);
}

bool gp_rgb_buffer_reserve(gp_rgb_buffer *b, int width, int height)
{
    size_t need = (size_t)width * (size_t)height * 3;
    if (need > b->cap) {
        unsigned char *p = realloc(b->pixels, need);
        if (p == NULL)
            return false;
        b->pixels = p;
        b->cap = need;
    }
    b->width = width;
    b->height = height;
    return true;
}

gp_rgb_image gp_rgb_buffer_image(const gp_rgb_buffer *b)
{
    return (gp_rgb_image){b->pixels, b->width, b->height, b->width * 3};
}

/* ------------------------------------------------------------ opening */

static bool too_large(int w, int h)
{
    return w > GP_ORIGINAL_MAX_SIDE || h > GP_ORIGINAL_MAX_SIDE ||
           (unsigned long long)w * (unsigned long long)h > GP_ORIGINAL_MAX_PIXELS;
}

typedef struct png_reader {
    const unsigned char *data;
    size_t size, at;
} png_reader;

static cairo_status_t read_png(void *closure, unsigned char *out, unsigned int len)
{
    png_reader *r = closure;
    if (r->size - r->at < len)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(out, r->data + r->at, len);
    r->at += len;
    return CAIRO_STATUS_SUCCESS;
}

/* PNG: width and height are at fixed places in IHDR, so the limits hold
 * before cairo allocates anything. */
static bool open_png(gp_original *o, gp_report *why)
{
    if (o->size < 24)
        return gp_refuse(why, o->name, GP_PC_FORMAT, "%s", _("the PNG file is cut short; copy it again"));
    const unsigned char *p = o->data + 16;
    unsigned long w = (unsigned long)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
    unsigned long h = (unsigned long)p[4] << 24 | p[5] << 16 | p[6] << 8 | p[7];
    if (w == 0 || h == 0 || w > GP_ORIGINAL_MAX_SIDE || h > GP_ORIGINAL_MAX_SIDE || too_large((int)w, (int)h))
        return gp_refuse(why, o->name, GP_PC_SIZE, _("the picture claims %lu x %lu pixels, more than gradprint reads "
                                                  "(%d per side, %u million pixels)"),
                      w, h, GP_ORIGINAL_MAX_SIDE, GP_ORIGINAL_MAX_PIXELS / 1000000u);
    png_reader r = {o->data, o->size, 0};
    cairo_surface_t *s = cairo_image_surface_create_from_png_stream(read_png, &r);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        return gp_refuse(why, o->name, GP_PC_FORMAT, "%s", _("the PNG file is damaged; export it again"));
    }
    cairo_surface_flush(s);
    int sw = cairo_image_surface_get_width(s), sh = cairo_image_surface_get_height(s);
    int stride = cairo_image_surface_get_stride(s);
    bool alpha = cairo_image_surface_get_format(s) == CAIRO_FORMAT_ARGB32;
    if (!gp_rgb_buffer_reserve(&o->png, sw, sh)) {
        cairo_surface_destroy(s);
        return gp_refuse(why, o->name, GP_PC_FORMAT, "%s", _("out of memory"));
    }
    const unsigned char *src = cairo_image_surface_get_data(s);
    bool transparent = false;
    for (int y = 0; y < sh; y++) {
        const uint32_t *row = (const uint32_t *)(const void *)(src + (size_t)y * (size_t)stride);
        unsigned char *dst = o->png.pixels + (size_t)y * (size_t)sw * 3;
        for (int x = 0; x < sw; x++) {
            uint32_t v = row[x];
            transparent |= alpha && (v >> 24) != 0xFF;
            dst[3 * x] = (unsigned char)(v >> 16);
            dst[3 * x + 1] = (unsigned char)(v >> 8);
            dst[3 * x + 2] = (unsigned char)v;
        }
    }
    cairo_surface_destroy(s);
    if (transparent)
        return gp_refuse(why, o->name, GP_PC_BACKGROUND, "%s",
                      _("the PNG has transparent parts, so its background is unknown; deliver a photo taken against "
                        "the background"));
    o->width = o->stored_width = sw;
    o->height = o->stored_height = sh;
    o->orientation = 1;
    return true;
}

static bool open_jpeg(gp_original *o, gp_report *why)
{
    gp_jpeg_markers *m = &o->markers;
    gp_jpeg_scan_markers(o->data, o->size, m);
    if (m->width <= 0 || m->height <= 0)
        return gp_refuse(why, o->name, GP_PC_FORMAT, "%s", _("the JPEG holds no readable image frame; copy it again"));
    if (too_large(m->width, m->height))
        return gp_refuse(why, o->name, GP_PC_SIZE,
                      _("the picture is %d x %d pixels, more than gradprint reads (%d per side, %u million "
                        "pixels)"),
                      m->width, m->height, GP_ORIGINAL_MAX_SIDE, GP_ORIGINAL_MAX_PIXELS / 1000000u);
    if (m->precision != 8)
        return gp_refuse(why, o->name, GP_PC_FORMAT, _("the JPEG has %d bits per sample; export it as an 8-bit JPEG"),
                      m->precision);
    if (m->components == 1)
        return gp_refuse(why, o->name, GP_PC_COLOUR, "%s",
                      _("the picture is greyscale; a colour photo cannot be made from it"));
    if (m->components != 3)
        return gp_refuse(why, o->name, GP_PC_COLOUR, "%s",
                      _("the picture is CMYK or has an unusual number of colour channels; export it as an sRGB "
                        "JPEG"));
    int orientation = m->orientation >= 1 && m->orientation <= 8 ? m->orientation : 1;
    if (orientation == 2 || orientation == 4 || orientation == 5 || orientation == 7)
        return gp_refuse(why, o->name, GP_PC_ORIENTATION,
                      _("its EXIF orientation (%d) asks for the picture to be mirrored, and a photo must never be "
                        "mirrored; export it again without mirroring"),
                      orientation);
    o->stored_width = m->width;
    o->stored_height = m->height;
    o->orientation = orientation;
    bool turned = orientation == 6 || orientation == 8;
    o->width = turned ? m->height : m->width;
    o->height = turned ? m->width : m->height;
    return true;
}

bool gp_original_open(gp_original *o, const char *name, const unsigned char *data, size_t size, gp_report *why)
{
    memset(o, 0, sizeof *o);
    o->name = name;
    o->data = data;
    o->size = size;
    if (size >= 2 && data[0] == 0xFF && data[1] == 0xD8)
        return open_jpeg(o, why);
    const char *format = gp_photo_sniff_format(data, size);
    if (format != NULL && strcmp(format, "PNG") == 0) {
        o->is_png = true;
        return open_png(o, why);
    }
    if (format != NULL)
        return gp_refuse(why, name, GP_PC_FORMAT, _("this is a %s file; gradprint reads JPEG and PNG: export it as JPEG"),
                      format);
    return gp_refuse(why, name, GP_PC_FORMAT, "%s", _("this is neither a JPEG nor a PNG file"));
}

void gp_original_close(gp_original *o) { gp_rgb_buffer_free(&o->png); }

/* ------------------------------------------------------------ decoding */

/* For `return failed(gp_error_set(...));` in functions that return bool. */
static bool failed(gp_status st)
{
    (void)st;
    return false;
}

typedef struct jpeg_failure {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
} jpeg_failure;

static void on_error(j_common_ptr c)
{
    jpeg_failure *f = (jpeg_failure *)(void *)c->err;
    c->err->format_message(c, f->message);
    longjmp(f->jump, 1);
}

/* Warnings are damage: a photo half grey must not go out. */
static void on_message(j_common_ptr c, int level)
{
    if (level < 0)
        on_error(c);
}

/* Turns a stored w x h block upright in place of dst. */
static bool turn_upright(int orientation, const unsigned char *src, int w, int h, gp_rgb_buffer *dst)
{
    bool turned = orientation == 6 || orientation == 8;
    int uw = turned ? h : w, uh = turned ? w : h;
    if (!gp_rgb_buffer_reserve(dst, uw, uh))
        return false;
    for (int uy = 0; uy < uh; uy++) {
        unsigned char *out = dst->pixels + (size_t)uy * (size_t)uw * 3;
        for (int ux = 0; ux < uw; ux++) {
            int sx, sy;
            switch (orientation) {
            case 3: sx = w - 1 - ux; sy = h - 1 - uy; break;
            case 6: sx = uy; sy = h - 1 - ux; break;
            default: sx = w - 1 - uy; sy = ux; break; /* 8 */
            }
            memcpy(out + (size_t)ux * 3, src + ((size_t)sy * (size_t)w + (size_t)sx) * 3, 3);
        }
    }
    return true;
}

/* Decodes stored rows [y0, y0 + h) and columns from x0 (at least w wide;
 * in scaled pixels) into out, upright. *sx0 and *sy0 receive where the
 * block starts in scaled stored pixels. */
static bool decode_jpeg(gp_original *o, int scale, int x0, int y0, int w, int h, gp_rgb_buffer *out,
                        int *sx0, int *sy0, gp_error **err)
{
    struct jpeg_decompress_struct c;
    jpeg_failure f;
    c.err = jpeg_std_error(&f.pub);
    f.pub.error_exit = on_error;
    f.pub.emit_message = on_message;
    unsigned char *volatile block = NULL;
    if (setjmp(f.jump)) {
        jpeg_destroy_decompress(&c);
        free(block);
        return failed(gp_error_set(err, GP_E_INVALID, o->name, 0,
                                   _("the picture is damaged or cut short (%s); copy it again"), f.message));
    }
    jpeg_create_decompress(&c);
    jpeg_mem_src(&c, o->data, (unsigned long)o->size);
    jpeg_read_header(&c, TRUE);
    c.scale_num = (unsigned)scale;
    c.scale_denom = 8;
    c.out_color_space = JCS_RGB;
    /* The result is reduced again; chroma upsampling by replication loses
     * nothing visible and saves a pass. */
    c.do_fancy_upsampling = FALSE;
    jpeg_start_decompress(&c);
    JDIMENSION ow = c.output_width, oh = c.output_height;
    JDIMENSION xoff = (JDIMENSION)(x0 < 0 ? 0 : x0), width = (JDIMENSION)w;
    if (xoff >= ow)
        xoff = ow - 1;
    if (xoff + width > ow)
        width = ow - xoff;
    if (xoff > 0 || width < ow)
        jpeg_crop_scanline(&c, &xoff, &width);
    JDIMENSION first = (JDIMENSION)(y0 < 0 ? 0 : y0);
    if (first >= oh)
        first = oh - 1;
    JDIMENSION rows = (JDIMENSION)h;
    if (first + rows > oh)
        rows = oh - first;
    if (first > 0)
        jpeg_skip_scanlines(&c, first);
    JDIMENSION line = c.output_width * 3;
    block = malloc((size_t)line * rows);
    if (block == NULL) {
        jpeg_destroy_decompress(&c);
        return failed(gp_error_nomem(err));
    }
    for (JDIMENSION r = 0; r < rows;) {
        JSAMPROW row = block + (size_t)r * line;
        r += jpeg_read_scanlines(&c, &row, 1);
    }
    int bw = (int)c.output_width;
    if (rows == oh - first && first == 0)
        jpeg_finish_decompress(&c);
    else
        jpeg_abort_decompress(&c);
    jpeg_destroy_decompress(&c);
    *sx0 = (int)xoff;
    *sy0 = (int)first;
    bool ok;
    if (o->orientation == 1) {
        /* Hand the block over as it is. */
        gp_rgb_buffer_free(out);
        out->pixels = block;
        out->width = bw;
        out->height = (int)rows;
        out->cap = (size_t)line * rows;
        return true;
    }
    ok = turn_upright(o->orientation, block, bw, (int)rows, out);
    free(block);
    return ok ? true : failed(gp_error_nomem(err));
}

bool gp_original_decode(gp_original *o, int scale, gp_rgb_buffer *out, gp_error **err)
{
    double ox, oy;
    return gp_original_decode_region(o, scale, 0, 0, o->width, o->height, out, &ox, &oy, err);
}

static bool copy_png_region(gp_original *o, int x, int y, int w, int h, gp_rgb_buffer *out, gp_error **err)
{
    if (!gp_rgb_buffer_reserve(out, w, h))
        return failed(gp_error_nomem(err));
    for (int r = 0; r < h; r++)
        memcpy(out->pixels + (size_t)r * (size_t)w * 3,
               o->png.pixels + ((size_t)(y + r) * (size_t)o->png.width + (size_t)x) * 3, (size_t)w * 3);
    return true;
}

bool gp_original_decode_region(gp_original *o, int scale, int x, int y, int w, int h, gp_rgb_buffer *out,
                               double *ox, double *oy, gp_error **err)
{
    /* Clamp to the picture. */
    if (x < 0) {
        w += x;
        x = 0;
    }
    if (y < 0) {
        h += y;
        y = 0;
    }
    if (x + w > o->width)
        w = o->width - x;
    if (y + h > o->height)
        h = o->height - y;
    if (w <= 0 || h <= 0)
        return failed(gp_error_set(err, GP_E_INTERNAL, o->name, 0, "%s", _("empty region of the picture")));
    if (o->is_png) {
        *ox = x;
        *oy = y;
        return copy_png_region(o, x, y, w, h, out, err);
    }
    /* The upright rectangle in stored pixels. */
    int W = o->stored_width, H = o->stored_height, sx, sy, sw, sh;
    switch (o->orientation) {
    case 3: sx = W - (x + w); sy = H - (y + h); sw = w; sh = h; break;
    case 6: sx = y; sy = H - (x + w); sw = h; sh = w; break;
    case 8: sx = W - (y + h); sy = x; sw = h; sh = w; break;
    default: sx = x; sy = y; sw = w; sh = h; break;
    }
    /* In scaled pixels, widened outward to whole pixels. */
    int x0 = sx * scale / 8, y0 = sy * scale / 8;
    int x1 = ((sx + sw) * scale + 7) / 8, y1 = ((sy + sh) * scale + 7) / 8;
    int bx = 0, by = 0;
    if (!decode_jpeg(o, scale, x0, y0, x1 - x0, y1 - y0, out, &bx, &by, err))
        return false;
    /* Where the decoded block starts, back in upright full-size pixels. */
    double f = 8.0 / scale;
    int bw_stored = o->orientation == 6 || o->orientation == 8 ? out->height : out->width;
    int bh_stored = o->orientation == 6 || o->orientation == 8 ? out->width : out->height;
    double stored_x = bx * f, stored_y = by * f, stored_w = bw_stored * f, stored_h = bh_stored * f;
    switch (o->orientation) {
    case 3: *ox = W - (stored_x + stored_w); *oy = H - (stored_y + stored_h); break;
    case 6: *ox = H - (stored_y + stored_h); *oy = stored_x; break;
    case 8: *ox = stored_y; *oy = W - (stored_x + stored_w); break;
    default: *ox = stored_x; *oy = stored_y; break;
    }
    return true;
}
