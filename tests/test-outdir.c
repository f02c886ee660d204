/* The staging output directory: files written into it without an fsync
 * each, the tree made durable and renamed into place once, earlier output
 * replaced, and the errors when a directory cannot be synced or the target
 * cannot be reached. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fileio-private.h"
#include "driver.h"
#include "gp-test.h"
#include "test-photo-util.h"
#include "jobs/outdir-private.h"

static char *read_text(const char *path)
{
    unsigned char *data = NULL;
    size_t size;
    if (gp_read_file(path, 1 << 20, &data, &size, NULL) != GP_OK)
        return NULL;
    return (char *)data;
}

static void test_no_sync_file(const char *root)
{
    char *path = gp_path_join(root, "nosync.txt");
    CHECK(gp_write_file_atomic_flags(path, "abc", 3, GP_ATOMIC_NO_SYNC, NULL) == GP_OK, "write without fsync");
    char *text = read_text(path);
    CHECK_STR(text, "abc");
    free(text);
    struct stat st;
    CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600, "mode 0600, got %o", st.st_mode & 0777);
    CHECK(tp_count_prefixed(root, ".nosync.txt.tmp-") == 0, "no temporary file left");

    gp_atomic_file af;
    REQUIRE(gp_atomic_open_flags(&af, path, GP_ATOMIC_NO_SYNC, NULL) == GP_OK, "open");
    CHECK(af.no_sync, "flag kept");
    fputs("replaced", af.fp);
    CHECK(gp_atomic_commit(&af, NULL) == GP_OK, "commit");
    text = read_text(path);
    CHECK_STR(text, "replaced");
    free(text);

    gp_error *err = NULL;
    char *missing = gp_path_join(root, "no/such/dir/file.txt");
    CHECK(gp_write_file_atomic_flags(missing, "x", 1, GP_ATOMIC_NO_SYNC, &err) == GP_E_IO, "missing directory");
    CHECK(err != NULL && strstr(gp_error_message(err), "no/such/dir") != NULL, "message names the file: %s",
          err ? gp_error_message(err) : "(none)");
    gp_error_free(err);
    free(missing);
    free(path);
}

static void test_sync_errors(const char *root)
{
    CHECK(gp_sync_tree(root, NULL) == GP_OK, "sync an existing tree");
    CHECK(gp_sync_dir(root, NULL) == GP_OK, "sync an existing directory");
    char *missing = gp_path_join(root, "missing");
    gp_error *err = NULL;
    CHECK(gp_sync_tree(missing, &err) == GP_E_IO, "sync of a missing tree fails");
    CHECK(err != NULL && strstr(gp_error_message(err), "missing") != NULL, "message names the directory");
    gp_error_free(err);
    err = NULL;
    CHECK(gp_sync_dir(missing, &err) == GP_E_IO, "sync of a missing directory fails");
    gp_error_free(err);
    char *file = gp_path_join(root, "nosync.txt");
    err = NULL;
    CHECK(gp_sync_tree(file, &err) == GP_E_IO, "a file is not a tree");
    gp_error_free(err);
    free(file);
    free(missing);
}

/* One run's output: a sheet-like JPEG through a driver that does not sync,
 * and a small file, both in a subdirectory of the staging directory. */
static void write_output(gp_outdir *od, const char *content)
{
    char *sub = gp_outdir_path(od, "sheets/class");
    CHECK(sub != NULL && gp_mkdir_p(sub, NULL) == GP_OK, "subdirectory");
    free(sub);
    char *path = gp_outdir_path(od, "sheets/class/note.txt");
    CHECK(gp_write_file_atomic_flags(path, content, strlen(content), GP_ATOMIC_NO_SYNC, NULL) == GP_OK, "note");
    free(path);

    gp_driver *jpeg = NULL;
    REQUIRE(gp_jpeg_driver_new(300, 95, &jpeg, NULL) == GP_OK, "driver");
    REQUIRE(gp_jpeg_driver_set_sync(jpeg, false, NULL) == GP_OK, "no fsync per file");
    char *file = gp_outdir_path(od, "sheets/class/0001.jpg");
    gp_page_spec page = {20.0, 30.0, file, false};
    cairo_t *cr = NULL;
    REQUIRE(gp_driver_begin_page(jpeg, &page, &cr, NULL) == GP_OK, "begin page");
    cairo_set_source_rgb(cr, 0.0, 0.0, 0.0);
    cairo_rectangle(cr, 5.0, 5.0, 10.0, 10.0);
    cairo_fill(cr);
    CHECK(gp_driver_end_page(jpeg, NULL) == GP_OK, "end page");
    gp_driver_free(jpeg);
    free(file);
}

static void check_jpeg(const char *path)
{
    unsigned char *data = NULL;
    size_t size = 0;
    CHECK(gp_read_file(path, 1 << 22, &data, &size, NULL) == GP_OK, "read %s", path);
    /* A whole file: SOI at the start, EOI at the end. */
    CHECK(size > 4 && data[0] == 0xFF && data[1] == 0xD8 && data[size - 2] == 0xFF && data[size - 1] == 0xD9,
          "complete JPEG (%zu bytes)", size);
    free(data);
}

static void test_outdir(const char *root)
{
    char *target = gp_path_join(root, "out/run");
    gp_outdir od;
    REQUIRE(gp_outdir_begin(&od, target, false, NULL) == GP_OK, "begin");
    write_output(&od, "first");
    CHECK(access(target, F_OK) != 0, "nothing at the target before commit");
    CHECK(gp_outdir_commit(&od, NULL) == GP_OK, "commit");
    CHECK(od.staging == NULL, "staging released");
    char *note = gp_path_join(target, "sheets/class/note.txt");
    char *jpg = gp_path_join(target, "sheets/class/0001.jpg");
    char *marker = gp_path_join(target, GP_OUTPUT_MARKER);
    char *text = read_text(note);
    CHECK_STR(text, "first");
    free(text);
    check_jpeg(jpg);
    CHECK(access(marker, F_OK) == 0, "marker written");
    char *parent = gp_path_join(root, "out");
    CHECK(tp_count_prefixed(parent, ".run.partial-") == 0, "no staging directory left");

    /* An earlier output is replaced only with overwrite. */
    gp_error *err = NULL;
    CHECK(gp_outdir_begin(&od, target, false, &err) == GP_E_USAGE, "earlier output kept without overwrite");
    gp_error_free(err);
    REQUIRE(gp_outdir_begin(&od, target, true, NULL) == GP_OK, "begin with overwrite");
    write_output(&od, "second");
    CHECK(gp_outdir_commit(&od, NULL) == GP_OK, "commit over the earlier output");
    text = read_text(note);
    CHECK_STR(text, "second");
    free(text);
    check_jpeg(jpg);
    CHECK(tp_count_prefixed(parent, ".run.partial-") == 0, "earlier output removed");

    /* Another program fills the target during the run: the rename fails,
     * the message names the target, the other files stay, and abort removes
     * the staging directory. */
    char *target2 = gp_path_join(root, "out/run2");
    REQUIRE(gp_outdir_begin(&od, target2, false, NULL) == GP_OK, "begin");
    write_output(&od, "third");
    char *foreign = gp_path_join(target2, "theirs.txt");
    CHECK(gp_mkdir_p(target2, NULL) == GP_OK && gp_write_file_atomic(foreign, "x", 1, NULL) == GP_OK, "foreign file");
    err = NULL;
    CHECK(gp_outdir_commit(&od, &err) == GP_E_IO, "commit fails");
    CHECK(err != NULL && strstr(gp_error_message(err), "out/run2") != NULL, "message names the target: %s",
          err ? gp_error_message(err) : "(none)");
    gp_error_free(err);
    gp_outdir_abort(&od);
    CHECK(tp_count_prefixed(parent, ".run2.partial-") == 0, "abort removes the staging directory");
    CHECK(access(foreign, F_OK) == 0, "the other program's file stays");
    free(foreign);
    free(target2);
    free(parent);
    free(marker);
    free(jpg);
    free(note);
    free(target);
}

int main(void)
{
    char *root = fixture_tempdir();
    test_no_sync_file(root);
    test_sync_errors(root);
    test_outdir(root);
    fixture_remove(root);
    free(root);
    return gp_test_done();
}
