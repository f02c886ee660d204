/* gp_photo_checker on photos of a real face: a conforming photo measured
 * against where the fixture put her eyes, cheeks and head, then one photo
 * per finding code with exactly that one defect. */
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include <jpeglib.h>
#include <lcms2.h>
#include <turbojpeg.h>

#include "base/report-private.h"
#include "gp-test.h"
#include "gradprint.h"
#include "test-photo-util.h"
#include "test-photos-fixture.h"

static gp_photo_checker *checker, *grey_checker;
static char id[19];

static char name_buf[64];
static const char *photo_name(void)
{
    snprintf(name_buf, sizeof name_buf, "photos/%s.jpg", id);
    return name_buf;
}

static unsigned char *standard_jpeg(const tpf_place *p, size_t *size)
{
    cairo_surface_t *s = tpf_compose(p);
    int q;
    unsigned char *jpeg = tpf_encode_fit(s, 36 * 1024, &q, size);
    cairo_surface_destroy(s);
    REQUIRE(jpeg != NULL && *size >= 20 * 1024, "cannot make a standard photo in 20-36 KB");
    return jpeg;
}

/* GP_TEST_DUMP=DIR keeps every test photo there, for a look. */
static void dump(const unsigned char *jpeg, size_t size)
{
    static int n;
    const char *dir = getenv("GP_TEST_DUMP");
    if (dir == NULL)
        return;
    char path[512];
    snprintf(path, sizeof path, "%s/%03d.jpg", dir, n++);
    tp_write_file(path, jpeg, size);
}

/* A smooth test photo can come out under 20 KB: comment padding brings it
 * into the window, so the file size is not what is wrong with it. */
static unsigned char *into_window(unsigned char *jpeg, size_t *size)
{
    if (*size >= 20 * 1024)
        return jpeg;
    size_t padded_size;
    unsigned char *padded = tp_pad_to(jpeg, *size, 25 * 1024, &padded_size);
    free(jpeg);
    *size = padded_size;
    return padded;
}

static gp_photo_check *check(gp_photo_checker *k, const char *name, const unsigned char *jpeg, size_t size)
{
    dump(jpeg, size);
    gp_photo_check *c = NULL;
    gp_error *err = NULL;
    REQUIRE(gp_photo_check_memory(k, name, jpeg, size, &c, &err) == GP_OK, "check failed: %s",
            gp_error_message(err));
    return c;
}

static void print_findings(const char *what, const gp_photo_check *c)
{
    const gp_report *r = gp_photo_check_report(c);
    for (size_t i = 0; i < gp_report_count(r); i++) {
        const gp_finding *f = gp_report_get(r, i);
        fprintf(stderr, "  %s: %s %s: %s\n", what, f->severity == GP_ERROR ? "error" : "warning", f->code, f->message);
    }
}

/* The photo's errors are exactly the one code (warnings are allowed only
 * when allow_warnings). */
static void expect_only(const char *what, const gp_photo_check *c, const char *code, bool allow_warnings)
{
    const gp_report *r = gp_photo_check_report(c);
    size_t errors = 0, found = 0, warnings = 0;
    for (size_t i = 0; i < gp_report_count(r); i++) {
        const gp_finding *f = gp_report_get(r, i);
        if (f->severity == GP_ERROR) {
            errors++;
            found += code != NULL && strcmp(f->code, code) == 0;
        } else {
            warnings++;
        }
        CHECK(f->message != NULL && strlen(f->message) > 25, "%s: short message for %s", what, f->code);
        CHECK(f->student_no == NULL && f->line == 0, "%s: a photo finding names no record", what);
    }
    print_findings(what, c);
    if (code == NULL)
        CHECK(errors == 0, "%s: %zu errors, expected none", what, errors);
    else
        CHECK(errors == 1 && found == 1, "%s: expected exactly one error, %s; got %zu errors", what, code, errors);
    if (!allow_warnings)
        CHECK(warnings == 0, "%s: %zu warnings, expected none", what, warnings);
    CHECK(gp_photo_check_ok(c) == (code == NULL), "%s: ok is %d", what, gp_photo_check_ok(c));
}

static void expect_defect(const char *what, const unsigned char *jpeg, size_t size, const char *code)
{
    gp_photo_check *c = check(checker, photo_name(), jpeg, size);
    expect_only(what, c, code, false);
    gp_photo_check_free(c);
}


/* ------------------------------------------------------------ measured */

static void test_conforming(void)
{
    tpf_place p = tpf_standard();
    size_t size;
    unsigned char *jpeg = standard_jpeg(&p, &size);
    gp_photo_check *c = check(checker, photo_name(), jpeg, size);
    expect_only("conforming", c, NULL, false);
    const gp_photo_measurements *m = gp_photo_check_measurements(c);

    double top_x, top_y, lx, ly, rx, ry, cl, cr, cy;
    tpf_map(&p, TPF_FACE_CX, TPF_HEAD_TOP, &top_x, &top_y);
    tpf_map(&p, TPF_PUPIL_LX, TPF_PUPIL_LY, &lx, &ly);
    tpf_map(&p, TPF_PUPIL_RX, TPF_PUPIL_RY, &rx, &ry);
    tpf_map(&p, TPF_CHEEK_L, 125, &cl, &cy);
    tpf_map(&p, TPF_CHEEK_R, 125, &cr, &cy);
    CHECK(m->width == 480 && m->height == 640 && m->components == 3, "%dx%d, %d components", m->width, m->height,
          m->components);
    CHECK_NEAR(m->dpi_x, 300.0, 0.01);
    CHECK(m->file_bytes == (long)size, "file bytes %ld, file has %zu", m->file_bytes, size);
    CHECK(m->faces == 1 && m->eyes_found, "faces %d, eyes found %d", m->faces, m->eyes_found);
    CHECK_NEAR(m->head_top, top_y, 5.0);
    CHECK_NEAR(m->eye_left_x, lx, 5.0);
    CHECK_NEAR(m->eye_left_y, ly, 4.0);
    CHECK_NEAR(m->eye_right_x, rx, 5.0);
    CHECK_NEAR(m->eye_right_y, ry, 4.0);
    CHECK_NEAR(m->eye_line, (ly + ry) / 2.0, 4.0);
    CHECK_NEAR(m->face_width, cr - cl, 0.10 * (cr - cl));
    double truth_tilt = atan2(ry - ly, rx - lx) * 180.0 / 3.14159265358979;
    CHECK_NEAR(m->tilt, truth_tilt, 1.5);
    CHECK_NEAR(m->centre_offset, (cl + cr) / 2.0 - 240.0, 10.0);
    int blue[3] = {100, 197, 255};
    for (int i = 0; i < 3; i++)
        CHECK(abs(m->background[i] - blue[i]) <= 3, "background channel %d is %d", i, m->background[i]);
    CHECK(m->background_delta_e < 2.0, "background delta E %.1f", m->background_delta_e);
    CHECK(m->black_edge == 0, "black edge %d", m->black_edge);
    CHECK(m->sharpness > 30.0, "sharpness %.1f", m->sharpness);
    gp_photo_check_free(c);
    free(jpeg);
}

/* The quality read from the tables is what libjpeg was told. */
static void test_quality_estimate(void)
{
    tpf_place p = tpf_standard();
    cairo_surface_t *s = tpf_compose(&p);
    static const int qualities[] = {25, 50, 59, 60, 75, 88, 95};
    for (size_t i = 0; i < sizeof qualities / sizeof *qualities; i++) {
        for (int sub = 0; sub < 2; sub++) {
            size_t size;
            unsigned char *jpeg = tpf_encode(s, qualities[i], sub, 1, 300, &size);
            gp_photo_check *c = check(checker, photo_name(), jpeg, size);
            CHECK(gp_photo_check_measurements(c)->quality == qualities[i], "quality %d read as %d", qualities[i],
                  gp_photo_check_measurements(c)->quality);
            gp_photo_check_free(c);
            free(jpeg);
        }
    }
    cairo_surface_destroy(s);
}

/* ------------------------------------------------------------ one defect each */

/* Defects of placement: the fixture puts her where the defect is. */
static void test_placement(void)
{
    static const struct {
        const char *what, *code;
        int width;
        double scale, head_top, centre_x;
    } cases[] = {
        {"500x640", "size", 500, 2.3, 80, 250},
        {"head top at 35", "head-top", 480, 2.3, 35, 240},
        {"eyes low", "eyes", 480, 2.55, 100, 240},
        {"small face", "face-width", 480, 1.75, 90, 240},
        {"face 60 px right", "centre", 480, 2.3, 80, 300},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        tpf_place p = tpf_standard();
        p.width = cases[i].width;
        p.scale = cases[i].scale;
        p.head_top = cases[i].head_top;
        p.centre_x = cases[i].centre_x;
        size_t size;
        unsigned char *jpeg = standard_jpeg(&p, &size);
        expect_defect(cases[i].what, jpeg, size, cases[i].code);
        free(jpeg);
    }
    /* The eye line of the "eyes low" photo, by the fixture's landmarks. */
    tpf_place p = tpf_standard();
    p.scale = 2.55;
    p.head_top = 100;
    double ex, ey;
    tpf_map(&p, TPF_FACE_CX, TPF_EYE_Y, &ex, &ey);
    CHECK(ey > 310, "the eye line is at %.0f", ey);
}

static void test_format(void)
{
    tpf_place p = tpf_standard();
    cairo_surface_t *s = tpf_compose(&p);
    char *dir = fixture_tempdir();
    char *png_path = tp_join(dir, "p.png");
    REQUIRE(cairo_surface_write_to_png(s, png_path) == CAIRO_STATUS_SUCCESS, "cannot write PNG");
    size_t size;
    unsigned char *png = tp_read_file(png_path, &size);
    gp_photo_check *c = check(checker, photo_name(), png, size);
    expect_only("PNG named .jpg", c, "format", false);
    CHECK(strstr(gp_report_get(gp_photo_check_report(c), 0)->message, "PNG") != NULL, "the message says PNG");
    gp_photo_check_free(c);
    free(png);

    /* Cut short: the header is fine, the pixels are not all there. */
    unsigned char *jpeg = standard_jpeg(&p, &size);
    expect_defect("truncated JPEG", jpeg, size * 2 / 3, "format");
    free(jpeg);
    cairo_surface_destroy(s);
    unlink(png_path);
    free(png_path);
    fixture_remove(dir);
    free(dir);
}

static void desaturate(cairo_surface_t *s)
{
    cairo_surface_flush(s);
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    for (int y = 0; y < h; y++) {
        uint32_t *row = (uint32_t *)(void *)(cairo_image_surface_get_data(s) + (size_t)y * cairo_image_surface_get_stride(s));
        for (int x = 0; x < w; x++) {
            uint32_t v = row[x];
            unsigned l = (((v >> 16) & 255) * 299 + ((v >> 8) & 255) * 587 + (v & 255) * 114) / 1000;
            row[x] = 0xFF000000u | l << 16 | l << 8 | l;
        }
    }
    cairo_surface_mark_dirty(s);
}

static void test_colour(void)
{
    /* On the grey profile's background, so only the colour is wrong. */
    tpf_place p = tpf_standard();
    p.background[0] = p.background[1] = p.background[2] = 240 / 255.0;
    cairo_surface_t *s = tpf_compose(&p);
    size_t size;
    unsigned char *jpeg = tpf_encode_grey(s, 90, &size);
    jpeg = into_window(jpeg, &size);
    gp_photo_check *c = check(grey_checker, photo_name(), jpeg, size);
    expect_only("greyscale JPEG", c, "colour", false);
    gp_photo_check_free(c);
    free(jpeg);

    desaturate(s);
    int q;
    jpeg = tpf_encode_fit(s, 36 * 1024, &q, &size);
    c = check(grey_checker, photo_name(), jpeg, size);
    expect_only("black and white saved as colour", c, "colour", false);
    gp_photo_check_free(c);
    free(jpeg);

    unsigned char *cmyk = tp_encode(s, 90, TJSAMP_444, TJPF_CMYK, &size);
    c = check(grey_checker, photo_name(), cmyk, size);
    const gp_report *r = gp_photo_check_report(c);
    bool has_colour = false;
    for (size_t i = 0; i < gp_report_count(r); i++)
        has_colour |= strcmp(gp_report_get(r, i)->code, "colour") == 0 && gp_report_get(r, i)->severity == GP_ERROR &&
                      strstr(gp_report_get(r, i)->message, "CMYK") != NULL;
    CHECK(has_colour, "a CMYK JPEG is a colour error naming CMYK");
    gp_photo_check_free(c);
    tjFree(cmyk);
    cairo_surface_destroy(s);
}

static void test_density(void)
{
    tpf_place p = tpf_standard();
    cairo_surface_t *s = tpf_compose(&p);
    static const struct { int unit, density; bool ok; } cases[] = {
        {1, 72, false}, {0, 1, false}, {1, 96, false}, {2, 118, true}, {1, 300, true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t size;
        unsigned char *jpeg = tpf_encode(s, 85, true, cases[i].unit, cases[i].density, &size);
        char what[64];
        snprintf(what, sizeof what, "density unit %d, %d", cases[i].unit, cases[i].density);
        expect_defect(what, jpeg, size, cases[i].ok ? NULL : "density");
        free(jpeg);
    }
    cairo_surface_destroy(s);
}

static void test_quality_and_file_size(void)
{
    tpf_place p = tpf_standard();
    cairo_surface_t *s = tpf_compose(&p);
    size_t size, padded_size;
    /* Quality 50 would also be a small file: padded into the window with a
     * comment segment, so the quality is all that is wrong. */
    unsigned char *jpeg = tpf_encode(s, 50, false, 1, 300, &size);
    unsigned char *padded = tp_pad_to(jpeg, size, 30 * 1024, &padded_size);
    expect_defect("quality 50", padded, padded_size, "quality");
    free(jpeg);
    free(padded);

    jpeg = tpf_encode(s, 97, false, 1, 300, &size);
    CHECK(size > 40 * 1024, "quality 97 4:4:4 is %zu bytes", size);
    expect_defect("file over 40 KB", jpeg, size, "file-size");
    free(jpeg);
    cairo_surface_destroy(s);
}

static void test_orientation(void)
{
    tpf_place p = tpf_standard();
    size_t size, with_size;
    unsigned char *jpeg = standard_jpeg(&p, &size);
    unsigned char body[64];
    size_t len = tp_exif_orientation_body(body, 6, true);
    unsigned char *with = tp_insert_segment(jpeg, size, 0xFFE1, body, len, &with_size);
    expect_defect("EXIF orientation 6", with, with_size, "orientation");
    free(with);
    len = tp_exif_orientation_body(body, 1, false);
    with = tp_insert_segment(jpeg, size, 0xFFE1, body, len, &with_size);
    expect_defect("EXIF orientation 1", with, with_size, NULL);
    free(with);
    free(jpeg);
}

static void test_background(void)
{
    tpf_place p = tpf_standard();
    p.background[0] = p.background[1] = p.background[2] = 1.0;
    size_t size;
    unsigned char *jpeg = standard_jpeg(&p, &size);
    expect_defect("white background, light-blue profile", jpeg, size, "background");
    /* White is about 6 delta E from the grey profile's 240: within its tolerance. */
    gp_photo_check *c = check(grey_checker, photo_name(), jpeg, size);
    CHECK(gp_photo_check_measurements(c)->background_delta_e < 20.0, "white is near light grey");
    gp_photo_check_free(c);
    free(jpeg);
}

static void paint_edge(cairo_surface_t *s, double x, double y, double w, double h, double r, double g, double b)
{
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, r, g, b);
    cairo_rectangle(cr, x, y, w, h);
    cairo_fill(cr);
    cairo_destroy(cr);
    cairo_surface_flush(s);
}

static void test_black_edge(void)
{
    tpf_place p = tpf_standard();
    static const struct { double x, y, w, h; const char *what; } edges[] = {
        {0, 0, 4, 640, "black edge on the left"},
        {0, 0, 480, 3, "black edge along the top"},
        {474, 0, 6, 640, "black edge on the right"},
        {0, 634, 480, 6, "black edge along the bottom"},
    };
    for (size_t i = 0; i < sizeof edges / sizeof *edges; i++) {
        cairo_surface_t *s = tpf_compose(&p);
        paint_edge(s, edges[i].x, edges[i].y, edges[i].w, edges[i].h, 0.02, 0.02, 0.02);
        int q;
        size_t size;
        unsigned char *jpeg = tpf_encode_fit(s, 36 * 1024, &q, &size);
        gp_photo_check *c = check(checker, photo_name(), jpeg, size);
        expect_only(edges[i].what, c, "black-edge", false);
        int width = (int)(edges[i].w < edges[i].h ? edges[i].w : edges[i].h);
        CHECK(abs(gp_photo_check_measurements(c)->black_edge - width) <= 1, "%s: measured %d px", edges[i].what,
              gp_photo_check_measurements(c)->black_edge);
        gp_photo_check_free(c);
        free(jpeg);
        cairo_surface_destroy(s);
    }
    /* A white frame is a border too. */
    cairo_surface_t *s = tpf_compose(&p);
    paint_edge(s, 0, 0, 480, 5, 1, 1, 1);
    paint_edge(s, 0, 0, 5, 640, 1, 1, 1);
    paint_edge(s, 475, 0, 5, 640, 1, 1, 1);
    paint_edge(s, 0, 635, 480, 5, 1, 1, 1);
    int q;
    size_t size;
    unsigned char *jpeg = tpf_encode_fit(s, 36 * 1024, &q, &size);
    expect_defect("white frame", jpeg, size, "black-edge");
    free(jpeg);
    cairo_surface_destroy(s);
}

/* Within the standard's 50 but under the 64 px margin: a warning. */
static void test_head_top_margin(void)
{
    tpf_place p = tpf_standard();
    p.head_top = 56;
    size_t size;
    unsigned char *jpeg = standard_jpeg(&p, &size);
    gp_photo_check *c = check(checker, photo_name(), jpeg, size);
    expect_only("head top at 56", c, NULL, true);
    const gp_report *r = gp_photo_check_report(c);
    CHECK(gp_report_count(r) == 1 && strcmp(gp_report_get(r, 0)->code, "head-top") == 0 &&
              gp_report_get(r, 0)->severity == GP_WARNING,
          "one head-top warning");
    gp_photo_check_free(c);
    free(jpeg);
}

static void test_tilt(void)
{
    tpf_place p = tpf_standard();
    p.turn = 9.0;
    size_t size;
    unsigned char *jpeg = standard_jpeg(&p, &size);
    double lx, ly, rx, ry;
    tpf_map(&p, TPF_PUPIL_LX, TPF_PUPIL_LY, &lx, &ly);
    tpf_map(&p, TPF_PUPIL_RX, TPF_PUPIL_RY, &rx, &ry);
    double truth = atan2(ry - ly, rx - lx) * 180.0 / 3.14159265358979;
    gp_photo_check *c = check(checker, photo_name(), jpeg, size);
    expect_only("head turned 9 degrees", c, "tilt", false);
    CHECK_NEAR(gp_photo_check_measurements(c)->tilt, truth, 1.5);
    gp_photo_check_free(c);
    free(jpeg);
}

static void test_sharpness(void)
{
    tpf_place p = tpf_standard();
    cairo_surface_t *s = tpf_compose(&p);
    tpf_blur(s, 2);
    int q;
    size_t size;
    unsigned char *jpeg = tpf_encode_fit(s, 36 * 1024, &q, &size);
    jpeg = into_window(jpeg, &size);
    gp_photo_check *c = check(checker, photo_name(), jpeg, size);
    /* A blur may also hide the eyes from the detector: a warning at most. */
    expect_only("blurred", c, "sharpness", true);
    gp_photo_check_free(c);
    free(jpeg);
    cairo_surface_destroy(s);
}

static void test_name(void)
{
    tpf_place p = tpf_standard();
    size_t size;
    unsigned char *jpeg = standard_jpeg(&p, &size);
    char bad[64];
    snprintf(bad, sizeof bad, "%.17s%c.jpg", id, id[17] == '0' ? '1' : '0');
    gp_photo_check *c = check(checker, bad, jpeg, size);
    expect_only("wrong check digit", c, "name", false);
    CHECK(strstr(gp_report_get(gp_photo_check_report(c), 0)->message, "check digit") != NULL, "says check digit");
    gp_photo_check_free(c);
    static const char *const names[] = {"photo.jpg", "IMG_0001.JPG", "5001021999.jpg"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        c = check(checker, names[i], jpeg, size);
        expect_only(names[i], c, "name", false);
        gp_photo_check_free(c);
    }
    snprintf(bad, sizeof bad, "%s.png", id);
    c = check(checker, bad, jpeg, size);
    expect_only(".png name", c, "name", false);
    gp_photo_check_free(c);
    snprintf(bad, sizeof bad, "%s.JPEG", id);
    c = check(checker, bad, jpeg, size);
    expect_only(".JPEG name", c, NULL, false);
    gp_photo_check_free(c);
    free(jpeg);
}

/* A skin-coloured oval over her face: no face for the detector. */
static void test_face(void)
{
    tpf_place p = tpf_standard();
    cairo_surface_t *s = tpf_compose(&p);
    double cx, cy;
    tpf_map(&p, TPF_FACE_CX, 125, &cx, &cy);
    cairo_t *cr = cairo_create(s);
    cairo_save(cr);
    cairo_translate(cr, cx, cy - 20);
    cairo_scale(cr, 1.0, 1.35);
    cairo_arc(cr, 0, 0, 115, 0, 2 * 3.14159265358979);
    cairo_restore(cr);
    cairo_set_source_rgb(cr, 0.85, 0.68, 0.58);
    cairo_fill(cr);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    int q;
    size_t size;
    unsigned char *jpeg = tpf_encode_fit(s, 36 * 1024, &q, &size);
    jpeg = into_window(jpeg, &size);
    expect_defect("face covered", jpeg, size, "face");
    free(jpeg);
    cairo_surface_destroy(s);

    /* Two people: a second, smaller astronaut beside the first. */
    p.centre_x = 150;
    p.scale = 1.6;
    s = tpf_compose(&p);
    cr = cairo_create(s);
    tpf_place second = p;
    second.centre_x = 370;
    cairo_surface_t *other = tpf_compose(&second);
    cairo_rectangle(cr, 260, 0, 220, 640);
    cairo_clip(cr);
    cairo_set_source_surface(cr, other, 0, 0);
    cairo_paint(cr);
    cairo_destroy(cr);
    cairo_surface_destroy(other);
    cairo_surface_flush(s);
    jpeg = tpf_encode_fit(s, 36 * 1024, &q, &size);
    gp_photo_check *c = check(checker, photo_name(), jpeg, size);
    print_findings("two faces", c);
    CHECK(gp_photo_check_measurements(c)->faces == 2, "%d faces", gp_photo_check_measurements(c)->faces);
    bool said = false;
    for (size_t i = 0; i < gp_report_count(gp_photo_check_report(c)); i++) {
        const gp_finding *f = gp_report_get(gp_photo_check_report(c), i);
        said |= strcmp(f->code, "face") == 0 && f->severity == GP_ERROR;
    }
    CHECK(said, "two faces are a face error");
    gp_photo_check_free(c);
    free(jpeg);
    cairo_surface_destroy(s);
}

/* ------------------------------------------------------------ profiles */

/* An Adobe RGB (1998) profile made with lcms2, split into two APP2 chunks. */
static unsigned char *with_adobe_rgb(const unsigned char *jpeg, size_t size, size_t *out_size)
{
    cmsCIExyY white = {0.3127, 0.3290, 1.0};
    cmsCIExyYTRIPLE primaries = {{0.64, 0.33, 1.0}, {0.21, 0.71, 1.0}, {0.15, 0.06, 1.0}};
    cmsToneCurve *gamma = cmsBuildGamma(NULL, 2.19921875);
    cmsToneCurve *curves[3] = {gamma, gamma, gamma};
    cmsHPROFILE prof = cmsCreateRGBProfile(&white, &primaries, curves);
    cmsMLU *desc = cmsMLUalloc(NULL, 1);
    cmsMLUsetASCII(desc, "en", "US", "Test Adobe RGB");
    cmsWriteTag(prof, cmsSigProfileDescriptionTag, desc);
    cmsUInt32Number len = 0;
    cmsSaveProfileToMem(prof, NULL, &len);
    unsigned char *icc = malloc(len);
    cmsSaveProfileToMem(prof, icc, &len);
    cmsMLUfree(desc);
    cmsCloseProfile(prof);
    cmsFreeToneCurve(gamma);
    /* Chunk 2 goes in first: the reader must order by sequence number. */
    size_t half = len / 2;
    unsigned char *chunk = malloc(14 + len);
    memcpy(chunk, "ICC_PROFILE\0", 12);
    chunk[12] = 1;
    chunk[13] = 2;
    memcpy(chunk + 14, icc, half);
    size_t s1;
    unsigned char *a = tp_insert_segment(jpeg, size, 0xFFE2, chunk, 14 + half, &s1);
    chunk[12] = 2;
    memcpy(chunk + 14, icc + half, len - half);
    unsigned char *b = tp_insert_segment(a, s1, 0xFFE2, chunk, 14 + (len - half), out_size);
    free(a);
    free(chunk);
    free(icc);
    return b;
}

static void test_icc(void)
{
    tpf_place p = tpf_standard();
    size_t size, with_size;
    unsigned char *jpeg = standard_jpeg(&p, &size);
    unsigned char *with = with_adobe_rgb(jpeg, size, &with_size);
    gp_photo_check *c = check(checker, photo_name(), with, with_size);
    const gp_photo_measurements *m = gp_photo_check_measurements(c);
    print_findings("Adobe RGB", c);
    CHECK(m->has_icc, "the profile was seen");
    bool warned = false;
    for (size_t i = 0; i < gp_report_count(gp_photo_check_report(c)); i++) {
        const gp_finding *f = gp_report_get(gp_photo_check_report(c), i);
        warned |= strcmp(f->code, "colour") == 0 && f->severity == GP_WARNING &&
                  strstr(f->message, "Test Adobe RGB") != NULL;
    }
    CHECK(warned, "a colour warning names the profile");
    /* Read as Adobe RGB, the pixels are more saturated than as sRGB: the
     * measured background moved away from the values in the file. */
    CHECK(m->background[0] < 95 || m->background[1] != 197, "background measured after conversion: %d,%d,%d",
          m->background[0], m->background[1], m->background[2]);
    gp_photo_check_free(c);
    free(with);
    free(jpeg);
}

static void test_profile_file(void)
{
    char *dir = fixture_tempdir();
    char *path = tp_join(dir, "collector.txt");
    const char *text = "# a collector that wants white and 30-60 KB\n"
                       "base = xuexin-white\n"
                       "file-size = 30 - 60\n"
                       "severity.density = warning\n"
                       "severity.head-top = off\n";
    REQUIRE(tp_write_file(path, text, strlen(text)), "cannot write profile");
    gp_photo_profile *prof = NULL;
    gp_error *err = NULL;
    REQUIRE(gp_photo_profile_load(path, &prof, &err) == GP_OK, "profile: %s", gp_error_message(err));
    CHECK(strstr(gp_photo_profile_name(prof), "white") != NULL || strstr(gp_photo_profile_name(prof), "白") != NULL,
          "name %s", gp_photo_profile_name(prof));
    gp_photo_checker *k = NULL;
    REQUIRE(gp_photo_checker_new(NULL, prof, &k, &err) == GP_OK, "checker");
    tpf_place p = tpf_standard();
    p.background[0] = p.background[1] = p.background[2] = 1.0;
    p.head_top = 30;
    cairo_surface_t *s = tpf_compose(&p);
    size_t size = 0;
    unsigned char *jpeg = NULL;
    for (int q = 95; q > 60 && (jpeg == NULL || size > 50 * 1024); q--) {
        free(jpeg);
        jpeg = tpf_encode(s, q, false, 1, 72, &size);
    }
    REQUIRE(size > 30 * 1024 && size < 60 * 1024, "test photo is %zu bytes", size);
    gp_photo_check *c = check(k, photo_name(), jpeg, size);
    print_findings("white profile", c);
    const gp_report *r = gp_photo_check_report(c);
    CHECK(gp_photo_check_ok(c), "72 dpi is only a warning, the head top not checked, white is right");
    CHECK(gp_report_count(r) == 1 && strcmp(gp_report_get(r, 0)->code, "density") == 0 &&
              gp_report_get(r, 0)->severity == GP_WARNING,
          "one density warning");
    gp_photo_check_free(c);
    free(jpeg);
    cairo_surface_destroy(s);
    gp_photo_checker_free(k);
    gp_photo_profile_free(prof);

    static const struct { const char *text; long line; const char *mention; } bad[] = {
        {"file-size = 40-20\n", 1, "file-size"},
        {"\n# ok\nhead-top = 50-110\nhead-top = 60-100\n", 4, "twice"},
        {"colour = blue\n", 1, "unknown key"},
        {"severity.size = maybe\n", 1, "error, warning or off"},
        {"severity.smile = off\n", 1, "smile"},
        {"background = 300,0,0\n", 1, "R,G,B"},
        {"dpi = 300\nbase = xuexin\n", 2, "base"},
        {"eyes\n", 1, "key = value"},
        {"max-tilt = 6,5\n", 1, "max-tilt"},
        {"eyes = 200-700\n", 0, "within"},
        {"head-top = 400-500\n", 0, "above the eye line"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        REQUIRE(tp_write_file(path, bad[i].text, strlen(bad[i].text)), "write");
        err = NULL;
        prof = NULL;
        gp_status st = gp_photo_profile_load(path, &prof, &err);
        CHECK(st == GP_E_INVALID && prof == NULL, "bad profile %zu accepted", i);
        CHECK(gp_error_line(err) == bad[i].line, "bad profile %zu: line %ld, expected %ld (%s)", i, gp_error_line(err),
              bad[i].line, gp_error_message(err));
        CHECK(strstr(gp_error_message(err), bad[i].mention) != NULL && strstr(gp_error_message(err), path) != NULL,
              "bad profile %zu: \"%s\" lacks \"%s\"", i, gp_error_message(err), bad[i].mention);
        gp_error_free(err);
    }
    err = NULL;
    CHECK(gp_photo_profile_load("xuexin-pink", &prof, &err) == GP_E_USAGE, "unknown built-in is a usage error");
    CHECK(strstr(gp_error_message(err), "xuexin-white") != NULL, "lists the built-ins: %s", gp_error_message(err));
    gp_error_free(err);
    unlink(path);
    free(path);
    fixture_remove(dir);
    free(dir);
}

int main(void)
{
    if (tpf_cutout() == NULL) {
        fprintf(stderr, "%s is missing: install python3-skimage (bash .ci/install-deps.sh)\n", TPF_ASTRONAUT_PNG);
        return 1;
    }
    gp_error *err = NULL;
    REQUIRE(gp_photo_checker_new(NULL, NULL, &checker, &err) == GP_OK, "checker: %s", gp_error_message(err));
    gp_photo_profile *grey = NULL;
    REQUIRE(gp_photo_profile_load("xuexin-grey", &grey, &err) == GP_OK, "grey profile");
    REQUIRE(gp_photo_checker_new(NULL, grey, &grey_checker, &err) == GP_OK, "grey checker");
    tpf_id(1, id);

    test_conforming();
    test_quality_estimate();
    test_placement();
    test_format();
    test_colour();
    test_density();
    test_quality_and_file_size();
    test_orientation();
    test_background();
    test_black_edge();
    test_head_top_margin();
    test_tilt();
    test_sharpness();
    test_name();
    test_face();
    test_icc();
    test_profile_file();

    gp_photo_checker_free(checker);
    gp_photo_checker_free(grey_checker);
    gp_photo_profile_free(grey);
    return gp_test_done();
}
