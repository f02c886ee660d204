/* The roster checks as the jobs use them (issues 8, 10, 11): a duplicate ID
 * number skips both records in sheets and certs, a missing column is one
 * finding and no cascade, a bidi override stops a certificate, text that
 * cannot fit is refused however long it is, and certificate numbers are
 * checked by their scheme. */
#include <dirent.h>
#include <stdio.h>
#include <sys/stat.h>

#include "base/context-private.h"
#include "base/report-private.h"
#include "base/strbuf-private.h"
#include "gp-test.h"
#include "jobs/fields-private.h"
#include "layout/layout-private.h"
#include "text/text-private.h"
#include "sheets-fixture.h"

static gp_context *ctx;
static char *dir;

static char ids[6][19];

static void make_ids(void)
{
    const char *first[] = {"50011820030512001", "50011820030512002", "50011820030512003",
                           "50011820030512004", "50011820030512005", "50011820030512006"};
    for (int i = 0; i < 6; i++)
        fixture_id_with_check(first[i], ids[i]);
}

static void write_text(const char *name, const char *text)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    REQUIRE(f != NULL, "write %s", path);
    fputs(text, f);
    fclose(f);
}

static size_t count_code(const gp_report *report, const char *code)
{
    size_t n = 0;
    for (size_t i = 0; i < gp_report_count(report); i++)
        n += strcmp(gp_report_get(report, i)->code, code) == 0;
    return n;
}

static size_t files_in(const char *path)
{
    DIR *d = opendir(path);
    if (d == NULL)
        return 0;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

static gp_status sheets(const char *roster, const char *out, bool skip, gp_sheets_result **res)
{
    char roster_path[1024], photos[1024], out_dir[1024];
    snprintf(roster_path, sizeof roster_path, "%s/%s", dir, roster);
    snprintf(photos, sizeof photos, "%s/photos", dir);
    snprintf(out_dir, sizeof out_dir, "%s/%s", dir, out);
    gp_sheets_options o;
    gp_sheets_options_init(&o);
    o.roster_path = roster_path;
    o.photos_dir = photos;
    o.out_dir = out_dir;
    o.skip_invalid = skip;
    o.jobs = 2;
    gp_error *err = NULL;
    gp_status st = gp_sheets_run(ctx, &o, res, &err);
    gp_error_free(err);
    return st;
}

static gp_status certs(const char *roster, const char *tpl_name, bool skip, gp_certs_result **res)
{
    char roster_path[1024], photos[1024], tpl[1024], out[1024];
    snprintf(roster_path, sizeof roster_path, "%s/%s", dir, roster);
    snprintf(photos, sizeof photos, "%s/photos", dir);
    snprintf(tpl, sizeof tpl, "%s/templates/%s", GP_SOURCE_DIR, tpl_name);
    snprintf(out, sizeof out, "%s/certs-%s.pdf", dir, roster);
    gp_certs_options o;
    gp_certs_options_init(&o);
    o.roster_path = roster_path;
    o.photos_dir = photos;
    o.template_path = tpl;
    o.out_path = out;
    o.skip_invalid = skip;
    gp_error *err = NULL;
    gp_status st = gp_certs_run(ctx, &o, res, &err);
    gp_error_free(err);
    return st;
}

/* A certificate roster; row i gets name[i] (NULL: a plain one) and numbers. */
static void cert_roster(const char *file, const char *const *names, const char *const *diploma,
                        const char *const *id_of, size_t n)
{
    gp_strbuf sb;
    gp_strbuf_init(&sb);
    gp_strbuf_append(&sb, "学号,姓名,性别,身份证号,出生日期,学院,专业,班级,层次,学制,入学日期,毕业日期,毕业证书编号\n");
    for (size_t i = 0; i < n; i++)
        gp_strbuf_appendf(&sb, "20210%02zu,%s,,%s,2003-05-12,文学院,汉语言文学,汉语言2101,本科,4,2021-09-01,"
                               "2025-06-30,%s\n",
                          i + 1, names && names[i] ? names[i] : "王伟", id_of ? id_of[i] : ids[i],
                          diploma ? diploma[i] : "106421202505000001");
    write_text(file, sb.data);
    gp_strbuf_free(&sb);
}

/* Issue 8.8: neither record of a duplicate pair is rendered. */
static void test_duplicate_skips_both(void)
{
    fixture_student s[4] = {
        {"2021001", "王伟", ids[0], "人工智能学院", "软件工程", "软工2101"},
        {"2021002", "李娜", ids[1], "人工智能学院", "软件工程", "软工2101"},
        {"2021003", "张敏", ids[0], "人工智能学院", "软件工程", "软工2101"},
        {"2021004", "刘洋", ids[3], "人工智能学院", "软件工程", "软工2101"},
    };
    fixture_write_roster(dir, s, 4);
    gp_sheets_result *res = NULL;
    gp_status st = sheets("roster.csv", "dup-sheets", true, &res);
    CHECK(st == GP_OK, "skip-invalid renders the others: %d", st);
    CHECK(gp_sheets_result_rendered(res) == 2 && gp_sheets_result_skipped(res) == 2, "2 rendered, 2 skipped; got %zu, %zu",
          gp_sheets_result_rendered(res), gp_sheets_result_skipped(res));
    CHECK(count_code(gp_sheets_result_report(res), "duplicate-id-number") == 2, "both records named");
    char sheet[1024];
    snprintf(sheet, sizeof sheet, "%s/dup-sheets/sheets", dir);
    DIR *d = opendir(sheet);
    bool first_rendered = false;
    if (d != NULL) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            char cls[2048];
            snprintf(cls, sizeof cls, "%s/%s", sheet, e->d_name);
            DIR *c = opendir(cls);
            struct dirent *f;
            while (c != NULL && e->d_name[0] != '.' && (f = readdir(c)) != NULL)
                first_rendered |= strstr(f->d_name, "2021001") != NULL || strstr(f->d_name, "2021003") != NULL;
            if (c != NULL)
                closedir(c);
        }
        closedir(d);
    }
    CHECK(!first_rendered, "no sheet for either duplicate");
    gp_sheets_result_free(res);

    const char *id_of[4] = {ids[0], ids[1], ids[0], ids[3]};
    const char *numbers[4] = {"106421202505000001", "106421202505000002", "106421202505000003", "106421202505000004"};
    cert_roster("dup-certs.csv", NULL, numbers, id_of, 4);
    gp_certs_result *cres = NULL;
    st = certs("dup-certs.csv", "diploma-bachelor.xml", true, &cres);
    CHECK(st == GP_OK && gp_certs_result_rendered(cres) == 2 && gp_certs_result_skipped(cres) == 2,
          "certs: 2 printed, 2 skipped; got %d, %zu, %zu", st, gp_certs_result_rendered(cres),
          gp_certs_result_skipped(cres));
    gp_certs_result_free(cres);
}

/* Issue 10: a missing column is one finding; no text-overflow for an empty
 * class, no photo-orphan for every photo. */
static void test_missing_column_once(void)
{
    char text[2048];
    snprintf(text, sizeof text,
             "学号,姓名,身份证号,学院,专业,行政班级名\n2021001,王伟,%s,人工智能学院,软件工程,软工2101\n"
             "2021002,李娜,%s,人工智能学院,软件工程,软工2101\n2021003,张敏,%s,人工智能学院,软件工程,软工2101\n",
             ids[0], ids[1], ids[2]);
    write_text("no-class.csv", text);
    gp_sheets_result *res = NULL;
    gp_status st = sheets("no-class.csv", "no-class", true, &res);
    CHECK(st == GP_E_INVALID, "the roster as a whole fails, even with --skip-invalid");
    const gp_report *report = gp_sheets_result_report(res);
    CHECK(gp_report_count(report) == 1 && count_code(report, "missing-column") == 1,
          "exactly one finding, got %zu (first %s)", gp_report_count(report),
          gp_report_count(report) ? gp_report_get(report, 0)->message : "");
    gp_sheets_result_free(res);
    snprintf(text, sizeof text, "%s/no-class", dir);
    CHECK(files_in(text) == 0, "nothing written");

    /* Certificates: a column the template requires is one finding too. */
    snprintf(text, sizeof text,
             "学号,姓名,身份证号,出生日期,专业,学制,入学日期,毕业日期\n2021001,王伟,%s,2003-05-12,汉语言文学,4,"
             "2021-09-01,2025-06-30\n2021002,李娜,%s,2003-05-12,汉语言文学,4,2021-09-01,2025-06-30\n",
             ids[0], ids[1]);
    write_text("no-number.csv", text);
    gp_certs_result *cres = NULL;
    st = certs("no-number.csv", "diploma-bachelor.xml", true, &cres);
    report = gp_certs_result_report(cres);
    CHECK(st == GP_E_INVALID && gp_report_count(report) == 1 && count_code(report, "missing-column") == 1,
          "certs: one finding for the missing 毕业证书编号 column, got %zu", gp_report_count(report));
    gp_certs_result_free(cres);
}

/* Issue 8.10 through a certificate run: the override names the record. */
static void test_bidi_stops_certificate(void)
{
    const char *names[3] = {"魏\xe2\x80\xae雨玥", "李\xf0\x9f\x98\x80", NULL};
    const char *numbers[3] = {"106421202505000001", "106421202505000002", "106421202505000003"};
    cert_roster("bidi.csv", names, numbers, NULL, 3);
    gp_certs_result *res = NULL;
    gp_status st = certs("bidi.csv", "diploma-bachelor.xml", false, &res);
    const gp_report *report = gp_certs_result_report(res);
    CHECK(st == GP_E_INVALID, "refused");
    CHECK(count_code(report, "text-control-characters") == 1 && count_code(report, "name-characters") == 1,
          "both named");
    for (size_t i = 0; i < gp_report_count(report); i++) {
        const gp_finding *f = gp_report_get(report, i);
        if (strcmp(f->code, "text-control-characters") == 0)
            CHECK(f->line == 2 && f->student_no && strcmp(f->student_no, "2021001") == 0, "line and student");
    }
    gp_certs_result_free(res);
}

/* Issue 8.9: past the roster's cap (a template's literal text, a school
 * name) fitting refuses a text of any length instead of printing a bar. */
static const char *long_school;

static const char *lookup(void *user, const char *field)
{
    (void)user;
    return strcmp(field, "school") == 0 ? long_school : "x";
}

static void test_long_text_refused(void)
{
    static const char tpl_xml[] =
        "<?xml version=\"1.0\"?><template name=\"t\" kind=\"photo-sheet\"><page width=\"127\" height=\"177.8\"/>"
        "<text x=\"5\" y=\"5\" width=\"100\" height=\"8\" font=\"song\" size=\"12\" min-size=\"6\">{school}</text>"
        "<paragraph x=\"5\" y=\"20\" width=\"100\" height=\"40\" font=\"song\" size=\"12\" min-size=\"6\" "
        "line-height=\"6\">学校{school}</paragraph></template>";
    gp_template *tpl = NULL;
    gp_error *err = NULL;
    REQUIRE(gp_template_parse_memory(ctx, tpl_xml, sizeof tpl_xml - 1, "long.xml", &tpl, &err) == GP_OK,
            "template: %s", gp_error_message(err));
    gp_text_engine *te = NULL;
    REQUIRE(gp_text_engine_new(ctx, &te, &err) == GP_OK, "text engine");
    gp_layout layout;
    gp_layout_init(&layout);
    size_t lengths[] = {2000, 100000, 1000000};
    for (size_t k = 0; k < sizeof lengths / sizeof *lengths; k++) {
        gp_strbuf sb;
        gp_strbuf_init(&sb);
        for (size_t i = 0; i < lengths[k]; i++)
            gp_strbuf_append(&sb, "魏");
        long_school = sb.data;
        gp_report *report = gp_report_new();
        bool ok = gp_layout_build(tpl, lookup, NULL, te, &layout, report, "r.csv", 2, "2021001");
        CHECK(!ok && count_code(report, "text-overflow") == 1 && count_code(report, "paragraph-overflow") == 1,
              "%zu characters refused, got %zu findings", lengths[k], gp_report_count(report));
        /* Issue 8.13: a finding quotes a short excerpt, not 60 KB. */
        for (size_t i = 0; i < gp_report_count(report); i++)
            CHECK(strlen(gp_report_get(report, i)->message) < 400, "%zu-byte finding",
                  strlen(gp_report_get(report, i)->message));
        gp_report_free(report);
        gp_strbuf_free(&sb);
    }
    gp_layout_free(&layout);
    gp_text_engine_free(te);
    gp_template_free(tpl);
}

/* Issue 10: 毕业证书编号 by the national scheme. */
static void test_certificate_numbers(void)
{
    const char *numbers[6] = {
        "106421202505000001", "106421202405000002", /* year 2024, graduated 2025 */
        "106421202506000003",                       /* 06 专科 for a 本科 graduate */
        "106431202505000004",                       /* another school's code */
        "106421202505000009",                       /* serials 5-8 skipped */
        "10642120250500001",                        /* 17 digits */
    };
    cert_roster("numbers.csv", NULL, numbers, NULL, 6);
    gp_certs_result *res = NULL;
    gp_status st = certs("numbers.csv", "diploma-bachelor.xml", true, &res);
    const gp_report *report = gp_certs_result_report(res);
    CHECK(st == GP_OK, "the valid ones print");
    struct {
        long line;
        const char *code, *says;
    } expect[] = {
        {3, "number-structure", "year is 2024"},
        {4, "number-structure", "本科 (05)"},
        {5, "number-school-code", "10643"},
        {7, "field-format", "diploma_no"},
        {2, "number-serial-gap", "000002-000008"},
    };
    for (size_t i = 0; i < sizeof expect / sizeof *expect; i++) {
        const gp_finding *got = NULL;
        for (size_t k = 0; k < gp_report_count(report); k++) {
            const gp_finding *f = gp_report_get(report, k);
            if (f->line == expect[i].line && strcmp(f->code, expect[i].code) == 0)
                got = f;
        }
        CHECK(got && strstr(got->message, expect[i].says), "line %ld %s: %s", expect[i].line, expect[i].code,
              got ? got->message : "missing");
    }
    CHECK(gp_certs_result_rendered(res) == 2, "lines 2 and 6 print, got %zu", gp_certs_result_rendered(res));
    gp_certs_result_free(res);

    /* 学位证书编号 with its documented variants. */
    gp_strbuf sb;
    gp_strbuf_init(&sb);
    gp_strbuf_append(&sb, "学号,姓名,性别,身份证号,出生日期,专业,层次,毕业日期,学位门类,学位证书编号\n");
    const char *degree[] = {"1064242025000001", "C1064242025000002", "10642420250S000003", "1064242025E000004",
                            "1064232025000005", "1064242025X000006"};
    for (int i = 0; i < 6; i++)
        gp_strbuf_appendf(&sb, "20220%02d,王伟,,%s,2003-05-12,汉语言文学,本科,2025-06-30,文学,%s\n", i + 1, ids[i],
                          degree[i]);
    write_text("degree.csv", sb.data);
    gp_strbuf_free(&sb);
    res = NULL;
    certs("degree.csv", "degree-bachelor.xml", true, &res);
    report = gp_certs_result_report(res);
    size_t structure = count_code(report, "number-structure"), format = count_code(report, "field-format");
    CHECK(structure == 1 && format == 2, "level 3 for 本科, and two malformed; got %zu and %zu", structure, format);
    CHECK(gp_certs_result_rendered(res) == 3, "16 digits, leading C, E at the 11th print; got %zu",
          gp_certs_result_rendered(res));
    gp_certs_result_free(res);
}

int main(void)
{
    gp_error *err = NULL;
    REQUIRE(gp_context_new(NULL, &ctx, &err) == GP_OK, "context: %s", gp_error_message(err));
    dir = fixture_tempdir();
    make_ids();
    for (int i = 0; i < 6; i++)
        fixture_write_photo(dir, ids[i], 480, 640, 90);
    test_duplicate_skips_both();
    test_missing_column_once();
    test_bidi_stops_certificate();
    test_long_text_refused();
    test_certificate_numbers();
    fixture_remove(dir);
    free(dir);
    gp_context_free(ctx);
    return gp_test_done();
}
