#include "test-photo-util.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <turbojpeg.h>
#include <unistd.h>

char *tp_join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p != NULL)
        snprintf(p, n, "%s/%s", dir, name);
    return p;
}

char *tp_make_tmpdir(const char *tag)
{
    const char *base = getenv("TMPDIR");
    char templ[512];
    snprintf(templ, sizeof templ, "%s/gp-%s-XXXXXX", base != NULL && base[0] ? base : "/tmp", tag);
    if (mkdtemp(templ) == NULL)
        return NULL;
    return strdup(templ);
}

void tp_remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *p = tp_join(dir, e->d_name);
        if (p != NULL && unlink(p) != 0)
            tp_remove_tree(p);
        free(p);
    }
    closedir(d);
    rmdir(dir);
}

int tp_count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

cairo_surface_t *tp_draw_photo(int w, int h)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_t *cr = cairo_create(s);
    cairo_pattern_t *grad = cairo_pattern_create_linear(0, 0, 0, h);
    cairo_pattern_add_color_stop_rgb(grad, 0, 0.70, 0.85, 0.95);
    cairo_pattern_add_color_stop_rgb(grad, 1, 0.45, 0.55, 0.65);
    cairo_set_source(cr, grad);
    cairo_paint(cr);
    cairo_pattern_destroy(grad);
    cairo_set_source_rgb(cr, 1, 0, 0);
    cairo_rectangle(cr, 0, 0, w / 8, h / 16);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0, 0, 1);
    cairo_rectangle(cr, w - w / 8, 0, w / 8, h);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_rectangle(cr, w / 2 - 2, 0, 4, h);
    cairo_fill(cr);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    return s;
}

cairo_surface_t *tp_draw_flat(int w, int h, tp_rgb c)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_surface_flush(s);
    unsigned char *data = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    for (int y = 0; y < h; y++) {
        uint32_t *row = (uint32_t *)(void *)(data + (size_t)y * stride);
        for (int x = 0; x < w; x++)
            row[x] = 0xFF000000u | (uint32_t)c.r << 16 | (uint32_t)c.g << 8 | (uint32_t)c.b;
    }
    cairo_surface_mark_dirty(s);
    return s;
}

cairo_surface_t *tp_draw_stripes(int w, int h)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_surface_flush(s);
    unsigned char *data = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    for (int y = 0; y < h; y++) {
        uint32_t *row = (uint32_t *)(void *)(data + (size_t)y * stride);
        for (int x = 0; x < w; x++)
            row[x] = (x & 1) ? 0xFFFFFFFFu : 0xFF000000u;
    }
    cairo_surface_mark_dirty(s);
    return s;
}

tp_rgb tp_pixel(cairo_surface_t *s, int x, int y)
{
    cairo_surface_flush(s);
    const unsigned char *data = cairo_image_surface_get_data(s);
    uint32_t px = ((const uint32_t *)(const void *)(data + (size_t)y * cairo_image_surface_get_stride(s)))[x];
    tp_rgb c = {(int)(px >> 16 & 0xFF), (int)(px >> 8 & 0xFF), (int)(px & 0xFF)};
    return c;
}

int tp_luma(tp_rgb c) { return (299 * c.r + 587 * c.g + 114 * c.b) / 1000; }

bool tp_near(tp_rgb a, tp_rgb b, int tol)
{
    return abs(a.r - b.r) <= tol && abs(a.g - b.g) <= tol && abs(a.b - b.b) <= tol;
}

unsigned char *tp_encode(cairo_surface_t *s, int quality, int subsamp, int pixel_format, size_t *size)
{
    cairo_surface_flush(s);
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    int stride = cairo_image_surface_get_stride(s);
    const unsigned char *src = cairo_image_surface_get_data(s);
    unsigned char *pixels = (unsigned char *)src;
    int pitch = stride;
    unsigned char *converted = NULL;
    if (pixel_format != TJPF_BGRX) {
        int ps = tjPixelSize[pixel_format];
        converted = malloc((size_t)w * h * ps);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                tp_rgb c = tp_pixel(s, x, y);
                unsigned char *d = converted + ((size_t)y * w + x) * ps;
                if (pixel_format == TJPF_GRAY) {
                    d[0] = (unsigned char)tp_luma(c);
                } else if (pixel_format == TJPF_CMYK) {
                    d[0] = (unsigned char)(255 - c.r);
                    d[1] = (unsigned char)(255 - c.g);
                    d[2] = (unsigned char)(255 - c.b);
                    d[3] = 0;
                } else {
                    abort();
                }
            }
        pixels = converted;
        pitch = w * ps;
    }
    tjhandle tj = tjInitCompress();
    unsigned char *jpeg = NULL;
    unsigned long len = 0;
    int rc = tjCompress2(tj, pixels, w, pitch, h, pixel_format, &jpeg, &len, subsamp, quality, 0);
    free(converted);
    tjDestroy(tj);
    if (rc != 0) {
        tjFree(jpeg);
        return NULL;
    }
    unsigned char *copy = malloc(len);
    memcpy(copy, jpeg, len);
    tjFree(jpeg);
    *size = len;
    return copy;
}

unsigned char *tp_insert_segment(const unsigned char *jpeg, size_t size, int marker, const void *body, size_t len,
                                 size_t *out_size)
{
    unsigned char *out = malloc(size + len + 4);
    memcpy(out, jpeg, 2);
    out[2] = 0xFF;
    out[3] = (unsigned char)marker;
    out[4] = (unsigned char)((len + 2) >> 8);
    out[5] = (unsigned char)((len + 2) & 0xFF);
    memcpy(out + 6, body, len);
    memcpy(out + 6 + len, jpeg + 2, size - 2);
    *out_size = size + len + 4;
    return out;
}

unsigned char *tp_pad_to(const unsigned char *jpeg, size_t size, size_t target, size_t *out_size)
{
    unsigned char *cur = malloc(size);
    memcpy(cur, jpeg, size);
    size_t cur_size = size;
    unsigned char filler[65533];
    memset(filler, 'x', sizeof filler);
    while (cur_size < target) {
        size_t missing = target - cur_size;
        /* A segment costs 4 bytes of header; never leave less than that. */
        size_t body = missing - 4;
        if (body > sizeof filler)
            body = sizeof filler;
        if (missing - 4 - body > 0 && missing - 4 - body < 4)
            body -= 4;
        unsigned char *next = tp_insert_segment(cur, cur_size, 0xFE, filler, body, &cur_size);
        free(cur);
        cur = next;
    }
    *out_size = cur_size;
    return cur;
}

static void put16(unsigned char *p, unsigned v, bool le)
{
    p[le ? 0 : 1] = (unsigned char)(v & 0xFF);
    p[le ? 1 : 0] = (unsigned char)(v >> 8);
}

static void put32(unsigned char *p, uint32_t v, bool le)
{
    for (int i = 0; i < 4; i++)
        p[le ? i : 3 - i] = (unsigned char)(v >> (8 * i));
}

size_t tp_exif_orientation_body(unsigned char *buf, int orientation, bool le)
{
    memset(buf, 0, 6 + 8 + 2 + 12 + 4);
    memcpy(buf, "Exif\0\0", 6);
    unsigned char *t = buf + 6;
    memcpy(t, le ? "II" : "MM", 2);
    put16(t + 2, 42, le);
    put32(t + 4, 8, le);
    put16(t + 8, 1, le);
    put16(t + 10, 0x0112, le);
    put16(t + 12, 3, le);
    put32(t + 14, 1, le);
    put16(t + 18, (unsigned)orientation, le); /* SHORT, left-justified in the value field */
    put32(t + 22, 0, le);
    return 6 + 8 + 2 + 12 + 4;
}

size_t tp_find_marker(const unsigned char *jpeg, size_t size, int marker)
{
    for (size_t i = 2; i + 1 < size; i++)
        if (jpeg[i] == 0xFF && jpeg[i + 1] == marker)
            return i;
    return 0;
}

bool tp_write_file(const char *path, const void *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return false;
    bool ok = fwrite(data, 1, size, f) == size;
    return fclose(f) == 0 && ok;
}

unsigned char *tp_read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *buf = malloc(n > 0 ? (size_t)n : 1);
    size_t got = fread(buf, 1, (size_t)n, f);
    fclose(f);
    if (got != (size_t)n) {
        free(buf);
        return NULL;
    }
    *size = got;
    return buf;
}

double tp_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}
