/* photos prepare on camera-size originals with the person off-centre, and
 * on students' own photos: the written photo is read back with libjpeg by
 * this test (size, density, markers, tables, bytes) and its head top, eye
 * line and face width are located by registering her silhouette against
 * the fixture's cut-out, not with the engine's detector. Then the
 * refusals: nothing is written for a photo that cannot be made right. */
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jpeglib.h>
#include <lcms2.h>

#include "base/report-private.h"
#include "gp-test.h"
#include "gradprint.h"
#include "test-photo-util.h"
#include "test-photos-fixture.h"

static gp_context *ctx;
static char *root;

/* ------------------------------------------------------------ reading back */

typedef struct jpeg_facts {
    int width, height, components, sof, density_unit, x_density, y_density;
    int app1, app2, com, other_app;
    int luminance_dc; /* quantisation of the luminance DC coefficient */
    unsigned char *rgb;
} jpeg_facts;

static unsigned get16(const unsigned char *p) { return (unsigned)p[0] << 8 | p[1]; }

/* Our own walk over the markers. */
static void read_markers(const unsigned char *d, size_t n, jpeg_facts *f)
{
    size_t i = 2;
    while (i + 4 <= n && d[i] == 0xFF) {
        unsigned m = d[i + 1], len = get16(d + i + 2);
        if (m == 0xDA)
            break;
        if (m == 0xE0 && len >= 16 && memcmp(d + i + 4, "JFIF", 4) == 0) {
            f->density_unit = d[i + 11];
            f->x_density = (int)get16(d + i + 12);
            f->y_density = (int)get16(d + i + 14);
        } else if (m == 0xE1) {
            f->app1++;
        } else if (m == 0xE2) {
            f->app2++;
        } else if (m >= 0xE3 && m <= 0xEF) {
            f->other_app++;
        } else if (m == 0xFE) {
            f->com++;
        } else if (m == 0xDB && (d[i + 4] & 0x0F) == 0) {
            f->luminance_dc = (d[i + 4] >> 4) ? (int)get16(d + i + 5) : d[i + 5];
        } else if (m >= 0xC0 && m <= 0xC3) {
            f->sof = (int)m;
        }
        i += 2 + len;
    }
}

static bool read_back(const char *path, jpeg_facts *f, size_t *size)
{
    memset(f, 0, sizeof *f);
    unsigned char *d = tp_read_file(path, size);
    if (d == NULL)
        return false;
    read_markers(d, *size, f);
    struct jpeg_decompress_struct c;
    struct jpeg_error_mgr e;
    c.err = jpeg_std_error(&e);
    jpeg_create_decompress(&c);
    jpeg_mem_src(&c, d, *size);
    jpeg_read_header(&c, TRUE);
    c.out_color_space = JCS_RGB;
    jpeg_start_decompress(&c);
    f->width = (int)c.output_width;
    f->height = (int)c.output_height;
    f->components = c.num_components;
    f->rgb = malloc((size_t)f->width * f->height * 3);
    while (c.output_scanline < c.output_height) {
        JSAMPROW row = f->rgb + (size_t)c.output_scanline * f->width * 3;
        jpeg_read_scanlines(&c, &row, 1);
    }
    jpeg_finish_decompress(&c);
    jpeg_destroy_decompress(&c);
    free(d);
    return true;
}

/* ------------------------------------------------------------ where she is */

/* The widest row of the cut-out between her head top and her eyes. */
static void source_hair(double *left, double *right)
{
    cairo_surface_t *cut = tpf_cutout();
    const unsigned char *px = cairo_image_surface_get_data(cut);
    int stride = cairo_image_surface_get_stride(cut), w = cairo_image_surface_get_width(cut);
    int best = -1;
    for (int y = (int)TPF_HEAD_TOP; y < (int)TPF_EYE_Y; y++) {
        int l = -1, r = -1;
        for (int x = 0; x < w; x++)
            if (px[(size_t)y * stride + (size_t)x * 4 + 3] > 128) {
                if (l < 0)
                    l = x;
                r = x;
            }
        if (l >= 0 && r - l > best) {
            best = r - l;
            *left = l;
            *right = r + 1;
        }
    }
}

static bool differs(const unsigned char *p, const int bg[3]) { return abs(p[0] - bg[0]) + abs(p[1] - bg[1]) + abs(p[2] - bg[2]) > 60; }

typedef struct landed {
    double head_top, eyes, face_width, centre_x, scale;
} landed;

/* Her head top (first row where the middle third is not background) and
 * the widest silhouette row below it give the scale and the position;
 * the fixture's landmarks follow. */
static landed locate_her(const jpeg_facts *f)
{
    landed out = {-1, -1, -1, -1, -1};
    const unsigned char *px = f->rgb;
    int w = f->width, h = f->height;
    int bg[3] = {px[3 * 5], px[3 * 5 + 1], px[3 * 5 + 2]};
    int top = -1;
    for (int y = 0; y < h && top < 0; y++) {
        int n = 0;
        for (int x = w / 3; x < 2 * w / 3; x++)
            n += differs(px + ((size_t)y * w + x) * 3, bg);
        if (n * 8 > w / 3)
            top = y;
    }
    if (top < 0)
        return out;
    double sl = 0, sr = 0;
    source_hair(&sl, &sr);
    /* Search down to where the face would be at the largest scale the
     * bands allow: still above her chin. */
    int best = -1, bl = 0, br = 0;
    for (int y = top; y < top + 200 && y < h; y++) {
        int l = -1, r = -1;
        for (int x = 0; x < w; x++)
            if (differs(px + ((size_t)y * w + x) * 3, bg)) {
                if (l < 0)
                    l = x;
                r = x;
            }
        if (l >= 0 && r - l > best) {
            best = r - l;
            bl = l;
            br = r + 1;
        }
    }
    out.scale = (br - bl) / (sr - sl);
    out.head_top = top;
    out.eyes = top + (TPF_EYE_Y - TPF_HEAD_TOP) * out.scale;
    out.face_width = TPF_FACE_W * out.scale;
    out.centre_x = bl + (TPF_FACE_CX - sl) * out.scale;
    return out;
}

/* ------------------------------------------------------------ originals */

static void add_noise(cairo_surface_t *s, int amplitude)
{
    cairo_surface_flush(s);
    uint32_t *px = (uint32_t *)(void *)cairo_image_surface_get_data(s);
    size_t n = (size_t)cairo_image_surface_get_stride(s) / 4 * cairo_image_surface_get_height(s);
    unsigned seed = 12345;
    for (size_t i = 0; i < n; i++) {
        uint32_t v = px[i], out = 0xFF000000u;
        for (int c = 0; c < 3; c++) {
            seed = seed * 1103515245u + 12345u;
            int d = (int)((seed >> 16) % (unsigned)(2 * amplitude + 1)) - amplitude;
            int x = (int)((v >> (8 * c)) & 255) + d;
            out |= (uint32_t)(x < 0 ? 0 : x > 255 ? 255 : x) << (8 * c);
        }
        px[i] = out;
    }
    cairo_surface_mark_dirty(s);
}

static char *write_original(const char *dir, const char *name, const tpf_place *p, int noise)
{
    cairo_surface_t *s = tpf_compose(p);
    if (noise > 0)
        add_noise(s, noise);
    size_t size;
    unsigned char *jpeg = tpf_encode(s, 92, true, 1, 72, &size);
    cairo_surface_destroy(s);
    char *path = tp_join(dir, name);
    REQUIRE(tp_write_file(path, jpeg, size), "write %s", path);
    free(jpeg);
    return path;
}

static char *make_dir(const char *name)
{
    char *d = tp_join(root, name);
    REQUIRE(mkdir(d, 0700) == 0, "mkdir %s", d);
    return d;
}

static gp_photos_prepare_result *prepare(const char *in, const char *out, const char *names, const char *roster,
                                         bool overwrite, gp_status *st)
{
    gp_photos_prepare_options o;
    gp_photos_prepare_options_init(&o);
    o.in_dir = in;
    o.out_dir = out;
    o.names_path = names;
    o.roster_path = roster;
    o.overwrite = overwrite;
    gp_photos_prepare_result *r = NULL;
    gp_error *err = NULL;
    *st = gp_photos_prepare_run(ctx, &o, &r, &err);
    if (err != NULL)
        fprintf(stderr, "  prepare: %s\n", gp_error_message(err));
    gp_error_free(err);
    for (size_t i = 0; r != NULL && i < gp_photos_prepare_result_count(r); i++) {
        const gp_photo_prepared *p = gp_photos_prepare_result_get(r, i);
        for (size_t k = 0; k < gp_report_count(p->findings); k++)
            fprintf(stderr, "  %s: %s %s\n", p->source, gp_report_get(p->findings, k)->code,
                    gp_report_get(p->findings, k)->message);
    }
    for (size_t k = 0; r != NULL && k < gp_report_count(gp_photos_prepare_result_report(r)); k++) {
        const gp_finding *f = gp_report_get(gp_photos_prepare_result_report(r), k);
        fprintf(stderr, "  job: %s line %ld: %s %s\n", f->file ? f->file : "-", f->line, f->code, f->message);
    }
    return r;
}

static const gp_photo_prepared *find_source(const gp_photos_prepare_result *r, const char *suffix)
{
    for (size_t i = 0; i < gp_photos_prepare_result_count(r); i++) {
        const gp_photo_prepared *p = gp_photos_prepare_result_get(r, i);
        size_t a = strlen(p->source), b = strlen(suffix);
        if (a >= b && strcmp(p->source + a - b, suffix) == 0)
            return p;
    }
    return NULL;
}

static bool has_code(const gp_report *r, const char *code)
{
    for (size_t i = 0; i < gp_report_count(r); i++)
        if (strcmp(gp_report_get(r, i)->code, code) == 0 && gp_report_get(r, i)->severity == GP_ERROR)
            return true;
    return false;
}

/* The written photo, read back: everything the standard asks of the file
 * and where she landed. */
static void expect_conforming(const char *what, const char *path, const int want_bg[3])
{
    jpeg_facts f;
    size_t size = 0;
    REQUIRE(read_back(path, &f, &size), "%s: cannot read %s back", what, path);
    struct stat st;
    CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600, "%s: mode %o", what, st.st_mode & 0777);
    CHECK(f.width == 480 && f.height == 640 && f.components == 3, "%s: %dx%d, %d components", what, f.width, f.height,
          f.components);
    CHECK(f.sof == 0xC0, "%s: baseline (SOF %02X)", what, f.sof);
    CHECK(f.density_unit == 1 && f.x_density == 300 && f.y_density == 300, "%s: density %d %dx%d", what,
          f.density_unit, f.x_density, f.y_density);
    CHECK(f.app1 == 0 && f.app2 == 0 && f.com == 0 && f.other_app == 0, "%s: metadata left (APP1 %d APP2 %d COM %d)",
          what, f.app1, f.app2, f.com);
    CHECK(size >= 20 * 1024 && size <= 40 * 1024, "%s: %zu bytes", what, size);
    /* libjpeg scales the table by S = 200 - 2q above 50: the DC entry 16 * S / 100. */
    double s = f.luminance_dc * 100.0 / 16.0, q = (200.0 - s) / 2.0;
    CHECK(q >= 59.0, "%s: quality about %.0f (DC step %d)", what, q, f.luminance_dc);
    landed at = locate_her(&f);
    fprintf(stderr, "  %s: head top %.0f, eyes %.0f, face %.0f, centre %.0f (scale %.3f)\n", what, at.head_top,
            at.eyes, at.face_width, at.centre_x, at.scale);
    CHECK(at.head_top >= 50 && at.head_top <= 110, "%s: head top %.0f", what, at.head_top);
    CHECK(at.eyes >= 200 && at.eyes <= 300, "%s: eyes %.0f", what, at.eyes);
    CHECK(at.face_width >= 180 && at.face_width <= 300, "%s: face width %.0f", what, at.face_width);
    CHECK(fabs(at.centre_x - 240) <= 20, "%s: face centre %.0f", what, at.centre_x);
    if (want_bg != NULL) {
        const unsigned char *p = f.rgb + 3 * (10 * 480 + 10);
        CHECK(abs(p[0] - want_bg[0]) <= 6 && abs(p[1] - want_bg[1]) <= 6 && abs(p[2] - want_bg[2]) <= 6,
              "%s: background %d,%d,%d, expected %d,%d,%d", what, p[0], p[1], p[2], want_bg[0], want_bg[1],
              want_bg[2]);
    }
    /* And the engine's own check agrees. */
    gp_photo_checker *k = NULL;
    gp_photo_check *c = NULL;
    REQUIRE(gp_photo_checker_new(ctx, NULL, &k, NULL) == GP_OK, "checker");
    REQUIRE(gp_photo_check_file(k, path, &c, NULL) == GP_OK, "check");
    CHECK(gp_photo_check_ok(c), "%s: the written photo fails photos check", what);
    gp_photo_check_free(c);
    gp_photo_checker_free(k);
    free(f.rgb);
}

static void test_camera_originals(void)
{
    char *in = make_dir("camera"), *out = tp_join(root, "camera-out");
    char ids[4][19];
    for (int i = 0; i < 4; i++)
        tpf_id(100 + (unsigned)i, ids[i]);
    char name[200];
    /* Landscape 24 Mpx, off to the left and low; portrait, off to the right
     * and high; a student's own small photo, off-centre; a PNG. */
    tpf_place a = {6000, 4000, {100 / 255.0, 197 / 255.0, 1.0}, 8.0, 1100, 2000, 0};
    tpf_place b = {4000, 6000, {100 / 255.0, 197 / 255.0, 1.0}, 13.0, 500, 2600, 0};
    tpf_place c = {600, 800, {100 / 255.0, 197 / 255.0, 1.0}, 2.6, 120, 260, 0};
    snprintf(name, sizeof name, "%s.jpg", ids[0]);
    free(write_original(in, name, &a, 6));
    snprintf(name, sizeof name, "%s.JPG", ids[1]);
    free(write_original(in, name, &b, 6));
    snprintf(name, sizeof name, "%s.jpeg", ids[2]);
    free(write_original(in, name, &c, 0));
    cairo_surface_t *s = tpf_compose(&c);
    snprintf(name, sizeof name, "%s.png", ids[3]);
    char *png = tp_join(in, name);
    REQUIRE(cairo_surface_write_to_png(s, png) == CAIRO_STATUS_SUCCESS, "png");
    cairo_surface_destroy(s);
    free(png);

    gp_status st;
    gp_photos_prepare_result *r = prepare(in, out, NULL, NULL, false, &st);
    CHECK(st == GP_OK, "all four prepared (status %d)", st);
    CHECK(r != NULL && gp_photos_prepare_result_written(r) == 4, "four written");
    int blue[3] = {100, 197, 255};
    for (int i = 0; i < 4; i++) {
        snprintf(name, sizeof name, "%s.jpg", ids[i]);
        char *path = tp_join(out, name);
        char what[64];
        snprintf(what, sizeof what, "original %d", i);
        expect_conforming(what, path, blue);
        free(path);
    }
    /* The crop of the landscape original is where she stood. */
    const gp_photo_prepared *p = find_source(r, ".jpg");
    CHECK(p != NULL && p->crop_x > 800 && p->crop_x + p->crop_w < 3300, "crop at her: x %d w %d", p ? p->crop_x : -1,
          p ? p->crop_w : -1);
    gp_photos_prepare_result_free(r);

    /* Again into the same folder: refused without --overwrite. */
    r = prepare(in, out, NULL, NULL, false, &st);
    CHECK(st == GP_E_USAGE, "existing photos are not replaced silently (status %d)", st);
    gp_photos_prepare_result_free(r);
    free(in);
    free(out);
}

/* A camera held upright: pixels stored sideways, EXIF orientation 6. */
static void test_orientation(void)
{
    char *in = make_dir("turned"), *out = tp_join(root, "turned-out");
    char id[19];
    tpf_id(110, id);
    tpf_place p = {1200, 1600, {100 / 255.0, 197 / 255.0, 1.0}, 3.2, 250, 600, 0};
    cairo_surface_t *up = tpf_compose(&p);
    /* Stored turned 90 degrees counter-clockwise; tag 6 says turn it back. */
    cairo_surface_t *stored = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1600, 1200);
    cairo_t *cr = cairo_create(stored);
    cairo_translate(cr, 0, 1200);
    cairo_rotate(cr, -3.14159265358979 / 2);
    cairo_set_source_surface(cr, up, 0, 0);
    cairo_paint(cr);
    cairo_destroy(cr);
    cairo_surface_flush(stored);
    size_t size, with_size;
    unsigned char *jpeg = tpf_encode(stored, 92, true, 1, 300, &size);
    unsigned char body[64];
    size_t len = tp_exif_orientation_body(body, 6, true);
    unsigned char *with = tp_insert_segment(jpeg, size, 0xFFE1, body, len, &with_size);
    char name[200];
    snprintf(name, sizeof name, "%s.jpg", id);
    char *path = tp_join(in, name);
    REQUIRE(tp_write_file(path, with, with_size), "write");
    gp_status st;
    gp_photos_prepare_result *r = prepare(in, out, NULL, NULL, false, &st);
    CHECK(st == GP_OK, "a turned camera original is prepared upright (status %d)", st);
    char *written = tp_join(out, name);
    int blue[3] = {100, 197, 255};
    if (st == GP_OK)
        expect_conforming("orientation 6", written, blue);

    /* A tag asking for mirroring is refused, and nothing is written. */
    len = tp_exif_orientation_body(body, 2, false);
    free(with);
    with = tp_insert_segment(jpeg, size, 0xFFE1, body, len, &with_size);
    REQUIRE(tp_write_file(path, with, with_size), "write");
    unlink(written);
    gp_photos_prepare_result_free(r);
    r = prepare(in, out, NULL, NULL, false, &st);
    CHECK(st == GP_E_INVALID && r != NULL && gp_photos_prepare_result_refused(r) == 1, "mirroring refused");
    CHECK(r != NULL && has_code(gp_photos_prepare_result_get(r, 0)->findings, "orientation"), "as orientation");
    CHECK(access(written, F_OK) != 0, "nothing written for it");
    gp_photos_prepare_result_free(r);
    free(written);
    free(path);
    free(with);
    free(jpeg);
    cairo_surface_destroy(up);
    cairo_surface_destroy(stored);
    free(in);
    free(out);
}

/* An Adobe RGB original: the output is sRGB without a profile. */
static void test_colour_profile(void)
{
    char *in = make_dir("adobe"), *out = tp_join(root, "adobe-out");
    char id[19];
    tpf_id(120, id);
    tpf_place p = {900, 1200, {100 / 255.0, 197 / 255.0, 1.0}, 3.0, 200, 450, 0};
    cairo_surface_t *s = tpf_compose(&p);
    size_t size, with_size;
    unsigned char *jpeg = tpf_encode(s, 92, true, 1, 300, &size);
    cairo_surface_destroy(s);
    cmsCIExyY white = {0.3127, 0.3290, 1.0};
    cmsCIExyYTRIPLE primaries = {{0.64, 0.33, 1.0}, {0.21, 0.71, 1.0}, {0.15, 0.06, 1.0}};
    cmsToneCurve *gamma = cmsBuildGamma(NULL, 2.19921875);
    cmsToneCurve *curves[3] = {gamma, gamma, gamma};
    cmsHPROFILE adobe = cmsCreateRGBProfile(&white, &primaries, curves);
    cmsUInt32Number len = 0;
    cmsSaveProfileToMem(adobe, NULL, &len);
    unsigned char *chunk = malloc(14 + len);
    memcpy(chunk, "ICC_PROFILE\0\1\1", 14);
    cmsSaveProfileToMem(adobe, chunk + 14, &len);
    unsigned char *with = tp_insert_segment(jpeg, size, 0xFFE2, chunk, 14 + len, &with_size);
    char name[200];
    snprintf(name, sizeof name, "%s.jpg", id);
    char *path = tp_join(in, name);
    REQUIRE(tp_write_file(path, with, with_size), "write");
    /* What the background becomes in sRGB, by lcms2 here. */
    cmsHPROFILE srgb = cmsCreate_sRGBProfile();
    cmsHTRANSFORM t = cmsCreateTransform(adobe, TYPE_RGB_8, srgb, TYPE_RGB_8, INTENT_PERCEPTUAL, 0);
    unsigned char bg_in[3] = {100, 197, 255}, bg_out[3];
    cmsDoTransform(t, bg_in, bg_out, 1);
    cmsDeleteTransform(t);
    cmsCloseProfile(srgb);
    cmsCloseProfile(adobe);
    cmsFreeToneCurve(gamma);
    gp_status st;
    gp_photos_prepare_result *r = prepare(in, out, NULL, NULL, false, &st);
    /* Converted, her background is no longer the profile's light blue:
     * refused or written, never left unconverted. */
    char *written = tp_join(out, name);
    if (st == GP_OK) {
        int want[3] = {bg_out[0], bg_out[1], bg_out[2]};
        expect_conforming("Adobe RGB original", written, want);
    } else {
        CHECK(r != NULL && has_code(gp_photos_prepare_result_get(r, 0)->findings, "background"),
              "refused only for the converted background");
        fprintf(stderr, "  (Adobe RGB background in sRGB: %d,%d,%d)\n", bg_out[0], bg_out[1], bg_out[2]);
    }
    gp_photos_prepare_result_free(r);
    free(written);
    free(path);
    free(with);
    free(chunk);
    free(jpeg);
    free(in);
    free(out);
}

/* Each of these cannot be made conforming by cropping and scaling. */
static void test_refusals(void)
{
    char *in = make_dir("refuse"), *out = tp_join(root, "refuse-out");
    struct {
        const char *what, *code;
        tpf_place place;
    } cases[] = {
        {"head at the top edge", "head-top", {3000, 2000, {100 / 255.0, 197 / 255.0, 1.0}, 6.0, 15, 1500, 0}},
        {"face too small", "face-width", {400, 533, {100 / 255.0, 197 / 255.0, 1.0}, 1.2, 60, 200, 0}},
        {"head tilted", "tilt", {2000, 2666, {100 / 255.0, 197 / 255.0, 1.0}, 6.0, 500, 1000, 12.0}},
        {"face at the side", "centre", {3000, 2000, {100 / 255.0, 197 / 255.0, 1.0}, 6.0, 400, 480, 0}},
    };
    size_t n = sizeof cases / sizeof *cases;
    char ids[8][19];
    for (size_t i = 0; i < n; i++) {
        tpf_id(130 + (unsigned)i, ids[i]);
        char name[200];
        snprintf(name, sizeof name, "%s.jpg", ids[i]);
        free(write_original(in, name, &cases[i].place, 0));
    }
    /* Two people, and nobody at all. */
    tpf_place two = {3000, 2000, {100 / 255.0, 197 / 255.0, 1.0}, 5.0, 300, 900, 0};
    cairo_surface_t *s = tpf_compose(&two);
    tpf_place second = two;
    second.centre_x = 2100;
    cairo_surface_t *other = tpf_compose(&second);
    cairo_t *cr = cairo_create(s);
    cairo_rectangle(cr, 1500, 0, 1500, 2000);
    cairo_clip(cr);
    cairo_set_source_surface(cr, other, 0, 0);
    cairo_paint(cr);
    cairo_destroy(cr);
    cairo_surface_destroy(other);
    size_t size;
    unsigned char *jpeg = tpf_encode(s, 90, true, 1, 72, &size);
    cairo_surface_destroy(s);
    tpf_id(140, ids[n]);
    char name[200];
    snprintf(name, sizeof name, "%s.jpg", ids[n]);
    char *path = tp_join(in, name);
    REQUIRE(tp_write_file(path, jpeg, size), "write");
    free(path);
    free(jpeg);
    cairo_surface_t *empty = tp_draw_flat(1200, 1600, (tp_rgb){100, 197, 255});
    jpeg = tpf_encode(empty, 90, true, 1, 72, &size);
    cairo_surface_destroy(empty);
    tpf_id(141, ids[n + 1]);
    snprintf(name, sizeof name, "%s.jpg", ids[n + 1]);
    path = tp_join(in, name);
    REQUIRE(tp_write_file(path, jpeg, size), "write");
    free(path);
    free(jpeg);

    gp_status st;
    gp_photos_prepare_result *r = prepare(in, out, NULL, NULL, false, &st);
    CHECK(st == GP_E_INVALID, "refusals make the run exit 2 (status %d)", st);
    CHECK(r != NULL && gp_photos_prepare_result_written(r) == 0 && gp_photos_prepare_result_refused(r) == n + 2,
          "all refused");
    const char *codes[8];
    for (size_t i = 0; i < n; i++)
        codes[i] = cases[i].code;
    codes[n] = codes[n + 1] = "face";
    for (size_t i = 0; i < n + 2 && r != NULL; i++) {
        snprintf(name, sizeof name, "%s.jpg", ids[i]);
        const gp_photo_prepared *p = find_source(r, name);
        CHECK(p != NULL && p->output == NULL && has_code(p->findings, codes[i]), "%s refused as %s",
              i < n ? cases[i].what : i == n ? "two faces" : "no face", codes[i]);
    }
    CHECK(tp_count_entries(out) == 0, "nothing written, not even a temporary file (%d entries)", tp_count_entries(out));
    gp_photos_prepare_result_free(r);
    free(in);
    free(out);
}

/* The capture log names the camera files. */
static void test_capture_log(void)
{
    char *in = make_dir("session"), *out = tp_join(root, "session-out");
    char ids[4][19];
    for (int i = 0; i < 4; i++)
        tpf_id(150 + (unsigned)i, ids[i]);
    tpf_place p = {1500, 2000, {100 / 255.0, 197 / 255.0, 1.0}, 4.0, 300, 700, 0};
    static const char *const files[] = {"IMG_0001.JPG", "IMG_0002.JPG", "IMG_0003.JPG", "IMG_0004.JPG", "IMG_0005.JPG"};
    for (int i = 0; i < 5; i++)
        free(write_original(in, files[i], &p, 0));
    /* The roster knows students 0, 1, 2 (student 2 by student number only). */
    char *roster = tp_join(root, "session-roster.csv");
    FILE *f = fopen(roster, "w");
    fprintf(f, "学号,姓名,身份证号,学院,专业,班级\n");
    for (int i = 0; i < 3; i++)
        fprintf(f, "2021%06d,学生%d,%s,文学院,汉语言文学,1班\n", i + 1, i + 1, ids[i]);
    fclose(f);
    char bad[19];
    memcpy(bad, ids[3], 19);
    bad[17] = bad[17] == '1' ? '2' : '1';
    char *log = tp_join(root, "capture.csv");
    f = fopen(log, "w");
    fprintf(f, "\xEF\xBB\xBF序号,文件名,身份证号,学号\n");
    fprintf(f, "1,IMG_0001,%s,\n", ids[0]);        /* without the extension */
    fprintf(f, "2,img_0002.jpg,%s,\n", ids[1]);    /* other case */
    fprintf(f, "3,IMG_0003.JPG,,2021000003\n");      /* by student number */
    fprintf(f, "4,IMG_0004.JPG,%s,\n", bad);         /* wrong check digit */
    fclose(f);
    gp_status st;
    gp_photos_prepare_result *r = prepare(in, out, log, roster, false, &st);
    CHECK(st == GP_E_INVALID, "one bad row, one file not in the log (status %d)", st);
    CHECK(r != NULL && gp_photos_prepare_result_written(r) == 3, "three prepared");
    for (int i = 0; i < 3; i++) {
        char name[200];
        snprintf(name, sizeof name, "%s.jpg", ids[i]);
        char *path = tp_join(out, name);
        CHECK(access(path, F_OK) == 0, "IMG_000%d became %s", i + 1, name);
        free(path);
    }
    const gp_photo_prepared *p4 = r ? find_source(r, "IMG_0004.JPG") : NULL;
    const gp_photo_prepared *p5 = r ? find_source(r, "IMG_0005.JPG") : NULL;
    CHECK(p4 != NULL && p4->output == NULL && has_code(p4->findings, "name"), "the bad row's photo refused");
    CHECK(p5 != NULL && p5->output == NULL && has_code(p5->findings, "name"), "a file not in the log refused");
    bool named_line = false;
    const gp_report *jr = r ? gp_photos_prepare_result_report(r) : NULL;
    for (size_t i = 0; jr != NULL && i < gp_report_count(jr); i++) {
        const gp_finding *g = gp_report_get(jr, i);
        named_line |= g->line == 5 && strstr(g->message, "check digit") != NULL && strcmp(g->file, log) == 0;
    }
    CHECK(named_line, "the check-digit finding names capture.csv line 5");
    gp_photos_prepare_result_free(r);

    /* A log without the file column says which columns it has. */
    f = fopen(log, "w");
    fprintf(f, "序号,身份证号\n1,%s\n", ids[0]);
    fclose(f);
    gp_photos_prepare_options o;
    gp_photos_prepare_options_init(&o);
    o.in_dir = in;
    o.out_dir = out;
    o.names_path = log;
    o.overwrite = true;
    gp_error *err = NULL;
    r = NULL;
    st = gp_photos_prepare_run(ctx, &o, &r, &err);
    CHECK(st == GP_E_INVALID && err != NULL && strstr(gp_error_message(err), "文件名") != NULL &&
              strstr(gp_error_message(err), "身份证号") != NULL,
          "no file column: %s", err ? gp_error_message(err) : "");
    gp_error_free(err);
    gp_photos_prepare_result_free(r);
    free(log);
    free(roster);
    free(in);
    free(out);
}

int main(void)
{
    REQUIRE(tpf_cutout() != NULL, "%s is missing: install python3-skimage", TPF_ASTRONAUT_PNG);
    gp_error *err = NULL;
    REQUIRE(gp_context_new(NULL, &ctx, &err) == GP_OK, "context");
    root = fixture_tempdir();
    test_camera_originals();
    test_orientation();
    test_colour_profile();
    test_refusals();
    test_capture_log();
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    CHECK(system(cmd) == 0, "cleanup");
    free(root);
    gp_context_free(ctx);
    return gp_test_done();
}
