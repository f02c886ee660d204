/* The photos commands end to end, through the gradprint binary where the
 * user's view matters (exit status, --json, what the terminal shows) and
 * read back with other tools: python3's json for the JSON, poppler for the
 * contact sheet, 7-Zip for the encrypted backup, sha256sum for the
 * manifest. */
#include <poppler.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gp-test.h"
#include "gradprint.h"
#include "test-photo-util.h"
#include "test-photos-fixture.h"

#define GRADPRINT GP_BINARY_DIR "/gradprint"

static char *root;

/* Runs a shell command; its stdout (up to cap) goes into out. */
static int run(const char *cmd, char *out, size_t cap)
{
    FILE *p = popen(cmd, "r");
    if (p == NULL)
        return -1;
    size_t n = 0;
    if (out != NULL) {
        n = fread(out, 1, cap - 1, p);
        out[n] = '\0';
    } else {
        char sink[4096];
        while (fread(sink, 1, sizeof sink, p) > 0) {
        }
    }
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void put_astronaut(const char *dir, const char *name, const tpf_place *p)
{
    cairo_surface_t *s = tpf_compose(p);
    int q;
    size_t size;
    unsigned char *jpeg = tpf_encode_fit(s, 36 * 1024, &q, &size);
    cairo_surface_destroy(s);
    char *path = tp_join(dir, name);
    REQUIRE(tp_write_file(path, jpeg, size), "write %s", path);
    free(path);
    free(jpeg);
}

static char ids[8][19];
static char *photos, *roster;

/* Students 0-5 in the roster; photos: 0, 1 conforming, 2 with its eyes too
 * low, 3 only as a PNG, 4 twice (.jpg and .jpeg), 5 none, 6 not in the
 * roster. */
static void setup(void)
{
    for (int i = 0; i < 7; i++)
        tpf_id(200 + (unsigned)i, ids[i]);
    photos = tp_join(root, "photos");
    REQUIRE(mkdir(photos, 0700) == 0, "mkdir");
    tpf_place good = tpf_standard(), low = tpf_standard();
    low.scale = 2.55;
    low.head_top = 100;
    char name[200];
    int conforming[] = {0, 1, 6};
    for (size_t k = 0; k < 3; k++) {
        snprintf(name, sizeof name, "%s.jpg", ids[conforming[k]]);
        put_astronaut(photos, name, &good);
    }
    snprintf(name, sizeof name, "%s.jpg", ids[2]);
    put_astronaut(photos, name, &low);
    cairo_surface_t *s = tpf_compose(&good);
    snprintf(name, sizeof name, "%s/%s.png", photos, ids[3]);
    REQUIRE(cairo_surface_write_to_png(s, name) == CAIRO_STATUS_SUCCESS, "png");
    cairo_surface_destroy(s);
    snprintf(name, sizeof name, "%s.jpg", ids[4]);
    put_astronaut(photos, name, &good);
    snprintf(name, sizeof name, "%s.jpeg", ids[4]);
    put_astronaut(photos, name, &good);
    roster = tp_join(root, "roster.csv");
    FILE *f = fopen(roster, "w");
    fprintf(f, "学号,姓名,身份证号,学院,专业,班级\n");
    for (int i = 0; i < 6; i++)
        fprintf(f, "20210101%02d,学生%d,%s,文学院,汉语言文学,1班\n", i + 1, i + 1, ids[i]);
    fclose(f);
}

#define JSON_CHECKER \
    "import json,sys\n" \
    "d=json.load(sys.stdin)\n" \
    "assert d['command']=='photos check' and d['ok'] is False and d['exit']==2, d\n" \
    "assert isinstance(d['findings'],list)\n" \
    "by={p['file'].split('/')[-1]:p for p in d['photos']}\n" \
    "for p in d['photos']:\n" \
    "  assert set(p)>={'file','id_number','ok','measured','findings'}, p.keys()\n" \
    "  for f in p['findings']: assert set(f)=={'severity','code','message'} and f['severity'] in ('error','warning')\n" \
    "codes=lambda n: sorted({f['code'] for f in by[n]['findings'] if f['severity']=='error'})\n" \
    "print('count', len(d['photos']))\n" \
    "print('ok0', by['%s.jpg']['ok'])\n" \
    "print('eyes2', codes('%s.jpg'))\n" \
    "print('png3', codes('%s.png'))\n" \
    "print('dup4', codes('%s.jpeg'))\n" \
    "print('orphan6', codes('%s.jpg'))\n" \
    "print('head0', by['%s.jpg']['measured']['head_top'])\n" \
    "print('summary', d['summary']['failed'], d['summary']['not_in_roster'], d['summary']['missing'])\n"

static void test_check(void)
{
    char *report = tp_join(root, "report");
    char script[4096], cmd[8192], out[16384];
    snprintf(script, sizeof script, JSON_CHECKER, ids[0], ids[2], ids[3], ids[4], ids[6], ids[0]);
    char *py = tp_join(root, "check.py");
    REQUIRE(tp_write_file(py, script, strlen(script)), "script");
    snprintf(cmd, sizeof cmd, "'%s' photos check '%s' --roster '%s' --report '%s' --json | /usr/bin/python3 '%s'",
             GRADPRINT, photos, roster, report, py);
    CHECK(run(cmd, out, sizeof out) == 0, "the JSON is what the issue asks for:\n%s", out);
    fprintf(stderr, "%s", out);
    CHECK(strstr(out, "count 7") != NULL, "seven photos checked");
    CHECK(strstr(out, "ok0 True") != NULL, "a conforming photo passes");
    CHECK(strstr(out, "eyes2 ['eyes']") != NULL, "eyes too low");
    CHECK(strstr(out, "png3 ['format', 'name']") != NULL, "a PNG: name and format");
    CHECK(strstr(out, "dup4 ['name']") != NULL, "two files for one ID");
    CHECK(strstr(out, "orphan6 ['not-in-roster']") != NULL, "a photo of nobody in the roster");
    CHECK(strstr(out, "summary 5 1 2") != NULL, "failed 5 (2, 3, 4 twice, 6), 1 not in roster, 2 without a JPEG (3 and 5)");

    /* On the terminal: exit 2, the orphan summarised in one line without
     * its ID number, the missing student named by line and student number. */
    snprintf(cmd, sizeof cmd, "'%s' photos check '%s' --roster '%s' 2>&1 >/dev/null", GRADPRINT, photos, roster);
    int code = run(cmd, out, sizeof out);
    CHECK(code == 2, "exit status %d", code);
    fprintf(stderr, "%s", out);
    CHECK(strstr(out, ids[6]) == NULL, "the orphan's ID number is not shown");
    CHECK(strstr(out, "2021010106") != NULL && strstr(out, "roster.csv:7") != NULL,
          "the student without a photo named by line and student number");
    CHECK(strstr(out, ": 1;") != NULL, "the orphans counted in one line");

    /* The report. */
    char *csv = tp_join(report, "report.csv");
    size_t size;
    unsigned char *bytes = tp_read_file(csv, &size);
    CHECK(bytes != NULL && size > 3 && memcmp(bytes, "\xEF\xBB\xBF", 3) == 0, "report.csv starts with a BOM");
    int lines = 0;
    for (size_t i = 0; bytes != NULL && i < size; i++)
        lines += bytes[i] == '\n';
    CHECK(lines == 8, "report.csv: a header and seven photos (%d lines)", lines);
    free(bytes);
    char *orphans = tp_join(report, "orphans.csv");
    bytes = tp_read_file(orphans, &size);
    CHECK(bytes != NULL && strstr((char *)bytes, ids[6]) != NULL, "orphans.csv lists the orphan");
    free(bytes);
    struct stat st;
    CHECK(stat(csv, &st) == 0 && (st.st_mode & 0777) == 0600, "report.csv is 0600");
    char *pdf = tp_join(report, "contact-sheet.pdf");
    char *abs = g_canonicalize_filename(pdf, NULL);
    char *uri = g_filename_to_uri(abs, NULL, NULL);
    PopplerDocument *doc = poppler_document_new_from_file(uri, NULL, NULL);
    CHECK(doc != NULL && poppler_document_get_n_pages(doc) == 1, "one page for five failing photos");
    if (doc != NULL) {
        PopplerPage *page = poppler_document_get_page(doc, 0);
        char *text = poppler_page_get_text(page);
        char want[64];
        snprintf(want, sizeof want, "%s.jpg", ids[2]);
        CHECK(text != NULL && strstr(text, want) != NULL && strstr(text, "eyes") != NULL,
              "the sheet names the photo and its code: %s", text ? text : "(no text)");
        CHECK(poppler_page_get_image_mapping(page) != NULL, "the photos are drawn");
        g_free(text);
        g_object_unref(page);
        g_object_unref(doc);
    }
    g_free(uri);
    g_free(abs);
    free(pdf);
    free(orphans);
    free(csv);
    free(report);
    free(py);

    /* Usage errors keep the envelope. */
    snprintf(cmd, sizeof cmd, "'%s' photos check --json --jobs 0 x | /usr/bin/python3 -c "
             "\"import json,sys; d=json.load(sys.stdin); assert d['exit']==1 and d['ok'] is False and "
             "d['command']=='photos check'\"", GRADPRINT);
    CHECK(run(cmd, NULL, 0) == 0, "a usage error in --json is one object with exit 1");
}

static void test_backup(void)
{
    char *zip = tp_join(root, "backup.zip"), *pw = tp_join(root, "pw.txt");
    const char *password = "Xuexin-2025!";
    REQUIRE(tp_write_file(pw, "Xuexin-2025!\n", 13), "pw");
    chmod(pw, 0600);
    /* A link out of the photo folder is not backed up. */
    char *elsewhere = tp_join(root, "elsewhere.jpg"), link[600];
    tpf_place good = tpf_standard();
    put_astronaut(root, "elsewhere.jpg", &good);
    snprintf(link, sizeof link, "%s/%s.jpg", photos, ids[5]);
    REQUIRE(symlink(elsewhere, link) == 0, "symlink");
    char cmd[8192], out[16384];
    snprintf(cmd, sizeof cmd, "'%s' photos backup --photos '%s' --roster '%s' --out '%s' --password-file '%s' 2>&1",
             GRADPRINT, photos, roster, zip, pw);
    int code = run(cmd, out, sizeof out);
    fprintf(stderr, "%s", out);
    CHECK(code == 0, "backup exit status %d", code);
    CHECK(strstr(out, "photo-outside") != NULL, "the link out is reported");
    struct stat st;
    CHECK(stat(zip, &st) == 0 && (st.st_mode & 0777) == 0600, "the zip is 0600");
    CHECK(tp_count_entries(root) > 0, "root listed");

    snprintf(cmd, sizeof cmd, "7z t -p'%s' '%s' >/dev/null 2>&1", password, zip);
    CHECK(run(cmd, NULL, 0) == 0, "7-Zip tests it with the password");
    snprintf(cmd, sizeof cmd, "7z t -p'wrong-password' '%s' >/dev/null 2>&1", zip);
    CHECK(run(cmd, NULL, 0) != 0, "and refuses a wrong one");
    snprintf(cmd, sizeof cmd, "7z l -slt -p'%s' '%s'", password, zip);
    run(cmd, out, sizeof out);
    int aes = 0, entries = 0;
    for (const char *p = out; (p = strstr(p, "Method = ")) != NULL; p++) {
        entries++;
        aes += strncmp(p, "Method = AES-256", 16) == 0;
    }
    /* Students 0, 1, 2, 4 have JPEGs (3 only a PNG, 5 a link out): four photos and the manifest. */
    CHECK(entries == 5 && aes == 5, "%d entries, %d AES-256", entries, aes);

    char *x = tp_join(root, "extracted");
    snprintf(cmd, sizeof cmd, "7z x -y -p'%s' -o'%s' '%s' >/dev/null 2>&1", password, x, zip);
    CHECK(run(cmd, NULL, 0) == 0, "extracts");
    int same = 0;
    int wanted[] = {0, 1, 2, 4};
    for (int k = 0; k < 4; k++) {
        char a[600], b[600];
        snprintf(a, sizeof a, "%s/%s.jpg", photos, ids[wanted[k]]);
        snprintf(b, sizeof b, "%s/photos/%s.jpg", x, ids[wanted[k]]);
        size_t na, nb;
        unsigned char *da = tp_read_file(a, &na), *db = tp_read_file(b, &nb);
        same += da != NULL && db != NULL && na == nb && memcmp(da, db, na) == 0;
        /* The manifest's hash is sha256sum's. */
        char sum[700], line[200];
        snprintf(sum, sizeof sum, "sha256sum '%s' | cut -c1-64", b);
        run(sum, line, sizeof line);
        line[64] = '\0';
        char *man = tp_join(x, "manifest.csv");
        size_t nm;
        unsigned char *m = tp_read_file(man, &nm);
        CHECK(m != NULL && strstr((char *)m, line) != NULL, "manifest has sha256sum's %s", line);
        free(m);
        free(man);
        free(da);
        free(db);
    }
    CHECK(same == 4, "the photos are byte-identical (%d of 4)", same);
    char *man = tp_join(x, "manifest.csv");
    size_t nm;
    unsigned char *m = tp_read_file(man, &nm);
    CHECK(m != NULL && memcmp(m, "\xEF\xBB\xBF", 3) == 0 && strstr((char *)m, "学号,姓名,身份证号") != NULL &&
              strstr((char *)m, ",missing") != NULL && strstr((char *)m, ",eyes") != NULL,
          "the manifest has the columns, the student without a JPEG and the failing check");
    free(m);
    free(man);

    /* Never over an existing file; nothing left behind. */
    snprintf(cmd, sizeof cmd, "'%s' photos backup --photos '%s' --roster '%s' --out '%s' >/dev/null 2>&1", GRADPRINT,
             photos, roster, zip);
    CHECK(run(cmd, NULL, 0) == 1, "an existing backup is not overwritten (exit 1)");
    snprintf(cmd, sizeof cmd, "ls -a '%s' | grep -c tmp-", root);
    char count[32];
    run(cmd, count, sizeof count);
    CHECK(atoi(count) == 0, "no temporary file left (%s)", count);

    /* Without a password: not encrypted, still verified. */
    char *plain = tp_join(root, "plain.zip");
    snprintf(cmd, sizeof cmd, "'%s' photos backup --photos '%s' --roster '%s' --out '%s' --json --quiet", GRADPRINT,
             photos, roster, plain);
    run(cmd, out, sizeof out);
    CHECK(strstr(out, "\"encrypted\":false") != NULL && strstr(out, "\"command\":\"photos backup\"") != NULL,
          "plain backup JSON: %s", out);
    snprintf(cmd, sizeof cmd, "7z l -slt '%s' | grep -c 'Encrypted = +'", plain);
    run(cmd, count, sizeof count);
    CHECK(atoi(count) == 0, "no entry encrypted");
    /* A short password is refused before anything is written. */
    REQUIRE(tp_write_file(pw, "short\n", 6), "pw");
    char *third = tp_join(root, "third.zip");
    snprintf(cmd, sizeof cmd, "'%s' photos backup --photos '%s' --roster '%s' --out '%s' --password-file '%s' 2>&1",
             GRADPRINT, photos, roster, third, pw);
    CHECK(run(cmd, out, sizeof out) == 1 && access(third, F_OK) != 0, "a 5-character password is refused");
    unlink(link);
    free(third);
    free(plain);
    free(x);
    free(elsewhere);
    free(zip);
    free(pw);
}

/* A cancel flag already set: the job stops before the first photo with
 * GP_E_INTERRUPTED (the status the CLI turns into 130) and writes no report. */
static void test_check_cancelled(void)
{
    gp_context *ctx = NULL;
    gp_error *err = NULL;
    REQUIRE(gp_context_new(NULL, &ctx, &err) == GP_OK, "context");
    char *report = tp_join(root, "report-cancelled");
    gp_cancel_flag stop = 1;
    const char *paths[] = {photos};
    gp_photos_check_options o;
    gp_photos_check_options_init(&o);
    o.paths = paths;
    o.npaths = 1;
    o.roster_path = roster;
    o.report_dir = report;
    o.cancel = &stop;
    gp_photos_check_result *res = NULL;
    gp_status st = gp_photos_check_run(ctx, &o, &res, &err);
    CHECK(st == GP_E_INTERRUPTED, "a cancelled check returns GP_E_INTERRUPTED, not %d", (int)st);
    CHECK(err != NULL && strstr(gp_error_message(err), "interrupted") != NULL, "and says it was interrupted");
    struct stat sb;
    CHECK(stat(report, &sb) != 0, "a cancelled check writes no report");
    gp_photos_check_result_free(res);
    gp_error_free(err);
    gp_context_free(ctx);
    free(report);
}

int main(void)
{
    REQUIRE(tpf_cutout() != NULL, "%s is missing: install python3-skimage", TPF_ASTRONAUT_PNG);
    root = fixture_tempdir();
    setup();
    test_check();
    test_check_cancelled();
    test_backup();
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    CHECK(system(cmd) == 0, "cleanup");
    free(photos);
    free(roster);
    free(root);
    return gp_test_done();
}
