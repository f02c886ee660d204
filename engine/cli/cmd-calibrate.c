/* gradprint calibrate — the alignment page an operator prints on plain paper
 * and lays on a blank against the light to read the printer's offset, or
 * prints on a blank and scans (--scan, cmd-calibrate-scan.c). */
#include <getopt.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli.h"
#include "cmd-calibrate.h"

static void print_help(void)
{
    printf("%s", _("Usage: gradprint calibrate --template FILE --out FILE.pdf [--profile FILE] [--offset DX,DY] [--json]\n"
                   "       gradprint calibrate --template FILE --printer QUEUE [--tray NAME] [--profile FILE] [--json]\n"
                   "       gradprint calibrate --template FILE --scan FILE [--write-profile FILE] [--proof FILE.png]\n"
                   "                           [--profile FILE] [--json]\n"
                   "\n"
                   "Writes an alignment page the size of the template's blank: a millimetre ruler grid, a\n"
                   "crosshair at every field's anchor, a legend, and arrows at the edge of the blank that enters\n"
                   "the printer first. With --printer it is printed on that queue exactly as a print run would\n"
                   "print there (checked, turned when the run turns pages, with the same job options). Print it\n"
                   "on plain paper through the printer and tray you will use, lay it on a blank against the light,\n"
                   "and read how far the crosshairs miss the blank's boxes. Put that offset into a printer profile:\n"
                   "\n"
                   "    # printer profile\n"
                   "    printer = office-laser\n"
                   "    tray = tray2\n"
                   "    offset-x = 0.8      # mm, + moves marks right\n"
                   "    offset-y = -1.2     # mm, + moves marks down\n"
                   "    scale-x = 1.000\n"
                   "    scale-y = 1.000\n"
                   "    feed = top          # the printed page's top edge enters the printer first (or bottom)\n"
                   "    face = down         # blanks lie printed side down in the tray (or up)\n"
                   "\n"
                   "then print the page again with --profile to check it.\n"
                   "\n"
                   "Or let gradprint measure it: print the page on a real blank, scan it in colour (any dpi,\n"
                   "300 is plenty; the sheet anywhere on the bed) or photograph it from above, and pass the\n"
                   "picture to --scan. gradprint finds the blank in it by the blank's own printing (the\n"
                   "template's <background>), finds the page's magenta rings, and fits the printer's offset and\n"
                   "scale; it prints how far marks land now and with the new profile, and the rotation it saw\n"
                   "(which no profile corrects). Pass --profile when the page was printed with one: the new\n"
                   "profile replaces it. A scan of another blank, of a blank without the page, or of a page\n"
                   "printed scaled to fit is refused (exit 2).\n"
                   "\n"
                   "  --template FILE   certificate template\n"
                   "  --out FILE.pdf    the page as a PDF\n"
                   "  --printer QUEUE   print it on this CUPS queue\n"
                   "  --tray NAME       the tray the blanks go in\n"
                   "  --profile FILE    printer profile to draw it with\n"
                   "  --offset DX,DY    added to the profile's offset, mm\n"
                   "  --scan FILE       a JPEG or PNG scan or photo of the page printed on a blank\n"
                   "  --write-profile FILE  write the measured printer profile there\n"
                   "  --proof FILE.png  write the registered scan with expected and found marks\n"
                   "  --overwrite       replace --out, --write-profile or --proof when they exist\n"
                   "  --json            print the result as JSON on stdout\n"
                   "  --help            this help\n"
                   "\n"
                   "Exit status: 0 done, 1 usage error, 2 the template or profile is invalid, or the scan cannot\n"
                   "calibrate, 3 the page, profile or proof could not be written or printed, or the queue\n"
                   "cannot print the blank at 1:1.\n"));
}

static void calibrate_summary(const void *data)
{
    const gp_calibration_page_options *o = data;
    if (o->out_path != NULL)
        cli_say(stdout, _("calibration page -> %s\n"), o->out_path);
}

/* Makes (and with --printer prints) the calibration page and reports it. */
static int make_page(const gp_calibration_page_options *opts, bool json)
{
    const gp_calibration_page_options o = *opts;
    int code;
    gp_context *ctx = cli_open_context("calibrate", &code);
    if (ctx == NULL)
        return code;
    if (o.out_path != NULL)
        cli_interrupt_protect(o.out_path);
    gp_calibration_page_result *res = NULL;
    gp_error *err = NULL;
    gp_status st = gp_calibration_page_make(ctx, &o, &res, &err);
    gp_context_free(ctx);
    bool turned = res != NULL && gp_calibration_page_result_orientation(res) == GP_ORIENTATION_TURNED;
    const cli_json_field fields[] = {
        CLI_JSON_STRING("template", o.template_path),
        CLI_JSON_STRING("out", st == GP_OK ? o.out_path : NULL),
        CLI_JSON_STRING("printer", o.printer),
        CLI_JSON_LONG("job", res != NULL ? gp_calibration_page_result_job(res) : 0),
        CLI_JSON_BOOL("turned", turned),
        CLI_JSON_STRING("loading", res != NULL ? gp_calibration_page_result_loading(res) : NULL),
        CLI_JSON_NUMBER("offset_x_mm", o.calibration.offset_x_mm),
        CLI_JSON_NUMBER("offset_y_mm", o.calibration.offset_y_mm),
        CLI_JSON_NUMBER("scale_x", o.calibration.scale_x),
        CLI_JSON_NUMBER("scale_y", o.calibration.scale_y),
    };
    cli_outcome outcome = {"calibrate", st, err, res != NULL ? gp_calibration_page_result_report(res) : NULL, fields,
                           CLI_JSON_COUNT(fields)};
    code = cli_finish_outcome(&outcome, json, false, calibrate_summary, &o);
    if (!json && st == GP_OK && res != NULL) {
        if (o.printer != NULL)
            cli_say(stdout, _("calibration page printed on %s as job %d%s\n"), o.printer,
                    gp_calibration_page_result_job(res), turned ? _(", turned") : "");
        printf("%s\n", gp_calibration_page_result_loading(res));
    }
    gp_calibration_page_result_free(res);
    return code;
}

int cmd_calibrate(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"template", required_argument, NULL, 't'}, {"out", required_argument, NULL, 'o'},
        {"profile", required_argument, NULL, 'p'},  {"offset", required_argument, NULL, 'f'},
        {"printer", required_argument, NULL, 'q'},  {"tray", required_argument, NULL, 'r'},
        {"overwrite", no_argument, NULL, 'w'},      {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},           {"scan", required_argument, NULL, 's'},
        {"write-profile", required_argument, NULL, 'W'}, {"proof", required_argument, NULL, 'P'},
        {NULL, 0, NULL, 0},
    };
    gp_calibration_page_options o;
    gp_calibration_page_options_init(&o);
    gp_calibration_scan_options so;
    gp_calibration_scan_options_init(&so);
    cli_placement placement = {0};
    bool overwrite = false;
    bool json = false;
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 't': o.template_path = optarg; break;
        case 'o': o.out_path = optarg; break;
        case 'p': placement.profile = optarg; break;
        case 'q': o.printer = optarg; break;
        case 'r': o.tray = optarg; break;
        case 'w': overwrite = true; break;
        case 's': so.scan_path = optarg; break;
        case 'W': so.profile_out = optarg; break;
        case 'P': so.proof_out = optarg; break;
        case 'f':
            if (cli_placement_offset("calibrate", optarg, &placement) != 0)
                return EXIT_USAGE;
            break;
        case 'j': json = true; break;
        case 'h': print_help(); return 0;
        default: return cli_usage_error("calibrate", _("unknown or incomplete option '%s'"), argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error("calibrate", _("unexpected argument '%s'"), argv[optind]);
    if (so.scan_path == NULL && (so.profile_out != NULL || so.proof_out != NULL))
        return cli_usage_error("calibrate", "%s", _("--write-profile and --proof need --scan"));
    if (so.scan_path != NULL && (o.out_path != NULL || o.printer != NULL))
        return cli_usage_error("calibrate", "%s", _("--scan measures a printed page; make the page (--out, --printer) "
                                                    "in another run"));
    if (o.template_path == NULL && so.scan_path != NULL)
        return cli_usage_error("calibrate", "%s", _("--template is required"));
    if (o.template_path == NULL || (o.out_path == NULL && o.printer == NULL && so.scan_path == NULL))
        return cli_usage_error("calibrate", "%s", _("--template, and --out or --printer, are required"));
    if (o.out_path != NULL && !overwrite && access(o.out_path, F_OK) == 0)
        return cli_usage_error("calibrate", _("%s already exists; pass --overwrite to replace it"), o.out_path);
    int code = cli_placement_calibration("calibrate", &placement, NULL, &o.calibration);
    if (code != 0)
        return code;
    if (so.scan_path != NULL) {
        so.template_path = o.template_path;
        so.printed_with = o.calibration;
        return cmd_calibrate_scan(&so, overwrite, json);
    }
    return make_page(&o, json);
}
