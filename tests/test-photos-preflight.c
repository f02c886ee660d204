/* What sheets and certs preflight now say about photos: the 学信网 check as
 * warnings, a PNG where the JPEG should be, symbolic links out of the photo
 * folder (refused), and photos named after nobody (one line, no ID
 * numbers). */
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/report-private.h"
#include "gp-test.h"
#include "gradprint.h"
#include "photo/photo-private.h"
#include "roster/roster-private.h"
#include "test-photo-util.h"
#include "test-photos-fixture.h"

static unsigned char *astronaut(const tpf_place *p, size_t *size)
{
    cairo_surface_t *s = tpf_compose(p);
    int q;
    unsigned char *jpeg = tpf_encode_fit(s, 36 * 1024, &q, size);
    cairo_surface_destroy(s);
    REQUIRE(jpeg != NULL, "encode");
    return jpeg;
}

static void put(const char *dir, const char *name, const unsigned char *data, size_t size)
{
    char *path = tp_join(dir, name);
    REQUIRE(tp_write_file(path, data, size), "cannot write %s", path);
    free(path);
}

static const gp_finding *find(const gp_report *r, const char *code)
{
    for (size_t i = 0; i < gp_report_count(r); i++)
        if (strcmp(gp_report_get(r, i)->code, code) == 0)
            return gp_report_get(r, i);
    return NULL;
}

static void show(const char *what, const gp_report *r)
{
    for (size_t i = 0; i < gp_report_count(r); i++) {
        const gp_finding *f = gp_report_get(r, i);
        fprintf(stderr, "  %s: %s %s [%s] %s: %s\n", what, f->severity == GP_ERROR ? "error" : "warning", f->code,
                f->student_no ? f->student_no : "-", f->file ? f->file : "-", f->message);
    }
}

static void test_standard_warnings(const char *dir)
{
    gp_photo_standard standard = {0};
    char good[19], low[19];
    tpf_id(11, good);
    tpf_id(12, low);
    tpf_place p = tpf_standard();
    size_t size;
    unsigned char *jpeg = astronaut(&p, &size);
    char name[128];
    snprintf(name, sizeof name, "%s.jpg", good);
    put(dir, name, jpeg, size);
    free(jpeg);
    p.scale = 2.55;
    p.head_top = 100;
    jpeg = astronaut(&p, &size);
    snprintf(name, sizeof name, "%s.jpg", low);
    put(dir, name, jpeg, size);
    free(jpeg);

    gp_report *r = gp_report_new();
    CHECK(gp_photo_preflight(&standard, dir, good, "2021010101", r), "conforming photo usable");
    show("conforming", r);
    CHECK(gp_report_count(r) == 0, "no findings for a conforming photo, got %zu", gp_report_count(r));
    gp_report_free(r);

    r = gp_report_new();
    CHECK(gp_photo_preflight(&standard, dir, low, "2021010102", r), "eyes too low: still usable for a sheet");
    show("eyes low", r);
    const gp_finding *f = find(r, "photo-eyes");
    CHECK(f != NULL && f->severity == GP_WARNING, "a photo-eyes warning");
    if (f != NULL) {
        CHECK_STR(f->student_no, "2021010102");
        CHECK(strstr(f->file, low) != NULL, "the finding names the photo");
    }
    CHECK(gp_report_count_severity(r, GP_ERROR) == 0, "warnings only");
    gp_report_free(r);
    gp_photo_standard_clear(&standard);

    /* Without the standard, the old checks only. */
    r = gp_report_new();
    CHECK(gp_photo_preflight(NULL, dir, low, "2021010102", r) && gp_report_count(r) == 0, "no standard: no findings");
    gp_report_free(r);
}

static void test_png_instead(const char *dir)
{
    char id[19];
    tpf_id(21, id);
    tpf_place p = tpf_standard();
    cairo_surface_t *s = tpf_compose(&p);
    char name[128];
    snprintf(name, sizeof name, "%s.PNG", id);
    char *png = tp_join(dir, name);
    REQUIRE(cairo_surface_write_to_png(s, png) == CAIRO_STATUS_SUCCESS, "png");
    cairo_surface_destroy(s);
    gp_report *r = gp_report_new();
    CHECK(!gp_photo_preflight(NULL, dir, id, "2021010103", r), "a PNG is no photo");
    show("png", r);
    const gp_finding *f = find(r, "photo-missing");
    CHECK(f != NULL && f->severity == GP_ERROR && strstr(f->message, ".PNG") != NULL &&
              strstr(f->message, "JPEG") != NULL,
          "photo-missing says there is a PNG");
    CHECK(f != NULL && strcmp(f->file, png) == 0, "the finding's file is the PNG");
    gp_report_free(r);
    unlink(png);
    free(png);

    r = gp_report_new();
    gp_photo_preflight(NULL, dir, id, "2021010103", r);
    f = find(r, "photo-missing");
    CHECK(f != NULL && strstr(f->message, "no photo for ID number") != NULL, "plain missing message without it");
    gp_report_free(r);
}

static void test_symlinks(const char *root)
{
    char *dir = tp_join(root, "photos");
    char *elsewhere = tp_join(root, "elsewhere");
    REQUIRE(mkdir(dir, 0700) == 0 && mkdir(elsewhere, 0700) == 0, "mkdir");
    char *sub = tp_join(dir, "originals");
    REQUIRE(mkdir(sub, 0700) == 0, "mkdir");
    tpf_place p = tpf_standard();
    size_t size;
    unsigned char *jpeg = astronaut(&p, &size);
    put(elsewhere, "secret.jpg", jpeg, size);
    put(sub, "kept.jpg", jpeg, size);
    free(jpeg);

    char out_id[19], in_id[19], link[512];
    tpf_id(31, out_id);
    tpf_id(32, in_id);
    snprintf(link, sizeof link, "%s/%s.jpg", dir, out_id);
    REQUIRE(symlink("../elsewhere/secret.jpg", link) == 0, "symlink");
    snprintf(link, sizeof link, "%s/%s.jpg", dir, in_id);
    REQUIRE(symlink("originals/kept.jpg", link) == 0, "symlink");

    gp_report *r = gp_report_new();
    CHECK(!gp_photo_preflight(NULL, dir, out_id, "2021010104", r), "a link out of the folder is refused");
    show("link out", r);
    const gp_finding *f = find(r, "photo-outside");
    CHECK(f != NULL && f->severity == GP_ERROR && strstr(f->message, "secret.jpg") != NULL,
          "photo-outside names where it leads");
    gp_report_free(r);

    r = gp_report_new();
    CHECK(gp_photo_preflight(NULL, dir, in_id, "2021010105", r) && gp_report_count(r) == 0,
          "a link inside the folder is fine");
    gp_report_free(r);

    /* The folder itself reached through a link: what is inside it is inside. */
    char *alias = tp_join(root, "alias");
    REQUIRE(symlink("photos", alias) == 0, "symlink");
    r = gp_report_new();
    CHECK(gp_photo_preflight(NULL, alias, in_id, "2021010105", r) && gp_report_count(r) == 0,
          "a linked folder is fine");
    CHECK(!gp_photo_preflight(NULL, alias, out_id, "2021010104", r), "and a link out of it still is not");
    gp_report_free(r);
    free(alias);
    free(sub);
    free(elsewhere);
    free(dir);
}

static void write_roster(const char *path, char ids[][19], int n)
{
    FILE *f = fopen(path, "w");
    REQUIRE(f != NULL, "roster");
    fprintf(f, "学号,姓名,身份证号,学院,专业,班级\n");
    for (int i = 0; i < n; i++)
        fprintf(f, "20210101%02d,学生%d,%s,文学院,汉语言文学,2021级1班\n", i + 1, i + 1, ids[i]);
    fclose(f);
}

static void test_orphans(const char *root)
{
    char *dir = tp_join(root, "orphans");
    REQUIRE(mkdir(dir, 0700) == 0, "mkdir");
    char ids[5][19];
    for (int i = 0; i < 5; i++)
        tpf_id(40 + (unsigned)i, ids[i]);
    tpf_place p = tpf_standard();
    size_t size;
    unsigned char *jpeg = astronaut(&p, &size);
    for (int i = 0; i < 5; i++) {
        char name[128];
        snprintf(name, sizeof name, i == 4 ? "%s.JPEG" : "%s.jpg", ids[i]);
        put(dir, name, jpeg, size);
    }
    free(jpeg);
    char *roster_path = tp_join(root, "roster.csv");
    write_roster(roster_path, ids, 2);
    gp_roster *roster = NULL;
    gp_error *err = NULL;
    REQUIRE(gp_roster_load(NULL, roster_path, NULL, &roster, &err) == GP_OK, "roster: %s", gp_error_message(err));
    gp_report *r = gp_report_new();
    REQUIRE(gp_photo_report_orphans(roster, dir, r, &err) == GP_OK, "orphans");
    show("orphans", r);
    CHECK(gp_report_count(r) == 1, "one line for three orphans, got %zu", gp_report_count(r));
    const gp_finding *f = find(r, "photo-orphan");
    CHECK(f != NULL && f->severity == GP_WARNING && strstr(f->message, ": 3;") != NULL, "the count is in it");
    for (int i = 0; i < 5 && f != NULL; i++)
        CHECK(strstr(f->message, ids[i]) == NULL && (f->file == NULL || strstr(f->file, ids[i]) == NULL),
              "no ID number in the orphan finding (%s)", ids[i]);
    gp_report_free(r);

    /* The same through the sheets job. */
    gp_context *ctx = NULL;
    REQUIRE(gp_context_new(NULL, &ctx, &err) == GP_OK, "context");
    gp_sheets_options o;
    gp_sheets_options_init(&o);
    o.roster_path = roster_path;
    o.photos_dir = dir;
    char *out = tp_join(root, "sheets");
    o.out_dir = out;
    gp_sheets_result *res = NULL;
    gp_status st = gp_sheets_run(ctx, &o, &res, &err);
    CHECK(st == GP_OK, "sheets run: %s", err ? gp_error_message(err) : "");
    const gp_report *sr = gp_sheets_result_report(res);
    show("sheets", sr);
    size_t orphan_lines = 0;
    for (size_t i = 0; i < gp_report_count(sr); i++) {
        const gp_finding *g = gp_report_get(sr, i);
        orphan_lines += strcmp(g->code, "photo-orphan") == 0;
        for (int k = 2; k < 5; k++)
            CHECK(strstr(g->message, ids[k]) == NULL && (g->file == NULL || strstr(g->file, ids[k]) == NULL),
                  "sheets finding %s shows the ID of someone not in the roster", g->code);
    }
    CHECK(orphan_lines == 1, "one orphan line in the sheets report, got %zu", orphan_lines);
    gp_sheets_result_free(res);
    gp_error_free(err);
    gp_context_free(ctx);
    gp_roster_free(roster);
    free(out);
    free(roster_path);
    free(dir);
}

int main(void)
{
    REQUIRE(tpf_cutout() != NULL, "%s is missing: install python3-skimage", TPF_ASTRONAUT_PNG);
    char *root = fixture_tempdir();
    char *flat = tp_join(root, "flat");
    REQUIRE(mkdir(flat, 0700) == 0, "mkdir");
    test_standard_warnings(flat);
    test_png_instead(flat);
    test_symlinks(root);
    test_orphans(root);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    CHECK(system(cmd) == 0, "cleanup");
    free(flat);
    free(root);
    return gp_test_done();
}
