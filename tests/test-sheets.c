/* The photo-sheet job end to end: render, then read everything back — decode
 * the JPEG sheets and find the 12 photos at their exact pixel sizes, read the
 * proof and packing lists with poppler, and check delivery order. */
#include <stdint.h>
#include <sys/stat.h>

#include "gp-test-pdf.h"
#include "gp-test.h"
#include "gradprint.h"
#include "sheets-fixture.h"
#include "template/template-private.h"

#define NSTUDENTS 7

static char ids[NSTUDENTS][19];
static fixture_student students[NSTUDENTS] = {
    {"2021030102", "张三", ids[0], "化学与环境工程学院", "环境工程", "2021级环境工程1班"},
    {"2021010103", "李䶮", ids[1], "文学与传媒学院", "汉语言文学", "2021级汉语言文学1班"},
    {"2021010101", "王龑", ids[2], "文学与传媒学院", "汉语言文学", "2021级汉语言文学1班"},
    {"2021030101", "赵𠮷", ids[3], "化学与环境工程学院", "环境工程", "2021级环境工程1班"},
    {"2021010210", "阿卜杜热依木·艾合买提江", ids[4], "文学与传媒学院", "汉语言文学", "2021级汉语言文学2班"},
    {"2021010209", "陈喆", ids[5], "文学与传媒学院", "汉语言文学", "2021级汉语言文学2班"},
    {"2021020101", "刘一", ids[6], "文学与传媒学院", "新闻学", "2021级新闻学1班"},
};
/* By college, major, class in order of first appearance; then student number. */
static const char *delivery_order[NSTUDENTS] = {"2021030101", "2021030102", "2021010101", "2021010103",
                                               "2021010209", "2021010210", "2021020101"};

static gp_context *ctx;

static void make_inputs(const char *dir)
{
    for (int i = 0; i < NSTUDENTS; i++) {
        char first17[18];
        snprintf(first17, sizeof first17, "5001012003051%04d", 1000 + i * 7);
        fixture_id_with_check(first17, ids[i]);
        fixture_write_photo(dir, ids[i], 480, 640, 92);
    }
    fixture_write_roster(dir, students, NSTUDENTS);
}

/* What the progress callback saw in the render phase. */
typedef struct seen_progress {
    size_t calls, first, last, total;
    bool backwards;
} seen_progress;
static seen_progress seen;

static void on_progress(void *user, gp_phase phase, size_t done, size_t total)
{
    (void)user;
    if (phase != GP_PHASE_RENDER)
        return;
    if (seen.calls++ == 0)
        seen.first = done;
    if (done < seen.last)
        seen.backwards = true;
    seen.last = done;
    seen.total = total;
}

static gp_status run_sheets(const char *dir, const char *out, unsigned formats, int dpi, gp_sheets_result **res)
{
    char roster[1024], photos[1024];
    snprintf(roster, sizeof roster, "%s/roster.csv", dir);
    snprintf(photos, sizeof photos, "%s/photos", dir);
    gp_sheets_options o;
    gp_sheets_options_init(&o);
    o.roster_path = roster;
    o.photos_dir = photos;
    o.out_dir = out;
    o.formats = formats;
    o.dpi = dpi;
    o.progress = on_progress;
    memset(&seen, 0, sizeof seen);
    gp_error *err = NULL;
    gp_status st = gp_sheets_run(ctx, &o, res, &err);
    if (st != GP_OK)
        fprintf(stderr, "gp_sheets_run: %s\n", gp_error_message(err));
    gp_error_free(err);
    return st;
}

/* Pixels for millimetres, by the rounding the README promises. */
static int px_of(double mm, int dpi) { return (int)floor(mm * dpi / 25.4 + 0.5); }
/* Where a slot edge lands on the JPEG block grid: the nearest multiple of
 * 8 pixels (ties down), at most 4 pixels (0.34 mm at 300 dpi) from it. */
static int on_grid(int px) { return px % 8 <= 4 ? px - px % 8 : px + 8 - px % 8; }

static bool is_white(const unsigned char *p) { return p[0] > 200 && p[1] > 200 && p[2] > 200; }
static bool is_green(const unsigned char *p) { return p[0] < 90 && p[1] > 140 && p[2] < 90; }
static bool is_red(const unsigned char *p) { return p[0] > 180 && p[1] < 90 && p[2] < 90; }
static bool is_yellow(const unsigned char *p) { return p[0] > 180 && p[1] > 180 && p[2] < 110; }
static bool is_side_band(const unsigned char *p) { return (p[0] > 180 && p[2] > 180 && p[1] < 110) || (p[0] < 110 && p[1] > 180 && p[2] > 180); }

/* Finds every photo slot of the template on a decoded sheet: exact size,
 * position, crop and orientation. */
static void check_sheet_pixels(const char *path, const gp_template *tpl, int dpi)
{
    int w, h, subsampling;
    unsigned char *px = fixture_decode_jpeg(path, &w, &h, &subsampling);
    REQUIRE(px != NULL, "decode %s", path);
    CHECK(w == px_of(tpl->page_w_mm, dpi) && h == px_of(tpl->page_h_mm, dpi), "sheet %dx%d at %d dpi", w, h, dpi);
    CHECK(subsampling == 0 /* TJSAMP_444 */, "no chroma subsampling, got %d", subsampling);
    int units, dx, dy;
    CHECK(fixture_jfif_density(path, &units, &dx, &dy) && units == 1 && dx == dpi && dy == dpi, "JFIF %d dpi", dpi);

    int slots = 0, two_inch = 0, one_inch = 0;
    for (size_t e = 0; e < tpl->count; e++) {
        const gp_element *el = &tpl->elements[e];
        if (el->kind != GP_EL_PHOTO)
            continue;
        slots++;
        int x0 = on_grid(px_of(el->box.x, dpi)), y0 = on_grid(px_of(el->box.y, dpi));
        int sw = px_of(el->box.w, dpi), sh = px_of(el->box.h, dpi);
        CHECK(abs(x0 - px_of(el->box.x, dpi)) <= 4 && abs(y0 - px_of(el->box.y, dpi)) <= 4, "slot moved 4 px at most");
        two_inch += fabs(el->box.w - 35) < 0.01 && fabs(el->box.h - 49) < 0.01;
        one_inch += fabs(el->box.w - 25) < 0.01 && fabs(el->box.h - 35) < 0.01;
#define AT(x, y) (px + 3 * ((size_t)(y) * (size_t)w + (size_t)(x)))
        /* Measure the photo's extent along the middle row and column. */
        int mid_y = y0 + sh / 2, mid_x = x0 + sw / 2;
        int left = mid_x, right = mid_x, top = mid_y, bottom = mid_y;
        while (left > 0 && !is_white(AT(left - 1, mid_y)))
            left--;
        while (right < w - 1 && !is_white(AT(right + 1, mid_y)))
            right++;
        while (top > 0 && !is_white(AT(mid_x, top - 1)))
            top--;
        while (bottom < h - 1 && !is_white(AT(mid_x, bottom + 1)))
            bottom++;
        CHECK(left == x0 && right - left + 1 == sw, "slot %d: columns %d..%d, expected %d + %d px", slots, left, right, x0, sw);
        CHECK(top == y0 && bottom - top + 1 == sh, "slot %d: rows %d..%d, expected %d + %d px", slots, top, bottom, y0, sh);
        /* Full height kept: the yellow top band is the slot's first row. */
        CHECK(is_yellow(AT(mid_x, y0)), "slot %d: head-top band at the top", slots);
        /* Sides cropped: the magenta/cyan bands are gone, the edges are body. */
        CHECK(!is_side_band(AT(x0, mid_y)) && !is_side_band(AT(x0 + sw - 1, mid_y)), "slot %d: side bands cropped", slots);
        CHECK(is_green(AT(x0 + 1, mid_y)) && is_green(AT(x0 + sw - 2, mid_y)), "slot %d: body at both edges", slots);
        /* The red square (upper left in the photo) stays upper left. */
        double scale = sh / 640.0, crop = (480 - 640 * el->box.w / el->box.h) / 2;
        int rx = x0 + (int)((70 - crop) * scale), ry = y0 + (int)(70 * scale);
        CHECK(is_red(AT(rx, ry)), "slot %d: marker at upper left", slots);
        CHECK(is_green(AT(x0 + sw - 1 - (rx - x0), ry)), "slot %d: not mirrored", slots);
#undef AT
    }
    CHECK(slots == 12 && two_inch == 4 && one_inch == 8, "12 slots: %d two-inch, %d one-inch", two_inch, one_inch);
    free(px);
}




static bool page_has_text(PopplerPage *page, const char *text)
{
    GList *hits = poppler_page_find_text(page, text);
    bool found = hits != NULL;
    g_list_free_full(hits, (GDestroyNotify)poppler_rectangle_free);
    return found;
}

static void check_proof(const char *out, const char *dir)
{
    char path[1100];
    snprintf(path, sizeof path, "%s/proof.pdf", out);
    PopplerDocument *doc = gp_pdf_open(path);
    REQUIRE(doc != NULL, "proof opens");
    CHECK(poppler_document_get_n_pages(doc) == NSTUDENTS, "one page per student, got %d", poppler_document_get_n_pages(doc));
    for (int i = 0; i < poppler_document_get_n_pages(doc); i++) {
        PopplerPage *page = poppler_document_get_page(doc, i);
        double pw, ph;
        poppler_page_get_size(page, &pw, &ph);
        CHECK_NEAR(pw * 25.4 / 72, 127.0, 0.01);
        CHECK_NEAR(ph * 25.4 / 72, 177.8, 0.01);
        CHECK(page_has_text(page, delivery_order[i]), "page %d carries student %s", i + 1, delivery_order[i]);
        GList *images = poppler_page_get_image_mapping(page);
        CHECK(g_list_length(images) == 12, "page %d: 12 photo placements, got %u", i + 1, g_list_length(images));
        poppler_page_free_image_mapping(images);
        g_object_unref(page);
    }
    /* Rare characters come back as text. */
    bool found_rare = false;
    for (int i = 0; i < poppler_document_get_n_pages(doc); i++) {
        PopplerPage *page = poppler_document_get_page(doc, i);
        found_rare |= page_has_text(page, "赵𠮷") || page_has_text(page, "𠮷");
        g_object_unref(page);
    }
    CHECK(found_rare, "the name 赵𠮷 is extractable from the proof");
    g_object_unref(doc);

    /* Each student's JPEG is embedded once, byte for byte. */
    for (int i = 0; i < NSTUDENTS; i++) {
        char photo_path[1024];
        snprintf(photo_path, sizeof photo_path, "%s/photos/%s.jpg", dir, ids[i]);
        size_t jpeg_size;
        unsigned char *jpeg = gp_pdf_slurp(photo_path, &jpeg_size);
        CHECK(jpeg != NULL && gp_pdf_file_count(path, jpeg, jpeg_size) == 1, "photo %d embedded exactly once as its JPEG", i);
        free(jpeg);
    }
}

static void check_order_and_side_products(const char *out)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "cd '%s' && find sheets -name '*.jpg' | LC_ALL=C sort", out);
    FILE *p = popen(cmd, "r");
    char line[1024];
    int sheet = 0, dividers = 0;
    while (fgets(line, sizeof line, p) != NULL) {
        if (strstr(line, "divider") != NULL) {
            dividers++;
            continue;
        }
        CHECK(sheet < NSTUDENTS && strstr(line, delivery_order[sheet]) != NULL, "sheet %d in delivery order: %s", sheet, line);
        sheet++;
    }
    pclose(p);
    CHECK(sheet == NSTUDENTS, "%d sheets", sheet);
    CHECK(dividers == 4, "one divider per class, got %d", dividers);

    snprintf(cmd, sizeof cmd, "%s/manifest.csv", out);
    size_t size;
    char *manifest = (char *)gp_pdf_slurp(cmd, &size);
    REQUIRE(manifest != NULL, "manifest exists");
    CHECK(memcmp(manifest, "\xEF\xBB\xBF", 3) == 0, "manifest has a BOM for Excel");
    const char *prev = manifest;
    for (int i = 0; i < NSTUDENTS; i++) {
        const char *at = strstr(manifest, delivery_order[i]);
        CHECK(at != NULL && at >= prev, "manifest row %d in order", i);
        if (at)
            prev = at;
    }
    free(manifest);

    snprintf(cmd, sizeof cmd, "%s/packing-lists/002_文学与传媒学院_汉语言文学_2021级汉语言文学1班.pdf", out);
    PopplerDocument *doc = gp_pdf_open(cmd);
    CHECK(doc != NULL, "packing list of the second class exists");
    if (doc != NULL) {
        PopplerPage *page = poppler_document_get_page(doc, 0);
        double pw, ph;
        poppler_page_get_size(page, &pw, &ph);
        CHECK_NEAR(pw * 25.4 / 72, 210, 0.05);
        CHECK(page_has_text(page, "王龑") && page_has_text(page, "2021010103"), "packing list names the students");
        CHECK(!page_has_text(page, "陈喆"), "and only its class");
        g_object_unref(page);
        g_object_unref(doc);
    }
    struct stat st;
    CHECK(stat(cmd, &st) == 0 && (st.st_mode & 077) == 0, "outputs are private (mode %o)", st.st_mode & 0777);
}

int main(void)
{
    gp_error *err = NULL;
    REQUIRE(gp_context_new(NULL, &ctx, &err) == GP_OK, "context: %s", gp_error_message(err));
    char *dir = fixture_tempdir();
    make_inputs(dir);

    char out[1024];
    snprintf(out, sizeof out, "%s/out", dir);
    gp_sheets_result *res = NULL;
    REQUIRE(run_sheets(dir, out, GP_SHEETS_JPEG | GP_SHEETS_PDF, 0, &res) == GP_OK, "sheets run");
    CHECK(gp_sheets_result_rendered(res) == NSTUDENTS, "rendered %zu", gp_sheets_result_rendered(res));
    CHECK(gp_sheets_result_classes(res) == 4, "classes %zu", gp_sheets_result_classes(res));
    /* Progress with --format both counts the proof's pages: sheets,
     * dividers, the packing lists' task and every proof page. */
    CHECK(seen.first == 0 && !seen.backwards, "render progress from 0, never backwards");
    CHECK(seen.total == NSTUDENTS + 4 + 1 + NSTUDENTS && seen.last == seen.total, "render progress %zu/%zu",
          seen.last, seen.total);
    gp_sheets_result_free(res);

    char *tpl_path = gp_context_find_template(ctx, "photo-sheet-7in");
    gp_template *tpl = NULL;
    REQUIRE(gp_template_load(ctx, tpl_path, &tpl, NULL) == GP_OK, "template");
    char sheet[1200];
    snprintf(sheet, sizeof sheet, "%s/sheets/001_化学与环境工程学院_环境工程_2021级环境工程1班/0001_2021030101.jpg", out);
    check_sheet_pixels(sheet, tpl, 300);
    check_order_and_side_products(out);
    check_proof(out, dir);

    /* Other lab resolutions: every size exact at 320 and 254 dpi. */
    int dpis[] = {320, 254};
    for (int k = 0; k < 2; k++) {
        snprintf(out, sizeof out, "%s/out-%d", dir, dpis[k]);
        REQUIRE(run_sheets(dir, out, GP_SHEETS_JPEG, dpis[k], NULL) == GP_OK, "sheets at %d dpi", dpis[k]);
        snprintf(sheet, sizeof sheet, "%s/sheets/002_文学与传媒学院_汉语言文学_2021级汉语言文学1班/0002_2021010103.jpg", out);
        check_sheet_pixels(sheet, tpl, dpis[k]);
    }
    gp_template_free(tpl);
    free(tpl_path);
    fixture_remove(dir);
    free(dir);
    gp_context_free(ctx);
    return gp_test_done();
}
