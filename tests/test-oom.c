/* Out-of-memory fault injection, in SQLite's way: each scenario runs once to
 * count the engine's allocations N, then again with the 1st, 2nd, ... nth
 * allocation failing (persistently: that one and every later one; and
 * transiently: that one only). Every run must end in GP_OK or GP_E_NOMEM
 * with an out-of-memory error, never another status or a crash; a failed
 * job leaves no output behind; and nothing leaks (LSan checks after each
 * scenario and at exit in the sanitizer build; set GP_OOM_LEAK_EACH=1 to
 * check after every single run and learn which n leaked).
 *
 * Only the engine's own allocations fail (tests/oom-alloc.h): the shared
 * libraries abort on out-of-memory by design. */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "gp-test.h"
#include "gradprint.h"
#include "oom-alloc.h"
#include "print/journal-private.h"
#include "print/print-run-private.h"
#include "sheets-fixture.h"
#include "test-photo-util.h"
#include "test-photos-fixture.h"

#include <zip.h>

#if defined(__SANITIZE_ADDRESS__)
#define GP_OOM_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GP_OOM_LSAN 1
#endif
#endif
#ifdef GP_OOM_LSAN
#include <sanitizer/lsan_interface.h>

#include "fuzz/fuzz-common.h"

/* Thousands of runs through Pango and fontconfig: the slow unwinder that
 * .ci/lsan.supp needs would make this test ten times slower, so it runs
 * with the fast one (tests/oom.cmake) and the fuzzers' suppressions, which
 * match the system libraries by name. cairo 1.16 keeps 768 bytes of every
 * finished PDF surface (.ci/lsan.supp's cairo_surface_finish), which the
 * fast unwinder sees only as libcairo: so blocks cairo allocates itself are
 * not checked here; every block the engine allocates is. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void) { return GP_FUZZ_LSAN_SUPPRESSIONS "leak:libcairo.so\n"; }
#endif

#define SAMPLES GP_SOURCE_DIR "/samples"
#define TEMPLATES GP_SOURCE_DIR "/templates"

static gp_context *ctx;
static char *dir;
static char path_roster2[1024], path_out[1024], path_journal[1024];
static char path_ods[1024], path_run[1024], path_photo[1024];
/* The run directory's journal as set up, put back after every run. */
static unsigned char *run_journal_bytes;
static size_t run_journal_size;

typedef struct scenario {
    const char *name;
    /* Runs the work once; what it made is freed before it returns. */
    gp_status (*run)(gp_error **err);
    /* The scenario writes into path_out: after a failed run it must be
     * empty (no half-written PDF, no staging directory). */
    bool writes_output;
    /* Removes what a run left (the journal), before the next run. */
    void (*reset)(void);
    /* Part of the work runs in a forked child, which inherits the
     * countdown: GP_E_NOMEM may come from an allocation refused there. */
    bool forks;
} scenario;

/* ---- scenarios ---- */

/* A job refused as invalid under an allocation failure took the failure
 * for a problem of the input: shows which finding, to find the site. */
static void show_errors(const char *job, const gp_report *report)
{
    for (size_t i = 0; report != NULL && i < gp_report_count(report); i++) {
        const gp_finding *f = gp_report_get(report, i);
        if (f->severity == GP_ERROR)
            fprintf(stderr, "  %s finding %s: %s\n", job, f->code, f->message);
    }
}

static gp_status run_context(gp_error **err)
{
    gp_context *c = NULL;
    gp_status st = gp_context_new(NULL, &c, err);
    gp_context_free(c);
    return st;
}

/* Without GRADPRINT_DATADIR the data is looked for beside the program
 * (the build tree is laid out like an install): an allocation failing
 * there must not pass for a directory without data. */
static gp_status run_context_beside_program(gp_error **err)
{
    static char saved[4096];
    const char *env = getenv("GRADPRINT_DATADIR");
    bool had = env != NULL;
    if (had)
        snprintf(saved, sizeof saved, "%s", env);
    unsetenv("GRADPRINT_DATADIR");
    gp_status st = run_context(err);
    if (had)
        setenv("GRADPRINT_DATADIR", saved, 1);
    return st;
}

static gp_status run_template_load(gp_error **err)
{
    gp_template *tpl = NULL;
    gp_status st = gp_template_load(ctx, TEMPLATES "/diploma-bachelor.xml", &tpl, err);
    if (st == GP_OK && gp_template_page_width_mm(tpl) <= 0)
        st = GP_E_INTERNAL;
    gp_template_free(tpl);
    return st;
}

/* Both sample rosters hold the same graduates. */
#define SAMPLE_RECORDS 36

static gp_status run_roster(const char *path, gp_error **err)
{
    gp_roster *r = NULL;
    gp_status st = gp_roster_load(ctx, path, NULL, &r, err);
    /* A roster that loaded must be whole: a dropped record or cell would
     * be an allocation failure passed off as success. */
    if (st == GP_OK && (gp_roster_size(r) != SAMPLE_RECORDS ||
                        gp_record_get(gp_roster_record(r, SAMPLE_RECORDS - 1), "id_number") == NULL))
        st = GP_E_INTERNAL;
    gp_roster_free(r);
    return st;
}

static gp_status run_roster_csv(gp_error **err) { return run_roster(SAMPLES "/roster.csv", err); }
static gp_status run_roster_xlsx(gp_error **err) { return run_roster(SAMPLES "/roster.xlsx", err); }

/* Preflight of a roster against a template: every record laid out. */
static gp_status run_template_check(gp_error **err)
{
    gp_template_check_options o;
    gp_template_check_options_init(&o);
    o.roster_path = path_roster2;
    gp_template_check *check = NULL;
    gp_status st = gp_template_check_run(ctx, TEMPLATES "/diploma-bachelor.xml", &o, &check, err);
    if (st == GP_E_INVALID)
        show_errors("template check", gp_template_check_report(check));
    if (st == GP_OK && gp_template_check_records(check) != 2)
        st = GP_E_INTERNAL;
    gp_template_check_free(check);
    return st;
}

static gp_status load_nothing(void *user, const gp_journal_event *ev, long line, gp_error **err)
{
    (void)ev, (void)line, (void)err;
    ++*(long *)user;
    return GP_OK;
}

/* A print run of two records on blanks B00100 and B00101, batch 1 done. */
static gp_status write_run_events(const char *path, gp_error **err)
{
    gp_journal *j = NULL;
    gp_status st = gp_journal_open(path, true, &j, err);
    if (st != GP_OK)
        return st;
    static const long records[] = {0, 1};
    gp_journal_event ev;
    gp_journal_event_init(&ev, GP_JOURNAL_RUN_STARTED);
    ev.run_id = "r20260501-080000-3fa2c1";
    ev.template_name = "diploma-bachelor";
    ev.queues = "office";
    ev.options = "tray=2";
    st = gp_journal_append(j, &ev, err);
    for (long r = 0; r < 2 && st == GP_OK; r++) {
        gp_journal_event_init(&ev, GP_JOURNAL_RECORD_RENDERED);
        ev.record = r;
        ev.student_no = r == 0 ? "2021011102" : "2021031101";
        ev.id_number = "500153200209047364";
        ev.batch = 1;
        ev.line = r + 2;
        st = gp_journal_append(j, &ev, err);
    }
    if (st == GP_OK) {
        gp_journal_event_init(&ev, GP_JOURNAL_BATCH_INTENT);
        ev.batch = 1;
        ev.job_name = "r20260501-080000-3fa2c1-b0001";
        ev.queue = "office";
        ev.records = records;
        ev.n_records = 2;
        st = gp_journal_append(j, &ev, err);
    }
    if (st == GP_OK) {
        gp_journal_event_init(&ev, GP_JOURNAL_BATCH_SUBMITTED);
        ev.batch = 1;
        ev.job_id = 41;
        st = gp_journal_append(j, &ev, err);
    }
    for (long r = 0; r < 2 && st == GP_OK; r++) {
        gp_journal_event_init(&ev, GP_JOURNAL_BLANK_ASSIGNED);
        ev.record = r;
        ev.serial = r == 0 ? "B00100" : "B00101";
        ev.batch = 1;
        st = gp_journal_append(j, &ev, err);
    }
    if (st == GP_OK) {
        gp_journal_event_init(&ev, GP_JOURNAL_BATCH_COMPLETED);
        ev.batch = 1;
        ev.job_id = 41;
        ev.state = "completed";
        st = gp_journal_append(j, &ev, err);
    }
    gp_journal_close(j);
    return st;
}

/* A print run's journal: events written, read back, folded into the state. */
static gp_status run_journal(gp_error **err)
{
    gp_status st = write_run_events(path_journal, err);
    if (st != GP_OK)
        return st;
    long events = 0;
    st = gp_journal_replay(path_journal, load_nothing, &events, NULL, err);
    if (st == GP_OK && events != 8)
        return GP_E_INTERNAL;
    gp_print_state *state = NULL;
    if (st == GP_OK)
        st = gp_print_state_load(path_journal, &state, err);
    if (st == GP_OK && (state->events != 8 || !gp_print_state_blank_used(state, "B00101")))
        st = GP_E_INTERNAL;
    gp_print_state_free(state);
    return st;
}

static void reset_journal(void) { unlink(path_journal); }

static gp_status run_roster_ods(gp_error **err)
{
    gp_roster *r = NULL;
    gp_status st = gp_roster_load(ctx, path_ods, NULL, &r, err);
    if (st == GP_OK && (gp_roster_size(r) != 2 || gp_record_get(gp_roster_record(r, 1), "id_number") == NULL))
        st = GP_E_INTERNAL;
    gp_roster_free(r);
    return st;
}

/* The .xls reader runs libfreexl in a forked child; the parent's side
 * (receiving the cells, building the table) is the engine's. */
static gp_status run_roster_xls(gp_error **err)
{
    gp_roster *r = NULL;
    gp_status st = gp_roster_load(ctx, GP_SOURCE_DIR "/tests/data/roster/students.xls", NULL, &r, err);
    if (st == GP_OK && gp_roster_size(r) == 0)
        st = GP_E_INTERNAL;
    gp_roster_free(r);
    return st;
}

/* What status, void and reprint do offline: the journal replayed and
 * folded, records listed, a blank voided (appended and folded again). */
static gp_status run_print_status(gp_error **err)
{
    gp_print_status *s = NULL;
    gp_status st = gp_print_status_load(path_run, &s, err);
    if (st == GP_OK && (gp_print_status_total(s) != 2 || gp_print_status_count(s, GP_PRINT_COMPLETED) != 2 ||
                        gp_print_status_records(s) != 2 || gp_print_status_blanks_used(s) != 2))
        st = GP_E_INTERNAL;
    for (size_t i = 0; st == GP_OK && i < gp_print_status_records(s); i++) {
        gp_print_record_info info;
        gp_print_status_record(s, i, &info);
        if (info.student_no == NULL || info.blank_serial == NULL || gp_print_status_record_blank_count(s, i) != 1)
            st = GP_E_INTERNAL;
    }
    gp_print_status_free(s);
    s = NULL;
    gp_print_void_outcome outcome;
    if (st == GP_OK)
        st = gp_print_void_blank(path_run, "B00101", "jammed", &outcome, err);
    if (st == GP_OK)
        st = gp_print_status_load(path_run, &s, err);
    if (st == GP_OK && (gp_print_status_voided(s) != 1 || gp_print_status_count(s, GP_PRINT_PENDING) != 1))
        st = GP_E_INTERNAL;
    gp_print_status_free(s);
    return st;
}

static void reset_run(void)
{
    char path[1100];
    snprintf(path, sizeof path, "%s/" GP_RUN_JOURNAL, path_run);
    REQUIRE(tp_write_file(path, run_journal_bytes, run_journal_size), "cannot restore %s", path);
}

/* The audit report of that run: an A4 PDF through Pango and the PDF driver. */
static gp_status run_print_report(gp_error **err)
{
    char out[1100];
    snprintf(out, sizeof out, "%s/report.pdf", path_out);
    return gp_print_audit_report(ctx, path_run, out, err);
}

/* One conforming photo through the 学信网 checker (OpenCV's own memory
 * is not the engine's and does not fail). */
static gp_status run_photos_check(gp_error **err)
{
    gp_photos_check_options o;
    gp_photos_check_options_init(&o);
    const char *paths[] = {path_photo};
    o.paths = paths;
    o.npaths = 1;
    o.jobs = 1;
    gp_photos_check_result *res = NULL;
    gp_status st = gp_photos_check_run(ctx, &o, &res, err);
    if (st == GP_E_INVALID)
        show_errors("photos check", gp_photos_check_result_report(res));
    if (st == GP_OK && (gp_photos_check_result_count(res) != 1 || gp_photos_check_result_failed(res) != 0))
        st = GP_E_INTERNAL;
    gp_photos_check_result_free(res);
    return st;
}

static gp_status run_certs(gp_error **err)
{
    char out[1100];
    snprintf(out, sizeof out, "%s/certs.pdf", path_out);
    gp_certs_options o;
    gp_certs_options_init(&o);
    o.roster_path = path_roster2;
    o.photos_dir = SAMPLES "/photos";
    o.template_path = TEMPLATES "/diploma-bachelor.xml";
    o.out_path = out;
    gp_certs_result *res = NULL;
    gp_status st = gp_certs_run(ctx, &o, &res, err);
    if (st == GP_E_INVALID)
        show_errors("certs", gp_certs_result_report(res));
    if (st == GP_OK && gp_certs_result_rendered(res) != 2)
        st = GP_E_INTERNAL;
    gp_certs_result_free(res);
    return st;
}

static gp_status sheets_with(int jobs, gp_error **err)
{
    char out[1100];
    snprintf(out, sizeof out, "%s/sheets", path_out);
    gp_sheets_options o;
    gp_sheets_options_init(&o);
    o.roster_path = path_roster2;
    o.photos_dir = SAMPLES "/photos";
    o.out_dir = out;
    o.formats = GP_SHEETS_JPEG | GP_SHEETS_PDF;
    o.jobs = jobs;
    gp_sheets_result *res = NULL;
    gp_status st = gp_sheets_run(ctx, &o, &res, err);
    if (st == GP_E_INVALID)
        show_errors("sheets", gp_sheets_result_report(res));
    if (st == GP_OK && gp_sheets_result_rendered(res) != 2)
        st = GP_E_INTERNAL;
    gp_sheets_result_free(res);
    return st;
}

/* One worker: the nth allocation is then the same one in every run. */
static gp_status run_sheets(gp_error **err) { return sheets_with(1, err); }
/* Two: which allocation is the nth differs from run to run, and so does
 * which worker meets it; every run must still end whole or in NOMEM. */
static gp_status run_sheets_2(gp_error **err) { return sheets_with(2, err); }

/* ---- the loop ---- */

/* Names of what is in path_out, for the message; empty when nothing. */
static void list_output(char *buf, size_t size)
{
    buf[0] = '\0';
    DIR *d = opendir(path_out);
    if (d == NULL)
        return;
    size_t len = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        int n = snprintf(buf + len, size - len, "%s ", e->d_name);
        if (n < 0 || (size_t)n >= size - len)
            break;
        len += (size_t)n;
    }
    closedir(d);
}

static void clear_output(void)
{
    char cmd[2200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'/* '%s'/.[!.]*", path_out, path_out);
    REQUIRE(system(cmd) == 0, "cannot clear %s", path_out);
}

static bool leak_each;

/* One run with the nth allocation failing; false when it broke a rule. */
static bool run_failing_at(const scenario *s, long n, bool persistent)
{
    gp_error *err = NULL;
    oom_arm(n, persistent);
    gp_status st = s->run(&err);
    oom_disarm();
    long refused = oom_refused();
    const char *mode = persistent ? "persistent" : "transient";
    bool ok = true;
    if (st == GP_E_NOMEM) {
        CHECK(gp_error_status(err) == GP_E_NOMEM, "%s: %s failure at %ld: status NOMEM but error %d \"%s\"",
              s->name, mode, n, gp_error_status(err), gp_error_message(err));
        CHECK(refused > 0 || s->forks, "%s: %s failure at %ld: GP_E_NOMEM with no allocation refused", s->name, mode,
              n);
        ok = gp_error_status(err) == GP_E_NOMEM && (refused > 0 || s->forks);
    } else if (st != GP_OK) {
        CHECK(false, "%s: %s failure at %ld: status %d, expected GP_OK or GP_E_NOMEM: %s", s->name, mode, n, st,
              gp_error_message(err));
        ok = false;
    }
    gp_error_free(err);
    if (s->writes_output) {
        char left[1024];
        list_output(left, sizeof left);
        if (st != GP_OK) {
            CHECK(left[0] == '\0', "%s: %s failure at %ld: left behind: %s", s->name, mode, n, left);
            ok = ok && left[0] == '\0';
        }
        clear_output();
    }
    if (s->reset)
        s->reset();
#ifdef GP_OOM_LSAN
    if (leak_each && __lsan_do_recoverable_leak_check() != 0) {
        CHECK(false, "%s: %s failure at %ld leaked (report above)", s->name, mode, n);
        ok = false;
    }
#endif
    return ok;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Every n up to dense is tried; beyond it every stride-th, so the runs stay
 * near max_runs while allocation sites that first appear late (the second
 * record, the output writers) are still reached. The last allocation is
 * always tried. */
static long next_n(long n, long total, long dense, long stride)
{
    if (n < dense || n >= total)
        return n + 1;
    return n + stride > total ? total : n + stride;
}

static void run_scenario(const scenario *s, long dense, long max_runs)
{
    gp_error *err = NULL;
    /* The first run fills the process's caches (fontconfig, gettext), so
     * that the counted run is what every later run repeats. */
    gp_status st = s->run(&err);
    REQUIRE(st == GP_OK, "%s without failures: %s", s->name, gp_error_message(err));
    gp_error_free(err);
    err = NULL;
    if (s->writes_output)
        clear_output();
    if (s->reset)
        s->reset();
    oom_arm(0, false);
    st = s->run(&err);
    oom_disarm();
    long total = oom_count();
    REQUIRE(st == GP_OK, "%s counted: %s", s->name, gp_error_message(err));
    gp_error_free(err);
    if (s->writes_output)
        clear_output();
    if (s->reset)
        s->reset();
    CHECK(total > 0, "%s: no allocation counted: the --wrap link options are not in effect", s->name);

    long stride = 1;
    if (total > dense && max_runs > dense)
        stride = (total - dense + (max_runs - dense) - 1) / (max_runs - dense);
    if (stride < 1)
        stride = 1;
    double started = now_s();
    long runs = 0, broken = 0;
    /* GP_OOM_N=n tries that n only (with GP_OOM_TRACE=1 to see its site). */
    const char *only_n = getenv("GP_OOM_N");
    for (long n = only_n ? atol(only_n) : 1; n <= total; n = only_n ? total + 1 : next_n(n, total, dense, stride)) {
        /* Transient failures where the dense sweep is: one refused
         * allocation and the rest granted tests the recovery paths. */
        bool fine = run_failing_at(s, n, true);
        if (n <= dense)
            fine = run_failing_at(s, n, false) && fine;
        runs += n <= dense ? 2 : 1;
        /* One broken site tends to break every later n the same way: stop
         * after a few so the report stays readable. */
        if (!fine && ++broken >= 5) {
            fprintf(stderr, "%s: stopping after %ld broken runs\n", s->name, broken);
            break;
        }
    }
#ifdef GP_OOM_LSAN
    CHECK(__lsan_do_recoverable_leak_check() == 0, "%s leaked (report above)", s->name);
#endif
    printf("%-16s %6ld allocations, %5ld runs (every n to %ld, then every %ld), %.1f s\n", s->name, total, runs,
           dense < total ? dense : total, stride, now_s() - started);
    fflush(stdout);
}

static void write_roster2(void)
{
    /* The header and the first two graduates of the sample roster. */
    FILE *in = fopen(SAMPLES "/roster.csv", "r");
    REQUIRE(in != NULL, "cannot read the sample roster");
    snprintf(path_roster2, sizeof path_roster2, "%s/roster2.csv", dir);
    FILE *out = fopen(path_roster2, "w");
    REQUIRE(out != NULL, "cannot write %s", path_roster2);
    char line[4096];
    for (int i = 0; i < 3 && fgets(line, sizeof line, in) != NULL; i++)
        fputs(line, out);
    fclose(in);
    REQUIRE(fclose(out) == 0, "cannot write %s", path_roster2);
}

/* An .ods of the first two sample graduates, as LibreOffice lays it out:
 * strings, a float student number, the mimetype stored first. */
static void write_ods(void)
{
    static const char content[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
        "<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
        "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" "
        "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\"><office:body><office:spreadsheet>"
        "<table:table table:name=\"毕业生\"><table:table-row>"
        "<table:table-cell office:value-type=\"string\"><text:p>学号</text:p></table:table-cell>"
        "<table:table-cell office:value-type=\"string\"><text:p>姓名</text:p></table:table-cell>"
        "<table:table-cell office:value-type=\"string\"><text:p>身份证号</text:p></table:table-cell>"
        "</table:table-row><table:table-row>"
        "<table:table-cell office:value-type=\"float\" office:value=\"2021011102\"><text:p>2021011102</text:p>"
        "</table:table-cell><table:table-cell office:value-type=\"string\"><text:p>张<text:s/>伟</text:p>"
        "</table:table-cell><table:table-cell office:value-type=\"string\"><text:p>500153200209047364</text:p>"
        "</table:table-cell></table:table-row><table:table-row>"
        "<table:table-cell office:value-type=\"string\"><text:p>2021031101</text:p></table:table-cell>"
        "<table:table-cell office:value-type=\"string\"><text:p>李娜</text:p></table:table-cell>"
        "<table:table-cell office:value-type=\"string\"><text:p>110101200301010015</text:p></table:table-cell>"
        "</table:table-row><table:table-row table:number-rows-repeated=\"1000\">"
        "<table:table-cell table:number-columns-repeated=\"3\"/></table:table-row>"
        "</table:table></office:spreadsheet></office:body></office:document-content>";
    static const char mimetype[] = "application/vnd.oasis.opendocument.spreadsheet";
    snprintf(path_ods, sizeof path_ods, "%s/roster.ods", dir);
    int zerr = 0;
    zip_t *za = zip_open(path_ods, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
    REQUIRE(za != NULL, "cannot make %s", path_ods);
    const char *names[] = {"mimetype", "content.xml"}, *data[] = {mimetype, content};
    for (int i = 0; i < 2; i++) {
        zip_source_t *src = zip_source_buffer(za, data[i], strlen(data[i]), 0);
        zip_int64_t idx = src != NULL ? zip_file_add(za, names[i], src, ZIP_FL_ENC_UTF_8) : -1;
        REQUIRE(idx >= 0, "cannot add %s to %s", names[i], path_ods);
        zip_set_file_compression(za, (zip_uint64_t)idx, i == 0 ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 9);
    }
    REQUIRE(zip_close(za) == 0, "cannot write %s", path_ods);
}

/* A run directory as gp_print_run leaves it after printing the two records
 * of roster2.csv: run.conf and the journal. */
static void write_run(void)
{
    snprintf(path_run, sizeof path_run, "%s/run", dir);
    REQUIRE(mkdir(path_run, 0700) == 0, "mkdir %s", path_run);
    gp_print_options po;
    gp_print_options_init(&po);
    gp_certs_options_init(&po.certs);
    po.certs.roster_path = path_roster2;
    po.certs.template_path = TEMPLATES "/diploma-bachelor.xml";
    gp_print_queue queue = {.name = "office", .calibration = {.scale_x = 1, .scale_y = 1}};
    po.queues = &queue;
    po.n_queues = 1;
    po.first_blank = "B00100";
    gp_run_conf conf;
    gp_error *err = NULL;
    REQUIRE(gp_run_conf_from_options(&conf, &po, "r20260501-080000-3fa2c1", &err) == GP_OK, "run.conf: %s",
            gp_error_message(err));
    conf.total = 2;
    REQUIRE(gp_run_conf_write(&conf, path_run, &err) == GP_OK, "run.conf: %s", gp_error_message(err));
    gp_run_conf_free(&conf);
    char path[1100];
    snprintf(path, sizeof path, "%s/" GP_RUN_JOURNAL, path_run);
    REQUIRE(write_run_events(path, &err) == GP_OK, "journal: %s", gp_error_message(err));
    run_journal_bytes = tp_read_file(path, &run_journal_size);
    REQUIRE(run_journal_bytes != NULL, "cannot read %s", path);
}

/* A photo that meets the standard, named after the first graduate. */
static void write_photo(void)
{
    tpf_place place = tpf_standard();
    cairo_surface_t *s = tpf_compose(&place);
    REQUIRE(s != NULL, "no test portrait (%s)", TPF_ASTRONAUT_PNG);
    int q = 0;
    size_t size = 0;
    unsigned char *jpeg = tpf_encode_fit(s, 36 * 1024, &q, &size);
    cairo_surface_destroy(s);
    snprintf(path_photo, sizeof path_photo, "%s/500153200209047364.jpg", dir);
    REQUIRE(jpeg != NULL && tp_write_file(path_photo, jpeg, size), "cannot write %s", path_photo);
    free(jpeg);
}

int main(void)
{
    dir = fixture_tempdir();
    write_roster2();
    write_ods();
    write_run();
    write_photo();
    snprintf(path_out, sizeof path_out, "%s/out", dir);
    REQUIRE(mkdir(path_out, 0700) == 0, "mkdir %s", path_out);
    snprintf(path_journal, sizeof path_journal, "%s/journal", dir);
    const char *each = getenv("GP_OOM_LEAK_EACH");
    leak_each = each != NULL && strcmp(each, "1") == 0;

    gp_error *err = NULL;
    REQUIRE(gp_context_new(NULL, &ctx, &err) == GP_OK, "context: %s", gp_error_message(err));

    /* dense / max_runs per scenario: the loaders are swept whole, both
     * ways. A certificate or sheet run costs ~0.3 s under ASan, so the jobs
     * are swept whole to n = dense (their option checks, template and
     * roster loads, which the loader scenarios sweep whole anyway) and then
     * sampled every k-th allocation through preflight, render and commit
     * (certs every 3rd, sheets every 8th), to stay near half a minute each. */
    static const struct {
        scenario s;
        long dense, max_runs;
    } plan[] = {
        {{"context", run_context, false, NULL, false}, 100000, 100000},
        {{"context-found", run_context_beside_program, false, NULL, false}, 100000, 100000},
        {{"template-load", run_template_load, false, NULL, false}, 100000, 100000},
        {{"roster-csv", run_roster_csv, false, NULL, false}, 100000, 100000},
        {{"roster-xlsx", run_roster_xlsx, false, NULL, false}, 100000, 100000},
        {{"journal", run_journal, false, reset_journal, false}, 100000, 100000},
        {{"template-check", run_template_check, false, NULL, false}, 100000, 100000},
        {{"roster-ods", run_roster_ods, false, NULL, false}, 100000, 100000},
        {{"roster-xls", run_roster_xls, false, NULL, true}, 100000, 100000},
        {{"print-status", run_print_status, false, reset_run, false}, 100000, 100000},
        {{"print-report", run_print_report, true, NULL, false}, 60, 150},
        {{"photos-check", run_photos_check, false, NULL, false}, 60, 150},
        {{"certs", run_certs, true, NULL, false}, 60, 200},
        {{"sheets", run_sheets, true, NULL, false}, 40, 110},
        {{"sheets-2-workers", run_sheets_2, true, NULL, false}, 40, 80},
    };
    const char *only = getenv("GP_OOM_ONLY");
    for (size_t i = 0; i < sizeof plan / sizeof plan[0]; i++)
        if (only == NULL || strcmp(only, plan[i].s.name) == 0)
            run_scenario(&plan[i].s, plan[i].dense, plan[i].max_runs);

    gp_context_free(ctx);
    free(run_journal_bytes);
    fixture_remove(dir);
    free(dir);
    return gp_test_done();
}
