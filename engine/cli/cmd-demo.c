/* gradprint demo — the main jobs on the bundled samples, so a new user sees
 * real output from one command: photo-lab sheets, and diplomas and degree
 * certificates both as they go onto blanks and as proofs on our sample blank. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

static void print_help(void)
{
    printf("%s", _("Usage: gradprint demo [--out DIR] [--jobs N] [--json]\n"
                   "\n"
                   "Runs gradprint on the bundled synthetic samples (samples/roster.csv, samples/photos/) and\n"
                   "writes into DIR (default ./out):\n"
                   "  photo-sheets/                 lab sheets, dividers, packing lists, manifest and PDF proof\n"
                   "  certificates/*.pdf            diplomas and degree certificates for the pre-printed blanks\n"
                   "  certificates/*-proof.pdf      the same drawn on our sample blanks, for review\n"
                   "  certificates/calibration-*.pdf  alignment pages for measuring a printer\n"
                   "An earlier demo output there is replaced.\n"
                   "\n"
                   "  --out DIR           where to write (default ./out)\n"
                   "  --jobs N            worker threads for the sheets (default: one per core)\n"
                   "  --json              print the result as JSON on stdout\n"
                   "  --help              this help\n"));
}

enum { DEMO_TEMPLATES = 2, DEMO_CERTS = 2 * DEMO_TEMPLATES };
static const char *const demo_templates[DEMO_TEMPLATES] = {"diploma-bachelor", "degree-bachelor"};

typedef struct demo_cert {
    const char *template_name;
    bool proof;
    char *out;
    size_t pages;
} demo_cert;

/* What the demo made, for the summary lines and the JSON envelope. */
typedef struct demo {
    gp_context *ctx;
    bool json;
    char *roster, *photos, *sheets_out, *certs_dir;
    size_t sheets_rendered, sheets_classes;
    demo_cert certs[DEMO_CERTS];
    size_t ncerts;
    char *calibration[DEMO_TEMPLATES];
    size_t ncalibration;
    /* the step that failed */
    const char *failed_command;
    gp_status status;
    gp_error *error;
    const gp_report *report;
    gp_sheets_result *sheets_result;
    gp_certs_result *certs_result;
} demo;

static char *join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *s = malloc(n);
    if (s != NULL)
        snprintf(s, n, "%s/%s", a, b);
    return s;
}

static bool fail_step(demo *d, const char *command, gp_status st, gp_error *err, const gp_report *report)
{
    d->failed_command = command;
    d->status = st;
    d->error = err;
    d->report = report;
    return false;
}

static bool run_sheets(demo *d, int jobs)
{
    gp_sheets_options o;
    gp_sheets_options_init(&o);
    o.roster_path = d->roster;
    o.photos_dir = d->photos;
    o.out_dir = d->sheets_out;
    o.formats = GP_SHEETS_JPEG | GP_SHEETS_PDF;
    o.jobs = jobs;
    o.overwrite = true;
    cli_interrupt_protect(o.out_dir);
    cli_progress progress;
    cli_progress_init(&progress, d->json);
    o.progress = cli_progress_update;
    o.progress_user = &progress;
    gp_error *err = NULL;
    gp_status st = gp_sheets_run(d->ctx, &o, &d->sheets_result, &err);
    cli_progress_end(&progress);
    if (st != GP_OK)
        return fail_step(d, "sheets", st, err, gp_sheets_result_report(d->sheets_result));
    d->sheets_rendered = gp_sheets_result_rendered(d->sheets_result);
    d->sheets_classes = gp_sheets_result_classes(d->sheets_result);
    if (!d->json)
        cli_say(stdout, _("sheets: %zu rendered, %zu classes -> %s\n"), d->sheets_rendered, d->sheets_classes,
                d->sheets_out);
    return true;
}

static bool run_certs(demo *d, const char *template_name, bool proof)
{
    demo_cert *c = &d->certs[d->ncerts++];
    c->template_name = template_name;
    c->proof = proof;
    char name[128];
    snprintf(name, sizeof name, "%s%s.pdf", template_name, proof ? "-proof" : "");
    c->out = join(d->certs_dir, name);
    char *tpl = gp_context_find_template(d->ctx, template_name);
    if (tpl == NULL || c->out == NULL) {
        free(tpl);
        return fail_step(d, "certs", GP_E_NOMEM, NULL, NULL);
    }
    gp_certs_options o;
    gp_certs_options_init(&o);
    o.roster_path = d->roster;
    o.photos_dir = d->photos;
    o.template_path = tpl;
    o.out_path = c->out;
    o.overwrite = true; /* the demo's own output from an earlier demo */
    o.proof = proof;
    cli_interrupt_protect(c->out);
    gp_certs_result_free(d->certs_result);
    d->certs_result = NULL;
    gp_error *err = NULL;
    gp_status st = gp_certs_run(d->ctx, &o, &d->certs_result, &err);
    free(tpl);
    if (st != GP_OK)
        return fail_step(d, "certs", st, err, gp_certs_result_report(d->certs_result));
    c->pages = gp_certs_result_rendered(d->certs_result);
    if (!d->json)
        cli_say(stdout, _("certs: %zu pages -> %s\n"), c->pages, c->out);
    return true;
}

static bool run_calibration(demo *d, const char *template_name)
{
    char name[128];
    snprintf(name, sizeof name, "calibration-%s.pdf", template_name);
    char *out = join(d->certs_dir, name);
    d->calibration[d->ncalibration++] = out;
    char *tpl = gp_context_find_template(d->ctx, template_name);
    gp_error *err = NULL;
    cli_interrupt_protect(out);
    gp_status st = tpl && out ? gp_calibration_page(d->ctx, tpl, NULL, out, &err) : GP_E_NOMEM;
    free(tpl);
    if (st != GP_OK)
        return fail_step(d, "calibrate", st, err, NULL);
    if (!d->json)
        cli_say(stdout, _("calibration page -> %s\n"), out);
    return true;
}

static void write_sheets(cli_json *w, const void *data)
{
    const demo *d = data;
    const cli_json_field fields[] = {
        CLI_JSON_SIZE("rendered", d->sheets_rendered),
        CLI_JSON_SIZE("classes", d->sheets_classes),
        CLI_JSON_STRING("out_dir", d->sheets_rendered > 0 ? d->sheets_out : NULL),
    };
    cli_json_object_begin(w, NULL);
    cli_json_fields(w, fields, CLI_JSON_COUNT(fields));
    cli_json_object_end(w);
}

static void write_certs(cli_json *w, const void *data)
{
    const demo *d = data;
    cli_json_array_begin(w, NULL);
    for (size_t i = 0; i < d->ncerts; i++) {
        const demo_cert *c = &d->certs[i];
        if (c->pages == 0)
            continue;
        const cli_json_field fields[] = {
            CLI_JSON_STRING("template", c->template_name),
            CLI_JSON_BOOL("proof", c->proof),
            CLI_JSON_SIZE("pages", c->pages),
            CLI_JSON_STRING("out", c->out),
        };
        cli_json_object_begin(w, NULL);
        cli_json_fields(w, fields, CLI_JSON_COUNT(fields));
        cli_json_object_end(w);
    }
    cli_json_array_end(w);
}

static void write_calibration(cli_json *w, const void *data)
{
    const demo *d = data;
    size_t done = d->ncalibration - (d->failed_command != NULL && strcmp(d->failed_command, "calibrate") == 0);
    cli_json_array_begin(w, NULL);
    for (size_t i = 0; i < done; i++)
        cli_json_str(w, NULL, d->calibration[i]);
    cli_json_array_end(w);
}

static bool run_all(demo *d, const char *out, int jobs)
{
    char *samples = join(gp_context_data_dir(d->ctx), "samples");
    d->roster = samples ? join(samples, "roster.csv") : NULL;
    d->photos = samples ? join(samples, "photos") : NULL;
    d->sheets_out = join(out, "photo-sheets");
    d->certs_dir = join(out, "certificates");
    free(samples);
    if (!d->roster || !d->photos || !d->sheets_out || !d->certs_dir)
        return fail_step(d, "demo", GP_E_NOMEM, NULL, NULL);
    if (!run_sheets(d, jobs))
        return false;
    if (mkdir(d->certs_dir, 0700) != 0 && errno != EEXIST) {
        if (!d->json)
            cli_say(stderr, _("gradprint: %s: cannot create directory\n"), d->certs_dir);
        return fail_step(d, "demo", GP_E_IO, NULL, NULL);
    }
    for (int t = 0; t < DEMO_TEMPLATES; t++)
        if (!run_certs(d, demo_templates[t], false) || !run_certs(d, demo_templates[t], true) ||
            !run_calibration(d, demo_templates[t]))
            return false;
    return true;
}

static void demo_free(demo *d)
{
    free(d->roster);
    free(d->photos);
    free(d->sheets_out);
    free(d->certs_dir);
    for (size_t i = 0; i < d->ncerts; i++)
        free(d->certs[i].out);
    for (size_t i = 0; i < d->ncalibration; i++)
        free(d->calibration[i]);
    gp_sheets_result_free(d->sheets_result);
    gp_certs_result_free(d->certs_result);
    gp_context_free(d->ctx);
}

static int run_demo(const char *out, int jobs, bool json)
{
    demo d = {.json = json, .status = GP_OK};
    int code;
    d.ctx = cli_open_context("demo", &code);
    if (d.ctx == NULL)
        return code;
    run_all(&d, out, jobs);
    const cli_json_field fields[] = {
        CLI_JSON_STRING("failed_step", d.failed_command),
        CLI_JSON_STRING("out", out),
        CLI_JSON_CUSTOM("sheets", write_sheets, &d),
        CLI_JSON_CUSTOM("certificates", write_certs, &d),
        CLI_JSON_CUSTOM("calibration", write_calibration, &d),
    };
    /* Without --json the steps have printed their lines; a failed step
     * shows at most 20 of its findings. */
    cli_outcome outcome = {"demo", d.status, d.error, d.report, fields, CLI_JSON_COUNT(fields)};
    if (!json && d.report != NULL && d.status != GP_OK) {
        cli_print_findings(d.report, 20);
        outcome.report = NULL;
    }
    code = cli_finish_outcome(&outcome, json, true, NULL, NULL);
    demo_free(&d);
    return code;
}

int cmd_demo(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"out", required_argument, NULL, 'o'},
        {"jobs", required_argument, NULL, 'j'},
        {"json", no_argument, NULL, 'J'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *out = "out";
    int jobs = 0, c;
    bool json = false;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case 'j':
            if (!cli_parse_int(optarg, 1, 256, &jobs))
                return cli_usage_error("demo", _("--jobs takes a number from 1 to 256, not '%s'"), optarg);
            break;
        case 'J': json = true; break;
        case 'h': print_help(); return 0;
        default: return cli_usage_error("demo", _("unknown or incomplete option '%s'"), argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error("demo", _("unexpected argument '%s'"), argv[optind]);
    return run_demo(out, jobs, json);
}
