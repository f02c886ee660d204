/* gradprint calibrate — the alignment page an operator prints on plain paper
 * and lays on a blank against the light to read the printer's offset. */
#include <getopt.h>
#include <stdlib.h>

#include "cli.h"

static void print_help(void)
{
    printf("%s", _("Usage: gradprint calibrate --template FILE --out FILE.pdf [--profile FILE] [--offset DX,DY] [--json]\n"
                   "\n"
                   "Writes an alignment page the size of the template's blank: a millimetre ruler grid and a\n"
                   "crosshair at every field's anchor. Print it on plain paper through the printer and tray you\n"
                   "will use, lay it on a blank against the light, and read how far the crosshairs miss the blank's\n"
                   "boxes. Put that offset into a printer profile:\n"
                   "\n"
                   "    # printer profile\n"
                   "    printer = office-laser\n"
                   "    tray = tray2\n"
                   "    offset-x = 0.8      # mm, + moves marks right\n"
                   "    offset-y = -1.2     # mm, + moves marks down\n"
                   "    scale-x = 1.000\n"
                   "    scale-y = 1.000\n"
                   "\n"
                   "then print the page again with --profile to check it.\n"
                   "\n"
                   "  --template FILE     certificate template, e.g. templates/diploma-bachelor.xml\n"
                   "  --out FILE.pdf      the alignment page to write\n"
                   "  --profile FILE      printer profile whose offset and scale the page is drawn with\n"
                   "  --offset DX,DY      move every mark by DX,DY mm, added to the profile's\n"
                   "  --json              print the result as JSON on stdout\n"
                   "  --help              this help\n"
                   "\n"
                   "Exit status: 0 done, 1 usage error, 2 the template or profile is invalid, 3 I/O error.\n"));
}

static void calibrate_summary(const void *out) { cli_say(stdout, _("calibration page -> %s\n"), (const char *)out); }

int cmd_calibrate(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"template", required_argument, NULL, 't'}, {"out", required_argument, NULL, 'o'},
        {"profile", required_argument, NULL, 'p'},  {"offset", required_argument, NULL, 'f'},
        {"json", no_argument, NULL, 'j'},           {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *template_path = NULL, *out = NULL, *profile = NULL;
    double dx = 0, dy = 0;
    bool json = false;
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 't': template_path = optarg; break;
        case 'o': out = optarg; break;
        case 'p': profile = optarg; break;
        case 'f':
            if (!cli_parse_offset(optarg, &dx, &dy))
                return cli_usage_error("calibrate", _("--offset takes DX,DY in millimetres, not '%s'"), optarg);
            break;
        case 'j': json = true; break;
        case 'h': print_help(); return 0;
        default: return cli_usage_error("calibrate", _("unknown or incomplete option '%s'"), argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error("calibrate", _("unexpected argument '%s'"), argv[optind]);
    if (template_path == NULL || out == NULL)
        return cli_usage_error("calibrate", "%s", _("--template and --out are required"));
    gp_calibration cal;
    gp_calibration_init(&cal);
    gp_error *err = NULL;
    if (profile != NULL && gp_calibration_load(profile, &cal, &err) != GP_OK)
        return cli_fail("calibrate", err);
    cal.offset_x_mm += dx;
    cal.offset_y_mm += dy;
    int code;
    gp_context *ctx = cli_open_context("calibrate", &code);
    if (ctx == NULL)
        return code;
    cli_interrupt_protect(out);
    gp_status st = gp_calibration_page(ctx, template_path, &cal, out, &err);
    gp_context_free(ctx);
    const cli_json_field fields[] = {
        CLI_JSON_STRING("template", template_path),
        CLI_JSON_STRING("out", st == GP_OK ? out : NULL),
        CLI_JSON_NUMBER("offset_x_mm", cal.offset_x_mm),
        CLI_JSON_NUMBER("offset_y_mm", cal.offset_y_mm),
        CLI_JSON_NUMBER("scale_x", cal.scale_x),
        CLI_JSON_NUMBER("scale_y", cal.scale_y),
    };
    cli_outcome outcome = {"calibrate", st, err, NULL, fields, CLI_JSON_COUNT(fields)};
    return cli_finish_outcome(&outcome, json, false, calibrate_summary, out);
}
