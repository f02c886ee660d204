/* Printing through a real CUPS: run by cups-fixture.sh, which starts a
 * private cupsd with a virtual IPP Everywhere printer that keeps every
 * document it gets (printer-spool/<id>-<job-name>.pdf) and the job
 * attributes it got (.prn). */
#include <cairo-pdf.h>
#include <cairo.h>
#include <cups/cups.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <time.h>
#include <unistd.h>

#include "print/cups-private.h"
#include "print/queue-private.h"
#include "base/report-private.h"
#include "base/error-private.h"
#include "gp-test-pdf.h"
#include "gp-test.h"
#include "tempdir.h"

#define PT_PER_MM (72.0 / 25.4)

/* Personal data that is on the pages and must appear nowhere else. */
#define STUDENT_NAME "Zhang San"
#define STUDENT_ID "110101199003071234"
#define CERT_NO "ZS-2026-000123"

static const char *queue, *fixture_dir;
static char *run_dir;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void draw_page(cairo_t *cr, double w_mm, double h_mm, int page)
{
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, 0.5);
    cairo_rectangle(cr, 10, 10, w_mm - 20, h_mm - 20);
    cairo_stroke(cr);
    cairo_select_font_face(cr, "sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 8);
    char text[128];
    snprintf(text, sizeof text, "%s %s %s page %d", STUDENT_NAME, STUDENT_ID, CERT_NO, page);
    cairo_move_to(cr, 20, 40);
    cairo_show_text(cr, text);
}

/* A pages-long PDF of w x h mm, written with cairo directly. */
static void make_pdf(const char *path, int pages, double w_mm, double h_mm)
{
    cairo_surface_t *s = cairo_pdf_surface_create(path, w_mm * PT_PER_MM, h_mm * PT_PER_MM);
    cairo_t *cr = cairo_create(s);
    cairo_scale(cr, PT_PER_MM, PT_PER_MM);
    for (int p = 1; p <= pages; p++) {
        draw_page(cr, w_mm, h_mm, p);
        cairo_show_page(cr);
    }
    cairo_destroy(cr);
    cairo_surface_finish(s);
    REQUIRE(cairo_surface_status(s) == CAIRO_STATUS_SUCCESS, "cairo could not write %s", path);
    cairo_surface_destroy(s);
}

/* printer-spool/<id>-<name><suffix>: the newest such file, or "" */
static void received(const char *name, const char *suffix, char *out, size_t size)
{
    char dir[512], want[128];
    snprintf(dir, sizeof dir, "%s/printer-spool", fixture_dir);
    snprintf(want, sizeof want, "-%s%s", name, suffix);
    out[0] = '\0';
    long best = -1;
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name), w = strlen(want);
        long id = strtol(e->d_name, NULL, 10);
        if (n > w && strcmp(e->d_name + n - w, want) == 0 && id > best) {
            best = id;
            snprintf(out, size, "%s/%s", dir, e->d_name);
        }
    }
    closedir(d);
}

static char *slurp(const char *path)
{
    size_t size;
    unsigned char *data = gp_pdf_slurp(path, &size);
    if (data == NULL)
        return NULL;
    char *s = realloc(data, size + 1);
    if (s == NULL) {
        free(data);
        return NULL;
    }
    s[size] = '\0';
    return s;
}

/* Every attribute CUPS holds for the job, as text. */
static char *job_attributes(int job_id)
{
    char uri[256];
    snprintf(uri, sizeof uri, "ipp://localhost/jobs/%d", job_id);
    ipp_t *req = ippNewRequest(IPP_OP_GET_JOB_ATTRIBUTES);
    ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_URI, "job-uri", NULL, uri);
    ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", NULL, "all");
    ipp_t *resp = cupsDoRequest(CUPS_HTTP_DEFAULT, req, "/");
    size_t cap = 65536, len = 0;
    char *text = calloc(1, cap);
    for (ipp_attribute_t *a = ippFirstAttribute(resp); a != NULL && text != NULL; a = ippNextAttribute(resp)) {
        char value[4096];
        ippAttributeString(a, value, sizeof value);
        const char *name = ippGetName(a);
        int n = snprintf(text + len, cap - len, "%s=%s\n", name != NULL ? name : "", value);
        if (n > 0 && (size_t)n < cap - len)
            len += (size_t)n;
    }
    ippDelete(resp);
    return text;
}

static bool has(const char *hay, const char *needle)
{
    return hay != NULL && strstr(hay, needle) != NULL;
}

static int count_jobs(void)
{
    cups_job_t *jobs;
    int n = cupsGetJobs2(CUPS_HTTP_DEFAULT, &jobs, queue, 0, CUPS_WHICHJOBS_ALL);
    if (n > 0)
        cupsFreeJobs(n, jobs);
    return n;
}

/* cupsdisable, cupsenable, cupsreject, cupsaccept on the queue, as an operator would. */
static void run_cmd(const char *tool, const char *reason)
{
    char cmd[512];
    if (reason != NULL)
        snprintf(cmd, sizeof cmd, "%s -r '%s' %s", tool, reason, queue);
    else
        snprintf(cmd, sizeof cmd, "%s %s", tool, queue);
    REQUIRE(system(cmd) == 0, "%s failed", cmd);
}

/* The plan gradprint makes for the diploma template on the queue, with tray. */
static void plan_for(const char *tray, gp_queue_plan *plan, gp_report *report)
{
    char tpl_path[600];
    snprintf(tpl_path, sizeof tpl_path, "%s/templates/diploma-bachelor.xml", GP_SOURCE_DIR);
    gp_context *ctx = NULL;
    gp_template *tpl = NULL;
    gp_error *err = NULL;
    REQUIRE(gp_context_new(NULL, &ctx, &err) == GP_OK && gp_template_load(ctx, tpl_path, &tpl, &err) == GP_OK,
            "template: %s", err ? gp_error_message(err) : "");
    gp_status st = gp_queue_check(queue, tpl, tray, NULL, plan, report, &err);
    REQUIRE(st == GP_OK, "queue check: %s", err ? gp_error_message(err) : "");
    gp_template_free(tpl);
    gp_context_free(ctx);
}

typedef struct created_log {
    int calls, job_id;
    bool document_there; /* CUPS had the job's document when the callback ran */
} created_log;

static gp_status on_created(void *user, int job_id, gp_error **err)
{
    (void)err;
    created_log *log = user;
    log->calls++;
    log->job_id = job_id;
    int docs = -1;
    gp_error *e = NULL;
    gp_cups_job_documents(queue, job_id, &docs, &e);
    gp_error_free(e);
    log->document_there = docs > 0;
    return GP_OK;
}

/* gp_cups_submit with the plan's options for the diploma (tray may be NULL). */
static gp_status submit(const char *pdf, const char *name, const char *tray, int *job_id, bool *refused,
                        created_log *log, gp_error **err)
{
    gp_queue_plan plan;
    gp_report *report = gp_report_new();
    plan_for(tray, &plan, report);
    for (size_t i = 0; plan.fit != GP_FIT_AS_IS && i < gp_report_count(report); i++)
        fprintf(stderr, "finding: %s %s\n", gp_report_get(report, i)->code, gp_report_get(report, i)->message);
    REQUIRE(plan.fit == GP_FIT_AS_IS, "the virtual printer takes the blank as it is (fit %d)", plan.fit);
    bool ignored;
    gp_status st = gp_cups_submit(queue, pdf, name, plan.options, plan.n_options, log ? on_created : NULL, log,
                                  job_id, refused ? refused : &ignored, err);
    gp_queue_plan_free(&plan);
    gp_report_free(report);
    return st;
}

/* The document and attributes the printer got for job name. */
static void check_received(const char *name, const char *media_source)
{
    char pdf[600], prn[600];
    received(name, ".pdf", pdf, sizeof pdf);
    received(name, ".prn", prn, sizeof prn);
    REQUIRE(pdf[0] != '\0' && prn[0] != '\0', "the printer kept no document for %s", name);
    PopplerDocument *doc = gp_pdf_open(pdf);
    REQUIRE(doc != NULL, "%s is not a PDF", pdf);
    CHECK(gp_pdf_page_count(doc) == 2, "%s has %d pages, expected 2", pdf, gp_pdf_page_count(doc));
    for (int p = 0; p < gp_pdf_page_count(doc); p++) {
        PopplerPage *page = poppler_document_get_page(doc, p);
        double w, h;
        poppler_page_get_size(page, &w, &h);
        g_object_unref(page);
        /* 270 x 190 mm exactly: media=Custom... would give 765 x 538. */
        CHECK_NEAR(w, 765.354, 0.001);
        CHECK_NEAR(h, 538.583, 0.001);
    }
    char *text = gp_pdf_page_text(doc, 0);
    CHECK(has(text, STUDENT_ID), "the page lost its content: %s", text != NULL ? text : "(none)");
    g_free(text);
    gp_pdf_close(doc);

    char *attrs = slurp(prn);
    REQUIRE(attrs != NULL, "cannot read %s", prn);
    CHECK(has(attrs, "media-size={x-dimension=27000 y-dimension=19000}"), "media-col in %s:\n%s", prn, attrs ? attrs : "(none)");
    char want[128];
    snprintf(want, sizeof want, "IPP_JOB_NAME=%s\n", name);
    CHECK(has(attrs, want), "job name in %s:\n%s", prn, attrs ? attrs : "(none)");
    /* CUPS leaves copies=1 out, as the default; more would be sent. */
    CHECK(!has(attrs, "\nIPP_COPIES=") || has(attrs, "\nIPP_COPIES=1\n"), "copies in %s", prn);
    if (media_source != NULL) {
        snprintf(want, sizeof want, "media-source=%s", media_source);
        char *col = strstr(attrs, "IPP_MEDIA_COL=");
        char *eol = col != NULL ? strchr(col, '\n') : NULL;
        if (eol != NULL)
            *eol = '\0';
        CHECK(has(col, want), "tray: %s", col != NULL ? col : "(no media-col)");
    }
    CHECK(!has(attrs, STUDENT_NAME) && !has(attrs, STUDENT_ID) && !has(attrs, CERT_NO) && !has(attrs, "zhang"),
          "personal data reached the printer outside the document:\n%s", attrs);
    free(attrs);
}

static void check_cups_holds_no_personal_data(int job_id, const char *name)
{
    char *attrs = job_attributes(job_id);
    REQUIRE(attrs != NULL && attrs[0] != '\0', "no attributes for job %d", job_id);
    char want[128];
    snprintf(want, sizeof want, "job-name=%s\n", name);
    CHECK(has(attrs, want), "job %d attributes:\n%s", job_id, attrs ? attrs : "(none)");
    CHECK(!has(attrs, STUDENT_NAME) && !has(attrs, STUDENT_ID) && !has(attrs, CERT_NO) &&
              !has(attrs, run_dir),
          "personal data or file names in CUPS' job %d:\n%s", job_id, attrs ? attrs : "(none)");
    free(attrs);
}

static void test_submit_prints(const char *pdf)
{
    const char *name = "gp-test-r1-b0001";
    created_log log = {0};
    int job_id = 0;
    gp_error *err = NULL;
    gp_status st = submit(pdf, name, NULL, &job_id, NULL, &log, &err);
    REQUIRE(st == GP_OK && job_id > 0, "submit: %s", err != NULL ? gp_error_message(err) : "");
    CHECK(log.calls == 1 && log.job_id == job_id, "created callback: %d calls, job %d", log.calls, log.job_id);
    CHECK(!log.document_there, "the callback ran after the document was sent");
    gp_cups_wait_result res;
    st = gp_cups_wait(queue, job_id, 30, &res, &err);
    CHECK(st == GP_OK && res.state == GP_CUPS_COMPLETED, "ended %s %s", gp_cups_state_name(res.state), res.reason);
    int found_id;
    gp_cups_state found_state;
    st = gp_cups_find_job(queue, name, &found_id, &found_state, &err);
    CHECK(st == GP_OK && found_id == job_id && found_state == GP_CUPS_COMPLETED, "find_job: %d %s", found_id,
          gp_cups_state_name(found_state));
    st = gp_cups_find_job(queue, "gp-test-r1-b9999", &found_id, &found_state, &err);
    CHECK(st == GP_OK && found_id == 0 && found_state == GP_CUPS_UNKNOWN, "a name no job has: %d", found_id);
    gp_cups_state state;
    char reason[256];
    st = gp_cups_job_state(queue, job_id, &state, reason, sizeof reason, &err);
    CHECK(st == GP_OK && state == GP_CUPS_COMPLETED, "job_state: %s", gp_cups_state_name(state));
    st = gp_cups_job_state(queue, 987654, &state, reason, sizeof reason, &err);
    CHECK(st == GP_OK && state == GP_CUPS_UNKNOWN, "a job CUPS never had: %s %s", gp_cups_state_name(state),
          reason);
    gp_error_free(err);
    check_received(name, NULL);
    check_cups_holds_no_personal_data(job_id, name);
}

/* A failing callback (the journal could not be written) cancels the job
 * before its document goes. */
static gp_status refuse_created(void *user, int job_id, gp_error **err)
{
    *(int *)user = job_id;
    return gp_error_set(err, GP_E_IO, NULL, 0, "%s", "journal write failed (test)");
}

static void test_callback_failure_cancels(const char *pdf)
{
    gp_queue_plan plan;
    gp_report *report = gp_report_new();
    plan_for(NULL, &plan, report);
    int seen = 0, job_id = 0;
    bool refused = true;
    gp_error *err = NULL;
    gp_status st = gp_cups_submit(queue, pdf, "gp-test-r1-b0003", plan.options, plan.n_options, refuse_created,
                                  &seen, &job_id, &refused, &err);
    CHECK(st == GP_E_IO && seen > 0 && job_id == seen && !refused, "callback failure: %d job %d", st, job_id);
    gp_error_free(err);
    err = NULL;
    gp_cups_state state;
    st = gp_cups_job_state(queue, job_id, &state, NULL, 0, &err);
    CHECK(st == GP_OK && state == GP_CUPS_CANCELED, "the job was left %s", gp_cups_state_name(state));
    char found[600];
    received("gp-test-r1-b0003", ".pdf", found, sizeof found);
    CHECK(found[0] == '\0', "the printer got the document of a cancelled job: %s", found);
    gp_error_free(err);
    gp_queue_plan_free(&plan);
    gp_report_free(report);
}

static void test_tray_and_page_size(const char *pdf)
{
    const char *name = "gp-test-r1-b0002";
    int job_id = 0;
    gp_error *err = NULL;
    gp_status st = submit(pdf, name, "tray-2", &job_id, NULL, NULL, &err);
    REQUIRE(st == GP_OK, "submit with a tray: %s", err != NULL ? gp_error_message(err) : "");
    gp_cups_wait_result res;
    st = gp_cups_wait(queue, job_id, 30, &res, &err);
    CHECK(st == GP_OK && res.state == GP_CUPS_COMPLETED, "ended %s", gp_cups_state_name(res.state));
    gp_error_free(err);
    check_received(name, "tray-2");

    /* An unknown tray is the queue check's finding, before any job. */
    int before = count_jobs();
    gp_queue_plan plan;
    gp_report *report = gp_report_new();
    plan_for("tray-9", &plan, report);
    CHECK(plan.fit == GP_FIT_NONE, "an unknown tray passed the queue check");
    bool named = false;
    for (size_t i = 0; i < gp_report_count(report); i++) {
        const gp_finding *f = gp_report_get(report, i);
        named = named || (strcmp(f->code, "queue-tray") == 0 && has(f->message, "tray-9") &&
                          has(f->message, "tray-1") && has(f->message, queue));
    }
    CHECK(named, "the tray finding names the tray, the queue and its trays");
    gp_queue_plan_free(&plan);
    gp_report_free(report);
    CHECK(count_jobs() == before, "a job reached CUPS");

    /* Without a page size nothing is sent. */
    gp_job_option one = {(char *)"print-scaling", (char *)"none"};
    bool refused;
    err = NULL;
    st = gp_cups_submit(queue, pdf, "gp-test-r1-b0005", &one, 1, NULL, NULL, &job_id, &refused, &err);
    CHECK(st == GP_E_INTERNAL && count_jobs() == before, "a job without a page size: %d", st);
    gp_error_free(err);
}

static void test_paused_queue(const char *pdf)
{
    run_cmd("cupsdisable", "paused by the test");
    int job_id;
    gp_error *err = NULL;
    gp_status st = submit(pdf, "gp-test-r1-b0006", NULL, &job_id, NULL, NULL, &err);
    REQUIRE(st == GP_OK, "a paused queue still takes jobs: %s", err != NULL ? gp_error_message(err) : "");
    gp_cups_wait_result res;
    double t0 = now_s();
    st = gp_cups_wait(queue, job_id, 10, &res, &err);
    double took = now_s() - t0;
    CHECK(st == GP_OK && res.queue_paused && !res.finished && res.state == GP_CUPS_PENDING,
          "paused queue: st %d paused %d finished %d %s", st, res.queue_paused, res.finished,
          gp_cups_state_name(res.state));
    /* Seen paused, not waited out: well before the 10 s the wait was given. */
    CHECK(took < 8.0, "noticing the pause took %.2f s", took);
    CHECK(has(res.reason, "paused by the test"), "reason \"%s\"", res.reason);
    /* Waiting again while paused does not spin. */
    t0 = now_s();
    st = gp_cups_wait(queue, job_id, 10, &res, &err);
    took = now_s() - t0;
    CHECK(res.queue_paused && took >= 0.1, "second wait: paused %d after %.3f s", res.queue_paused, took);

    run_cmd("cupsenable", NULL);
    st = gp_cups_wait(queue, job_id, 30, &res, &err);
    CHECK(st == GP_OK && res.finished && res.state == GP_CUPS_COMPLETED && !res.queue_paused,
          "after cupsenable: %s", gp_cups_state_name(res.state));
    gp_error_free(err);
}

static void test_rejecting_queue(const char *pdf)
{
    run_cmd("cupsreject", "closed by the test");
    int job_id = -1;
    gp_error *err = NULL;
    /* Past the queue check (which refuses a rejecting queue), CUPS itself refuses. */
    gp_job_option size = {(char *)"PageSize", (char *)"Custom.270x190mm"};
    bool refused = false;
    gp_status st = gp_cups_submit(queue, pdf, "gp-test-r1-b0007", &size, 1, NULL, NULL, &job_id, &refused, &err);
    CHECK(refused, "CUPS refusing the job is not reported as a refusal");
    const char *msg = err != NULL ? gp_error_message(err) : "";
    CHECK(st == GP_E_IO && job_id == 0, "rejecting queue: %d, job %d", st, job_id);
    CHECK(has(msg, "not accepting jobs") && has(msg, "closed by the test") && has(msg, "cupsaccept") &&
              has(msg, queue),
          "message: %s", msg);
    fprintf(stderr, "rejecting queue: %s\n", msg);
    gp_error_free(err);
    run_cmd("cupsaccept", NULL);
}

static void test_unknown_queue(const char *pdf)
{
    int job_id = -1;
    gp_error *err = NULL;
    gp_job_option size = {(char *)"PageSize", (char *)"Custom.270x190mm"};
    bool refused = false;
    gp_status st = gp_cups_submit("no-such-queue", pdf, "gp-test-r1-b0008", &size, 1, NULL, NULL, &job_id, &refused, &err);
    const char *msg = err != NULL ? gp_error_message(err) : "";
    CHECK(st == GP_E_IO && job_id == 0, "unknown queue: %d", st);
    CHECK(has(msg, "no printer queue named no-such-queue") && has(msg, "lpstat -p"), "message: %s", msg);
    gp_error_free(err);

    err = NULL;
    gp_cups_state state;
    st = gp_cups_find_job("no-such-queue", "gp-test-r1-b0001", &job_id, &state, &err);
    CHECK(st == GP_E_IO && has(err != NULL ? gp_error_message(err) : "", "no printer queue named"), "find: %d %s",
          st, err != NULL ? gp_error_message(err) : "");
    gp_error_free(err);
}

static void test_bad_names(const char *pdf)
{
    static const char *const bad[] = {
        "张三-证书",                /* Chinese: a student's name */
        "gp run 1",                 /* spaces */
        "",                         /* empty */
        "gp-test/../b1",            /* path-like */
        "gp-test-r1-b0001\n",       /* control character */
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", /* 65 characters */
    };
    int before = count_jobs();
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int job_id = -1;
        gp_error *err = NULL;
        gp_job_option size = {(char *)"PageSize", (char *)"Custom.270x190mm"};
        bool refused;
        gp_status st = gp_cups_submit(queue, pdf, bad[i], &size, 1, NULL, NULL, &job_id, &refused, &err);
        CHECK(st == GP_E_USAGE && job_id == 0, "name %zu: %d", i, st);
        CHECK(err != NULL && !has(gp_error_message(err), "张三"), "the refusal repeats the name");
        gp_error_free(err);
        err = NULL;
        gp_cups_state state;
        st = gp_cups_find_job(queue, bad[i], &job_id, &state, &err);
        CHECK(st == GP_E_USAGE, "find name %zu: %d", i, st);
        gp_error_free(err);
    }
    CHECK(gp_cups_job_name_valid("r20260501-080000-3fa2c1-b0007"), "a run's job name");
    CHECK(gp_cups_job_name_valid("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), "64 characters");
    CHECK(count_jobs() == before, "a refused name reached CUPS (%d jobs, %d before)", count_jobs(), before);
}

static void fixture(const char *command)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "bash '%s' %s", getenv("GP_CUPS_FIXTURE_SCRIPT"), command);
    REQUIRE(system(cmd) == 0, "%s failed", cmd);
}

/* The scheduler restarts with a job waiting: the job survives, a wait rides
 * the outage out, and the job is still found by its name afterwards. */
static void test_cups_restart(const char *pdf)
{
    const char *name = "gp-test-r1-b0010";
    run_cmd("cupsdisable", "until the restart");
    int job_id;
    gp_error *err = NULL;
    gp_status st = submit(pdf, name, NULL, &job_id, NULL, NULL, &err);
    REQUIRE(st == GP_OK, "submit: %s", err != NULL ? gp_error_message(err) : "");
    fixture("stop-cupsd");
    gp_cups_state state;
    st = gp_cups_job_state(queue, job_id, &state, NULL, 0, &err);
    CHECK(st == GP_E_IO && has(err != NULL ? gp_error_message(err) : "", "cannot reach the CUPS server"),
          "CUPS down: %d %s", st, err != NULL ? gp_error_message(err) : "");
    gp_error_free(err);
    err = NULL;

    char cmd[700];
    snprintf(cmd, sizeof cmd, "(sleep 1; bash '%s' start-cupsd && cupsenable '%s') >/dev/null 2>&1 &",
             getenv("GP_CUPS_FIXTURE_SCRIPT"), queue);
    REQUIRE(system(cmd) == 0, "%s", cmd);
    double t0 = now_s();
    gp_cups_wait_result res;
    int paused = 0;
    do {
        st = gp_cups_wait(queue, job_id, 20, &res, &err);
        paused += res.queue_paused;
    } while (st == GP_OK && res.queue_paused && now_s() - t0 < 25);
    double took = now_s() - t0;
    CHECK(st == GP_OK && res.finished && res.state == GP_CUPS_COMPLETED, "across the restart: %d %s %s", st,
          gp_cups_state_name(res.state), err != NULL ? gp_error_message(err) : "");
    CHECK(took >= 0.9, "the wait did not see the outage (%.2f s)", took);
    fprintf(stderr, "CUPS restart: job %d %s after %.2f s (%d paused waits)\n", job_id,
            gp_cups_state_name(res.state), took, paused);
    gp_error_free(err);
    err = NULL;
    int found;
    st = gp_cups_find_job(queue, name, &found, &state, &err);
    CHECK(st == GP_OK && found == job_id && state == GP_CUPS_COMPLETED, "found after the restart: %d %s", found,
          gp_cups_state_name(state));
    gp_error_free(err);
}

/* A port nothing listens on: bound, then released. */
static int dead_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    int port = 0;
    if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 && getsockname(fd, (struct sockaddr *)&a, &len) == 0)
        port = ntohs(a.sin_port);
    if (fd >= 0)
        close(fd);
    return port;
}

static void test_unreachable_server(const char *pdf)
{
    char server[64];
    snprintf(server, sizeof server, "localhost:%d", dead_port());
    cupsSetServer(server);
    int job_id = -1;
    gp_error *err = NULL;
    gp_job_option size = {(char *)"PageSize", (char *)"Custom.270x190mm"};
    bool refused = true;
    gp_status st = gp_cups_submit(queue, pdf, "gp-test-r1-b0009", &size, 1, NULL, NULL, &job_id, &refused, &err);
    CHECK(!refused, "an unreachable server counts as a refusal (the job may exist)");
    const char *msg = err != NULL ? gp_error_message(err) : "";
    CHECK(st == GP_E_IO && has(msg, "cannot reach the CUPS server") && has(msg, server), "submit: %d %s", st, msg);
    gp_error_free(err);
    err = NULL;
    gp_cups_state state;
    st = gp_cups_job_state(queue, 1, &state, NULL, 0, &err);
    CHECK(st == GP_E_IO && has(err != NULL ? gp_error_message(err) : "", "cannot reach"), "job_state: %d", st);
    gp_error_free(err);
    err = NULL;
    st = gp_cups_find_job(queue, "gp-test-r1-b0001", &job_id, &state, &err);
    CHECK(st == GP_E_IO && has(err != NULL ? gp_error_message(err) : "", "cannot reach"), "find_job: %d", st);
    gp_error_free(err);
    cupsSetServer(NULL);
}

int main(void)
{
    queue = getenv("GP_CUPS_FIXTURE_QUEUE");
    fixture_dir = getenv("GP_CUPS_FIXTURE_DIR");
    REQUIRE(queue != NULL && fixture_dir != NULL && getenv("CUPS_SERVER") != NULL,
            "run this through tests/cups-fixture.sh run");
    run_dir = fixture_tempdir_in(fixture_dir);
    char pdf[300];
    snprintf(pdf, sizeof pdf, "%s/cert.pdf", run_dir);
    make_pdf(pdf, 2, 270, 190);

    double t0 = now_s();
    test_bad_names(pdf);
    test_submit_prints(pdf);
    test_tray_and_page_size(pdf);
    test_callback_failure_cancels(pdf);
    test_paused_queue(pdf);
    test_rejecting_queue(pdf);
    test_unknown_queue(pdf);
    test_cups_restart(pdf);
    test_unreachable_server(pdf);
    fprintf(stderr, "test-cups: %.1f s against CUPS\n", now_s() - t0);
    /* cairo's toy-font cache would otherwise count as leaked. */
    cairo_debug_reset_static_data();
    return gp_test_done();
}
