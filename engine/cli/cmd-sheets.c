/* gradprint sheets — photo-lab sheets, proof, packing lists, manifest. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd-sheets.h"

static void print_help(void)
{
    printf("%s", _("Usage: gradprint sheets --roster FILE --photos DIR --out DIR [options]\n"
                   "\n"
                   "Makes one photo-lab sheet per student (JPEG at the lab's resolution), a divider sheet and a\n"
                   "packing list per class, a manifest, and with --format pdf|both a PDF proof of all sheets.\n"
                   "Sheets are in delivery order: by college, major and class, then student number.\n"
                   "Every student and photo is checked first; on errors nothing is written.\n"
                   "\n"
                   "  --roster FILE      roster: XLSX, XLS, ODS or CSV (UTF-8 or GB18030)\n"
                   "  --photos DIR       folder of photos named <ID number>.jpg\n"
                   "  --out DIR          output folder (must be new or empty)\n"
                   "  --template FILE    sheet template (default: photo-sheet-7in)\n"
                   "  --school NAME      school name on the label (default: the template's)\n"
                   "  --format F         jpeg, pdf or both (default: jpeg)\n"
                   "  --dpi N            lab resolution, e.g. 300, 320 or 254 (default: the template's)\n"
                   "  --jobs N           worker threads (default: one per core)\n"
                   "  --class-order O    natural (names in pinyin order, numbers by value: 2班 before 10班;\n"
                   "                     the default) or roster (each class where it first appears)\n"
                   "  --lab LAB          a photo-lab order instead: generic, frontier, noritsu or a lab\n"
                   "                     profile file (ASCII names, the lab's dpi and paper, DPOF, back print)\n"
                   "  --order-id ID      the lab order's name, 1-12 letters and digits (default: YYMMDDHHMM)\n"
                   "  --hot-folder DIR   hand the order over into the lab's hot folder (written as p<ID>,\n"
                   "                     renamed to o<ID> when complete)\n"
                   "  --encoding ENC     roster encoding: utf-8, gb18030 or gbk (default: detected)\n"
                   "  --sheet NAME       spreadsheet sheet (default: the first)\n"
                   "  --map COLUMN=KEY   a roster column named the school's way, e.g. 行政班=class (repeatable)\n"
                   "  --map-file FILE    a file of COLUMN=KEY lines, one per line\n"
                   "  --skip-invalid     render the valid students, list the skipped ones\n"
                   "  --overwrite        replace an earlier gradprint output in --out\n"
                   "  --json             print the result as JSON on stdout\n"
                   "  --quiet            no progress bar, no warnings\n"
                   "  --help             this help\n"
                   "\n"
                   "Exit status: 0 done, 1 usage error, 2 input failed validation, 3 I/O error.\n"));
}

static bool parse_format(const char *s, unsigned *formats)
{
    if (strcmp(s, "jpeg") == 0 || strcmp(s, "jpg") == 0)
        *formats = GP_SHEETS_JPEG;
    else if (strcmp(s, "pdf") == 0)
        *formats = GP_SHEETS_PDF;
    else if (strcmp(s, "both") == 0)
        *formats = GP_SHEETS_JPEG | GP_SHEETS_PDF;
    else
        return false;
    return true;
}

static void sheets_summary(const void *result)
{
    const gp_sheets_result *r = result;
    cli_say(stdout, _("sheets: %zu rendered, %zu skipped, %zu classes, %zu warnings -> %s\n"), gp_sheets_result_rendered(r),
           gp_sheets_result_skipped(r), gp_sheets_result_classes(r),
           gp_report_count_severity(gp_sheets_result_report(r), GP_WARNING), gp_sheets_result_out_dir(r));
    if (gp_sheets_result_order_dir(r) != NULL)
        cli_say(stdout, _("lab order: %s\n"), gp_sheets_result_order_dir(r));
}

int cli_sheets_run(gp_context *ctx, const gp_sheets_options *opts, bool json, bool quiet)
{
    cli_interrupt_protect(opts->out_dir);
    cli_progress progress;
    cli_progress_init(&progress, quiet || json);
    gp_sheets_options o = *opts;
    o.progress = cli_progress_update;
    o.progress_user = &progress;
    gp_sheets_result *r = NULL;
    gp_error *err = NULL;
    gp_status st = gp_sheets_run(ctx, &o, &r, &err);
    cli_progress_end(&progress);
    /* "skipped" counts students left out of a written output; "invalid"
     * those that failed preflight, written or not. */
    const cli_json_field fields[] = {
        CLI_JSON_SIZE("students", gp_sheets_result_students(r)),
        CLI_JSON_SIZE("invalid", gp_sheets_result_invalid(r)),
        CLI_JSON_SIZE("rendered", gp_sheets_result_rendered(r)),
        CLI_JSON_SIZE("skipped", st == GP_OK ? gp_sheets_result_skipped(r) : 0),
        CLI_JSON_SIZE("classes", gp_sheets_result_classes(r)),
        CLI_JSON_STRING("out_dir", gp_sheets_result_out_dir(r)),
        CLI_JSON_STRING("order_dir", gp_sheets_result_order_dir(r)),
    };
    cli_outcome outcome = {"sheets", st, err, gp_sheets_result_report(r), fields, CLI_JSON_COUNT(fields)};
    int code = cli_finish_outcome(&outcome, json, quiet, sheets_summary, r);
    gp_sheets_result_free(r);
    return code;
}

int cmd_sheets(int argc, char **argv)
{
    enum { OPT_ROSTER = 256, OPT_PHOTOS, OPT_OUT, OPT_TEMPLATE, OPT_SCHOOL, OPT_FORMAT, OPT_DPI, OPT_JOBS,
           OPT_SKIP, OPT_OVERWRITE, OPT_JSON, OPT_QUIET, OPT_HELP, OPT_CLASS_ORDER,
           OPT_LAB, OPT_ORDER_ID, OPT_HOT_FOLDER };
    static const struct option longopts[] = {
        {"roster", required_argument, NULL, OPT_ROSTER},     {"photos", required_argument, NULL, OPT_PHOTOS},
        {"out", required_argument, NULL, OPT_OUT},           {"template", required_argument, NULL, OPT_TEMPLATE},
        {"school", required_argument, NULL, OPT_SCHOOL},     {"format", required_argument, NULL, OPT_FORMAT},
        {"dpi", required_argument, NULL, OPT_DPI},           {"jobs", required_argument, NULL, OPT_JOBS},
        CLI_ROSTER_OPTIONS,
        {"skip-invalid", no_argument, NULL, OPT_SKIP},       {"overwrite", no_argument, NULL, OPT_OVERWRITE},
        {"json", no_argument, NULL, OPT_JSON},               {"quiet", no_argument, NULL, OPT_QUIET},
        {"help", no_argument, NULL, OPT_HELP},               {"class-order", required_argument, NULL, OPT_CLASS_ORDER},
        {"lab", required_argument, NULL, OPT_LAB},           {"order-id", required_argument, NULL, OPT_ORDER_ID},
        {"hot-folder", required_argument, NULL, OPT_HOT_FOLDER}, {NULL, 0, NULL, 0},
    };
    gp_sheets_options o;
    gp_sheets_options_init(&o);
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
        case OPT_OUT: o.out_dir = optarg; break;
        case OPT_TEMPLATE: o.template_path = optarg; break;
        case OPT_SCHOOL: o.school = optarg; break;
        case OPT_FORMAT:
            if (!parse_format(optarg, &o.formats))
                return cli_usage_error("sheets", _("--format takes jpeg, pdf or both, not '%s'"), optarg);
            break;
        case OPT_DPI:
            if (!cli_parse_int(optarg, 72, 1200, &o.dpi))
                return cli_usage_error("sheets", _("--dpi takes a resolution from 72 to 1200, not '%s'"), optarg);
            break;
        case OPT_JOBS:
            if (!cli_parse_int(optarg, 1, 256, &o.jobs))
                return cli_usage_error("sheets", _("--jobs takes a number from 1 to 256, not '%s'"), optarg);
            break;
        case OPT_CLASS_ORDER:
            if (strcmp(optarg, "natural") == 0)
                o.group_order = GP_GROUP_ORDER_NATURAL;
            else if (strcmp(optarg, "roster") == 0)
                o.group_order = GP_GROUP_ORDER_ROSTER;
            else
                return cli_usage_error("sheets", _("--class-order takes natural or roster, not '%s'"), optarg);
            break;
        case OPT_LAB: o.lab = optarg; break;
        case OPT_ORDER_ID: o.order_id = optarg; break;
        case OPT_HOT_FOLDER: o.hot_folder = optarg; break;
        case OPT_SKIP: o.skip_invalid = true; break;
        case OPT_OVERWRITE: o.overwrite = true; break;
        case OPT_JSON: json = true; break;
        case OPT_QUIET: quiet = true; break;
        case OPT_HELP: print_help(); return 0;
        default:
            if (cli_roster_option(c, optarg, &o.roster, maps))
                break;
            return cli_usage_error("sheets", _("unknown or incomplete option '%s'"), argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error("sheets", _("unexpected argument '%s'"), argv[optind]);
    if (o.roster_path == NULL || o.photos_dir == NULL || o.out_dir == NULL)
        return cli_usage_error("sheets", "%s", _("--roster, --photos and --out are required"));
    int code;
    gp_context *ctx = cli_open_context("sheets", &code);
    if (ctx == NULL)
        return code;
    code = cli_sheets_run(ctx, &o, json, quiet);
    gp_context_free(ctx);
    return code;
}
