/* Print runs end to end: the gradprint binary as a child process printing
 * 30 diplomas through the private CUPS of cups-fixture.sh, killed with
 * SIGKILL mid-run, stopped by a paused queue, then resumed; reprints and a
 * voided blank; status and the audit report. What counts is what the
 * printer received: the fixture keeps every document (printer-spool/
 * <id>-<job name>.pdf), read back with poppler, and every certificate
 * number must be in exactly one page of them. */
#define _XOPEN_SOURCE 700 /* posix_openpt */
#include <cups/cups.h>
#include <poll.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "print/cups-private.h"
#include "gp-test-pdf.h"
#include "gp-test.h"
#include "print/print-run-private.h"
#include "sheets-fixture.h"

#define N 30

static const char *queue, *fixture_dir;
/* CUPS_SERVER for the next children, or NULL to keep the fixture's. */
static const char *child_cups_server;
static char *dir;
static char roster[1024], photos[1024], tpl[1024];
static char student_no[N][16], id_no[N][19], cert_no[N][24], names[N][32];

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A run of 30 diplomas takes seconds; one still going after this has hung. */
#define CHILD_LIMIT_S 240

/* Which spawn a pid is, for a hang report. */
static struct {
    pid_t pid;
    char tag[32];
} children[32];

static void remember_child(pid_t pid, const char *tag)
{
    for (size_t i = 0; i < sizeof children / sizeof children[0]; i++)
        if (children[i].pid == 0) {
            children[i].pid = pid;
            snprintf(children[i].tag, sizeof children[i].tag, "%s", tag);
            return;
        }
}

static void forget_child(pid_t pid)
{
    for (size_t i = 0; i < sizeof children / sizeof children[0]; i++)
        if (children[i].pid == pid)
            children[i].pid = 0;
}

static const char *tag_of(pid_t pid)
{
    for (size_t i = 0; i < sizeof children / sizeof children[0]; i++)
        if (children[i].pid == pid)
            return children[i].tag;
    return "?";
}

static void write_inputs(void)
{
    static const char *const family[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"};
    static const char *const given[] = {"明", "华", "芳", "伟", "静", "磊"};
    snprintf(roster, sizeof roster, "%s/roster.csv", dir);
    snprintf(photos, sizeof photos, "%s/photos", dir);
    snprintf(tpl, sizeof tpl, "%s/templates/diploma-bachelor.xml", GP_SOURCE_DIR);
    FILE *f = fopen(roster, "w");
    REQUIRE(f != NULL, "cannot write %s", roster);
    fputs("学号,姓名,性别,身份证号,出生日期,学院,专业,班级,学制,入学日期,毕业日期,毕业证书编号,学位门类\n", f);
    for (int i = 0; i < N; i++) {
        char first17[18];
        snprintf(first17, sizeof first17, "5001012003%02d%02d%03d", 1 + i % 12, 1 + i % 28, 100 + i);
        fixture_id_with_check(first17, id_no[i]);
        snprintf(student_no[i], sizeof student_no[i], "20210101%02d", i + 1);
        snprintf(cert_no[i], sizeof cert_no[i], "106421202501%06d", 700 + i);
        snprintf(names[i], sizeof names[i], "%s%s%s", family[i % 10], given[i % 6], given[(i / 6) % 6]);
        fprintf(f, "%s,%s,%s,%s,2003-%02d-%02d,文学与传媒学院,汉语言文学,2021级汉语言文学1班,4,2021-09-01,2025-06-30,%s,文学\n",
                student_no[i], names[i], i % 2 ? "男" : "女", id_no[i], 1 + i % 12, 1 + i % 28, cert_no[i]);
        fixture_write_photo(dir, id_no[i], 240, 320, 80);
    }
    fclose(f);
}

/* Starts `gradprint ARGS...` with stdin from /dev/null and its output in
 * dir/<tag>.out and .err. */
static pid_t spawn(const char *tag, const char *const *args)
{
    char out[1024], errp[1024], bin[1024];
    snprintf(out, sizeof out, "%s/%s.out", dir, tag);
    snprintf(errp, sizeof errp, "%s/%s.err", dir, tag);
    snprintf(bin, sizeof bin, "%s/gradprint", GP_BINARY_DIR);
    const char *argv[40];
    int n = 0;
    argv[n++] = bin;
    for (; args[n - 1] != NULL && n < 39; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    pid_t pid = fork();
    REQUIRE(pid >= 0, "fork");
    if (pid == 0) {
        int in = open("/dev/null", O_RDONLY);
        int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int e = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (in < 0 || o < 0 || e < 0)
            _exit(127);
        dup2(in, 0);
        dup2(o, 1);
        dup2(e, 2);
        if (child_cups_server != NULL)
            setenv("CUPS_SERVER", child_cups_server, 1);
        execv(bin, (char *const *)argv);
        _exit(127);
    }
    remember_child(pid, tag);
    return pid;
}

/* Starts `gradprint ARGS...` on a pseudo-terminal, as an operator at a
 * terminal would: *master is the operator's side. */
static pid_t spawn_pty(const char *const *args, int *master)
{
    char bin[1024];
    snprintf(bin, sizeof bin, "%s/gradprint", GP_BINARY_DIR);
    const char *argv[40];
    int n = 0;
    argv[n++] = bin;
    for (; args[n - 1] != NULL && n < 39; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    REQUIRE(m >= 0 && grantpt(m) == 0 && unlockpt(m) == 0, "a pseudo-terminal");
    char slave[256];
    snprintf(slave, sizeof slave, "%s", ptsname(m));
    pid_t pid = fork();
    REQUIRE(pid >= 0, "fork");
    if (pid == 0) {
        /* Its own session, so the terminal becomes its controlling one and
         * ^C there is a SIGINT for it; with the signals a shell gives its
         * foreground job (a test started in the background by a script
         * inherits SIGINT ignored, and gradprint leaves an ignored signal
         * ignored). */
        setsid();
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        signal(SIGHUP, SIG_DFL);
        int s = open(slave, O_RDWR);
        if (s < 0)
            _exit(127);
        dup2(s, 0);
        dup2(s, 1);
        dup2(s, 2);
        close(m);
        execv(bin, (char *const *)argv);
        _exit(127);
    }
    remember_child(pid, "terminal");
    *master = m;
    return pid;
}

/* Reads the terminal into buf until needle shows (true) or limit_s passes. */
static bool read_until(int master, char *buf, size_t size, const char *needle, double limit_s)
{
    size_t len = strlen(buf);
    double t0 = now_s();
    while (strstr(buf, needle) == NULL && now_s() - t0 < limit_s) {
        struct pollfd p = {master, POLLIN, 0};
        if (poll(&p, 1, 200) <= 0)
            continue;
        ssize_t got = read(master, buf + len, size - len - 1);
        if (got <= 0)
            break;
        len += (size_t)got;
        buf[len] = '\0';
    }
    return strstr(buf, needle) != NULL;
}

/* What a child hung in (a run that never ends would otherwise hold the
 * test until ctest's timeout and say nothing): its output so far, what the
 * scheduler and the printer think, and where the child's threads wait. */
static void report_hang(pid_t pid)
{
    const char *tag = tag_of(pid);
    fprintf(stderr, "---- gradprint %s (pid %ld) still running after %d s ----\n", tag, (long)pid, CHILD_LIMIT_S);
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "for f in '%s/%s.out' '%s/%s.err'; do echo \"-- $f\"; tail -n 40 \"$f\"; done; "
             "echo '-- lpstat'; lpstat -l -p; lpstat -W not-completed -o; lpstat -W completed -o | tail -n 20; "
             "echo '-- cupsd error_log'; tail -n 60 '%s'/cups/log/error_log; "
             "echo '-- ippeveprinter'; tail -n 30 '%s'/ippeveprinter.log; "
             "echo '-- threads'; eu-stack -p %ld 2>&1 || gdb -batch -p %ld -ex 'thread apply all bt' 2>&1 "
             "|| cat /proc/%ld/task/*/wchan",
             dir, tag, dir, tag, fixture_dir, fixture_dir, (long)pid, (long)pid, (long)pid);
    if (system(cmd) != 0)
        fprintf(stderr, "(some of the diagnostics above failed)\n");
    fprintf(stderr, "---- end of %s ----\n", tag);
}

/* The child's exit status, or 128 + the signal that ended it. A child that
 * outlives CHILD_LIMIT_S is reported, killed, and fails the test. */
static int finish(pid_t pid)
{
    int status;
    const double t0 = now_s();
    for (;;) {
        pid_t got = waitpid(pid, &status, WNOHANG);
        REQUIRE(got >= 0, "waitpid");
        if (got == pid)
            break;
        if (now_s() - t0 > CHILD_LIMIT_S) {
            report_hang(pid);
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            REQUIRE(false, "gradprint %s hung: killed after %d s (diagnostics above)", tag_of(pid), CHILD_LIMIT_S);
        }
        nanosleep(&(struct timespec){0, 20 * 1000 * 1000}, NULL);
    }
    forget_child(pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int run_cli(const char *tag, const char *const *args)
{
    return finish(spawn(tag, args));
}

static char *slurp_text(const char *path)
{
    size_t size;
    unsigned char *data = gp_pdf_slurp(path, &size);
    return (char *)data;
}

static char *output_of(const char *tag, const char *ext)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.%s", dir, tag, ext);
    char *s = slurp_text(path);
    return s ? s : strdup("");
}

static bool file_has(const char *path, const char *needle)
{
    char *s = slurp_text(path);
    bool found = s != NULL && strstr(s, needle) != NULL;
    free(s);
    return found;
}

/* Waits (polling every 5 ms) for needle to appear in the file; false after limit_s. */
/* Whether the output of tag (ext "out" or "err") holds needle. */
static bool output_has(const char *tag, const char *ext, const char *needle)
{
    char *text = output_of(tag, ext);
    bool found = text != NULL && strstr(text, needle) != NULL;
    free(text);
    return found;
}

static bool wait_for_line(const char *path, const char *needle, double limit_s, pid_t child)
{
    double t0 = now_s();
    while (now_s() - t0 < limit_s) {
        if (file_has(path, needle))
            return true;
        /* WNOWAIT: the child stays to be reaped by finish(), which reports its status. */
        siginfo_t info = {0};
        if (child > 0 && waitid(P_PID, (id_t)child, &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == child)
            return file_has(path, needle);
        nanosleep(&(struct timespec){0, 5000000}, NULL);
    }
    return false;
}

static void run_id_of(const char *run, char *out, size_t size)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/run.conf", run);
    char *conf = slurp_text(path);
    REQUIRE(conf != NULL, "no run.conf in %s", run);
    const char *p = strstr(conf, "\nrun=");
    REQUIRE(p != NULL, "run.conf has no run id");
    snprintf(out, size, "%.*s", (int)strcspn(p + 5, "\n"), p + 5);
    free(conf);
}

typedef struct received {
    int pages_with[N]; /* pages holding certificate number i, over all documents of the run */
    int pages, docs;
    long max_batch;
} received;

/* Reads every document the printer got for the run, from batch min_batch on. */
static void read_received(const char *run_id, long min_batch, received *r)
{
    memset(r, 0, sizeof *r);
    char spool[1024];
    snprintf(spool, sizeof spool, "%s/printer-spool", fixture_dir);
    DIR *d = opendir(spool);
    REQUIRE(d != NULL, "no printer spool");
    char want[96];
    snprintf(want, sizeof want, "-%s-b", run_id);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        const char *at = strstr(e->d_name, want);
        if (at == NULL || len < 4 || strcmp(e->d_name + len - 4, ".pdf") != 0)
            continue;
        long batch = strtol(at + strlen(want), NULL, 10);
        if (batch > r->max_batch)
            r->max_batch = batch;
        if (batch < min_batch)
            continue;
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", spool, e->d_name);
        PopplerDocument *doc = gp_pdf_open(path);
        REQUIRE(doc != NULL, "%s is not a PDF", path);
        r->docs++;
        for (int p = 0; p < gp_pdf_page_count(doc); p++) {
            char *text = gp_pdf_page_text(doc, p);
            r->pages++;
            for (int i = 0; i < N; i++)
                r->pages_with[i] += text != NULL && strstr(text, cert_no[i]) != NULL;
            g_free(text);
        }
        gp_pdf_close(doc);
    }
    closedir(d);
}

/* Rows first..last (1-based) each on exactly one page the printer got for the run, no others. */
static void check_rows_once(const char *what, const char *run_id, int first, int last)
{
    received r;
    read_received(run_id, 0, &r);
    CHECK(r.pages == last - first + 1, "%s: the printer got %d pages, expected %d", what, r.pages,
          last - first + 1);
    for (int i = 0; i < N; i++) {
        int want = i + 1 >= first && i + 1 <= last;
        CHECK(r.pages_with[i] == want, "%s: certificate %s is on %d pages the printer got", what, cert_no[i],
              r.pages_with[i]);
    }
}

static void check_each_once(const char *what, const char *run_id)
{
    check_rows_once(what, run_id, 1, N);
}

/* Job names, as the printer and CUPS got them, carry nothing personal. */
static void check_job_names(void)
{
    char spool[1024];
    snprintf(spool, sizeof spool, "%s/printer-spool", fixture_dir);
    DIR *d = opendir(spool);
    REQUIRE(d != NULL, "no printer spool");
    struct dirent *e;
    int files = 0;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        files++;
        for (int i = 0; i < N; i++)
            CHECK(strstr(e->d_name, student_no[i]) == NULL && strstr(e->d_name, id_no[i]) == NULL &&
                      strstr(e->d_name, cert_no[i]) == NULL && strstr(e->d_name, names[i]) == NULL,
                  "printer file name %s holds personal data", e->d_name);
        CHECK(strstr(e->d_name, "-r20") != NULL && strstr(e->d_name, "-b0") != NULL,
              "printer file name %s is not <id>-<run id>-b<batch>", e->d_name);
    }
    closedir(d);
    CHECK(files > 0, "the printer kept no files");
    cups_job_t *jobs;
    int n = cupsGetJobs2(CUPS_HTTP_DEFAULT, &jobs, queue, 0, CUPS_WHICHJOBS_ALL);
    CHECK(n > 0, "CUPS lists no jobs: %s", cupsLastErrorString());
    for (int j = 0; j < n; j++) {
        CHECK(gp_cups_job_name_valid(jobs[j].title), "CUPS job %d is named '%s'", jobs[j].id, jobs[j].title);
        for (int i = 0; i < N; i++)
            CHECK(strstr(jobs[j].title, student_no[i]) == NULL && strstr(jobs[j].title, id_no[i]) == NULL &&
                      strstr(jobs[j].title, cert_no[i]) == NULL && strstr(jobs[j].title, names[i]) == NULL,
                  "CUPS job title %s holds personal data", jobs[j].title);
    }
    if (n > 0)
        cupsFreeJobs(n, jobs);
}

/* The run directory is private, its rendered PDFs gone, its journal without whole ID numbers. */
static void check_run_dir(const char *run)
{
    struct stat sb;
    REQUIRE(stat(run, &sb) == 0, "no run directory %s", run);
    CHECK((sb.st_mode & 0777) == 0700, "run directory mode %o", (unsigned)(sb.st_mode & 0777));
    DIR *d = opendir(run);
    struct dirent *e;
    while (d != NULL && (e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        CHECK(len < 4 || strcmp(e->d_name + len - 4, ".pdf") != 0, "%s/%s left behind after its job completed",
              run, e->d_name);
    }
    if (d != NULL)
        closedir(d);
    char journal[1100];
    snprintf(journal, sizeof journal, "%s/journal", run);
    CHECK(stat(journal, &sb) == 0 && (sb.st_mode & 0777) == 0600, "journal mode");
    for (int i = 0; i < N; i++)
        CHECK(!file_has(journal, id_no[i]) && !file_has(journal, names[i]), "journal holds the ID or name of %d",
              i + 1);
}

/* `status --json` of the run, into dir/<tag>.out. */
static char *status_json(const char *run, const char *tag)
{
    const char *args[] = {"status", "--run", run, "--json", NULL};
    CHECK(run_cli(tag, args) == 0, "status --json of %s", run);
    char *json = output_of(tag, "out");
    static const char envelope[] = "{\"command\":\"status\",\"ok\":true,\"exit\":0,\"error\":null,";
    CHECK(json != NULL && strncmp(json, envelope, sizeof envelope - 1) == 0 &&
              strchr(json, '\n') == json + strlen(json) - 1,
          "status --json of %s: one envelope line: %s", run, json ? json : "(none)");
    return json;
}

static bool has(const char *hay, const char *needle)
{
    return hay != NULL && strstr(hay, needle) != NULL;
}

/* The blank of record `row` (1-based, roster line row + 1 under the
 * header) in status JSON, or "". */
static void blank_of(const char *json, int row, char *out, size_t size)
{
    char key[48];
    snprintf(key, sizeof key, "{\"line\":%d,", row + 1);
    out[0] = '\0';
    const char *p = strstr(json, key);
    const char *b = p ? strstr(p, "\"blank\":\"") : NULL;
    if (b != NULL)
        snprintf(out, size, "%.*s", (int)strcspn(b + 9, "\""), b + 9);
}

static void print_args(const char **args, const char *run, const char *batch)
{
    const char *a[] = {"print", "--run", run, "--printer", queue, "--roster", roster, "--photos", photos,
                       "--template", tpl, "--batch", batch, "--first-blank", "A0001001", "--no-prompt", NULL};
    memcpy(args, a, sizeof a);
}

static void test_preflight_refuses(void)
{
    char bad[1024], run[1024];
    snprintf(bad, sizeof bad, "%s/bad.csv", dir);
    snprintf(run, sizeof run, "%s/run-bad", dir);
    FILE *in = fopen(roster, "r"), *out = fopen(bad, "w");
    REQUIRE(in && out, "copy roster");
    char line[2048];
    int n = 0;
    while (fgets(line, sizeof line, in)) {
        /* Row 4's certificate number loses a digit. */
        char *p = ++n == 5 ? strstr(line, cert_no[3]) : NULL;
        if (p != NULL)
            memmove(p, p + 1, strlen(p));
        fputs(line, out);
    }
    fclose(in);
    fclose(out);
    const char *args[] = {"print", "--run", run, "--printer", queue, "--roster", bad, "--photos", photos,
                          "--template", tpl, "--no-prompt", NULL};
    int rc = run_cli("bad", args);
    CHECK(rc == 2, "a roster failing preflight exits 2, not %d: %s", rc, output_of("bad", "err"));
    char *err = output_of("bad", "err");
    CHECK(has(err, student_no[3]), "the finding names the student: %s", err);
    free(err);
    struct stat sb;
    CHECK(stat(run, &sb) != 0, "nothing was created for a run that failed preflight");

    const char *usage[] = {"print", "--run", run, "--roster", roster, "--template", tpl, NULL};
    CHECK(run_cli("usage", usage) == 1, "no --printer is a usage error");
}

/* Killed with SIGKILL right after the 2nd batch was submitted, then resumed. */
static void test_kill_and_resume(const char *run, char *run_id, size_t id_size)
{
    const char *args[20];
    print_args(args, run, "8");
    double t0 = now_s();
    pid_t pid = spawn("kill", args);
    char journal[1100];
    snprintf(journal, sizeof journal, "%s/journal", run);
    bool seen = wait_for_line(journal, "\tbatch-submitted\tbatch=2\t", 90, pid);
    kill(pid, SIGKILL);
    int rc = finish(pid);
    REQUIRE(seen, "batch 2 was never submitted:\n%s", output_of("kill", "err"));
    CHECK(rc == 128 + SIGKILL, "the run was killed (status %d), not finished first", rc);
    CHECK(!file_has(journal, "\tbatch=3\t"), "the kill came after batch 3 had started");
    run_id_of(run, run_id, id_size);

    const char *again[] = {"print", "--run", run, "--printer", queue, "--no-prompt", NULL};
    CHECK(run_cli("again", again) == 1, "a new run into a used folder is refused");
    const char *changed[] = {"print", "--run", run, "--resume", "--records", "2-5", NULL};
    CHECK(run_cli("changed", changed) == 1, "--resume with other records is refused");

    const char *resume[] = {"print", "--run", run, "--resume", "--no-prompt", "--json", NULL};
    rc = run_cli("resume", resume);
    char *out = output_of("resume", "out");
    CHECK(rc == 0 && has(out, "{\"command\":\"print\",\"ok\":true,\"exit\":0,") && has(out, "\"remaining\":0"),
          "resume: %d %s %s", rc, out,
          output_of("resume", "err"));
    free(out);
    check_each_once("killed and resumed", run_id);
    check_run_dir(run);
    char *json = status_json(run, "status-a");
    CHECK(has(json, "\"completed\":30") && has(json, "\"blanks_used\":30") && has(json, "\"blanks_voided\":0") &&
              has(json, "\"failed\":0"),
          "status after the resume: %s", json);
    char blank[32];
    blank_of(json, 30, blank, sizeof blank);
    CHECK(strcmp(blank, "A0001030") == 0, "row 30 is on blank %s, expected A0001030", blank);
    free(json);
    fprintf(stderr, "kill and resume: %.1f s\n", now_s() - t0);
}

/* The queue stopped mid-run: exit 3 naming it; started again: resume. */
static void test_paused_queue(void)
{
    char run[1024], cmd[512], run_id[64];
    snprintf(run, sizeof run, "%s/run-paused", dir);
    const char *args[20];
    print_args(args, run, "8");
    double t0 = now_s();
    pid_t pid = spawn("paused", args);
    char journal[1100];
    snprintf(journal, sizeof journal, "%s/journal", run);
    bool seen = wait_for_line(journal, "\tbatch-completed\tbatch=1\t", 90, pid);
    /* Frozen while it renders batch 2, so the queue is stopped between jobs
     * (CUPS restarts a job stopped mid-way from the start). */
    kill(pid, SIGSTOP);
    REQUIRE(seen, "batch 1 never completed:\n%s", output_of("paused", "err"));
    CHECK(!file_has(journal, "\tbatch-intent\tbatch=2\t"), "batch 2 was already on its way");
    snprintf(cmd, sizeof cmd, "cupsdisable -r 'paper jam' %s", queue);
    CHECK(system(cmd) == 0, "%s", cmd);
    kill(pid, SIGCONT);
    int rc = finish(pid);
    char *err = output_of("paused", "err");
    CHECK(rc == 3, "a stopped queue exits 3, not %d", rc);
    CHECK(has(err, queue) && has(err, "stopped") && has(err, "--resume"), "the message names the queue: %s", err);
    free(err);
    run_id_of(run, run_id, sizeof run_id);
    char *json = status_json(run, "status-p");
    CHECK(has(json, "\"submitted\":8"), "the waiting batch is submitted: %s", json);
    free(json);

    snprintf(cmd, sizeof cmd, "cupsenable %s", queue);
    CHECK(system(cmd) == 0, "%s", cmd);
    /* A mistyped tray is refused before anything, and the run stays as it was. */
    const char *typo[] = {"print", "--run", run, "--resume", "--tray", "tray-9", "--no-prompt", NULL};
    rc = run_cli("paused-typo", typo);
    err = output_of("paused-typo", "err");
    CHECK(rc == 3 && has(err, "tray-9") && has(err, "tray-2"), "a mistyped tray on resume: %d %s", rc, err);
    free(err);
    /* The operator moves the blanks to another tray and changes the batch size. */
    const char *resume[] = {"print", "--run", run, "--resume", "--tray", "tray-1", "--batch", "9", "--no-prompt",
                            NULL};
    rc = run_cli("paused-resume", resume);
    CHECK(rc == 0, "resume after cupsenable: %d %s", rc, output_of("paused-resume", "err"));
    check_each_once("paused and resumed", run_id);
    CHECK(file_has(journal, "\trun-changed\tqueues=") && file_has(journal, "batch=9 tray=tray-1"),
          "the change is journalled");
    char conf[1200];
    snprintf(conf, sizeof conf, "%s/run.conf", run);
    CHECK(file_has(conf, "tray=tray-1") && file_has(conf, "batch=9"), "run.conf has the new tray and batch");
    /* The batches after the resume went to tray-1, 9 pages each. */
    char prn[1400], spool[1100];
    snprintf(spool, sizeof spool, "%s/printer-spool", fixture_dir);
    bool tray1 = false;
    DIR *d = opendir(spool);
    struct dirent *e;
    while (d != NULL && (e = readdir(d)) != NULL) {
        char want[96];
        snprintf(want, sizeof want, "-%s-b0003.prn", run_id);
        size_t n = strlen(e->d_name), w = strlen(want);
        if (n > w && strcmp(e->d_name + n - w, want) == 0) {
            snprintf(prn, sizeof prn, "%s/%s", spool, e->d_name);
            tray1 = file_has(prn, "media-source=tray-1");
        }
    }
    if (d != NULL)
        closedir(d);
    CHECK(tray1, "batch 3 went to tray-1");
    fprintf(stderr, "paused queue and resume: %.1f s\n", now_s() - t0);
}

/* reprint 3,5 and a voided blank, on the finished run. */
static void test_reprint_and_void(const char *run, const char *run_id)
{
    received before, after;
    read_received(run_id, 0, &before);
    /* Rows 3 and 5 are roster lines 4 and 6, as the findings number them;
     * the full-width comma of a Chinese keyboard separates them too. */
    const char *reprint[] = {"reprint", "--run", run, "--records", "4，6", "--reason", "墨迹 smudged", NULL};
    CHECK(run_cli("reprint", reprint) == 0, "reprint: %s", output_of("reprint", "err"));
    const char *resume[] = {"print", "--run", run, "--resume", "--no-prompt", NULL};
    CHECK(run_cli("reprint-resume", resume) == 0, "resume after reprint: %s", output_of("reprint-resume", "err"));
    read_received(run_id, before.max_batch + 1, &after);
    CHECK(after.pages == 2, "the reprint printed %d pages, expected 2", after.pages);
    for (int i = 0; i < N; i++)
        CHECK(after.pages_with[i] == (i == 2 || i == 4), "reprint: certificate of row %d on %d new pages", i + 1,
              after.pages_with[i]);

    char *json = status_json(run, "status-r");
    char blank7[32], last[32];
    blank_of(json, 7, blank7, sizeof blank7);
    blank_of(json, 5, last, sizeof last);
    CHECK(strcmp(last, "A0001032") == 0, "row 5 reprinted onto blank %s, expected A0001032", last);
    free(json);

    const char *bad_void[] = {"void", "--run", run, "--blank", blank7, NULL};
    CHECK(run_cli("void-bad", bad_void) == 1, "void without a reason is a usage error");
    const char *void_args[] = {"void", "--run", run, "--blank", blank7, "--reason", "卡纸 paper jam", NULL};
    CHECK(run_cli("void", void_args) == 0, "void: %s", output_of("void", "err"));
    char journal[1100];
    snprintf(journal, sizeof journal, "%s/journal", run);
    CHECK(!file_has(journal, "\treprint-requested\trecords=6\t"), "void wrote a second event for its reprint");
    /* Again (a retry after a failed write): nothing changes, and it says so. */
    CHECK(run_cli("void-again", void_args) == 0 && output_has("void-again", "out", "void already"),
          "voiding twice: %s %s", output_of("void-again", "out"), output_of("void-again", "err"));
    const char *stranger[] = {"void", "--run", run, "--blank", "Z0000042", "--reason", "typo", NULL};
    CHECK(run_cli("void-stranger", stranger) == 1 && output_has("void-stranger", "err", "not one of this run's"),
          "a serial the run never used: %s", output_of("void-stranger", "err"));
    const char *ahead[] = {"void", "--run", run, "--blank", "A0001040", "--reason", "torn in the box", NULL};
    CHECK(run_cli("void-ahead", ahead) == 0 && output_has("void-ahead", "out", "before use"),
          "a blank not reached yet: %s %s", output_of("void-ahead", "out"), output_of("void-ahead", "err"));
    read_received(run_id, 0, &before);
    CHECK(run_cli("void-resume", resume) == 0, "resume after void: %s", output_of("void-resume", "err"));
    read_received(run_id, before.max_batch + 1, &after);
    CHECK(after.pages == 1 && after.pages_with[6] == 1, "the voided blank's record printed again (%d pages)",
          after.pages);

    json = status_json(run, "status-v");
    char blank[32];
    blank_of(json, 7, blank, sizeof blank);
    CHECK(strcmp(blank, "A0001033") == 0, "row 7 is now on blank %s, expected A0001033", blank);
    CHECK(has(json, "\"completed\":30") && has(json, "\"pending\":0") && has(json, "\"blanks_used\":33") &&
              has(json, "\"blanks_voided\":2") && has(json, "\"reason\":\"卡纸 paper jam\"") &&
              has(json, "\"blanks_replaced\":2") && has(json, "\"serial\":\"A0001003\",\"reason\":\"墨迹 smudged\""),
          "status after reprint and void: %s", json);
    free(json);

    char pdf[1024];
    snprintf(pdf, sizeof pdf, "%s/audit.pdf", dir);
    const char *report[] = {"report", "--run", run, "--out", pdf, NULL};
    CHECK(run_cli("report", report) == 0, "report: %s", output_of("report", "err"));
    PopplerDocument *doc = gp_pdf_open(pdf);
    REQUIRE(doc != NULL, "the report is a PDF");
    double w = 0, h = 0;
    CHECK(gp_pdf_page_size_mm(doc, 0, &w, &h) && w > 209.5 && w < 210.5 && h > 296.5 && h < 297.5,
          "A4: %.1f x %.1f mm", w, h);
    size_t cap = 1 << 16, len = 0;
    char *all = calloc(1, cap);
    for (int p = 0; p < gp_pdf_page_count(doc); p++) {
        char *t = gp_pdf_page_text(doc, p);
        size_t n = t ? strlen(t) : 0;
        if (len + n + 1 < cap) {
            memcpy(all + len, t, n);
            len += n;
        }
        g_free(t);
    }
    gp_pdf_close(doc);
    CHECK(has(all, "毕业证书打印审计报告") && has(all, run_id) && has(all, queue), "report heading: %s", all ? all : "(none)");
    CHECK(has(all, blank7) && has(all, "paper jam") && has(all, "A0001033"), "voided blank in the report");
    CHECK(has(all, "A0001005") && has(all, "smudged"), "replaced blanks in the report");
    CHECK(has(all, student_no[29]) && has(all, "A0001030"), "record rows in the report");
    for (int i = 0; i < N; i++)
        CHECK(!has(all, id_no[i]), "the report shows ID number %d unmasked", i + 1);
    free(all);

    /* A roster touched since the run started, content unchanged, resumes. */
    struct timespec times[2] = {{0, UTIME_OMIT}, {1700000000, 0}};
    REQUIRE(utimensat(AT_FDCWD, roster, times, 0) == 0, "touch roster");
    CHECK(run_cli("touched", resume) == 0, "resume with the same roster touched: %s", output_of("touched", "err"));
    /* Two rows swapped: same size, same time, other graduates on the same
     * record numbers: refused. */
    struct stat sb;
    REQUIRE(stat(roster, &sb) == 0, "stat roster");
    char *text = slurp_text(roster);
    REQUIRE(text != NULL, "read roster");
    char *l2 = strchr(text, '\n') + 1, *l3 = strchr(l2, '\n') + 1, *l4 = strchr(l3, '\n') + 1;
    size_t n2 = (size_t)(l3 - l2), n3 = (size_t)(l4 - l3);
    char *swapped = malloc(strlen(text) + 1);
    size_t head = (size_t)(l2 - text);
    memcpy(swapped, text, head);
    memcpy(swapped + head, l3, n3);
    memcpy(swapped + head + n3, l2, n2);
    strcpy(swapped + head + n2 + n3, l4);
    FILE *f = fopen(roster, "w");
    REQUIRE(f != NULL && fputs(swapped, f) >= 0 && fclose(f) == 0, "write swapped roster");
    struct timespec same[2] = {sb.st_atim, sb.st_mtim};
    REQUIRE(utimensat(AT_FDCWD, roster, same, 0) == 0, "restore mtime");
    CHECK(run_cli("swapped", resume) == 2, "resume with two rows swapped exits 2");
    char *err = output_of("swapped", "err");
    CHECK(has(err, "roster changed"), "message: %s", err);
    free(err);
    f = fopen(roster, "w");
    REQUIRE(f != NULL && fputs(text, f) >= 0 && fclose(f) == 0, "restore roster");
    free(text);
    free(swapped);
}

static bool fixture_cmd(const char *cmd)
{
    return system(cmd) == 0;
}

static void fixture_script(const char *what)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "bash '%s' %s", getenv("GP_CUPS_FIXTURE_SCRIPT"), what);
    REQUIRE(fixture_cmd(cmd), "%s failed", cmd);
}

/* CUPS unreachable: refused before anything exists at the start; gone
 * mid-run, the submit fails (exit 3) with the batch announced, and the
 * resume asks CUPS about it, finds no job, and prints its records anew. */
static void test_unreachable_server(void)
{
    char run[1024], run_id[64];
    snprintf(run, sizeof run, "%s/run-unreachable", dir);
    const char *args[] = {"print", "--run", run, "--printer", queue, "--roster", roster, "--photos", photos,
                          "--template", tpl, "--records", "2-5", "--batch", "2", "--no-prompt", NULL};
    child_cups_server = "localhost:1";
    int rc = run_cli("unreachable", args);
    child_cups_server = NULL;
    char *err = output_of("unreachable", "err");
    CHECK(rc == 3 && has(err, "cannot reach the CUPS server"), "CUPS unreachable exits 3, not %d: %s", rc, err);
    free(err);
    struct stat sb;
    CHECK(stat(run, &sb) != 0, "no run directory when CUPS never answered");
    const char *nosuch[] = {"print", "--run", run, "--printer", "no-such-queue", "--roster", roster, "--photos",
                            photos, "--template", tpl, "--no-prompt", NULL};
    rc = run_cli("nosuch", nosuch);
    err = output_of("nosuch", "err");
    CHECK(rc == 3 && has(err, "no-such-queue") && stat(run, &sb) != 0, "a missing queue: %d %s", rc, err);
    free(err);

    pid_t pid = spawn("gone", args);
    char journal[1100];
    snprintf(journal, sizeof journal, "%s/journal", run);
    bool seen = wait_for_line(journal, "\tbatch-completed\tbatch=1\t", 60, pid);
    kill(pid, SIGSTOP);
    REQUIRE(seen, "batch 1 never completed: %s", output_of("gone", "err"));
    fixture_script("stop-cupsd");
    kill(pid, SIGCONT);
    rc = finish(pid);
    fixture_script("start-cupsd");
    err = output_of("gone", "err");
    CHECK(rc == 3 && has(err, "cannot reach the CUPS server") && has(err, "resume"), "CUPS gone mid-run: %d %s",
          rc, err);
    free(err);
    CHECK(file_has(journal, "\tbatch-intent\tbatch=2\t") && !file_has(journal, "\tbatch-submitted\tbatch=2\t"),
          "batch 2 announced, never submitted");
    run_id_of(run, run_id, sizeof run_id);
    const char *resume[] = {"print", "--run", run, "--resume", "--no-prompt", NULL};
    rc = run_cli("gone-resume", resume);
    CHECK(rc == 0, "resume with CUPS back: %d %s", rc, output_of("gone-resume", "err"));
    CHECK(file_has(journal, "\tbatch-failed\tbatch=2\t") && file_has(journal, "state=not-found") &&
              file_has(journal, "\tbatch-intent\tbatch=3\t"),
          "batch 2 settled as not found, its records in batch 3");
    check_rows_once("CUPS gone, resumed", run_id, 1, 4);
}

/* A queue refusing jobs (cupsreject) at the start: refused by the queue
 * check, exit 3 with CUPS' reason, no run folder, no serial. Refusing them
 * after the operator loaded the blanks: exit 3, and the batch's blanks are
 * unused, so the resume prints onto the same serials. */
static void test_refused_job(void)
{
    char run[1024], run_id[64], cmd[512];
    snprintf(run, sizeof run, "%s/run-refused", dir);
    snprintf(cmd, sizeof cmd, "cupsreject -r 'out of blanks' %s", queue);
    REQUIRE(fixture_cmd(cmd), "%s", cmd);
    const char *args[] = {"print", "--run", run, "--printer", queue, "--roster", roster, "--photos", photos,
                          "--template", tpl, "--records", "6-8", "--batch", "2", "--first-blank", "B0000001",
                          "--no-prompt", NULL};
    int rc = run_cli("refused", args);
    char *err = output_of("refused", "err");
    struct stat sb;
    CHECK(rc == 3 && has(err, "not accepting") && has(err, "out of blanks") && has(err, "cupsaccept"),
          "a rejecting queue exits 3 naming the fix: %d %s", rc, err);
    CHECK(stat(run, &sb) != 0, "a run refused by the queue check left a folder");
    free(err);
    snprintf(cmd, sizeof cmd, "cupsaccept %s", queue);
    REQUIRE(fixture_cmd(cmd), "%s", cmd);

    /* The operator at a terminal: the prompt says how to load the blanks. */
    const char *at_tty[] = {"print", "--run", run, "--printer", queue, "--roster", roster, "--photos", photos,
                            "--template", tpl, "--records", "6-8", "--batch", "2", "--first-blank", "B0000001",
                            NULL};
    int master;
    pid_t pid = spawn_pty(at_tty, &master);
    static char screen[65536];
    screen[0] = '\0';
    bool prompted = read_until(master, screen, sizeof screen, "press Enter", 60);
    CHECK(prompted && has(screen, "B0000001") && has(screen, "B0000002") && has(screen, "Load the blanks upright"),
          "the prompt names the blanks and how to load them:\n%s", screen);
    snprintf(cmd, sizeof cmd, "cupsreject -r 'tray empty' %s", queue);
    REQUIRE(fixture_cmd(cmd), "%s", cmd);
    REQUIRE(write(master, "\n", 1) == 1, "Enter");
    read_until(master, screen, sizeof screen, "resume", 60);
    rc = finish(pid);
    close(master);
    snprintf(cmd, sizeof cmd, "cupsaccept %s", queue);
    REQUIRE(fixture_cmd(cmd), "%s", cmd);
    CHECK(rc == 3 && has(screen, "not accepting") && has(screen, "blanks are unused"),
          "refused after the prompt: %d\n%s", rc, screen);
    char journal[1100];
    snprintf(journal, sizeof journal, "%s/journal", run);
    CHECK(file_has(journal, "\tbatch-failed\tbatch=1\t") && file_has(journal, "state=refused") &&
              file_has(journal, "\tunused=1\t"),
          "the refused batch is journalled as never printed");
    run_id_of(run, run_id, sizeof run_id);
    char *json = status_json(run, "status-r");
    CHECK(has(json, "\"next_blank\":\"B0000001\"") && has(json, "\"blanks_used\":0"),
          "status after the refusal: the blanks are unused: %s", json);
    free(json);
    const char *resume[] = {"print", "--run", run, "--resume", "--no-prompt", NULL};
    rc = run_cli("refused-resume", resume);
    CHECK(rc == 0, "resume once the queue accepts jobs: %d %s", rc, output_of("refused-resume", "err"));
    check_rows_once("refused, resumed", run_id, 5, 7);
    json = status_json(run, "status-r2");
    char blank[32];
    blank_of(json, 5, blank, sizeof blank);
    CHECK(strcmp(blank, "B0000001") == 0, "the refused batch's first blank is used again: %s", blank);
    blank_of(json, 7, blank, sizeof blank);
    CHECK(strcmp(blank, "B0000003") == 0, "the third record is on B0000003, not %s", blank);
    CHECK(has(json, "\"blanks_used\":3") && has(json, "\"next_blank\":\"B0000004\""), "status: %s", json);
    free(json);
}

/* Ctrl-C at the prompt: exit 130, saying how to resume; the resume prints
 * everything once. */
static void test_interrupt(void)
{
    char run[1024], run_id[64];
    snprintf(run, sizeof run, "%s/runs/interrupted", dir);
    const char *args[] = {"print", "--run", run, "--printer", queue, "--roster", roster, "--photos", photos,
                          "--template", tpl, "--records", "10-12", "--batch", "2", NULL};
    int master;
    pid_t pid = spawn_pty(args, &master);
    static char screen[65536];
    screen[0] = '\0';
    bool prompted = read_until(master, screen, sizeof screen, "press Enter", 60);
    REQUIRE(prompted, "no prompt:\n%s", screen);
    REQUIRE(write(master, "\x03", 1) == 1, "^C");
    read_until(master, screen, sizeof screen, "--resume", 30);
    int rc = finish(pid);
    close(master);
    CHECK(rc == 130 && has(screen, "interrupted") && has(screen, "--resume"), "Ctrl-C: %d\n%s", rc, screen);
    run_id_of(run, run_id, sizeof run_id);
    const char *resume[] = {"print", "--run", run, "--resume", "--no-prompt", NULL};
    rc = run_cli("int-resume", resume);
    CHECK(rc == 0, "resume after Ctrl-C: %d %s", rc, output_of("int-resume", "err"));
    check_rows_once("interrupted, resumed", run_id, 9, 11);
}

/* Two queues, the second with its own profile: batches alternate, and the
 * second queue's pages carry its offset. */
static void test_printer_pool(void)
{
    const char *port = getenv("GP_CUPS_FIXTURE_IPP_PORT");
    REQUIRE(port != NULL, "the fixture names the printer's port");
    char cmd[1024], ppd[1024];
    snprintf(cmd, sizeof cmd, "lpadmin -p gp-test2 -E -v ipp://localhost:%s/ipp/print -m everywhere", port);
    REQUIRE(fixture_cmd(cmd), "%s", cmd);
    snprintf(ppd, sizeof ppd, "%s/cups/etc/ppd/gp-test2.ppd", fixture_dir);
    struct stat sb;
    double t0 = now_s();
    while (stat(ppd, &sb) != 0 && now_s() - t0 < 20)
        nanosleep(&(struct timespec){0, 50000000}, NULL);
    REQUIRE(stat(ppd, &sb) == 0, "no PPD for the second queue");
    snprintf(cmd, sizeof cmd,
             "lpadmin -p gp-test2 -v 'ipp://localhost:%s/ipp/print?contimeout=5&waitjob=true' "
             "-o printer-error-policy=abort-job",
             port);
    REQUIRE(fixture_cmd(cmd), "%s", cmd);

    char profile[1024], printer2[1100], run[1024], run_id[64];
    snprintf(profile, sizeof profile, "%s/second.txt", dir);
    FILE *f = fopen(profile, "w");
    REQUIRE(f != NULL, "profile");
    fputs("printer = gp-test2\noffset-x = 4\noffset-y = 0\n", f);
    fclose(f);
    snprintf(printer2, sizeof printer2, "gp-test2=%s", profile);
    snprintf(run, sizeof run, "%s/run-pool", dir);
    const char *args[] = {"print", "--run", run, "--printer", queue, "--printer", printer2, "--roster", roster,
                          "--photos", photos, "--template", tpl, "--records", "2-5", "--batch", "2",
                          "--no-prompt", "--keep", NULL};
    int rc = run_cli("pool", args);
    CHECK(rc == 0, "printing to two queues: %d %s", rc, output_of("pool", "err"));
    run_id_of(run, run_id, sizeof run_id);
    for (int b = 1; b <= 2; b++) {
        char kept[1200];
        snprintf(kept, sizeof kept, "%s/%s-b%04d.pdf", run, run_id, b);
        CHECK(stat(kept, &sb) == 0 && (sb.st_mode & 0777) == 0600, "--keep kept %s, private", kept);
    }
    check_rows_once("two queues", run_id, 1, 4);
    char *json = status_json(run, "status-pool");
    CHECK(has(json, "{\"line\":2,") && strstr(json, "\"queue\":\"gp-test2\"") != NULL, "status: %s", json ? json : "(none)");
    char want[64];
    snprintf(want, sizeof want, "\"queue\":\"%s\"", queue);
    CHECK(has(json, want), "batch 1 on %s: %s", queue, json);
    free(json);

    /* Same field, batch 1 on the first queue and batch 2 on the second: 4 mm apart. */
    double x[2] = {0, 0};
    char spool[1024];
    snprintf(spool, sizeof spool, "%s/printer-spool", fixture_dir);
    DIR *d = opendir(spool);
    struct dirent *e;
    while (d != NULL && (e = readdir(d)) != NULL) {
        for (int b = 0; b < 2; b++) {
            char suffix[96];
            snprintf(suffix, sizeof suffix, "-%s-b%04d.pdf", run_id, b + 1);
            size_t len = strlen(e->d_name), sl = strlen(suffix);
            if (len <= sl || strcmp(e->d_name + len - sl, suffix) != 0)
                continue;
            char path[2048];
            snprintf(path, sizeof path, "%s/%s", spool, e->d_name);
            PopplerDocument *doc = gp_pdf_open(path);
            gp_pdf_rect r;
            if (doc != NULL && gp_pdf_find_text(doc, 0, cert_no[2 * b], &r))
                x[b] = r.x;
            gp_pdf_close(doc);
        }
    }
    if (d != NULL)
        closedir(d);
    CHECK(x[0] > 0 && x[1] > 0, "found the certificate numbers (%.2f, %.2f)", x[0], x[1]);
    CHECK_NEAR(x[1] - x[0], 4.0, 0.05);
}

/* A journal cut short in the middle (a bad copy, a restore): its torn end
 * looks like a crash's, but CUPS holds jobs of the run it does not know.
 * status and resume refuse, saying how to recover, and nothing prints. */
static void test_truncated_journal(const char *run, const char *run_id)
{
    char copy[1024], cmd[2200], journal[1100];
    snprintf(copy, sizeof copy, "%s/run-truncated", dir);
    snprintf(cmd, sizeof cmd, "cp -a '%s' '%s'", run, copy);
    REQUIRE(system(cmd) == 0, "%s", cmd);
    snprintf(journal, sizeof journal, "%s/journal", copy);
    struct stat sb;
    REQUIRE(stat(journal, &sb) == 0, "journal");
    /* Cut in the middle of a line, past the first batch. */
    char *text = slurp_text(journal);
    REQUIRE(text != NULL, "read journal");
    char *b2 = strstr(text, "\tbatch-intent\tbatch=2\t");
    REQUIRE(b2 != NULL, "batch 2 in the journal");
    off_t cut = (off_t)(b2 - text) + 10;
    free(text);
    REQUIRE(truncate(journal, cut) == 0, "truncate");
    received before;
    read_received(run_id, 0, &before);
    const char *status[] = {"status", "--run", copy, NULL};
    int rc = run_cli("trunc-status", status);
    char *err = output_of("trunc-status", "err");
    CHECK(rc == 2 && has(err, "lost events") && has(err, "b0"), "status of a cut journal: %d %s", rc, err);
    free(err);
    const char *resume[] = {"print", "--run", copy, "--resume", "--no-prompt", NULL};
    rc = run_cli("trunc-resume", resume);
    err = output_of("trunc-resume", "err");
    CHECK(rc == 2 && has(err, "lost events") && has(err, "Restore the run directory"), "resume of a cut journal: %d %s",
          rc, err);
    free(err);
    received after;
    read_received(run_id, 0, &after);
    CHECK(after.pages == before.pages, "a cut journal printed %d pages again", after.pages - before.pages);
}

/* Two new runs started at once into one empty folder: one runs, the other
 * is turned away; nothing of the two is mixed. */
static void test_concurrent_new_runs(void)
{
    char run[1024], run_id[64];
    snprintf(run, sizeof run, "%s/run-twice", dir);
    REQUIRE(mkdir(run, 0700) == 0, "mkdir");
    const char *args[] = {"print", "--run", run, "--printer", queue, "--roster", roster, "--photos", photos,
                          "--template", tpl, "--records", "14-16", "--batch", "2", "--no-prompt", NULL};
    pid_t a = spawn("twice-a", args), b = spawn("twice-b", args);
    int ra = finish(a), rb = finish(b);
    CHECK((ra == 0) != (rb == 0), "exactly one of two runs at once goes on: %d %d\n%s\n%s", ra, rb,
          output_of("twice-a", "err"), output_of("twice-b", "err"));
    char *loser = output_of(ra == 0 ? "twice-b" : "twice-a", "err");
    CHECK(has(loser, "another gradprint is using this run directory") || has(loser, "already holds files"),
          "the other is told why: %s", loser);
    free(loser);
    run_id_of(run, run_id, sizeof run_id);
    check_rows_once("two runs at once", run_id, 13, 15);
    char *json = status_json(run, "status-twice");
    CHECK(has(json, "\"completed\":3") && has(json, "\"total\":3"), "status: %s", json);
    free(json);
}

/* A run killed between creating a batch's job and sending its pages: the
 * job waits in CUPS without a document. The resume finds it by name,
 * cancels it (it printed nothing), gives the batch's blanks back and prints
 * the records in a new batch. Made here exactly: the journal written with
 * the library, the job created without its document through libcups. */
static void test_documentless_job(void)
{
    char run[1024], run_id[64], journal[1100];
    snprintf(run, sizeof run, "%s/run-nodoc", dir);
    const char *args[] = {"print", "--run", run, "--printer", queue, "--roster", roster, "--photos", photos,
                          "--template", tpl, "--records", "18-19", "--batch", "2", "--first-blank", "D001",
                          "--no-prompt", NULL};
    REQUIRE(run_cli("nodoc", args) == 0, "run: %s", output_of("nodoc", "err"));
    run_id_of(run, run_id, sizeof run_id);
    const char *reprint[] = {"reprint", "--run", run, "--records", "18", "--reason", "test", NULL};
    REQUIRE(run_cli("nodoc-reprint", reprint) == 0, "reprint: %s", output_of("nodoc-reprint", "err"));
    snprintf(journal, sizeof journal, "%s/journal", run);
    char name[96];
    snprintf(name, sizeof name, "%s-b0002", run_id);
    cups_dest_t *dest = cupsGetNamedDest(CUPS_HTTP_DEFAULT, queue, NULL);
    cups_dinfo_t *info = dest ? cupsCopyDestInfo(CUPS_HTTP_DEFAULT, dest) : NULL;
    int job_id = 0;
    REQUIRE(info != NULL && cupsCreateDestJob(CUPS_HTTP_DEFAULT, dest, info, &job_id, name, 0, NULL) <=
                                IPP_STATUS_OK_CONFLICTING,
            "Create-Job: %s", cupsLastErrorString());
    gp_journal *j = NULL;
    gp_error *err = NULL;
    REQUIRE(gp_journal_open(journal, false, &j, &err) == GP_OK, "journal: %s", err ? gp_error_message(err) : "");
    long record = 16; /* roster line 18 */
    gp_journal_event ev;
    gp_journal_event_init(&ev, GP_JOURNAL_RECORD_RENDERED);
    ev.record = record;
    ev.line = 18;
    ev.student_no = student_no[16];
    ev.batch = 2;
    REQUIRE(gp_journal_append(j, &ev, &err) == GP_OK, "rendered");
    gp_journal_event_init(&ev, GP_JOURNAL_BLANK_ASSIGNED);
    ev.record = record;
    ev.serial = "D003";
    ev.batch = 2;
    REQUIRE(gp_journal_append(j, &ev, &err) == GP_OK, "blank");
    gp_journal_event_init(&ev, GP_JOURNAL_BATCH_INTENT);
    ev.batch = 2;
    ev.job_name = name;
    ev.queue = queue;
    ev.records = &record;
    ev.n_records = 1;
    REQUIRE(gp_journal_append(j, &ev, &err) == GP_OK, "intent");
    gp_journal_event_init(&ev, GP_JOURNAL_BATCH_SUBMITTED);
    ev.batch = 2;
    ev.job_id = job_id;
    REQUIRE(gp_journal_append(j, &ev, &err) == GP_OK, "submitted");
    gp_journal_close(j);

    const char *resume[] = {"print", "--run", run, "--resume", "--no-prompt", "--wait-timeout", "60", NULL};
    int rc = run_cli("nodoc-resume", resume);
    char *out = output_of("nodoc-resume", "err");
    CHECK(rc == 0 && has(out, "never got its pages"), "resume: %d %s", rc, out);
    free(out);
    CHECK(file_has(journal, "\tbatch-failed\tbatch=2\t") && file_has(journal, "\tunused=1\t") &&
              file_has(journal, "\tbatch-intent\tbatch=3\t"),
          "the documentless batch failed unused, its record in batch 3");
    gp_cups_state state;
    char reason[200];
    CHECK(gp_cups_job_state(queue, job_id, &state, reason, sizeof reason, &err) == GP_OK &&
              state == GP_CUPS_CANCELED,
          "the documentless job was cancelled: %s", gp_cups_state_name(state));
    char *json = status_json(run, "status-nodoc");
    char blank[32];
    blank_of(json, 17, blank, sizeof blank);
    CHECK(strcmp(blank, "D003") == 0, "the given-back blank D003 is used again: %s", blank);
    CHECK(has(json, "\"completed\":2"), "status: %s", json);
    free(json);
    cupsFreeDestInfo(info);
    cupsFreeDests(1, dest);
    gp_error_free(err);
}

/* Killed (or out of disk) before the first journal line: the folder holds
 * run.conf and an empty journal. Resume says the run never started; a new
 * run takes the folder. */
static void test_abandoned_start(const char *finished_run)
{
    char run[1024], cmd[4200];
    snprintf(run, sizeof run, "%s/run-abandoned", dir);
    REQUIRE(mkdir(run, 0700) == 0, "mkdir");
    snprintf(cmd, sizeof cmd, "cp '%s/run.conf' '%s/run.conf' && : > '%s/journal'", finished_run, run, run);
    REQUIRE(system(cmd) == 0, "%s", cmd);
    const char *resume[] = {"print", "--run", run, "--resume", "--no-prompt", NULL};
    int rc = run_cli("abandoned-resume", resume);
    CHECK(rc == 2 && output_has("abandoned-resume", "err", "before its first step"), "resume: %d %s", rc,
          output_of("abandoned-resume", "err"));
    const char *args[] = {"print", "--run", run, "--printer", queue, "--roster", roster, "--photos", photos,
                          "--template", tpl, "--records", "25", "--no-prompt", NULL};
    rc = run_cli("abandoned-new", args);
    CHECK(rc == 0 && output_has("abandoned-new", "err", "started anew"), "a new run in it: %d %s", rc,
          output_of("abandoned-new", "err"));
}

/* A roster whose ID column has a name of the school's own: refused
 * without a column map, printed with --map-file, and resumed with the map
 * the run started with (run.conf keeps it); a resume refuses a map file
 * that changed and a new --map. */
static void test_column_map(void)
{
    char mapped[1024], map_file[1024], run[1024], run_id[64];
    snprintf(mapped, sizeof mapped, "%s/own-columns.csv", dir);
    snprintf(map_file, sizeof map_file, "%s/columns.map", dir);
    snprintf(run, sizeof run, "%s/run-map", dir);
    char *text = slurp_text(roster);
    REQUIRE(text != NULL, "read %s", roster);
    char *id = strstr(text, "身份证号");
    REQUIRE(id != NULL, "the roster has an ID column");
    FILE *f = fopen(mapped, "w");
    REQUIRE(f != NULL, "write %s", mapped);
    fprintf(f, "%.*s居民证号甲%s", (int)(id - text), text, id + strlen("身份证号"));
    fclose(f);
    free(text);
    f = fopen(map_file, "w");
    REQUIRE(f != NULL, "write %s", map_file);
    fputs("居民证号甲=id_no\n", f);
    fclose(f);

    const char *plain[] = {"print", "--run", run, "--printer", queue, "--roster", mapped, "--photos", photos,
                           "--template", tpl, "--records", "17-18", "--no-prompt", NULL};
    int rc = run_cli("map-none", plain);
    CHECK(rc == 2, "without the map the roster fails validation: %d %s", rc, output_of("map-none", "err"));
    const char *with_map[] = {"print", "--run", run, "--printer", queue, "--roster", mapped, "--photos", photos,
                              "--template", tpl, "--records", "17-18", "--map-file", map_file, "--no-prompt", NULL};
    rc = run_cli("map-file", with_map);
    CHECK(rc == 0, "with --map-file it prints: %d %s", rc, output_of("map-file", "err"));
    run_id_of(run, run_id, sizeof run_id);
    check_rows_once("a roster with its own column names", run_id, 16, 17);

    const char *resume[] = {"print", "--run", run, "--resume", "--no-prompt", NULL};
    rc = run_cli("map-resume", resume);
    CHECK(rc == 0, "the resume reads the roster with the run's map: %d %s", rc, output_of("map-resume", "err"));
    const char *new_map[] = {"print", "--run", run, "--resume", "--map", "居民证号甲=id_no", "--no-prompt", NULL};
    rc = run_cli("map-new", new_map);
    CHECK(rc == 1 && output_has("map-new", "err", "--map"), "a resume may not change the column map: %d", rc);
    f = fopen(map_file, "a");
    REQUIRE(f != NULL, "append to %s", map_file);
    fputs("# edited\n", f);
    fclose(f);
    rc = run_cli("map-changed", resume);
    CHECK(rc == 2 && output_has("map-changed", "err", "map file changed"),
          "a resume refuses a map file that changed: %d %s", rc, output_of("map-changed", "err"));
}

static void test_serials(void)
{
    char out[80];
    CHECK(gp_serial_next("A0001234", out, sizeof out) && strcmp(out, "A0001235") == 0, "A0001234 -> %s", out);
    CHECK(gp_serial_next("0999", out, sizeof out) && strcmp(out, "1000") == 0, "0999 -> %s", out);
    CHECK(gp_serial_next("ZS-99", out, sizeof out) && strcmp(out, "ZS-100") == 0, "ZS-99 -> %s", out);
    CHECK(gp_serial_next("7", out, sizeof out) && strcmp(out, "8") == 0, "7 -> %s", out);
    CHECK(!gp_serial_next("ABC", out, sizeof out) && !gp_serial_next("", out, sizeof out) &&
              !gp_serial_next("A 1", out, sizeof out),
          "serials without a number are refused");
    CHECK(!gp_serial_next("A999", out, 4), "too small a buffer is refused");
}

int main(void)
{
    queue = getenv("GP_CUPS_FIXTURE_QUEUE");
    fixture_dir = getenv("GP_CUPS_FIXTURE_DIR");
    REQUIRE(queue != NULL && fixture_dir != NULL && getenv("CUPS_SERVER") != NULL,
            "run under tests/cups-fixture.sh");
    /* Children are waited for by pid; an inherited SIG_IGN would reap them unseen. */
    signal(SIGCHLD, SIG_DFL);
    dir = fixture_tempdir();
    write_inputs();
    test_serials();
    test_preflight_refuses();
    char run[1024], run_id[64];
    snprintf(run, sizeof run, "%s/run-a", dir);
    test_kill_and_resume(run, run_id, sizeof run_id);
    test_paused_queue();
    test_unreachable_server();
    test_refused_job();
    test_interrupt();
    test_printer_pool();
    test_truncated_journal(run, run_id);
    test_concurrent_new_runs();
    test_column_map();
    test_documentless_job();
    test_abandoned_start(run);
    test_reprint_and_void(run, run_id);
    check_job_names();
    if (gp_test_failed == 0)
        fixture_remove(dir);
    else
        fprintf(stderr, "kept %s\n", dir);
    free(dir);
    return gp_test_done();
}
