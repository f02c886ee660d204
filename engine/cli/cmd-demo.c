/* gradprint demo — the main jobs on the bundled samples, so a new user sees
 * real output from one command: photo-lab sheets, and diplomas and degree
 * certificates both as they go onto blanks and as proofs on our sample blank. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "cmd-sheets.h"

static void print_help(void)
{
    printf("%s", _("Usage: gradprint demo [--out DIR] [--jobs N]\n"
                   "\n"
                   "Runs gradprint on the bundled synthetic samples (samples/roster.csv, samples/photos/) and\n"
                   "writes into DIR (default ./out):\n"
                   "  photo-sheets/                 lab sheets, dividers, packing lists, manifest and PDF proof\n"
                   "  certificates/*.pdf            diplomas and degree certificates for the pre-printed blanks\n"
                   "  certificates/*-proof.pdf      the same drawn on our sample blanks, for review\n"
                   "  certificates/calibration-*.pdf  alignment pages for measuring a printer\n"
                   "An earlier demo output there is replaced.\n"));
}

static char *join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *s = malloc(n);
    if (s != NULL)
        snprintf(s, n, "%s/%s", a, b);
    return s;
}

static int run_certs(gp_context *ctx, const char *roster, const char *photos, const char *certs_dir,
                     const char *template_name, bool proof)
{
    char *tpl = gp_context_find_template(ctx, template_name);
    char name[128];
    snprintf(name, sizeof name, "%s%s.pdf", template_name, proof ? "-proof" : "");
    char *out = join(certs_dir, name);
    int code = EXIT_IO;
    if (tpl != NULL && out != NULL) {
        gp_certs_options o;
        gp_certs_options_init(&o);
        o.roster_path = roster;
        o.photos_dir = photos;
        o.template_path = tpl;
        o.out_path = out;
        o.overwrite = true; /* the demo's own output from an earlier demo */
        o.proof = proof;
        gp_certs_result *res = NULL;
        gp_error *err = NULL;
        gp_status st = gp_certs_run(ctx, &o, &res, &err);
        if (st == GP_OK)
            printf(_("certs: %zu pages -> %s\n"), gp_certs_result_rendered(res), out);
        else
            cli_print_findings(gp_certs_result_report(res), 20);
        cli_print_error(st == GP_OK ? NULL : err);
        if (st == GP_OK)
            gp_error_free(err);
        code = cli_exit_status(st);
        gp_certs_result_free(res);
    }
    free(tpl);
    free(out);
    return code;
}

static int run_calibration(gp_context *ctx, const char *certs_dir, const char *template_name)
{
    char *tpl = gp_context_find_template(ctx, template_name);
    char name[128];
    snprintf(name, sizeof name, "calibration-%s.pdf", template_name);
    char *out = join(certs_dir, name);
    gp_error *err = NULL;
    gp_status st = tpl && out ? gp_calibration_page(ctx, tpl, NULL, out, &err) : GP_E_NOMEM;
    if (st == GP_OK)
        printf(_("calibration page -> %s\n"), out);
    else
        cli_print_error(err);
    free(tpl);
    free(out);
    return cli_exit_status(st);
}

static int run_demo(const char *out, int jobs)
{
    gp_context *ctx = cli_context();
    if (ctx == NULL)
        return EXIT_USAGE;
    char *samples = join(gp_context_data_dir(ctx), "samples");
    char *roster = samples ? join(samples, "roster.csv") : NULL;
    char *photos = samples ? join(samples, "photos") : NULL;
    char *sheets_out = join(out, "photo-sheets");
    char *certs_dir = join(out, "certificates");
    int code = EXIT_IO;
    if (roster && photos && sheets_out && certs_dir) {
        gp_sheets_options o;
        gp_sheets_options_init(&o);
        o.roster_path = roster;
        o.photos_dir = photos;
        o.out_dir = sheets_out;
        o.formats = GP_SHEETS_JPEG | GP_SHEETS_PDF;
        o.jobs = jobs;
        o.overwrite = true;
        code = cli_sheets_run(ctx, &o, false, false);
        if (code == 0 && mkdir(certs_dir, 0700) != 0 && errno != EEXIST) {
            fprintf(stderr, _("gradprint: %s: cannot create directory\n"), certs_dir);
            code = EXIT_IO;
        }
        static const char *const templates[] = {"diploma-bachelor", "degree-bachelor"};
        for (int t = 0; t < 2 && code == 0; t++) {
            code = run_certs(ctx, roster, photos, certs_dir, templates[t], false);
            if (code == 0)
                code = run_certs(ctx, roster, photos, certs_dir, templates[t], true);
            if (code == 0)
                code = run_calibration(ctx, certs_dir, templates[t]);
        }
    }
    free(samples);
    free(roster);
    free(photos);
    free(sheets_out);
    free(certs_dir);
    gp_context_free(ctx);
    return code;
}

int cmd_demo(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"out", required_argument, NULL, 'o'},
        {"jobs", required_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *out = "out";
    int jobs = 0, c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case 'j':
            if (!cli_parse_int(optarg, 1, 256, &jobs))
                return cli_usage_error("demo", _("--jobs takes a number from 1 to 256, not '%s'"), optarg);
            break;
        case 'h': print_help(); return 0;
        default: return cli_usage_error("demo", _("unknown or incomplete option '%s'"), argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error("demo", _("unexpected argument '%s'"), argv[optind]);
    return run_demo(out, jobs);
}
