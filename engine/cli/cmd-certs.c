/* gradprint certs — diplomas and degree certificates onto pre-printed blanks. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void print_help(void)
{
    printf("%s", _("Usage: gradprint certs --roster FILE --template FILE --out FILE.pdf [options]\n"
                   "\n"
                   "Writes one certificate page per graduate (roster order, or the order of --records) into one\n"
                   "PDF sized exactly like the blank. Every graduate is checked first: the template's validators,\n"
                   "unique certificate numbers, the photo, a glyph for every character, every text fitting its\n"
                   "box. On errors nothing is written.\n"
                   "\n"
                   "  --roster FILE       roster: XLSX, XLS, ODS or CSV (UTF-8 or GB18030)\n"
                   "  --photos DIR        folder of photos named <ID number>.jpg (when the template has a photo)\n"
                   "  --template FILE     certificate template, e.g. templates/diploma-bachelor.xml\n"
                   "  --out FILE.pdf      the PDF to write\n"
                   "  --proof             draw the blank's background under the text (for review, not for blanks)\n"
                   "  --png DIR           also write a preview PNG of every page into DIR\n"
                   "  --offset DX,DY      move every mark by DX,DY mm (+x right, +y down), added to the profile's\n"
                   "  --profile FILE      printer profile with offset and scale (see 'gradprint calibrate')\n"
                   "  --records LIST      roster lines and ranges (5-6,12), as messages number them, or student\n"
                   "                      numbers, comma-separated\n"
                   "  --encoding ENC      roster encoding: utf-8, gb18030 or gbk (default: detected)\n"
                   "  --sheet NAME        spreadsheet sheet (default: the first)\n"
                   "  --map COLUMN=KEY    a roster column named the school's way, e.g. 行政班=class (repeatable)\n"
                   "  --map-file FILE     a file of COLUMN=KEY lines, one per line\n"
                   "  --skip-invalid      print the valid graduates, list the skipped ones\n"
                   "  --overwrite         replace --out (and --png) when they exist\n"
                   "  --json              print the result as JSON on stdout\n"
                   "  --quiet             no progress bar, no warnings\n"
                   "  --help              this help\n"
                   "\n"
                   "Exit status: 0 done, 1 usage error, 2 input failed validation, 3 I/O error.\n"));
}

typedef struct certs_outcome {
    const gp_certs_result *result;
    const char *out, *png_dir;
} certs_outcome;

static void certs_summary(const void *outcome)
{
    const certs_outcome *o = outcome;
    if (o->png_dir != NULL)
        cli_say(stdout, _("certs: %zu pages, %zu skipped -> %s (previews in %s)\n"),
                gp_certs_result_rendered(o->result), gp_certs_result_skipped(o->result), o->out, o->png_dir);
    else
        cli_say(stdout, _("certs: %zu pages, %zu skipped -> %s\n"), gp_certs_result_rendered(o->result),
                gp_certs_result_skipped(o->result), o->out);
}

/* Renders the checked options' certificates and reports the outcome. */
static int run_certs(const gp_certs_options *opts, bool json, bool quiet)
{
    int code;
    gp_context *ctx = cli_open_context("certs", &code);
    if (ctx == NULL)
        return code;
    cli_interrupt_protect(opts->out_path);
    cli_interrupt_protect(opts->png_dir);
    cli_progress progress;
    cli_progress_init(&progress, quiet || json);
    gp_certs_options o = *opts;
    o.progress = cli_progress_update;
    o.progress_user = &progress;
    gp_certs_result *res = NULL;
    gp_error *err = NULL;
    gp_status st = gp_certs_run(ctx, &o, &res, &err);
    cli_progress_end(&progress);
    bool written = st == GP_OK;
    const cli_json_field fields[] = {
        CLI_JSON_SIZE("selected", gp_certs_result_selected(res)),
        CLI_JSON_SIZE("invalid", gp_certs_result_skipped(res)),
        CLI_JSON_SIZE("rendered", gp_certs_result_rendered(res)),
        CLI_JSON_SIZE("skipped", written ? gp_certs_result_skipped(res) : 0),
        CLI_JSON_STRING("out", written ? o.out_path : NULL),
        CLI_JSON_STRING("png_dir", written ? o.png_dir : NULL),
    };
    certs_outcome summary = {res, o.out_path, o.png_dir};
    cli_outcome outcome = {"certs", st, err, gp_certs_result_report(res), fields, CLI_JSON_COUNT(fields)};
    code = cli_finish_outcome(&outcome, json, quiet, certs_summary, &summary);
    gp_certs_result_free(res);
    gp_context_free(ctx);
    return code;
}

int cmd_certs(int argc, char **argv)
{
    enum { OPT_ROSTER = 256, OPT_PHOTOS, OPT_TEMPLATE, OPT_OUT, OPT_PROOF, OPT_PNG, OPT_OFFSET, OPT_PROFILE,
           OPT_RECORDS, OPT_SKIP, OPT_OVERWRITE, OPT_JSON, OPT_QUIET, OPT_HELP };
    static const struct option longopts[] = {
        {"roster", required_argument, NULL, OPT_ROSTER},     {"photos", required_argument, NULL, OPT_PHOTOS},
        {"template", required_argument, NULL, OPT_TEMPLATE}, {"out", required_argument, NULL, OPT_OUT},
        {"proof", no_argument, NULL, OPT_PROOF},             {"png", required_argument, NULL, OPT_PNG},
        {"offset", required_argument, NULL, OPT_OFFSET},     {"profile", required_argument, NULL, OPT_PROFILE},
        {"records", required_argument, NULL, OPT_RECORDS},   CLI_ROSTER_OPTIONS,
        {"skip-invalid", no_argument, NULL, OPT_SKIP},
        {"overwrite", no_argument, NULL, OPT_OVERWRITE},
        {"json", no_argument, NULL, OPT_JSON},               {"quiet", no_argument, NULL, OPT_QUIET},
        {"help", no_argument, NULL, OPT_HELP},               {NULL, 0, NULL, 0},
    };
    gp_certs_options o;
    gp_certs_options_init(&o);
    cli_placement placement = {0};
    bool json = false, quiet = false;
    /* Each --map takes at least one argv entry, so argc bounds them. */
    const char *maps[argc > 0 ? argc : 1];
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_ROSTER: o.roster_path = optarg; break;
        case OPT_PHOTOS: o.photos_dir = optarg; break;
        case OPT_TEMPLATE: o.template_path = optarg; break;
        case OPT_OUT: o.out_path = optarg; break;
        case OPT_PROOF: o.proof = true; break;
        case OPT_PNG: o.png_dir = optarg; break;
        case OPT_OFFSET:
            if (cli_placement_offset("certs", optarg, &placement) != 0)
                return EXIT_USAGE;
            break;
        case OPT_PROFILE: placement.profile = optarg; break;
        case OPT_RECORDS: o.records = optarg; break;
        case OPT_SKIP: o.skip_invalid = true; break;
        case OPT_OVERWRITE: o.overwrite = true; break;
        case OPT_JSON: json = true; break;
        case OPT_QUIET: quiet = true; break;
        case OPT_HELP: print_help(); return 0;
        default:
            if (cli_roster_option(c, optarg, &o.roster, maps))
                break;
            return cli_usage_error("certs", _("unknown or incomplete option '%s'"), argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error("certs", _("unexpected argument '%s'"), argv[optind]);
    if (o.roster_path == NULL || o.template_path == NULL || o.out_path == NULL)
        return cli_usage_error("certs", "%s", _("--roster, --template and --out are required"));
    int code = cli_placement_calibration("certs", &placement, NULL, &o.calibration);
    return code != 0 ? code : run_certs(&o, json, quiet);
}
