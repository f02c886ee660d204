/* Printer profiles and the calibration page: a good profile read with
 * comments, BOM and CRLF; every bad line refused naming the file and line;
 * the page as large as the template's blank, a label per element at its
 * anchor (read back with poppler), grid numbers and ruler lines where they
 * belong, no background, and everything moved and scaled by a calibration. */
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fileio-private.h"
#include "driver.h"
#include "gp-test-pdf.h"
#include "gp-test.h"
#include "tempdir.h"
#include "template/template-private.h"
#include "jobs/calibration-private.h"

/* Must match calibration-page.c: the label's corner from the anchor. */
#define LABEL_GAP_MM 1.2
#define NUMBER_INSET_MM 3.3

static char *dir;

static char *in_dir(const char *name)
{
    char *p = gp_path_join(dir, name);
    REQUIRE(p != NULL, "path");
    return p;
}

static char *write_text(const char *name, const char *text)
{
    char *path = in_dir(name);
    gp_error *err = NULL;
    REQUIRE(gp_write_file_atomic(path, text, strlen(text), &err) == GP_OK, "write %s", path);
    return path;
}

static void test_profile_good(void)
{
    char *path = write_text("good.profile", "\xEF\xBB\xBF# office laser, tray 2\r\n"
                                            "printer = HP LaserJet M402 \r\n"
                                            "tray=2\r\n"
                                            "\r\n"
                                            "   offset-x = 0.8   # right\r\n"
                                            "offset-y=-1.25\r\n"
                                            "scale-x = 1.002\r\n"
                                            "scale-y = .998"); /* no newline at the end */
    gp_calibration cal;
    gp_calibration_init(&cal);
    CHECK(cal.offset_x_mm == 0 && cal.offset_y_mm == 0 && cal.scale_x == 1 && cal.scale_y == 1, "init");
    gp_error *err = NULL;
    CHECK(gp_calibration_load(path, &cal, &err) == GP_OK, "good profile: %s", gp_error_message(err));
    CHECK_NEAR(cal.offset_x_mm, 0.8, 1e-12);
    CHECK_NEAR(cal.offset_y_mm, -1.25, 1e-12);
    CHECK_NEAR(cal.scale_x, 1.002, 1e-12);
    CHECK_NEAR(cal.scale_y, 0.998, 1e-12);
    gp_error_free(err);
    unlink(path);
    free(path);

    /* What a profile leaves out stays neutral; an empty one is no change. */
    path = write_text("partial.profile", "offset-y = +2\n# nothing else\n");
    cal.offset_x_mm = 9;
    err = NULL;
    CHECK(gp_calibration_load(path, &cal, &err) == GP_OK, "partial profile");
    CHECK(cal.offset_x_mm == 0 && cal.offset_y_mm == 2 && cal.scale_x == 1 && cal.scale_y == 1, "the rest neutral");
    unlink(path);
    free(path);
    path = write_text("empty.profile", "");
    CHECK(gp_calibration_load(path, &cal, &err) == GP_OK && cal.offset_y_mm == 0, "empty profile");
    unlink(path);
    free(path);
    gp_error_free(err);
}

static void expect_bad(const char *line3, long want_line, const char *needle)
{
    char text[256];
    snprintf(text, sizeof text, "# profile\nprinter = x\n%s\nscale-y = 1\n", line3);
    char *path = write_text("bad.profile", text);
    gp_calibration cal = {1, 2, 1.05, 0.95, GP_FEED_TOP, GP_FACE_UNSAID};
    gp_error *err = NULL;
    gp_status st = gp_calibration_load(path, &cal, &err);
    CHECK(st == GP_E_INVALID, "'%s': status %d", line3, (int)st);
    char where[300];
    snprintf(where, sizeof where, "%s:%ld: ", path, want_line);
    const char *msg = gp_error_message(err);
    CHECK(strncmp(msg, where, strlen(where)) == 0, "'%s': message starts with %s: %s", line3, where, msg);
    CHECK(gp_error_line(err) == want_line, "'%s': line %ld", line3, gp_error_line(err));
    CHECK(strstr(msg, needle) != NULL, "'%s': says '%s': %s", line3, needle, msg);
    CHECK(strchr(msg, ';') != NULL, "'%s': says what to do: %s", line3, msg);
    CHECK(cal.offset_x_mm == 1 && cal.offset_y_mm == 2 && cal.scale_x == 1.05 && cal.scale_y == 0.95,
          "'%s': the calibration is left alone", line3);
    gp_error_free(err);
    unlink(path);
    free(path);
}

static void test_profile_bad(void)
{
    expect_bad("offset-z = 1", 3, "unknown key 'offset-z'");
    expect_bad("Offset-X = 1", 3, "unknown key");
    expect_bad("offset-x", 3, "key = value");
    expect_bad("offset-x = 1,5", 3, "not a number");
    expect_bad("offset-x = ", 3, "not a number");
    expect_bad("offset-x = 1.5mm", 3, "not a number");
    expect_bad("offset-y = nan", 3, "not a number");
    expect_bad("offset-y = 1e3", 3, "not a number");
    expect_bad("offset-y = 0x10", 3, "not a number");
    expect_bad("offset-y = --1", 3, "not a number");
    expect_bad("offset-y = .", 3, "not a number");
    expect_bad("offset-y = 1.2.3", 3, "not a number");
    expect_bad("offset-x = 60", 3, "50 mm");
    expect_bad("offset-y = -50.5", 3, "50 mm");
    expect_bad("scale-x = 1.2", 3, "0.9 to 1.1");
    expect_bad("scale-x = 0.5", 3, "0.9 to 1.1");
    expect_bad("scale-y = 1.5", 3, "0.9 to 1.1");
    expect_bad("printer = y", 3, "first on line 2");
    /* The duplicate is the fourth line here: the error names it. */
    expect_bad("scale-y = 1.01", 4, "first on line 3");

    gp_calibration cal;
    gp_calibration_init(&cal);
    gp_error *err = NULL;
    CHECK(gp_calibration_load("/nonexistent/printer.profile", &cal, &err) == GP_E_IO, "missing file");
    CHECK(strstr(gp_error_message(err), "/nonexistent/printer.profile") != NULL, "names it: %s",
          gp_error_message(err));
    gp_error_free(err);
    err = NULL;
    char *path = in_dir("binary.profile");
    REQUIRE(gp_write_file_atomic(path, "offset-x = 1\0\1\2", 16, &err) == GP_OK, "write");
    CHECK(gp_calibration_load(path, &cal, &err) == GP_E_INVALID, "binary file");
    gp_error_free(err);
    unlink(path);
    free(path);
}

/* Every place text occurs on a page (top-left mm), up to max. */
static int find_all(PopplerDocument *doc, const char *text, gp_pdf_rect *out, int max)
{
    PopplerPage *p = poppler_document_get_page(doc, 0);
    if (p == NULL)
        return 0;
    double pw, ph;
    poppler_page_get_size(p, &pw, &ph);
    GList *found = poppler_page_find_text_with_options(p, text, POPPLER_FIND_CASE_SENSITIVE);
    int n = 0;
    for (GList *l = found; l != NULL; l = l->next, n++) {
        const PopplerRectangle *r = l->data;
        if (n < max) {
            out[n].x = fmin(r->x1, r->x2) * GP_PDF_MM_PER_PT;
            out[n].w = fabs(r->x2 - r->x1) * GP_PDF_MM_PER_PT;
            out[n].y = (ph - fmax(r->y1, r->y2)) * GP_PDF_MM_PER_PT;
            out[n].h = fabs(r->y2 - r->y1) * GP_PDF_MM_PER_PT;
        }
    }
    g_list_free_full(found, (GDestroyNotify)poppler_rectangle_free);
    g_object_unref(p);
    return n < max ? n : max;
}

/* The occurrence of text closest to (x, y), its top-left corner in *at;
 * false when there is none. */
static bool find_near(PopplerDocument *doc, const char *text, double x, double y, gp_pdf_rect *at)
{
    gp_pdf_rect all[64];
    int n = find_all(doc, text, all, 64);
    double best = INFINITY;
    for (int i = 0; i < n; i++) {
        double d = hypot(all[i].x - x, all[i].y - y);
        if (d < best) {
            best = d;
            *at = all[i];
        }
    }
    return n > 0;
}

static bool has_anchor(const gp_element *el)
{
    return el->kind != GP_EL_CUT_GUIDES && el->kind != GP_EL_BACKGROUND;
}

static const char *kind_name(gp_element_kind k)
{
    switch (k) {
    case GP_EL_PHOTO: return "photo";
    case GP_EL_TEXT: return "text";
    case GP_EL_QRCODE: return "qrcode";
    case GP_EL_LINE: return "line";
    case GP_EL_PARAGRAPH: return "paragraph";
    case GP_EL_IMAGE: return "image";
    default: return "?";
    }
}

/* As the page shows it; poppler reads the two spaces after the name as one. */
static void label_of(const gp_element *el, char *out, size_t size)
{
    if (el->id != NULL)
        snprintf(out, size, "%s %.1f, %.1f mm", el->id, el->box.x, el->box.y);
    else
        snprintf(out, size, "%s:%ld %.1f, %.1f mm", kind_name(el->kind), el->line, el->box.x, el->box.y);
}

static char *make_page(gp_context *ctx, const char *tpl, const gp_calibration *cal, const char *name)
{
    char *out = in_dir(name);
    gp_error *err = NULL;
    CHECK(gp_calibration_page(ctx, tpl, cal, out, &err) == GP_OK, "calibration page of %s: %s", tpl,
          gp_error_message(err));
    gp_error_free(err);
    struct stat st;
    CHECK(stat(out, &st) == 0 && (st.st_mode & 0777) == 0600, "%s: mode 0600", name);
    return out;
}

/* Where each element's label is on a page, in template order; x < -1000
 * for elements without one. */
static void read_labels(PopplerDocument *doc, const gp_template *tpl, const gp_calibration *cal, gp_pdf_rect *at)
{
    for (size_t i = 0; i < tpl->count; i++) {
        const gp_element *el = &tpl->elements[i];
        at[i].x = -10000;
        if (!has_anchor(el))
            continue;
        char label[128];
        label_of(el, label, sizeof label);
        double ex = cal->offset_x_mm + cal->scale_x * (el->box.x + LABEL_GAP_MM);
        double ey = cal->offset_y_mm + cal->scale_y * (el->box.y + LABEL_GAP_MM);
        CHECK(find_near(doc, label, ex, ey, &at[i]), "label \"%s\" on the page", label);
        /* Right of and below the anchor, or left of it where the page ends
         * on the right: then its right edge is the gap before the anchor. */
        double ax = cal->offset_x_mm + cal->scale_x * el->box.x;
        bool right = el->box.x + LABEL_GAP_MM + at[i].w / cal->scale_x < tpl->page_w_mm;
        double got_x = right ? at[i].x : at[i].x + at[i].w;
        double want_x = right ? ex : ax - cal->scale_x * LABEL_GAP_MM;
        CHECK(fabs(got_x - want_x) <= 0.5 && fabs(at[i].y - ey) <= 0.5,
              "label \"%s\" at %.2f,%.2f (%s edge %.2f), expected near %.2f,%.2f", label, at[i].x, at[i].y,
              right ? "left" : "right", got_x, want_x, ey);
    }
}

static void check_template(gp_context *ctx, const char *tpl_path, const char *stem)
{
    gp_template *tpl = NULL;
    gp_error *err = NULL;
    REQUIRE(gp_template_load(ctx, tpl_path, &tpl, &err) == GP_OK, "template: %s", gp_error_message(err));
    char name[64];
    snprintf(name, sizeof name, "%s-plain.pdf", stem);
    char *plain = make_page(ctx, tpl_path, NULL, name);
    gp_calibration moved = {2.0, -1.5, 1.0, 1.0, GP_FEED_TOP, GP_FACE_UNSAID};
    snprintf(name, sizeof name, "%s-moved.pdf", stem);
    char *shifted = make_page(ctx, tpl_path, &moved, name);
    gp_calibration scaled = {-1.0, 0.5, 1.01, 0.99, GP_FEED_TOP, GP_FACE_UNSAID};
    snprintf(name, sizeof name, "%s-scaled.pdf", stem);
    char *stretched = make_page(ctx, tpl_path, &scaled, name);

    PopplerDocument *a = gp_pdf_open(plain), *b = gp_pdf_open(shifted), *c = gp_pdf_open(stretched);
    REQUIRE(a != NULL && b != NULL && c != NULL, "readable PDFs");
    CHECK(gp_pdf_page_count(a) == 1, "one page");
    double w = 0, h = 0;
    CHECK(gp_pdf_page_size_mm(a, 0, &w, &h), "page size");
    CHECK_NEAR(w, tpl->page_w_mm, 0.01);
    CHECK_NEAR(h, tpl->page_h_mm, 0.01);
    /* No background, no image: the page is for plain paper. */
    CHECK(gp_pdf_images(a, 0, NULL, 0) == 0 && gp_pdf_image_objects(plain) == 0, "no images on the page");

    gp_pdf_rect *la = calloc(tpl->count, sizeof *la), *lb = calloc(tpl->count, sizeof *lb);
    gp_pdf_rect *lc = calloc(tpl->count, sizeof *lc);
    REQUIRE(la != NULL && lb != NULL && lc != NULL, "calloc");
    gp_calibration none;
    gp_calibration_init(&none);
    read_labels(a, tpl, &none, la);
    read_labels(b, tpl, &moved, lb);
    read_labels(c, tpl, &scaled, lc);
    int labelled = 0;
    for (size_t i = 0; i < tpl->count; i++) {
        if (la[i].x < -1000)
            continue;
        labelled++;
        CHECK_NEAR(lb[i].x - la[i].x, 2.0, 0.05);
        CHECK_NEAR(lb[i].y - la[i].y, -1.5, 0.05);
        CHECK_NEAR(lc[i].x, -1.0 + 1.01 * la[i].x, 0.05);
        CHECK_NEAR(lc[i].y, 0.5 + 0.99 * la[i].y, 0.05);
    }
    CHECK(labelled > 0, "elements labelled: %d", labelled);

    /* The title: the template, the page, the calibration. */
    char *text = gp_pdf_page_text(b, 0);
    char expect[128];
    snprintf(expect, sizeof expect, "%.1f x %.1f mm", tpl->page_w_mm, tpl->page_h_mm);
    CHECK(text != NULL && strstr(text, tpl->name) != NULL && strstr(text, expect) != NULL &&
              strstr(text, "+2.00, -1.50 mm") != NULL && strstr(text, "1.0000 x 1.0000") != NULL,
          "title names template, size and calibration: %s", text != NULL ? text : "");
    g_free(text);
    text = gp_pdf_page_text(c, 0);
    CHECK(text != NULL && strstr(text, "1.0100 x 0.9900") != NULL, "scaled title");
    g_free(text);

    /* Grid numbers near the left edge, every 10 mm, each where its line is;
     * only those under a label are left out. */
    int numbers = 0, expected_numbers = 0;
    for (int y = 10; y < tpl->page_h_mm - 2; y += 10) {
        char num[16];
        snprintf(num, sizeof num, "%d", y);
        gp_pdf_rect r = {0};
        expected_numbers++;
        if (find_near(a, num, NUMBER_INSET_MM, y, &r) && fabs(r.x - NUMBER_INSET_MM) <= 0.5 &&
            fabs(r.y + r.h / 2 - y) <= 0.5)
            numbers++;
        gp_pdf_rect m = {0};
        if (find_near(b, num, NUMBER_INSET_MM + 2, y - 1.5, &m) && fabs(r.x - NUMBER_INSET_MM) <= 0.5)
            CHECK(fabs(m.x - r.x - 2) < 0.05 && fabs(m.y - r.y + 1.5) < 0.05, "number %d moved", y);
    }
    CHECK(numbers >= expected_numbers - 2, "%d of %d left-edge numbers in place", numbers, expected_numbers);
    int top = 0;
    for (int x = 10; x < tpl->page_w_mm - 2; x += 10) {
        char num[16];
        snprintf(num, sizeof num, "%d", x);
        gp_pdf_rect r = {0};
        if (find_near(a, num, x, NUMBER_INSET_MM, &r) && fabs(r.x + r.w / 2 - x) <= 0.5 &&
            fabs(r.y - NUMBER_INSET_MM) <= 0.5)
            top++;
    }
    CHECK(top >= 4, "top-edge numbers in place: %d", top);

    gp_pdf_close(a);
    gp_pdf_close(b);
    gp_pdf_close(c);
    unlink(plain);
    unlink(shifted);
    unlink(stretched);
    free(plain);
    free(shifted);
    free(stretched);
    free(la);
    free(lb);
    free(lc);
    gp_template_free(tpl);
}

/* The ruler on pixels: a heavy line every 10 mm, thin ones every 5, paper
 * between; the whole grid moved by the offset. */
static void check_grid_pixels(gp_context *ctx)
{
    gp_calibration cal = {2.0, 0, 1, 1, GP_FEED_TOP, GP_FACE_UNSAID};
    char *out = make_page(ctx, "photo-sheet-7in", &cal, "grid.pdf");
    PopplerDocument *doc = gp_pdf_open(out);
    REQUIRE(doc != NULL, "readable");
    PopplerPage *page = poppler_document_get_page(doc, 0);
    const double dpi = 300, ppm = dpi / 25.4;
    int w = test_px(127, dpi), h = test_px(177.8, dpi);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, dpi / 72, dpi / 72);
    poppler_page_render(page, cr);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    const uint32_t *px = (const uint32_t *)cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s) / 4;
    /* Darkest pixel in a 0.3 mm wide strip around x, at y. */
    double y = 122.5;
    int yy = (int)(y * ppm);
    int dark[3] = {255, 255, 255};
    double xs[3] = {52.0, 54.5, 57.0}; /* 50 and 55 moved by 2; between them, paper */
    for (int k = 0; k < 3; k++) {
        for (int x = (int)((xs[k] - 0.15) * ppm); x <= (int)((xs[k] + 0.15) * ppm); x++) {
            int g = (int)(px[(size_t)yy * stride + x] & 0xff);
            dark[k] = g < dark[k] ? g : dark[k];
        }
    }
    CHECK(dark[0] < 200, "10 mm line at 50 + 2 mm: %d", dark[0]);
    CHECK(dark[2] < 245 && dark[2] > dark[0], "lighter 5 mm line at 55 + 2 mm: %d (10 mm: %d)", dark[2], dark[0]);
    CHECK(dark[1] == 255, "paper between lines: %d", dark[1]);
    cairo_surface_destroy(s);
    g_object_unref(page);
    gp_pdf_close(doc);
    unlink(out);
    free(out);
}

static void check_failures(gp_context *ctx)
{
    char *out = in_dir("never.pdf");
    gp_error *err = NULL;
    gp_calibration wild = {0, 0, 1.5, 1, GP_FEED_TOP, GP_FACE_UNSAID};
    CHECK(gp_calibration_page(ctx, "photo-sheet-7in", &wild, out, &err) == GP_E_USAGE, "scale 1.5 refused");
    gp_error_free(err);
    err = NULL;
    gp_calibration far = {80, 0, 1, 1, GP_FEED_TOP, GP_FACE_UNSAID};
    CHECK(gp_calibration_page(ctx, "photo-sheet-7in", &far, out, &err) == GP_E_USAGE, "80 mm refused");
    gp_error_free(err);
    err = NULL;
    CHECK(gp_calibration_page(ctx, "no-such-template", NULL, out, &err) != GP_OK, "unknown template");
    gp_error_free(err);
    err = NULL;
    CHECK(access(out, F_OK) != 0, "nothing written");
    CHECK(gp_calibration_page(ctx, "photo-sheet-7in", NULL, "/nonexistent-dir/cal.pdf", &err) == GP_E_IO,
          "unwritable output");
    CHECK(strstr(gp_error_message(err), "/nonexistent-dir/cal.pdf") != NULL, "names it: %s", gp_error_message(err));
    gp_error_free(err);
    free(out);
}

/* Feed and face from the profile; unlikely numbers warned about. */
static void test_loading_profile(gp_context *ctx)
{
    char *path = write_text("loading.profile", "offset-x = 25\nfeed = bottom\nface = up\n");
    gp_calibration cal;
    gp_error *err = NULL;
    REQUIRE(gp_calibration_load(path, &cal, &err) == GP_OK, "feed and face: %s", err ? gp_error_message(err) : "");
    CHECK(cal.feed == GP_FEED_BOTTOM && cal.face == GP_FACE_UP, "feed %d face %d", cal.feed, cal.face);
    CHECK(unlink(path) == 0, "cleanup");
    free(path);
    path = write_text("badfeed.profile", "feed = sideways\n");
    CHECK(gp_calibration_load(path, &cal, &err) == GP_E_INVALID && gp_error_line(err) == 1 &&
              strstr(gp_error_message(err), "top") != NULL,
          "a bad feed names the line and the choices: %s", err ? gp_error_message(err) : "");
    gp_error_free(err);
    err = NULL;
    CHECK(unlink(path) == 0, "cleanup");
    free(path);

    /* The page warns about the 25 mm offset and, turned, puts the arrows
     * at the medium's top edge, which is the blank's left edge. */
    char *out = in_dir("turned.pdf");
    gp_calibration_page_options o;
    gp_calibration_page_options_init(&o);
    o.template_path = GP_SOURCE_DIR "/templates/diploma-bachelor.xml";
    o.out_path = out;
    o.calibration.offset_x_mm = 25;
    gp_calibration_page_result *res = NULL;
    REQUIRE(gp_calibration_page_make(ctx, &o, &res, &err) == GP_OK, "page: %s", err ? gp_error_message(err) : "");
    bool warned = false;
    for (size_t i = 0; i < gp_report_count(gp_calibration_page_result_report(res)); i++)
        warned = warned || strcmp(gp_report_get(gp_calibration_page_result_report(res), i)->code,
                                  "calibration-offset") == 0;
    CHECK(warned, "an offset of 25 mm is warned about");
    CHECK(strstr(gp_calibration_page_result_loading(res), "upright") != NULL, "as-is loading: %s",
          gp_calibration_page_result_loading(res));
    gp_calibration_page_result_free(res);
    PopplerDocument *doc = gp_pdf_open(out);
    REQUIRE(doc != NULL, "page");
    gp_pdf_rect r;
    CHECK(gp_pdf_find_text(doc, 0, "enters the printer first", &r) && r.y < 15, "leading edge on top: %.1f", r.y);
    CHECK(gp_pdf_find_text(doc, 0, "Red crosshair", &r), "the legend");
    gp_pdf_close(doc);
    CHECK(unlink(out) == 0, "cleanup");

    gp_calibration turned;
    gp_calibration_init(&turned);
    REQUIRE(gp_calibration_page_draw(ctx, o.template_path, &turned, true, out, &err) == GP_OK, "turned page");
    doc = gp_pdf_open(out);
    double w = 0, h = 0;
    CHECK(gp_pdf_page_size_mm(doc, 0, &w, &h) && fabs(w - 190) < 0.1 && fabs(h - 270) < 0.1,
          "turned: the medium is 190 x 270 mm, not %.1f x %.1f", w, h);
    /* The top of the medium is the blank's left edge: the leading one. */
    CHECK(gp_pdf_find_text(doc, 0, "Red crosshair", &r) && r.x > 150, "the legend runs down the right, at x %.1f",
          r.x);
    gp_pdf_close(doc);
    CHECK(unlink(out) == 0, "cleanup");
    free(out);
}

int main(void)
{
    dir = fixture_tempdir();
    test_profile_good();
    test_profile_bad();
    gp_context *ctx = NULL;
    gp_error *err = NULL;
    REQUIRE(gp_context_new(NULL, &ctx, &err) == GP_OK, "context: %s", gp_error_message(err));
    check_template(ctx, "photo-sheet-7in", "sheet");
    check_template(ctx, GP_SOURCE_DIR "/tests/data/render/calib-cert.xml", "cert");
    check_grid_pixels(ctx);
    check_failures(ctx);
    test_loading_profile(ctx);
    gp_context_free(ctx);
    CHECK(rmdir(dir) == 0, "tests clean up after themselves");
    return gp_test_done();
}
