/* Every bad input the photo-sheet job must catch before it writes anything,
 * each finding naming the roster line or photo file; --skip-invalid renders
 * the rest and lists who was skipped. */
#include <sys/stat.h>
#include <unistd.h>

#include "gp-test.h"
#include "gradprint.h"
#include "sheets-fixture.h"

#define N 10

static gp_context *ctx;
static char ids[N][19];
static fixture_student students[N];
static char student_nos[N][16];

static void base_roster(void)
{
    for (int i = 0; i < N; i++) {
        char first17[18];
        snprintf(first17, sizeof first17, "5002221999121%04d", 2000 + i * 3);
        fixture_id_with_check(first17, ids[i]);
        snprintf(student_nos[i], sizeof student_nos[i], "20220101%02d", i + 1);
        students[i] = (fixture_student){student_nos[i], "孙小明", ids[i], "数学与人工智能学院", "数学与应用数学",
                                        "2022级数学1班"};
    }
}

typedef struct outcome {
    gp_status status;
    gp_sheets_result *result;
    bool out_exists;
} outcome;

static outcome run(const char *dir, bool skip_invalid)
{
    char roster[1024], photos[1024], out[1024];
    snprintf(roster, sizeof roster, "%s/roster.csv", dir);
    snprintf(photos, sizeof photos, "%s/photos", dir);
    snprintf(out, sizeof out, "%s/out", dir);
    gp_sheets_options o;
    gp_sheets_options_init(&o);
    o.roster_path = roster;
    o.photos_dir = photos;
    o.out_dir = out;
    o.skip_invalid = skip_invalid;
    gp_error *err = NULL;
    outcome r = {0};
    r.status = gp_sheets_run(ctx, &o, &r.result, &err);
    gp_error_free(err);
    struct stat st;
    r.out_exists = stat(out, &st) == 0;
    return r;
}

/* The finding with code for a student (or any student when student_no is NULL). */
static const gp_finding *find(const gp_sheets_result *res, const char *code, const char *student_no)
{
    const gp_report *report = gp_sheets_result_report(res);
    for (size_t i = 0; i < gp_report_count(report); i++) {
        const gp_finding *f = gp_report_get(report, i);
        if (strcmp(f->code, code) == 0 &&
            (student_no == NULL || (f->student_no && strcmp(f->student_no, student_no) == 0)))
            return f;
    }
    return NULL;
}

static char *setup(void)
{
    char *dir = fixture_tempdir();
    base_roster();
    for (int i = 0; i < N; i++)
        fixture_write_photo(dir, ids[i], 480, 640, 92);
    return dir;
}

static void expect_error(const char *what, const char *dir, const char *code, const char *student_no, long line)
{
    outcome r = run(dir, false);
    CHECK(r.status == GP_E_INVALID, "%s: status %d", what, r.status);
    CHECK(!r.out_exists, "%s: nothing written", what);
    const gp_finding *f = find(r.result, code, student_no);
    CHECK(f != NULL && f->severity == GP_ERROR, "%s: finding %s for %s", what, code, student_no ? student_no : "-");
    if (f != NULL && line > 0)
        CHECK(f->line == line, "%s: line %ld, expected %ld", what, f->line, line);
    if (f != NULL)
        CHECK(f->message != NULL && strlen(f->message) > 10, "%s: a message", what);
    gp_sheets_result_free(r.result);
}

static void test_roster_errors(void)
{
    char *dir = setup();
    /* Wrong check digit on line 3 (header is line 1). */
    ids[1][17] = ids[1][17] == '1' ? '2' : '1';
    fixture_write_roster(dir, students, N);
    expect_error("check digit", dir, "id-check-digit", student_nos[1], 3);
    base_roster();

    students[4].student_no = student_nos[3];
    fixture_write_roster(dir, students, N);
    expect_error("duplicate student number", dir, "duplicate-student-no", NULL, 0);
    base_roster();

    students[6].id_number = ids[5];
    fixture_write_roster(dir, students, N);
    expect_error("duplicate ID", dir, "duplicate-id-number", NULL, 0);
    base_roster();

    students[2].name = "";
    fixture_write_roster(dir, students, N);
    expect_error("empty name", dir, "missing-field", NULL, 4);
    base_roster();
    fixture_remove(dir);
    free(dir);
}

static void test_photo_errors(void)
{
    char *dir = setup();
    fixture_write_roster(dir, students, N);
    char name[64];

    snprintf(name, sizeof name, "%s/photos/%s.jpg", dir, ids[0]);
    unlink(name);
    expect_error("missing photo", dir, "photo-missing", student_nos[0], 0);
    fixture_write_photo(dir, ids[0], 480, 640, 92);

    static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    snprintf(name, sizeof name, "%s.jpg", ids[1]);
    fixture_write_file(dir, name, png, sizeof png);
    expect_error("PNG named .jpg", dir, "photo-not-jpeg", student_nos[1], 0);
    fixture_write_photo(dir, ids[1], 480, 640, 92);

    /* Cut a real photo in half. */
    snprintf(name, sizeof name, "%s/photos/%s.jpg", dir, ids[2]);
    struct stat st;
    stat(name, &st);
    CHECK(truncate(name, st.st_size / 2) == 0, "truncate");
    expect_error("truncated photo", dir, "photo-corrupt", student_nos[2], 0);
    fixture_write_photo(dir, ids[2], 480, 640, 92);

    /* A header claiming 60000 x 65000 pixels: patch the SOF0 of a real photo. */
    FILE *f = fopen(name, "r+b");
    unsigned char buf[4096];
    size_t got = fread(buf, 1, sizeof buf, f);
    for (size_t i = 0; i + 9 < got; i++) {
        if (buf[i] == 0xFF && (buf[i + 1] == 0xC0 || buf[i + 1] == 0xC2)) {
            buf[i + 5] = 65000 >> 8, buf[i + 6] = 65000 & 0xFF, buf[i + 7] = 60000 >> 8, buf[i + 8] = 60000 & 0xFF;
            break;
        }
    }
    fseek(f, 0, SEEK_SET);
    fwrite(buf, 1, got, f);
    fclose(f);
    expect_error("absurd dimensions", dir, "photo-too-large", student_nos[2], 0);
    fixture_write_photo(dir, ids[2], 480, 640, 92);

    fixture_write_photo(dir, ids[3], 480, 480, 92);
    expect_error("square photo", dir, "photo-not-3x4", student_nos[3], 0);
    fixture_write_photo(dir, ids[3], 480, 640, 92);
    fixture_remove(dir);
    free(dir);
}

static void test_warnings_and_skip(void)
{
    char *dir = setup();
    fixture_write_roster(dir, students, N);
    /* A photo nobody asked for, and a smaller one: warnings, not errors. */
    char orphan[19];
    fixture_id_with_check("11010519491231002", orphan);
    fixture_write_photo(dir, orphan, 480, 640, 92);
    fixture_write_photo(dir, ids[4], 360, 480, 92);
    outcome r = run(dir, false);
    CHECK(r.status == GP_OK, "warnings do not stop the run (status %d)", r.status);
    CHECK(find(r.result, "photo-orphan", NULL) != NULL, "orphan photo reported");
    CHECK(find(r.result, "photo-dimensions", student_nos[4]) != NULL, "360x480 photo reported");
    CHECK(gp_sheets_result_rendered(r.result) == N, "all rendered");
    gp_sheets_result_free(r.result);

    /* The same output directory again: refused without --overwrite. */
    r = run(dir, false);
    CHECK(r.status == GP_E_USAGE, "existing output refused (status %d)", r.status);
    gp_sheets_result_free(r.result);
    char cmd[1100];
    snprintf(cmd, sizeof cmd, "rm -rf '%s/out'", dir);
    CHECK(system(cmd) == 0, "rm");

    /* Two broken students: skip them, render the rest, list them. */
    char name[1100];
    snprintf(name, sizeof name, "%s/photos/%s.jpg", dir, ids[7]);
    unlink(name);
    ids[8][17] = ids[8][17] == '1' ? '2' : '1';
    fixture_write_roster(dir, students, N);
    /* Without --skip-invalid nothing is written, so nobody was skipped. */
    r = run(dir, false);
    CHECK(r.status == GP_E_INVALID, "errors stop the run (status %d)", r.status);
    CHECK(gp_sheets_result_skipped(r.result) == 0 && gp_sheets_result_invalid(r.result) == 2,
          "skipped %zu (nothing written), invalid %zu", gp_sheets_result_skipped(r.result),
          gp_sheets_result_invalid(r.result));
    CHECK(gp_sheets_result_out_dir(r.result) == NULL, "no output directory reported");
    gp_sheets_result_free(r.result);
    snprintf(cmd, sizeof cmd, "test ! -e '%s/out'", dir);
    CHECK(system(cmd) == 0, "no output directory made");
    r = run(dir, true);
    CHECK(r.status == GP_OK, "skip-invalid run succeeds (status %d)", r.status);
    CHECK(gp_sheets_result_invalid(r.result) == 2, "invalid %zu", gp_sheets_result_invalid(r.result));
    CHECK(gp_sheets_result_rendered(r.result) == N - 2 && gp_sheets_result_skipped(r.result) == 2,
          "rendered %zu, skipped %zu", gp_sheets_result_rendered(r.result), gp_sheets_result_skipped(r.result));
    snprintf(cmd, sizeof cmd, "grep -c 2022010108 '%s/out/skipped.csv' >/dev/null && grep -c 2022010109 '%s/out/skipped.csv' >/dev/null && "
             "test $(find '%s/out/sheets' -name '*_2022*.jpg' | wc -l) = %d", dir, dir, dir, N - 2);
    CHECK(system(cmd) == 0, "skipped.csv lists both and the others have sheets");
    gp_sheets_result_free(r.result);
    base_roster();
    fixture_remove(dir);
    free(dir);
}

int main(void)
{
    gp_error *err = NULL;
    REQUIRE(gp_context_new(NULL, &ctx, &err) == GP_OK, "context: %s", gp_error_message(err));
    test_roster_errors();
    test_photo_errors();
    test_warnings_and_skip();
    gp_context_free(ctx);
    return gp_test_done();
}
