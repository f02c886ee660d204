/* gradprint printer check — can a queue print a template's blank at
 * exactly 1:1, and how: the check a print run makes before it uses a blank,
 * on its own, with the CUPS settings that matter for personal data and
 * for resuming. */
#include <getopt.h>
#include <string.h>

#include "cli.h"
#include "cmd-print.h"

static void print_help(void)
{
    printf("%s", _("Usage: gradprint printer check --printer QUEUE[=PROFILE] --template FILE [--tray NAME]\n"
                   "                               [--profile FILE] [--offset DX,DY] [--json]\n"
                   "\n"
                   "Reads what the CUPS queue supports (page sizes, custom size range, margins, trays, scaling;\n"
                   "the driver from its PPD) and decides how the template's blank prints on it at exactly 1:1:\n"
                   "as it is, turned by gradprint, or not at all. Lists the job options gradprint sends, how to\n"
                   "load the blanks, and the CUPS server settings to fix (PreserveJobFiles, PreserveJobHistory,\n"
                   "MaxJobs, JobPrivateValues).\n"
                   "\n"
                   "  --printer QUEUE[=PROFILE]  the queue (or class), with its printer profile\n"
                   "  --template FILE       certificate template\n"
                   "  --tray NAME           the tray the blanks go in\n"
                   "  --profile FILE        printer profile (offset, scale, feed, face)\n"
                   "  --offset DX,DY        added to the profile's offset, mm\n"
                   "  --json                the result as JSON on stdout\n"
                   "  --help                this help\n"
                   "\n"
                   "Exit status: 0 the blank prints at 1:1 (warnings may say what to fix), 1 usage error,\n"
                   "2 the template does not load, 3 the queue cannot print it at 1:1 or CUPS cannot be asked.\n"));
}

static const char *orientation_name(gp_print_orientation o)
{
    return o == GP_ORIENTATION_TURNED ? "turned" : o == GP_ORIENTATION_AS_IS ? "as-is" : "none";
}

static void json_fields(FILE *out, const void *result)
{
    const gp_printer_check *c = result;
    fprintf(out, ",\"queue\":");
    cli_json_string(out, gp_printer_check_queue(c));
    fprintf(out, ",\"model\":");
    cli_json_string(out, gp_printer_check_model(c));
    fprintf(out, ",\"driver\":");
    cli_json_string(out, gp_printer_check_driver(c));
    fprintf(out, ",\"driver_label\":");
    cli_json_string(out, gp_printer_check_driver_label(c));
    fprintf(out, ",\"orientation\":\"%s\",\"page_size\":", orientation_name(gp_printer_check_orientation(c)));
    cli_json_string(out, gp_printer_check_page_size(c));
    fprintf(out, ",\"medium_mm\":[%.3f,%.3f],\"options\":{", gp_printer_check_medium_width(c),
            gp_printer_check_medium_height(c));
    for (size_t i = 0; i < gp_printer_check_option_count(c); i++) {
        fprintf(out, "%s", i ? "," : "");
        cli_json_string(out, gp_printer_check_option_name(c, i));
        fprintf(out, ":");
        cli_json_string(out, gp_printer_check_option_value(c, i));
    }
    fprintf(out, "},\"loading\":");
    cli_json_string(out, gp_printer_check_loading(c));
}

static void summary(const void *result)
{
    const gp_printer_check *c = result;
    if (c == NULL)
        return;
    gp_print_orientation o = gp_printer_check_orientation(c);
    printf(_("queue %s: %s, driver %s\n"), gp_printer_check_queue(c),
           gp_printer_check_model(c) ? gp_printer_check_model(c) : "-", gp_printer_check_driver_label(c));
    if (o == GP_ORIENTATION_NONE) {
        printf("%s\n", _("the blank cannot be printed at exactly 1:1 on this queue (see above)"));
        return;
    }
    printf(o == GP_ORIENTATION_TURNED ? _("prints at 1:1 turned: pages go out %.1f x %.1f mm (%s)\n")
                                      : _("prints at 1:1 as it is: pages go out %.1f x %.1f mm (%s)\n"),
           gp_printer_check_medium_width(c), gp_printer_check_medium_height(c), gp_printer_check_page_size(c));
    printf("%s\n", gp_printer_check_loading(c));
    printf("%s", _("job options:"));
    for (size_t i = 0; i < gp_printer_check_option_count(c); i++)
        printf(" %s=%s", gp_printer_check_option_name(c, i), gp_printer_check_option_value(c, i));
    printf("\n");
}

static int check(int argc, char **argv)
{
    enum { OPT_PRINTER = 256, OPT_TEMPLATE, OPT_TRAY, OPT_PROFILE, OPT_OFFSET, OPT_JSON, OPT_HELP };
    static const struct option longopts[] = {
        {"printer", required_argument, NULL, OPT_PRINTER}, {"template", required_argument, NULL, OPT_TEMPLATE},
        {"tray", required_argument, NULL, OPT_TRAY},       {"profile", required_argument, NULL, OPT_PROFILE},
        {"offset", required_argument, NULL, OPT_OFFSET},   {"json", no_argument, NULL, OPT_JSON},
        {"help", no_argument, NULL, OPT_HELP},             {NULL, 0, NULL, 0},
    };
    char *printer = NULL;
    const char *profile = NULL;
    double dx = 0, dy = 0;
    bool json = false;
    gp_printer_check_options o;
    gp_printer_check_options_init(&o);
    o.server_settings = true;
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_PRINTER: printer = optarg; break;
        case OPT_TEMPLATE: o.template_path = optarg; break;
        case OPT_TRAY: o.tray = optarg; break;
        case OPT_PROFILE: profile = optarg; break;
        case OPT_OFFSET:
            if (!cli_parse_offset(optarg, &dx, &dy))
                return cli_usage_error("printer check",
                                       _("--offset takes DX,DY in millimetres, e.g. 0.8,-1.2, not '%s'"), optarg);
            break;
        case OPT_JSON: json = true; break;
        case OPT_HELP: print_help(); return 0;
        default: return cli_usage_error("printer check", _("unknown or incomplete option '%s'"), argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error("printer check", _("unexpected argument '%s'"), argv[optind]);
    if (printer == NULL || o.template_path == NULL)
        return cli_usage_error("printer check", "%s", _("--printer and --template are required"));
    gp_calibration base;
    gp_calibration_init(&base);
    gp_error *err = NULL;
    if (profile != NULL && gp_calibration_load(profile, &base, &err) != GP_OK)
        return run_failed(err);
    gp_print_queue q;
    int rc = parse_queue_arg("printer check", printer, &base, dx, dy, &q);
    if (rc != 0)
        return rc;
    o.queue = q.name;
    o.calibration = q.calibration;
    gp_context *ctx = cli_context();
    if (ctx == NULL)
        return EXIT_USAGE;
    gp_printer_check *result = NULL;
    gp_status st = gp_printer_check_run(ctx, &o, &result, &err);
    if (st == GP_OK && gp_printer_check_orientation(result) == GP_ORIENTATION_NONE)
        st = GP_E_IO;
    cli_result_view view = {json_fields, summary, result};
    int code = cli_finish(st, err, gp_printer_check_report(result), json, false, &view);
    gp_printer_check_free(result);
    gp_context_free(ctx);
    return code;
}

int cmd_printer(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "check") == 0)
        return check(argc - 1, argv + 1);
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        print_help();
        return 0;
    }
    return cli_usage_error("printer", "%s", _("say what to do with the printer: gradprint printer check ..."));
}
