/* Calibration from a scan, on simulated scans (scan-sim.c): the calibration
 * page drawn by the engine, printed by a simulated printer with a known
 * error onto the blank, scanned on a flatbed or photographed with a phone.
 * The profile the engine computes must put every mark within 0.1 mm
 * (flatbed) or 0.3 mm (phone) of its template place; that is checked from
 * the injected error alone: a printer that maps q to e + k * q, given the
 * profile (o, s), puts template point t at e + k * (o + s * t). Scans that
 * cannot calibrate are refused: the unprinted blank, another template's
 * blank, a page printed scaled to fit, a tiny scan; a skewed feed is
 * measured and warned about; and the ring finder alone finds rings drawn at
 * known places to a hundredth of a millimetre. */
#include <cairo.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fileio-private.h"
#include "gp-test.h"
#include "tempdir.h"
#include "gradprint.h"
#include "jobs/calibration-private.h"
#include "jobs/calibration-scan-private.h"
#include "scan-sim.h"

#define DIPLOMA GP_SOURCE_DIR "/templates/diploma-bachelor.xml"
#define DIPLOMA_BLANK GP_SOURCE_DIR "/templates/blanks/diploma-blank.pdf"
#define DEGREE_BLANK GP_SOURCE_DIR "/templates/blanks/degree-blank.pdf"
#define DIPLOMA_W 270.0
#define DIPLOMA_H 190.0
/* The grid the page prints, written out here (calibration-targets.c keeps
 * inside 22 mm of the edges): points the profile must land. */
#define CHECK_INSET_MM 22.0

static char *dir; /* removed at exit (tests/fixture/tempdir.c) */
static gp_context *ctx;

static char *in_dir(const char *name)
{
    char *p = gp_path_join(dir, name);
    REQUIRE(p != NULL, "path");
    return p;
}

/* The calibration page PDF, drawn with the profile the operator printed it with. */
static char *page_pdf(const gp_calibration *printed_with)
{
    char *path = in_dir("page.pdf");
    unlink(path);
    gp_error *err = NULL;
    REQUIRE(gp_calibration_page(ctx, DIPLOMA, printed_with, path, &err) == GP_OK, "page: %s",
            gp_error_message(err));
    return path;
}

/* How far the worst of a grid of page points lands from its place when the
 * printer prints with profile p. */
static double worst_landing(const scan_sim_printer *printer, const gp_calibration *p)
{
    double worst = 0;
    for (int i = 0; i <= 10; i++)
        for (int j = 0; j <= 10; j++) {
            double tx = CHECK_INSET_MM + (DIPLOMA_W - 2 * CHECK_INSET_MM) * i / 10.0;
            double ty = CHECK_INSET_MM + (DIPLOMA_H - 2 * CHECK_INSET_MM) * j / 10.0;
            double lx = printer->offset_x_mm + printer->scale_x * (p->offset_x_mm + p->scale_x * tx);
            double ly = printer->offset_y_mm + printer->scale_y * (p->offset_y_mm + p->scale_y * ty);
            worst = fmax(worst, hypot(lx - tx, ly - ty));
        }
    return worst;
}

typedef struct run {
    gp_status st;
    char *message;
    gp_calibration_scan_figures fig;
    gp_calibration_scan_result *result;
} run;

static run calibrate(const char *scan, const gp_calibration *printed_with, const char *profile_out,
                     const char *proof_out)
{
    gp_calibration_scan_options o;
    gp_calibration_scan_options_init(&o);
    o.template_path = DIPLOMA;
    o.scan_path = scan;
    if (printed_with != NULL)
        o.printed_with = *printed_with;
    o.profile_out = profile_out;
    o.proof_out = proof_out;
    run r = {0};
    gp_error *err = NULL;
    r.st = gp_calibration_scan(ctx, &o, &r.result, &err);
    r.message = strdup(err != NULL ? gp_error_message(err) : "");
    gp_error_free(err);
    if (r.result != NULL)
        gp_calibration_scan_result_figures(r.result, &r.fig);
    printf("%s: status %d, %zu/%zu marks, %d inliers, similarity %.2f, %.0f dpi, rotation %.3f deg, before "
           "%.3f/%.3f mm, after %.3f/%.3f mm; %s\n",
           scan, r.st, r.fig.marks_found, r.fig.marks_expected, r.fig.inliers, r.fig.similarity, r.fig.scan_dpi,
           r.fig.rotation_deg, r.fig.rms_before_mm, r.fig.max_before_mm, r.fig.rms_after_mm, r.fig.max_after_mm,
           r.message);
    return r;
}

static void run_free(run *r)
{
    gp_calibration_scan_result_free(r->result);
    free(r->message);
}

static scan_sim_image printed_sheet(const gp_calibration *printed_with, const scan_sim_printer *printer, double dpi,
                                    const char *blank)
{
    char *page = printed_with != NULL ? page_pdf(printed_with) : NULL;
    scan_sim_image sheet;
    REQUIRE(scan_sim_sheet(blank, page, DIPLOMA_W, DIPLOMA_H, dpi, printer, &sheet), "sheet");
    free(page);
    return sheet;
}

static void expect_profile(const run *r, const scan_sim_printer *printer, double tolerance, const char *what)
{
    CHECK(r->st == GP_OK, "%s: calibrated: %s", what, r->message);
    if (r->st != GP_OK)
        return;
    double worst = worst_landing(printer, &r->fig.profile);
    printf("%s: profile offset %.3f, %.3f scale %.5f x %.5f: worst landing %.3f mm\n", what,
           r->fig.profile.offset_x_mm, r->fig.profile.offset_y_mm, r->fig.profile.scale_x, r->fig.profile.scale_y,
           worst);
    CHECK(worst <= tolerance, "%s: with the profile a mark lands %.3f mm off (%.2f allowed)", what, worst,
          tolerance);
    CHECK(r->fig.marks_found * 10 >= r->fig.marks_expected * 9, "%s: %zu of %zu marks found", what,
          r->fig.marks_found, r->fig.marks_expected);
}

/* (a) A flatbed: 300 dpi, the sheet turned 0.3° somewhere on a larger bed,
 * noise, JPEG; the printer 1.7 mm right, 1.2 mm up, 0.4 % wide, 0.3 % short.
 * The profile is written and read back, the proof is a PNG of the blank. */
static void test_flatbed(void)
{
    scan_sim_printer printer = {1.7, -1.2, 1.004, 0.997, 0};
    gp_calibration none;
    gp_calibration_init(&none);
    scan_sim_image sheet = printed_sheet(&none, &printer, 300, DIPLOMA_BLANK);
    char *scan = in_dir("flatbed.jpg"), *profile = in_dir("flatbed.profile"), *proof = in_dir("flatbed-proof.png");
    REQUIRE(scan_sim_flatbed(&sheet, 300, 320, 240, 31, 22, 0.3, 3, 88, scan), "flatbed scan");
    scan_sim_image_free(&sheet);
    run r = calibrate(scan, &none, profile, proof);
    expect_profile(&r, &printer, 0.1, "flatbed");
    CHECK(r.fig.scan_dpi > 290 && r.fig.scan_dpi < 310, "the scan's resolution measured: %.1f dpi", r.fig.scan_dpi);
    CHECK(r.fig.rms_before_mm > 1.0, "before: marks %.2f mm off", r.fig.rms_before_mm);
    CHECK(fabs(r.fig.rotation_deg) < 0.05, "no feed skew seen: %.3f°", r.fig.rotation_deg);
    /* The file: 0600, a comment naming the scan, and the same numbers. */
    struct stat sb;
    CHECK(stat(profile, &sb) == 0 && (sb.st_mode & 0777) == 0600, "profile written 0600");
    unsigned char *text = NULL;
    size_t size = 0;
    gp_error *err = NULL;
    if (gp_read_file(profile, 4096, &text, &size, &err) == GP_OK) {
        CHECK(strstr((char *)text, "# ") == (char *)text && strstr((char *)text, "flatbed.jpg") != NULL,
              "comment names the scan: %s", text);
        gp_calibration back;
        CHECK(gp_calibration_parse((char *)text, size, profile, &back, &err) == GP_OK, "profile parses: %s",
              gp_error_message(err));
        CHECK(worst_landing(&printer, &back) <= 0.1, "the profile as written lands within 0.1 mm");
        free(text);
    }
    gp_error_free(err);
    CHECK(stat(proof, &sb) == 0 && (sb.st_mode & 0777) == 0600, "proof written 0600");
    cairo_surface_t *png = cairo_image_surface_create_from_png(proof);
    CHECK(cairo_surface_status(png) == CAIRO_STATUS_SUCCESS &&
              cairo_image_surface_get_width(png) == test_px(DIPLOMA_W, 200),
          "the proof is the blank at 200 dpi: %d px wide", cairo_image_surface_get_width(png));
    cairo_surface_destroy(png);
    size_t n = gp_calibration_scan_result_marks(r.result);
    for (size_t i = 0; i < n; i++) {
        gp_calibration_scan_mark m;
        gp_calibration_scan_result_mark(r.result, i, &m);
        double tx = m.x_mm, ty = m.y_mm;
        double ex = printer.offset_x_mm + printer.scale_x * tx - tx, ey = printer.offset_y_mm + printer.scale_y * ty - ty;
        CHECK(!m.found || hypot(m.dx_mm - ex, m.dy_mm - ey) < 0.2, "mark %s at %.1f, %.1f: found %.3f, %.3f off, the "
              "printer put it %.3f, %.3f off", m.name, tx, ty, m.dx_mm, m.dy_mm, ex, ey);
    }
    run_free(&r);
    free(scan);
    free(profile);
    free(proof);
}

/* (b) A phone: perspective, blur, light falling off, a dark desk; the page
 * printed with an earlier profile, which the new one must compose with. */
static void test_phone(void)
{
    scan_sim_printer printer = {-1.9, 2.0, 0.995, 1.005, 0};
    gp_calibration printed_with;
    gp_calibration_init(&printed_with);
    printed_with.offset_x_mm = 0.6;
    printed_with.offset_y_mm = -0.4;
    printed_with.scale_x = 1.001;
    /* The page drawn with printed_with, then the printer: a sheet whose
     * marks the printer put at e + k * (o + s * t). */
    scan_sim_image sheet = printed_sheet(&printed_with, &printer, 200, DIPLOMA_BLANK);
    char *scan = in_dir("phone.jpg");
    const double corners[8] = {310, 260, 2290, 200, 2380, 1640, 230, 1700};
    REQUIRE(scan_sim_phone(&sheet, 2600, 1950, corners, 1.0, 3, 90, scan), "phone photo");
    scan_sim_image_free(&sheet);
    run r = calibrate(scan, &printed_with, NULL, NULL);
    expect_profile(&r, &printer, 0.3, "phone");
    run_free(&r);
    free(scan);
}

/* A printer that feeds the blank turned 0.25°: no profile can take that
 * out, so the profile is written and a warning says why marks stay off. */
static void test_feed_skew(void)
{
    scan_sim_printer printer = {0.8, 0.5, 1.0, 1.0, 0.25};
    gp_calibration none;
    gp_calibration_init(&none);
    scan_sim_image sheet = printed_sheet(&none, &printer, 300, DIPLOMA_BLANK);
    char *scan = in_dir("skew.jpg");
    REQUIRE(scan_sim_flatbed(&sheet, 300, 300, 220, 14, 12, -0.2, 3, 88, scan), "skewed scan");
    scan_sim_image_free(&sheet);
    run r = calibrate(scan, &none, NULL, NULL);
    CHECK(r.st == GP_OK, "skewed feed calibrates: %s", r.message);
    CHECK_NEAR(r.fig.rotation_deg, 0.25, 0.02);
    bool warned = false;
    const gp_report *rep = r.result != NULL ? gp_calibration_scan_result_report(r.result) : NULL;
    for (size_t i = 0; rep != NULL && i < gp_report_count(rep); i++)
        warned = warned || strcmp(gp_report_get(rep, i)->code, "calibration-rotation") == 0;
    CHECK(warned, "a warning about the rotation");
    /* What stays is the turn: at the grid's corners, 113 and 73 mm from its
     * centre, 0.25° leaves about 0.0044 * hypot(113, 73) = 0.59 mm. */
    CHECK(r.fig.max_after_mm > 0.45 && r.fig.max_after_mm < 0.8, "left after the profile: %.2f mm",
          r.fig.max_after_mm);
    run_free(&r);
    free(scan);
}

static void expect_refused(const run *r, const char *needle, const char *what)
{
    CHECK(r->st == GP_E_INVALID, "%s: refused (status %d)", what, r->st);
    CHECK(strstr(r->message, needle) != NULL, "%s: the reason: \"%s\" wanted in \"%s\"", what, needle, r->message);
}

static void test_refusals(void)
{
    scan_sim_printer printer = {1.0, 1.0, 1.0, 1.0, 0};
    gp_calibration none;
    gp_calibration_init(&none);
    char *scan = in_dir("refused.jpg"), *profile = in_dir("refused.profile");

    /* The blank, unprinted: placed, but no marks. */
    scan_sim_image sheet = printed_sheet(NULL, &printer, 200, DIPLOMA_BLANK);
    REQUIRE(scan_sim_flatbed(&sheet, 200, 300, 220, 12, 15, -0.25, 3, 88, scan), "blank scan");
    scan_sim_image_free(&sheet);
    run r = calibrate(scan, &none, profile, NULL);
    expect_refused(&r, "magenta marks", "unprinted blank");
    CHECK(access(profile, F_OK) != 0, "nothing written for a refused scan");
    run_free(&r);

    /* The degree blank with the diploma's page on it: not this template's blank. */
    sheet = printed_sheet(&none, &printer, 200, DEGREE_BLANK);
    REQUIRE(scan_sim_flatbed(&sheet, 200, 300, 220, 12, 15, 0.2, 3, 88, scan), "degree scan");
    scan_sim_image_free(&sheet);
    r = calibrate(scan, &none, profile, NULL);
    expect_refused(&r, "blank", "another template's blank");
    CHECK(r.st != GP_OK && strstr(r.message, "magenta") == NULL, "refused for the blank, not the marks: %s",
          r.message);
    run_free(&r);
    free(scan);
    free(profile);
}

/* A page printed "scaled to fit" (96 %, centred), and a scan too small to
 * measure. */
static void test_refusals_size(void)
{
    gp_calibration none;
    gp_calibration_init(&none);
    char *scan = in_dir("refused.jpg");
    scan_sim_printer fit = {DIPLOMA_W * 0.02, DIPLOMA_H * 0.02, 0.96, 0.96, 0};
    scan_sim_image sheet = printed_sheet(&none, &fit, 200, DIPLOMA_BLANK);
    REQUIRE(scan_sim_flatbed(&sheet, 200, 300, 220, 12, 15, 0.3, 3, 88, scan), "scaled scan");
    scan_sim_image_free(&sheet);
    run r = calibrate(scan, &none, NULL, NULL);
    expect_refused(&r, "scaled to fit", "scaled to fit");
    run_free(&r);

    /* A scan too small to measure. */
    scan_sim_printer printer = {1.0, 1.0, 1.0, 1.0, 0};
    sheet = printed_sheet(&none, &printer, 40, DIPLOMA_BLANK);
    REQUIRE(scan_sim_flatbed(&sheet, 40, 300, 220, 12, 15, 0.3, 3, 88, scan), "tiny scan");
    scan_sim_image_free(&sheet);
    r = calibrate(scan, &none, NULL, NULL);
    expect_refused(&r, "too small", "a tiny scan");
    run_free(&r);
    free(scan);
}

/* Rings drawn here with cairo at known places, at 200 dpi: found to a
 * hundredth of a millimetre whole, cut in four by a red crosshair (as at
 * an anchor) and with a neighbour 10 mm away; a red ring and empty paper
 * are not rings. */
static void test_find_marks(void)
{
    const double ppm = 200 / 25.4;
    int w = (int)lround(80 * ppm), h = (int)lround(40 * ppm);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 0.98, 0.96, 0.9);
    cairo_paint(cr);
    cairo_scale(cr, ppm, ppm);
    const double ring[][2] = {{10.37, 12.21}, {30.05, 20.66}, {40.02, 20.61}};
    for (size_t i = 0; i < 3; i++) {
        cairo_set_source_rgb(cr, 1, 0, 1);
        cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
        cairo_new_path(cr);
        cairo_arc(cr, ring[i][0], ring[i][1], 2.4, 0, 2 * acos(-1.0));
        cairo_new_sub_path(cr);
        cairo_arc(cr, ring[i][0], ring[i][1], 1.4, 0, 2 * acos(-1.0));
        cairo_fill(cr);
    }
    /* The crosshair over the second ring, 0.3 mm wide, red. */
    cairo_set_source_rgb(cr, 0.85, 0, 0);
    cairo_set_line_width(cr, 0.3);
    cairo_move_to(cr, ring[1][0] - 5, ring[1][1]);
    cairo_line_to(cr, ring[1][0] + 5, ring[1][1]);
    cairo_move_to(cr, ring[1][0], ring[1][1] - 5);
    cairo_line_to(cr, ring[1][0], ring[1][1] + 5);
    cairo_stroke(cr);
    /* A red ring, not magenta. */
    cairo_set_line_width(cr, 1.0);
    cairo_new_path(cr);
    cairo_arc(cr, 65, 12, 1.9, 0, 2 * acos(-1.0));
    cairo_stroke(cr);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    gp_scan_image img = {malloc((size_t)w * h * 3), w, h, w * 3};
    const unsigned char *d = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            uint32_t p = *(const uint32_t *)(const void *)(d + (size_t)y * stride + 4 * (size_t)x);
            unsigned char *q = img.pixels + ((size_t)y * w + x) * 3;
            q[0] = (unsigned char)(p >> 16);
            q[1] = (unsigned char)(p >> 8);
            q[2] = (unsigned char)p;
        }
    cairo_surface_destroy(s);
    /* Expected 1.5 to 2.5 mm from where they are, as a printer would put them. */
    gp_calibration_target t[] = {{12.0, 11.0, NULL}, {28.5, 22.0, NULL}, {41.5, 19.0, NULL}, {65, 12, NULL},
                                 {60, 30, NULL}};
    gp_mark_found f[5];
    REQUIRE(gp_calibration_find_marks(&img, ppm, t, 5, f), "find marks");
    for (size_t i = 0; i < 3; i++) {
        CHECK(f[i].found, "ring %zu found", i);
        CHECK(hypot(f[i].x_mm - ring[i][0], f[i].y_mm - ring[i][1]) < 0.01, "ring %zu at %.3f, %.3f, found at %.3f, %.3f",
              i, ring[i][0], ring[i][1], f[i].x_mm, f[i].y_mm);
    }
    CHECK(!f[3].found, "a red ring is not a target");
    CHECK(!f[4].found, "paper is not a target");
    free(img.pixels);
}

/* One part per run (marks, flatbed, phone, refusals, refusals-size, skew;
 * all without an argument), so
 * each ctest entry stays short under the sanitizers. */
int main(int argc, char **argv)
{
    const char *part = argc > 1 ? argv[1] : "all";
    dir = fixture_tempdir();
    gp_error *err = NULL;
    REQUIRE(gp_context_new(NULL, &ctx, &err) == GP_OK, "context: %s", gp_error_message(err));
    bool all = strcmp(part, "all") == 0;
    if (all || strcmp(part, "marks") == 0)
        test_find_marks();
    if (all || strcmp(part, "flatbed") == 0)
        test_flatbed();
    if (all || strcmp(part, "phone") == 0)
        test_phone();
    if (all || strcmp(part, "refusals") == 0)
        test_refusals();
    if (all || strcmp(part, "refusals-size") == 0)
        test_refusals_size();
    if (all || strcmp(part, "skew") == 0)
        test_feed_skew();
    gp_context_free(ctx);
    return gp_test_done();
}
