/* The photo-lab JPEG driver: exact pixel size, 4:4:4, JFIF and Exif density,
 * sRGB marking, rectangles where the millimetres say, atomic 0600 files. */
#include <sys/resource.h>
#include <sys/stat.h>
#include <signal.h>
#include <stdint.h>
#include <turbojpeg.h>
#include <unistd.h>

#include "driver.h"
#include "gp-test.h"
#include "test-photo-util.h"

#define PAGE_W 127.0
#define PAGE_H 177.8

typedef struct segment {
    const unsigned char *body;
    size_t len;
} segment;

/* The first segment with this marker (and, if given, body prefix) before SOS. */
static bool find_segment(const unsigned char *j, size_t n, int marker, const char *prefix, size_t prefix_len,
                         segment *out)
{
    size_t i = 2;
    while (i + 4 <= n && j[i] == 0xFF && j[i + 1] != 0xDA) {
        size_t len = (size_t)j[i + 2] << 8 | j[i + 3];
        if (len < 2 || i + 2 + len > n)
            return false;
        if (j[i + 1] == marker && len - 2 >= prefix_len && memcmp(j + i + 4, prefix, prefix_len) == 0) {
            out->body = j + i + 4;
            out->len = len - 2;
            return true;
        }
        i += 2 + len;
    }
    return false;
}

static unsigned le16(const unsigned char *p) { return p[0] | p[1] << 8; }
static uint32_t le32(const unsigned char *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }

/* Value field of a tag in the little-endian IFD at offset ifd of tiff. */
static const unsigned char *ifd_entry(const unsigned char *tiff, size_t n, uint32_t ifd, unsigned tag)
{
    if (ifd + 2 > n)
        return NULL;
    unsigned count = le16(tiff + ifd);
    for (unsigned k = 0; k < count && ifd + 2 + (k + 1) * 12 <= n; k++) {
        const unsigned char *e = tiff + ifd + 2 + k * 12;
        if (le16(e) == tag)
            return e;
    }
    return NULL;
}

static void check_metadata(const unsigned char *j, size_t n, int dpi)
{
    segment app0, exif;
    REQUIRE(find_segment(j, n, 0xE0, "JFIF\0", 5, &app0), "no JFIF APP0");
    REQUIRE(app0.len >= 14, "short APP0");
    CHECK(app0.body[7] == 1, "JFIF density unit %d, expected 1 (dots per inch)", app0.body[7]);
    unsigned xd = app0.body[8] << 8 | app0.body[9], yd = app0.body[10] << 8 | app0.body[11];
    CHECK(xd == (unsigned)dpi && yd == (unsigned)dpi, "JFIF density %ux%u, expected %d", xd, yd, dpi);

    REQUIRE(find_segment(j, n, 0xE1, "Exif\0\0", 6, &exif), "no Exif APP1");
    const unsigned char *t = exif.body + 6;
    size_t tn = exif.len - 6;
    REQUIRE(tn >= 8 && memcmp(t, "II*\0", 4) == 0, "Exif TIFF header is not little-endian II*");
    uint32_t ifd0 = le32(t + 4);
    const unsigned char *xres = ifd_entry(t, tn, ifd0, 0x011A);
    const unsigned char *unit = ifd_entry(t, tn, ifd0, 0x0128);
    const unsigned char *ptr = ifd_entry(t, tn, ifd0, 0x8769);
    REQUIRE(xres && unit && ptr, "IFD0 lacks XResolution, ResolutionUnit or the Exif pointer");
    CHECK(le16(xres + 2) == 5, "XResolution type %u", le16(xres + 2));
    uint32_t off = le32(xres + 8);
    REQUIRE(off + 8 <= tn, "XResolution points outside the segment");
    CHECK(le32(t + off) == (uint32_t)dpi && le32(t + off + 4) == 1, "XResolution %u/%u", le32(t + off),
          le32(t + off + 4));
    CHECK(le16(unit + 8) == 2, "ResolutionUnit %u, expected 2 (inch)", le16(unit + 8));
    const unsigned char *cs = ifd_entry(t, tn, le32(ptr + 8), 0xA001);
    REQUIRE(cs != NULL, "the Exif IFD has no ColorSpace");
    CHECK(le16(cs + 2) == 3 && le16(cs + 8) == 1, "ColorSpace type %u value %u, expected SHORT 1 (sRGB)",
          le16(cs + 2), le16(cs + 8));

    /* Baseline: SOF0, no progressive SOF2. */
    CHECK(tp_find_marker(j, n, 0xC0) > 0 && tp_find_marker(j, n, 0xC2) == 0, "not a baseline JPEG");
}

static double mm_to_px_exact(double mm, int dpi) { return mm / 25.4 * dpi; }

/* Left and top edges of the rectangle fall into the pixel test_px
 * names: that pixel is mostly ink, the one before mostly paper. */
static void check_edges(cairo_surface_t *img, int dpi, double x0, double y0, double x1, double y1)
{
    int px0 = test_px(x0, dpi), px1 = test_px(x1, dpi);
    int py0 = test_px(y0, dpi), py1 = test_px(y1, dpi);
    int my = (py0 + py1) / 2, mx = (px0 + px1) / 2;
    CHECK(tp_luma(tp_pixel(img, px0 - 1, my)) > 160, "%d dpi: column %d left of the rectangle is dark (%d)", dpi,
          px0 - 1, tp_luma(tp_pixel(img, px0 - 1, my)));
    CHECK(tp_luma(tp_pixel(img, px0, my)) < 100, "%d dpi: first rectangle column %d is light (%d)", dpi, px0,
          tp_luma(tp_pixel(img, px0, my)));
    CHECK(tp_luma(tp_pixel(img, px1 - 1, my)) < 100, "%d dpi: last rectangle column %d is light (%d)", dpi, px1 - 1,
          tp_luma(tp_pixel(img, px1 - 1, my)));
    CHECK(tp_luma(tp_pixel(img, px1, my)) > 160, "%d dpi: column %d right of the rectangle is dark (%d)", dpi, px1,
          tp_luma(tp_pixel(img, px1, my)));
    CHECK(tp_luma(tp_pixel(img, mx, py0 - 1)) > 160, "%d dpi: row %d above the rectangle is dark", dpi, py0 - 1);
    CHECK(tp_luma(tp_pixel(img, mx, py0)) < 100, "%d dpi: first rectangle row %d is light", dpi, py0);
    CHECK(tp_luma(tp_pixel(img, mx, py1 - 1)) < 100, "%d dpi: last rectangle row %d is light", dpi, py1 - 1);
    CHECK(tp_luma(tp_pixel(img, mx, py1)) > 160, "%d dpi: row %d below the rectangle is dark", dpi, py1);
}

static cairo_surface_t *decode_file(const char *path, int *subsamp, unsigned char **bytes, size_t *size)
{
    *bytes = tp_read_file(path, size);
    REQUIRE(*bytes != NULL, "cannot read %s", path);
    tjhandle tj = tjInitDecompress();
    int w, h, cs;
    REQUIRE(tjDecompressHeader3(tj, *bytes, *size, &w, &h, subsamp, &cs) == 0, "%s: %s", path, tjGetErrorStr2(tj));
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_surface_flush(img);
    REQUIRE(tjDecompress2(tj, *bytes, *size, cairo_image_surface_get_data(img), w, cairo_image_surface_get_stride(img),
                          h, TJPF_BGRX, TJFLAG_STOPONWARNING) == 0,
            "%s: %s", path, tjGetErrorStr2(tj));
    cairo_surface_mark_dirty(img);
    tjDestroy(tj);
    return img;
}

/* Rectangle edges chosen so that each lands at least 15% away from a pixel
 * half at every resolution tested (asserted below). */
static const double rects[][4] = {{25.4, 25.4, 50.8, 76.2}, {10.0, 100.0, 60.3, 150.2}};

static void test_resolution(const char *dir, int dpi, int want_w, int want_h)
{
    for (size_t r = 0; r < 2; r++)
        for (int k = 0; k < 4; k++) {
            double px = mm_to_px_exact(rects[r][k], dpi);
            double frac = px - floor(px);
            REQUIRE(fabs(frac - 0.5) > 0.15, "test geometry: %g mm at %d dpi is %.3f px", rects[r][k], dpi, px);
        }

    gp_driver *drv = NULL;
    gp_error *err = NULL;
    REQUIRE(gp_jpeg_driver_new(dpi, 95, &drv, &err) == GP_OK, "driver: %s", gp_error_message(err));
    CHECK(gp_driver_is_raster(drv), "the JPEG driver is not raster");
    char name[64];
    snprintf(name, sizeof name, "sheet-%d.jpg", dpi);
    char *path = tp_join(dir, name);
    gp_page_spec page = {PAGE_W, PAGE_H, path, false};
    cairo_t *cr = NULL;
    REQUIRE(gp_driver_begin_page(drv, &page, &cr, &err) == GP_OK, "begin_page: %s", gp_error_message(err));
    cairo_set_source_rgb(cr, 0, 0, 0);
    for (size_t r = 0; r < 2; r++)
        cairo_rectangle(cr, rects[r][0], rects[r][1], rects[r][2] - rects[r][0], rects[r][3] - rects[r][1]);
    cairo_fill(cr);
    /* A red square 5 mm from the bottom-right corner: orientation. */
    cairo_set_source_rgb(cr, 1, 0, 0);
    cairo_rectangle(cr, PAGE_W - 15, PAGE_H - 15, 10, 10);
    cairo_fill(cr);
    REQUIRE(gp_driver_end_page(drv, &err) == GP_OK, "end_page: %s", gp_error_message(err));
    CHECK(gp_driver_finish(drv, &err) == GP_OK, "finish: %s", gp_error_message(err));
    gp_driver_free(drv);

    struct stat st;
    REQUIRE(stat(path, &st) == 0, "%s was not written", path);
    CHECK((st.st_mode & 0777) == 0600, "mode %o, expected 600", (unsigned)(st.st_mode & 0777));

    int subsamp;
    unsigned char *bytes;
    size_t size;
    cairo_surface_t *img = decode_file(path, &subsamp, &bytes, &size);
    CHECK(cairo_image_surface_get_width(img) == want_w && cairo_image_surface_get_height(img) == want_h,
          "%d dpi: %dx%d, expected %dx%d", dpi, cairo_image_surface_get_width(img),
          cairo_image_surface_get_height(img), want_w, want_h);
    CHECK(subsamp == TJSAMP_444, "%d dpi: subsampling %d, expected 4:4:4", dpi, subsamp);
    check_metadata(bytes, size, dpi);

    /* Quality 95: libjpeg scales the standard tables to 10%; the first
     * luminance entry (16) becomes 2. */
    size_t dqt = tp_find_marker(bytes, size, 0xDB);
    CHECK(dqt > 0 && bytes[dqt + 4] == 0 && bytes[dqt + 5] == 2, "luminance DC quantiser %d, expected 2 (q95)",
          dqt > 0 ? bytes[dqt + 5] : -1);

    for (size_t r = 0; r < 2; r++)
        check_edges(img, dpi, rects[r][0], rects[r][1], rects[r][2], rects[r][3]);
    tp_rgb corner = tp_pixel(img, 2, 2);
    CHECK(corner.r > 250 && corner.g > 250 && corner.b > 250, "%d dpi: the page is not white (%d,%d,%d)", dpi,
          corner.r, corner.g, corner.b);
    int sx = test_px(PAGE_W - 10, dpi), sy = test_px(PAGE_H - 10, dpi);
    tp_rgb red = tp_pixel(img, sx, sy);
    CHECK(red.r > 240 && red.g < 20 && red.b < 20, "%d dpi: red square is %d,%d,%d", dpi, red.r, red.g, red.b);
    cairo_surface_destroy(img);
    free(bytes);
    free(path);
}

/* One driver, many pages: a reused surface must come back white, and a page
 * of another size gets a surface of its size. */
static void test_many_pages(const char *dir)
{
    gp_driver *drv = NULL;
    gp_error *err = NULL;
    REQUIRE(gp_jpeg_driver_new(300, 92, &drv, &err) == GP_OK, "driver: %s", gp_error_message(err));
    static const double sizes[][2] = {{PAGE_W, PAGE_H}, {PAGE_W, PAGE_H}, {89.0, 127.0}};
    for (int i = 0; i < 3; i++) {
        char name[32];
        snprintf(name, sizeof name, "page-%d.jpg", i);
        char *path = tp_join(dir, name);
        gp_page_spec page = {sizes[i][0], sizes[i][1], path, false};
        cairo_t *cr = NULL;
        REQUIRE(gp_driver_begin_page(drv, &page, &cr, &err) == GP_OK, "begin_page %d: %s", i, gp_error_message(err));
        if (i == 0) {
            cairo_set_source_rgb(cr, 0, 0, 0);
            cairo_paint(cr);
        }
        REQUIRE(gp_driver_end_page(drv, &err) == GP_OK, "end_page %d: %s", i, gp_error_message(err));
        int subsamp;
        unsigned char *bytes;
        size_t size;
        cairo_surface_t *img = decode_file(path, &subsamp, &bytes, &size);
        int w = cairo_image_surface_get_width(img), h = cairo_image_surface_get_height(img);
        CHECK(w == test_px(sizes[i][0], 300) && h == test_px(sizes[i][1], 300), "page %d is %dx%d", i, w, h);
        int l = tp_luma(tp_pixel(img, w / 2, h / 2));
        CHECK(i == 0 ? l < 5 : l > 250, "page %d centre luma %d", i, l);
        cairo_surface_destroy(img);
        free(bytes);
        free(path);
    }
    /* Protocol misuse is an error, not a crash. */
    CHECK(gp_driver_end_page(drv, &err) == GP_E_INTERNAL, "end_page without begin_page");
    gp_error_free(err);
    err = NULL;
    gp_page_spec nameless = {PAGE_W, PAGE_H, NULL, false};
    cairo_t *cr = NULL;
    CHECK(gp_driver_begin_page(drv, &nameless, &cr, &err) != GP_OK && cr == NULL, "a page without a file name");
    gp_error_free(err);
    err = NULL;
    char *huge_path = tp_join(dir, "huge.jpg");
    gp_page_spec huge = {5000.0, 5000.0, huge_path, false};
    CHECK(gp_driver_begin_page(drv, &huge, &cr, &err) == GP_E_USAGE && cr == NULL, "a 5 m page was accepted");
    gp_error_free(err);
    err = NULL;
    free(huge_path);
    /* A begun page that is never ended leaves nothing behind. */
    char *abandoned = tp_join(dir, "abandoned.jpg");
    gp_page_spec page = {PAGE_W, PAGE_H, abandoned, false};
    REQUIRE(gp_driver_begin_page(drv, &page, &cr, &err) == GP_OK, "begin_page: %s", gp_error_message(err));
    CHECK(gp_driver_begin_page(drv, &page, &cr, &err) == GP_E_INTERNAL, "a page begun twice");
    gp_error_free(err);
    gp_driver_free(drv);
    CHECK(access(abandoned, F_OK) != 0, "an abandoned page was written");
    free(abandoned);
}

static void test_bad_options(void)
{
    static const int bad[][2] = {{71, 95}, {1201, 95}, {300, 91}, {300, 101}, {0, 0}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        gp_driver *drv = NULL;
        gp_error *err = NULL;
        CHECK(gp_jpeg_driver_new(bad[i][0], bad[i][1], &drv, &err) == GP_E_USAGE && drv == NULL,
              "dpi %d quality %d accepted", bad[i][0], bad[i][1]);
        CHECK(err != NULL && strlen(gp_error_message(err)) > 20, "no message for dpi %d quality %d", bad[i][0],
              bad[i][1]);
        gp_error_free(err);
    }
    gp_driver *drv = NULL;
    gp_error *err = NULL;
    CHECK(gp_jpeg_driver_new(72, 100, &drv, &err) == GP_OK, "72 dpi q100 refused");
    gp_driver_free(drv);
    CHECK(gp_jpeg_driver_new(1200, 92, &drv, &err) == GP_OK, "1200 dpi q92 refused");
    gp_driver_free(drv);
}

static gp_status render_one(const char *path, gp_error **err)
{
    gp_driver *drv = NULL;
    gp_status st = gp_jpeg_driver_new(300, 95, &drv, err);
    if (st != GP_OK)
        return st;
    gp_page_spec page = {PAGE_W, PAGE_H, path, false};
    cairo_t *cr = NULL;
    st = gp_driver_begin_page(drv, &page, &cr, err);
    if (st == GP_OK) {
        /* Noise, so the file is far larger than the limit below. */
        cairo_surface_t *target = cairo_get_target(cr);
        cairo_surface_flush(target);
        unsigned char *data = cairo_image_surface_get_data(target);
        size_t n = (size_t)cairo_image_surface_get_stride(target) * cairo_image_surface_get_height(target);
        uint32_t seed = 12345;
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            data[i] = (unsigned char)(seed >> 24);
        }
        cairo_surface_mark_dirty(target);
        st = gp_driver_end_page(drv, err);
    }
    gp_driver_free(drv);
    return st;
}

static void test_write_errors(const char *dir)
{
    gp_error *err = NULL;
    /* A directory that does not exist. */
    char *nodir = tp_join(dir, "no-such-dir/sheet.jpg");
    CHECK(render_one(nodir, &err) == GP_E_IO, "writing into a missing directory: %s", gp_error_message(err));
    CHECK(err != NULL && strstr(gp_error_message(err), "sheet.jpg") != NULL, "message: %s", gp_error_message(err));
    CHECK(access(nodir, F_OK) != 0, "a file appeared");
    gp_error_free(err);
    err = NULL;
    free(nodir);

    /* A read-only directory (only meaningful when not root). */
    char *ro = tp_join(dir, "readonly");
    REQUIRE(mkdir(ro, 0500) == 0, "cannot mkdir %s", ro);
    char *ro_file = tp_join(ro, "sheet.jpg");
    if (geteuid() != 0) {
        CHECK(render_one(ro_file, &err) == GP_E_IO, "writing into a read-only directory succeeded");
        CHECK(tp_count_entries(ro) == 0, "%d files left in the read-only directory", tp_count_entries(ro));
        gp_error_free(err);
        err = NULL;
    }
    chmod(ro, 0700);
    free(ro_file);

    /* The disk fills up in the middle of encoding: libjpeg's write error
     * must come back as GP_E_IO with the temporary file removed. */
    char *full_dir = tp_join(dir, "full");
    REQUIRE(mkdir(full_dir, 0700) == 0, "cannot mkdir %s", full_dir);
    char *full_file = tp_join(full_dir, "sheet.jpg");
    struct rlimit old, lim;
    REQUIRE(getrlimit(RLIMIT_FSIZE, &old) == 0, "getrlimit");
    lim = old;
    lim.rlim_cur = 100000;
    signal(SIGXFSZ, SIG_IGN);
    REQUIRE(setrlimit(RLIMIT_FSIZE, &lim) == 0, "setrlimit");
    gp_status st = render_one(full_file, &err);
    setrlimit(RLIMIT_FSIZE, &old);
    CHECK(st == GP_E_IO, "a full disk gave status %d", (int)st);
    CHECK(err != NULL && strstr(gp_error_message(err), "sheet.jpg") != NULL, "message: %s", gp_error_message(err));
    fprintf(stderr, "disk-full message: %s\n", gp_error_message(err));
    CHECK(tp_count_entries(full_dir) == 0, "%d files left after a failed write", tp_count_entries(full_dir));
    gp_error_free(err);
    err = NULL;
    /* ... and with space again the same call works. */
    CHECK(render_one(full_file, &err) == GP_OK, "after the disk error: %s", gp_error_message(err));
    CHECK(tp_count_entries(full_dir) == 1, "%d files, expected only sheet.jpg", tp_count_entries(full_dir));
    gp_error_free(err);
    free(full_file);
    free(full_dir);
    free(ro);
}

/* The typed setter refuses a driver of another type rather than doing
 * nothing, as cairo refuses a surface of the wrong type. */
static void test_setter_type(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/typed.pdf", dir);
    gp_driver *pdf = NULL;
    REQUIRE(gp_pdf_driver_new(path, &pdf, NULL) == GP_OK, "PDF driver");
    gp_error *err = NULL;
    CHECK(gp_jpeg_driver_set_sync(pdf, false, &err) == GP_E_INTERNAL && err != NULL, "set_sync refuses a PDF driver");
    CHECK(err != NULL && strstr(gp_error_message(err), "pdf") != NULL && strstr(gp_error_message(err), "JPEG") != NULL,
          "the refusal names both kinds: %s", err != NULL ? gp_error_message(err) : "");
    gp_error_free(err);
    gp_driver_free(pdf);
    remove(path);
    CHECK(gp_jpeg_driver_set_sync(NULL, false, NULL) == GP_E_INTERNAL, "set_sync refuses NULL");
}

/* One page of a known size through a driver from gp_driver_open. */
static void one_page(gp_driver *drv, const char *file)
{
    gp_page_spec page = {PAGE_W, PAGE_H, file, false};
    cairo_t *cr = NULL;
    gp_error *err = NULL;
    REQUIRE(gp_driver_begin_page(drv, &page, &cr, &err) == GP_OK, "begin page: %s", gp_error_message(err));
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_rectangle(cr, 10, 10, 20, 20);
    cairo_fill(cr);
    REQUIRE(gp_driver_end_page(drv, &err) == GP_OK, "end page: %s", gp_error_message(err));
    REQUIRE(gp_driver_finish(drv, &err) == GP_OK, "finish: %s", gp_error_message(err));
}

/* The factory: each kind gives its backend with the settings asked for;
 * what it cannot make is an error and no driver. */
static void test_open(const char *dir)
{
    char path[4096];
    gp_error *err = NULL;
    gp_driver *drv = NULL;

    snprintf(path, sizeof path, "%s/opened.pdf", dir);
    REQUIRE(gp_driver_open(&(gp_driver_config){.kind = GP_DRIVER_PDF, .path = path}, &drv, &err) == GP_OK,
            "PDF: %s", gp_error_message(err));
    CHECK(strcmp(drv->ops->name, "pdf") == 0 && !gp_driver_is_raster(drv), "a PDF driver, got %s", drv->ops->name);
    one_page(drv, NULL);
    gp_driver_free(drv);
    size_t size = 0;
    unsigned char *bytes = tp_read_file(path, &size);
    CHECK(bytes != NULL && size > 5 && memcmp(bytes, "%PDF-", 5) == 0, "a PDF was written");
    free(bytes);
    remove(path);

    snprintf(path, sizeof path, "%s/opened.jpg", dir);
    drv = NULL;
    gp_driver_config jpeg = {.kind = GP_DRIVER_JPEG, .dpi = 254, .quality = 95, .no_sync = true};
    REQUIRE(gp_driver_open(&jpeg, &drv, &err) == GP_OK, "JPEG: %s", gp_error_message(err));
    CHECK(strcmp(drv->ops->name, "jpeg") == 0 && gp_driver_is_raster(drv) && drv->dpi == 254,
          "a 254 dpi JPEG driver, got %s at %g", drv->ops->name, drv->dpi);
    one_page(drv, path);
    gp_driver_free(drv);
    int subsamp = -1;
    cairo_surface_t *img = decode_file(path, &subsamp, &bytes, &size);
    CHECK(cairo_image_surface_get_width(img) == 1270 && cairo_image_surface_get_height(img) == 1778,
          "the JPEG is %dx%d, expected 127 mm x 177.8 mm at 254 dpi = 1270x1778", cairo_image_surface_get_width(img),
          cairo_image_surface_get_height(img));
    CHECK(tp_luma(tp_pixel(img, 150, 150)) < 100 && tp_luma(tp_pixel(img, 400, 400)) > 160,
          "the square at 10-30 mm is drawn");
    cairo_surface_destroy(img);
    free(bytes);
    remove(path);

    drv = (gp_driver *)&drv; /* not NULL, so the test sees the factory clear it */
    jpeg.dpi = 71;
    CHECK(gp_driver_open(&jpeg, &drv, &err) == GP_E_USAGE && drv == NULL && err != NULL &&
              strstr(gp_error_message(err), "71") != NULL,
          "71 dpi: %s", err != NULL ? gp_error_message(err) : "");
    gp_error_free(err);
    err = NULL;
    CHECK(gp_driver_open(&(gp_driver_config){.kind = GP_DRIVER_PDF}, &drv, &err) == GP_E_INTERNAL && drv == NULL,
          "a PDF driver without a path");
    gp_error_free(err);
    err = NULL;
    CHECK(gp_driver_open(&(gp_driver_config){.kind = (gp_driver_kind)42}, &drv, &err) == GP_E_INTERNAL &&
              drv == NULL && err != NULL && strstr(gp_error_message(err), "42") != NULL,
          "an unknown kind: %s", err != NULL ? gp_error_message(err) : "");
    gp_error_free(err);
}

int main(void)
{
    char *dir = fixture_tempdir();
    REQUIRE(dir != NULL, "cannot make a temporary directory");
    test_bad_options();
    test_setter_type(dir);
    test_open(dir);
    test_resolution(dir, 300, 1500, 2100);
    test_resolution(dir, 320, 1600, 2240);
    test_resolution(dir, 254, 1270, 1778);
    test_many_pages(dir);
    test_write_errors(dir);
    /* Only the finished files remain: no temporaries. */
    CHECK(tp_count_entries(dir) == 3 + 3 + 2, "%d entries in the output directory", tp_count_entries(dir));
    fixture_remove(dir);
    free(dir);
    return gp_test_done();
}
