/* The base layer: error objects, reports, atomic files. */
#include <sys/stat.h>
#include <unistd.h>

#include "base/error-private.h"
#include "base/fileio-private.h"
#include "base/report-private.h"
#include "base/strbuf-private.h"
#include "gp-test.h"
#include "tempdir.h"

static void test_errors(void)
{
    gp_error *err = NULL;
    gp_status st = gp_error_set(&err, GP_E_INVALID, "roster.csv", 12, "bad %s", "thing");
    CHECK(st == GP_E_INVALID, "status returned");
    CHECK_STR(gp_error_message(err), "roster.csv:12: bad thing");
    CHECK_STR(gp_error_file(err), "roster.csv");
    CHECK(gp_error_line(err) == 12, "line");
    /* The first error wins: a caller adding context must not hide the cause. */
    gp_error_set(&err, GP_E_IO, NULL, 0, "later");
    CHECK(gp_error_status(err) == GP_E_INVALID, "first error kept");
    gp_error_free(err);
    gp_error_set(NULL, GP_E_IO, NULL, 0, "nobody listens"); /* must not crash */
}

static void test_report(void)
{
    gp_report *r = gp_report_new();
    gp_report_add(r, GP_ERROR, "id-check-digit", "r.csv", 3, "2021001", "bad id %d", 1);
    gp_report_add(r, GP_WARNING, "photo-size", "p.jpg", 0, NULL, "small");
    CHECK(gp_report_count(r) == 2, "count");
    CHECK(gp_report_count_severity(r, GP_ERROR) == 1, "errors");
    CHECK(gp_report_has_error_for(r, "2021001"), "error for student");
    CHECK(!gp_report_has_error_for(r, "2021002"), "no error for other student");
    const gp_finding *f = gp_report_get(r, 0);
    CHECK_STR(f->message, "bad id 1");
    CHECK(f->line == 3, "line kept");
    gp_report *other = gp_report_new();
    gp_report_add(other, GP_ERROR, "x", NULL, 0, NULL, "moved");
    gp_report_take(r, other);
    CHECK(gp_report_count(r) == 3 && gp_report_count(other) == 0, "take moves findings");
    gp_report_free(other);
    gp_report_free(r);
}

static void test_atomic_file(void)
{
    char *dir = fixture_tempdir();
    char *path = gp_path_join(dir, "out/sub/file.txt");
    char *parent = gp_path_join(dir, "out/sub");
    CHECK(gp_mkdir_p(parent, NULL) == GP_OK, "mkdir -p");

    gp_atomic_file af;
    REQUIRE(gp_atomic_open(&af, path, NULL) == GP_OK, "open");
    fputs("half", af.fp);
    CHECK(access(path, F_OK) != 0, "nothing under the final name before commit");
    gp_atomic_abort(&af);
    CHECK(access(path, F_OK) != 0, "abort leaves nothing");

    CHECK(gp_write_file_atomic(path, "whole", 5, NULL) == GP_OK, "write");
    struct stat st;
    CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600, "mode 0600, got %o", st.st_mode & 0777);
    unsigned char *data;
    size_t size;
    CHECK(gp_read_file(path, 100, &data, &size, NULL) == GP_OK && size == 5 && memcmp(data, "whole", 5) == 0,
          "read back");
    free(data);
    gp_error *err = NULL;
    CHECK(gp_read_file(path, 4, &data, &size, &err) == GP_E_INVALID, "size limit");
    gp_error_free(err);

    fixture_remove(dir);
    free(dir);
    free(path);
    free(parent);
}

static void test_strbuf(void)
{
    gp_strbuf sb;
    gp_strbuf_init(&sb);
    CHECK_STR(sb.data, "");
    for (int i = 0; i < 1000; i++)
        gp_strbuf_appendf(&sb, "%d,", i % 10);
    CHECK(sb.len == 2000, "length %zu", sb.len);
    char *s = gp_strbuf_steal(&sb);
    CHECK(strncmp(s, "0,1,2,", 6) == 0, "content");
    free(s);
}

int main(void)
{
    test_errors();
    test_report();
    test_atomic_file();
    test_strbuf();
    return gp_test_done();
}
