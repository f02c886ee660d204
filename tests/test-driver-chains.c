/* Certificates through real Debian printer drivers, measured on what reached
 * the device. cups-fixture.sh starts a private cupsd with one queue per
 * driver (a file: device each) and the IPP Everywhere virtual printer; the
 * gradprint binary prints two diplomas to each; the test decodes the last
 * stage it can read (PostScript through Ghostscript, the CUPS raster handed
 * to hpcups, Gutenprint's ESC/P2, the PDF the IPP printer got), turns it
 * upright where the queue check chose to turn the page, and fits it
 * against the certificate PDF: each chain prints at scale 1 ± 0.2% with
 * every mark within 0.5 mm of its place, or is refused before anything
 * prints. Every PPD queue has the operator defaults that used to spoil
 * blanks set (A4, fit-to-page, print-scaling fill): gradprint overrides
 * them. Two controls prove the measurement can fail: the same PDF printed
 * with lp and the queue defaults, and Gutenprint with its default
 * StpiShrinkOutput=Shrink. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "chain-image.h"
#include "gp-test.h"
#include "sheets-fixture.h"

#define BLANK_W 270.0
#define BLANK_H 190.0
#define PAGES 2

typedef enum decoder { DEC_PS, DEC_RASTER, DEC_ESCP2, DEC_PDF } decoder;

typedef struct chain {
    const char *name;     /* queue chain-NAME, or the fixture's IPP queue */
    const char *label;
    decoder dec;
    const char *expect;   /* "as-is", "turned", or NULL: refused */
} chain;

static const chain chains[] = {
    {"m607", "HP LaserJet M607, PostScript (hpps)", DEC_PS, "turned"},
    {"ricoh", "Ricoh MP C3004, PostScript (foomatic-rip)", DEC_PS, "as-is"},
    {"p2055", "HP LaserJet P2055dn, hpcups (raster)", DEC_RASTER, "turned"},
    {"m5035", "HP LaserJet M5035, hpcups (raster)", DEC_RASTER, "as-is"},
    {"p600", "Epson SureColor P600, Gutenprint 5.3 (ESC/P2)", DEC_ESCP2, "as-is"},
    {"pxl", "HP LaserJet Series PCL 6, cups-filters (pxlmono)", DEC_PDF, NULL},
    {NULL, "IPP Everywhere (virtual printer)", DEC_PDF, "as-is"},
};

static const char *fixture_dir, *ipp_queue;
static char *dir;
static char roster[1024], photos[1024], tpl[1024], ref_pdf[1100];

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool has(const char *hay, const char *needle) { return hay != NULL && strstr(hay, needle) != NULL; }

static char *slurp_text(const char *path)
{
    size_t size;
    return (char *)chain_slurp(path, &size);
}

/* Runs `gradprint ARGS...`; its stdout and stderr go to dir/TAG.out/.err. */
static int gradprint(const char *tag, const char *const *args)
{
    char out[1200], err[1200], bin[1024];
    snprintf(out, sizeof out, "%s/%s.out", dir, tag);
    snprintf(err, sizeof err, "%s/%s.err", dir, tag);
    snprintf(bin, sizeof bin, "%s/gradprint", GP_BINARY_DIR);
    const char *argv[40] = {bin};
    int n = 1;
    for (; args[n - 1] != NULL && n < 39; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    pid_t pid = fork();
    REQUIRE(pid >= 0, "fork");
    if (pid == 0) {
        int in = open("/dev/null", O_RDONLY), o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600),
            e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (in < 0 || o < 0 || e < 0)
            _exit(127);
        dup2(in, 0);
        dup2(o, 1);
        dup2(e, 2);
        execv(bin, (char *const *)argv);
        _exit(127);
    }
    int status;
    REQUIRE(waitpid(pid, &status, 0) == pid, "waitpid");
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static char *output_of(const char *tag, const char *ext)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/%s.%s", dir, tag, ext);
    char *s = slurp_text(path);
    if (s == NULL && (s = calloc(1, 1)) == NULL)
        abort();
    return s;
}

static bool shell(const char *cmd)
{
    return system(cmd) == 0;
}

static void queue_name(const chain *c, char *out, size_t size)
{
    if (c->name == NULL)
        snprintf(out, size, "%s", ipp_queue);
    else
        snprintf(out, size, "chain-%s", c->name);
}

static void device_file(const chain *c, char *out, size_t size)
{
    snprintf(out, size, "%s/devices/chain-%s.prn", fixture_dir, c->name);
}

/* The newest document the IPP printer kept whose name contains needle. */
static bool ipp_received(const char *needle, char *out, size_t size)
{
    char spool[1100];
    snprintf(spool, sizeof spool, "%s/printer-spool", fixture_dir);
    DIR *d = opendir(spool);
    long best = -1;
    struct dirent *e;
    while (d != NULL && (e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        long id = strtol(e->d_name, NULL, 10);
        if (n > 4 && strcmp(e->d_name + n - 4, ".pdf") == 0 && strstr(e->d_name, needle) != NULL && id > best) {
            best = id;
            snprintf(out, size, "%s/%s", spool, e->d_name);
        }
    }
    if (d != NULL)
        closedir(d);
    return best >= 0;
}

/* Gutenprint's imageable left edge, as the driver logged it for the last job. */
static double gutenprint_left_pt(void)
{
    char path[1100];
    snprintf(path, sizeof path, "%s/cups/log/error_log", fixture_dir);
    char *log = slurp_text(path);
    double left = -1;
    for (char *p = log; p != NULL && (p = strstr(p, "Gutenprint:     L: ")) != NULL; p++)
        left = strtod(p + 19, NULL);
    free(log);
    return left;
}

static bool decode(const chain *c, const char *path, int page, chain_image *img, char *why, size_t size)
{
    switch (c->dec) {
    case DEC_PS: return chain_decode_postscript(path, page, 300, dir, img, why, size);
    case DEC_RASTER: return chain_decode_cups_raster(path, page, img, why, size);
    case DEC_ESCP2: {
        double left = gutenprint_left_pt();
        if (left < 0) {
            snprintf(why, size, "the cupsd log has no Gutenprint imageable area (LogLevel debug?)");
            return false;
        }
        return chain_decode_escp2(path, page, left, img, why, size);
    }
    case DEC_PDF: return chain_decode_pdf(path, page, 300, img, why, size);
    }
    return false;
}

typedef struct outcome {
    chain_fit fit[PAGES];
    bool measured;
} outcome;

/* Measures every page of the device's output against the certificates. */
static bool measure(const chain *c, const char *path, bool turned, outcome *o, const char *what, bool must_fit)
{
    bool all = true;
    for (int p = 0; p < PAGES; p++) {
        chain_image ref, got, upright;
        char why[600] = "";
        REQUIRE(chain_decode_pdf(ref_pdf, p, 300, &ref, why, sizeof why), "reference: %s", why);
        bool ok = decode(c, path, p, &got, why, sizeof why);
        CHECK(ok, "%s: %s page %d cannot be decoded: %s", c->label, what, p + 1, why);
        if (!ok) {
            chain_image_free(&ref);
            all = false;
            continue;
        }
        if (turned) {
            REQUIRE(chain_turn_upright(&got, &upright), "memory");
            chain_image_free(&got);
            got = upright;
        }
        bool fitted = chain_measure(&ref, &got, BLANK_W, BLANK_H, &o->fit[p]);
        if (must_fit)
            CHECK(fitted, "%s: %s page %d: no marks found where the certificate has them (%zu of %zu)", c->label,
                  what, p + 1, o->fit[p].found, o->fit[p].tiles);
        all = all && fitted;
        chain_image_free(&ref);
        chain_image_free(&got);
    }
    o->measured = all;
    return all;
}

static bool exact(const chain_fit *f)
{
    return fabs(f->scale_x - 1) <= 0.002 && fabs(f->scale_y - 1) <= 0.002 && f->worst_mm <= 0.5 &&
           f->found * 10 >= f->tiles * 9;
}

static void report_line(const chain *c, const char *orientation, const outcome *o)
{
    if (!o->measured) {
        fprintf(stderr, "| %-48s | %-8s | not measured |\n", c->label, orientation);
        return;
    }
    for (int p = 0; p < PAGES; p++) {
        const chain_fit *f = &o->fit[p];
        fprintf(stderr,
                "| %-48s | %-8s | page %d: scale %.4f x %.4f, offset %+.2f, %+.2f mm, worst mark %.2f mm "
                "(at %.0f,%.0f), %zu/%zu marks |\n",
                c->label, orientation, p + 1, f->scale_x, f->scale_y, f->offset_x_mm, f->offset_y_mm, f->worst_mm,
                f->worst_x_mm, f->worst_y_mm, f->found, f->tiles);
    }
}

/* The operator's queue defaults that shrank or moved pages before. */
static void spoil_defaults(const char *queue)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd,
             "lpadmin -p %s -o PageSize=A4 -o media-default=iso_a4_210x297mm -o fit-to-page-default=true "
             "-o print-scaling-default=fill",
             queue);
    CHECK(shell(cmd), "%s", cmd);
}

static void truncate_device(const chain *c)
{
    char path[1200];
    device_file(c, path, sizeof path);
    FILE *f = fopen(path, "w");
    REQUIRE(f != NULL, "cannot empty %s", path);
    fclose(f);
}

static void test_chain(const chain *c)
{
    char queue[128], run[1200], path[1200];
    queue_name(c, queue, sizeof queue);
    snprintf(run, sizeof run, "%s/runs/%s", dir, queue);
    if (c->name != NULL) {
        spoil_defaults(queue);
        truncate_device(c);
    }
    char tag[160];
    snprintf(tag, sizeof tag, "print-%s", queue);
    const char *args[] = {"print", "--run", run, "--printer", queue, "--roster", roster, "--photos", photos,
                          "--template", tpl, "--records", "2-3", "--first-blank", "T0001", "--no-prompt",
                          "--json", "--wait-timeout", "180", NULL};
    double t0 = now_s();
    int rc = gradprint(tag, args);
    char *out = output_of(tag, "out"), *err = output_of(tag, "err");
    if (c->expect == NULL) {
        struct stat sb;
        device_file(c, path, sizeof path);
        CHECK(rc == 3 && has(out, "queue-size") && has(out, queue), "%s must be refused (exit 3): %d\n%s%s",
              c->label, rc, out, err);
        CHECK(stat(path, &sb) == 0 && sb.st_size == 0, "%s was refused but its device got %lld bytes", c->label,
              (long long)sb.st_size);
        CHECK(stat(run, &sb) != 0, "a refused queue left a run folder");
        fprintf(stderr, "| %-48s | refused  | exit %d before any blank: %s |\n", c->label, rc,
                has(out, "custom page sizes") ? "no custom sizes, no named size within 0.5 mm" : "see --json");
        free(out);
        free(err);
        return;
    }
    CHECK(rc == 0 && has(out, "\"state\":\"completed\""), "%s: print exits %d:\n%s%s", c->label, rc, out, err);
    char want[64];
    snprintf(want, sizeof want, "\"orientation\":\"%s\"", c->expect ? c->expect : "-");
    CHECK(has(out, want), "%s: the queue check should print it %s:\n%s", c->label, want, out ? out : "");
    bool turned = has(out, "\"orientation\":\"turned\"");
    free(out);
    free(err);
    if (c->name != NULL) {
        device_file(c, path, sizeof path);
    } else {
        char run_id[64] = "";
        char conf_path[1300];
        snprintf(conf_path, sizeof conf_path, "%s/run.conf", run);
        char *conf = slurp_text(conf_path);
        const char *p = conf ? strstr(conf, "\nrun=") : NULL;
        if (p != NULL)
            snprintf(run_id, sizeof run_id, "%.*s", (int)strcspn(p + 5, "\n"), p + 5);
        free(conf);
        CHECK(ipp_received(run_id, path, sizeof path), "the IPP printer kept no document of run %s", run_id);
    }
    outcome o;
    memset(&o, 0, sizeof o);
    if (measure(c, path, turned, &o, "gradprint's job", true))
        for (int p = 0; p < PAGES; p++)
            CHECK(exact(&o.fit[p]),
                  "%s page %d is not 1:1 in place: scale %.4f x %.4f, offset %+.2f, %+.2f mm, worst mark %.2f mm "
                  "at (%.0f, %.0f) mm, %zu of %zu marks found",
                  c->label, p + 1, o.fit[p].scale_x, o.fit[p].scale_y, o.fit[p].offset_x_mm, o.fit[p].offset_y_mm,
                  o.fit[p].worst_mm, o.fit[p].worst_x_mm, o.fit[p].worst_y_mm, o.fit[p].found, o.fit[p].tiles);
    report_line(c, turned ? "turned" : "as-is", &o);
    fprintf(stderr, "  (%s: %.1f s)\n", queue, now_s() - t0);
}

/* Waits for the queue to have no unfinished jobs. */
static bool queue_idle(const char *queue, double limit_s)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "test -z \"$(lpstat -o %s 2>/dev/null)\"", queue);
    double t0 = now_s();
    while (now_s() - t0 < limit_s) {
        if (shell(cmd))
            return true;
        nanosleep(&(struct timespec){0, 200000000}, NULL);
    }
    return false;
}

/* The same certificates through lp, without gradprint's options: the
 * measurement must see what the queue defaults and Gutenprint's Shrink do. */
static void test_controls(void)
{
    static const struct {
        const chain *c;
        const char *options;
        const char *what;
    } controls[] = {
        {&chains[4], "-o PageSize=Custom.270x190mm -o StpiShrinkOutput=Shrink", "Gutenprint with its default Shrink"},
        {&chains[1], "", "lp with the queue's defaults (A4, fit-to-page, fill)"},
    };
    for (size_t i = 0; i < sizeof controls / sizeof *controls; i++) {
        const chain *c = controls[i].c;
        char queue[128], cmd[2000], path[1200];
        queue_name(c, queue, sizeof queue);
        truncate_device(c);
        snprintf(cmd, sizeof cmd, "lp -d %s %s '%s' >/dev/null", queue, controls[i].options, ref_pdf);
        REQUIRE(shell(cmd), "%s", cmd);
        CHECK(queue_idle(queue, 180), "the control job on %s did not finish", queue);
        device_file(c, path, sizeof path);
        outcome o;
        memset(&o, 0, sizeof o);
        /* The queue's A4 portrait default puts the landscape page on A4 turned
         * by pdftopdf: measured as printed, not turned back. */
        measure(c, path, false, &o, controls[i].what, false);
        bool off = !o.measured || !exact(&o.fit[0]) || !exact(&o.fit[1]);
        CHECK(off, "the measurement did not see %s spoil the page (scale %.4f x %.4f, worst %.2f mm)",
              controls[i].what, o.fit[0].scale_x, o.fit[0].scale_y, o.fit[0].worst_mm);
        fprintf(stderr, "| control: %-39s | %-8s | ", controls[i].what, "lp");
        if (o.measured)
            fprintf(stderr, "scale %.4f x %.4f, offset %+.2f, %+.2f mm, worst mark %.2f mm: spoilt |\n",
                    o.fit[0].scale_x, o.fit[0].scale_y, o.fit[0].offset_x_mm, o.fit[0].offset_y_mm,
                    o.fit[0].worst_mm);
        else
            fprintf(stderr, "marks not where the certificate has them: spoilt |\n");
    }
}

int main(void)
{
    fixture_dir = getenv("GP_CUPS_FIXTURE_DIR");
    ipp_queue = getenv("GP_CUPS_FIXTURE_QUEUE");
    REQUIRE(fixture_dir != NULL && ipp_queue != NULL && getenv("GP_CUPS_FIXTURE_DRIVERS") != NULL,
            "run under tests/cups-fixture.sh with GP_CUPS_FIXTURE_DRIVERS");
    dir = fixture_tempdir();
    snprintf(roster, sizeof roster, "%s/samples/roster.csv", GP_SOURCE_DIR);
    snprintf(photos, sizeof photos, "%s/samples/photos", GP_SOURCE_DIR);
    snprintf(tpl, sizeof tpl, "%s/templates/diploma-bachelor.xml", GP_SOURCE_DIR);
    snprintf(ref_pdf, sizeof ref_pdf, "%s/certificates.pdf", dir);
    const char *certs[] = {"certs", "--roster", roster, "--photos", photos, "--template", tpl, "--records", "2-3",
                           "--out", ref_pdf, NULL};
    REQUIRE(gradprint("certs", certs) == 0, "the reference certificates: %s", output_of("certs", "err"));
    REQUIRE(chain_pdf_pages(ref_pdf) == PAGES, "the reference has %d pages", chain_pdf_pages(ref_pdf));
    fprintf(stderr, "| chain | sent | measured against the certificate PDF |\n|---|---|---|\n");
    for (size_t i = 0; i < sizeof chains / sizeof *chains; i++)
        test_chain(&chains[i]);
    test_controls();
    if (gp_test_failed == 0)
        fixture_remove(dir);
    else
        fprintf(stderr, "kept %s\n", dir);
    free(dir);
    return gp_test_done();
}
