/* gradprint calibrate — the alignment page an operator prints on plain paper
 * and lays on a blank against the light to read the printer's offset. */
#include <getopt.h>
#include <stdlib.h>

#include "cli.h"

static void print_help(void)
{
    printf("%s", _("Usage: gradprint calibrate --template FILE --out FILE.pdf [--profile FILE] [--offset DX,DY]\n"
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
                   "then print the page again with --profile to check it.\n"));
}

int cmd_calibrate(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"template", required_argument, NULL, 't'}, {"out", required_argument, NULL, 'o'},
        {"profile", required_argument, NULL, 'p'},  {"offset", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0},
    };
    const char *template_path = NULL, *out = NULL, *profile = NULL;
    double dx = 0, dy = 0;
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
        case 'h': print_help(); return 0;
        default: return cli_usage_error("calibrate", _("unknown or incomplete option '%s'"), argv[optind - 1]);
        }
    }
    if (template_path == NULL || out == NULL)
        return cli_usage_error("calibrate", "%s", _("--template and --out are required"));
    gp_calibration cal;
    gp_calibration_init(&cal);
    gp_error *err = NULL;
    if (profile != NULL && gp_calibration_load(profile, &cal, &err) != GP_OK) {
        gp_status st = gp_error_status(err);
        cli_print_error(err);
        return cli_exit_status(st);
    }
    cal.offset_x_mm += dx;
    cal.offset_y_mm += dy;
    gp_context *ctx = cli_context();
    if (ctx == NULL)
        return EXIT_USAGE;
    gp_status st = gp_calibration_page(ctx, template_path, &cal, out, &err);
    gp_context_free(ctx);
    if (st != GP_OK) {
        cli_print_error(err);
        return cli_exit_status(st);
    }
    printf(_("calibration page -> %s\n"), out);
    return 0;
}
