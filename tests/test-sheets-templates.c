/* Every photo-sheet template shipped in templates/ makes sheets for every
 * student of the bundled samples: no template may reject the data it is
 * documented with. Each run is read back: the number of sheets, and for
 * every sheet its pixel size (from the template's page, computed here),
 * its JFIF density, 4:4:4 sampling and a strict decode. */
#include <dirent.h>
#include <string.h>
#include <turbojpeg.h>

#include "gp-test-pdf.h"
#include "gp-test.h"
#include "gradprint.h"
#include "sheets-fixture.h"

static int expected_px(double mm, int dpi) { return (int)floor(mm * dpi / 25.4 + 0.5); }

static int check_tree(const char *dir, int page_w, int page_h, int dpi, tjhandle tj)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return 0;
    int sheets = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        size_t len = strlen(e->d_name);
        if (len > 4 && strcmp(e->d_name + len - 4, ".jpg") == 0) {
            size_t size;
            unsigned char *jpeg = gp_pdf_slurp(path, &size);
            int w = 0, h = 0, ss = -1, cs;
            CHECK(jpeg != NULL && tjDecompressHeader3(tj, jpeg, (unsigned long)size, &w, &h, &ss, &cs) == 0,
                  "%s: a JPEG", path);
            CHECK(w == page_w && h == page_h, "%s: %dx%d, expected %dx%d", path, w, h, page_w, page_h);
            CHECK(ss == TJSAMP_444, "%s: 4:4:4, got %d", path, ss);
            unsigned char *px = malloc((size_t)page_w * (size_t)page_h * 3);
            CHECK(jpeg != NULL && w == page_w && h == page_h &&
                      tjDecompress2(tj, jpeg, (unsigned long)size, px, w, 0, h, TJPF_RGB, TJFLAG_STOPONWARNING) == 0,
                  "%s: decodes without a warning", path);
            int units = 0, x = 0, y = 0;
            CHECK(fixture_jfif_density(path, &units, &x, &y) && units == 1 && x == dpi && y == dpi,
                  "%s: JFIF %d dpi", path, dpi);
            free(px);
            free(jpeg);
            if (strstr(e->d_name, "divider") == NULL)
                sheets++;
        } else {
            sheets += check_tree(path, page_w, page_h, dpi, tj);
        }
    }
    closedir(d);
    return sheets;
}

int main(void)
{
    gp_context *ctx = NULL;
    gp_error *err = NULL;
    REQUIRE(gp_context_new(NULL, &ctx, &err) == GP_OK, "context");
    char *work = fixture_tempdir();
    DIR *d = opendir(GP_SOURCE_DIR "/templates");
    REQUIRE(d != NULL, "templates/ lists");
    int templates = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (strncmp(e->d_name, "photo-sheet-", 12) != 0 || len < 5 || strcmp(e->d_name + len - 4, ".xml") != 0)
            continue;
        templates++;
        char tpl_path[1024], out[1024];
        snprintf(tpl_path, sizeof tpl_path, GP_SOURCE_DIR "/templates/%s", e->d_name);
        snprintf(out, sizeof out, "%s/%.*s", work, (int)(len - 4), e->d_name);
        gp_sheets_options o;
        gp_sheets_options_init(&o);
        o.roster_path = GP_SOURCE_DIR "/samples/roster.csv";
        o.photos_dir = GP_SOURCE_DIR "/samples/photos";
        o.out_dir = out;
        o.template_path = tpl_path;
        gp_sheets_result *res = NULL;
        gp_status st = gp_sheets_run(ctx, &o, &res, &err);
        CHECK(st == GP_OK, "%s: %s", e->d_name, err ? gp_error_message(err) : "");
        if (st != GP_OK) {
            const gp_report *r = gp_sheets_result_report(res);
            for (size_t i = 0; i < gp_report_count(r) && i < 10; i++)
                fprintf(stderr, "  %s\n", gp_report_get(r, i)->message);
        }
        gp_error_free(err);
        err = NULL;
        CHECK(gp_sheets_result_rendered(res) == 36, "%s: 36 sheets, got %zu", e->d_name, gp_sheets_result_rendered(res));
        gp_sheets_result_free(res);
        if (st != GP_OK)
            continue;
        gp_template *tpl = NULL;
        REQUIRE(gp_template_load(ctx, tpl_path, &tpl, &err) == GP_OK, "%s loads", e->d_name);
        int dpi = gp_template_default_dpi(tpl);
        int page_w = expected_px(gp_template_page_width_mm(tpl), dpi);
        int page_h = expected_px(gp_template_page_height_mm(tpl), dpi);
        gp_template_free(tpl);
        tjhandle tj = tjInitDecompress();
        char sheets_dir[1100];
        snprintf(sheets_dir, sizeof sheets_dir, "%s/sheets", out);
        int n = check_tree(sheets_dir, page_w, page_h, dpi, tj);
        CHECK(n == 36, "%s: 36 sheet files, got %d", e->d_name, n);
        tjDestroy(tj);
    }
    closedir(d);
    CHECK(templates >= 3, "the bundled photo-sheet templates were found: %d", templates);
    fixture_remove(work);
    free(work);
    gp_context_free(ctx);
    return gp_test_done();
}
