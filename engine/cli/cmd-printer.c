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

static void write_medium(cli_json *w, const void *data)
{
    const gp_printer_check *c = data;
    cli_json_array_begin(w, NULL);
    cli_json_number(w, NULL, gp_printer_check_medium_width(c));
    cli_json_number(w, NULL, gp_printer_check_medium_height(c));
    cli_json_array_end(w);
}

static void write_options(cli_json *w, const void *data)
{
    const gp_printer_check *c = data;
    cli_json_object_begin(w, NULL);
    for (size_t i = 0; i < gp_printer_check_option_count(c); i++)
        cli_json_str(w, gp_printer_check_option_name(c, i), gp_printer_check_option_value(c, i));
    cli_json_object_end(w);
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
    cli_placement placement = {0};
    bool json = cli_json_mode();
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
        case OPT_PROFILE: placement.profile = optarg; break;
        case OPT_OFFSET:
            if (cli_placement_offset("printer check", optarg, &placement) != 0)
                return EXIT_USAGE;
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
    gp_print_queue q;
    int rc = parse_queue_arg("printer check", printer, &placement, &q);
    if (rc != 0)
        return rc;
    o.queue = q.name;
    o.calibration = q.calibration;
    gp_context *ctx = cli_open_context("printer check", &rc);
    if (ctx == NULL)
        return rc;
    gp_printer_check *result = NULL;
    gp_error *err = NULL;
    gp_status st = gp_printer_check_run(ctx, &o, &result, &err);
    if (st == GP_OK && gp_printer_check_orientation(result) == GP_ORIENTATION_NONE)
        st = GP_E_IO;
    const cli_json_field fields[] = {
        CLI_JSON_STRING("queue", gp_printer_check_queue(result)),
        CLI_JSON_STRING("model", gp_printer_check_model(result)),
        CLI_JSON_STRING("driver", gp_printer_check_driver(result)),
        CLI_JSON_STRING("driver_label", gp_printer_check_driver_label(result)),
        CLI_JSON_STRING("orientation", orientation_name(gp_printer_check_orientation(result))),
        CLI_JSON_STRING("page_size", gp_printer_check_page_size(result)),
        CLI_JSON_CUSTOM("medium_mm", write_medium, result),
        CLI_JSON_CUSTOM("options", write_options, result),
        CLI_JSON_STRING("loading", gp_printer_check_loading(result)),
    };
    cli_outcome outcome = {"printer check", st, err, gp_printer_check_report(result), fields,
                           CLI_JSON_COUNT(fields)};
    int code = cli_finish_outcome(&outcome, json, false, summary, result);
    gp_printer_check_free(result);
    gp_context_free(ctx);
    return code;
}

int cmd_printer(int argc, char **argv)
{
    /* The subcommand is the first word that is not --json (main has seen that one). */
    int i = 1;
    while (i < argc && strcmp(argv[i], "--json") == 0)
        i++;
    if (i < argc && strcmp(argv[i], "check") == 0)
        return check(argc - i, argv + i);
    if (i < argc && (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)) {
        print_help();
        return 0;
    }
    if (i == argc)
        return cli_usage_error("printer", "%s", _("say what to do with the printer: gradprint printer check ..."));
    return cli_usage_error("printer", _("unknown printer command '%s'; the one there is: gradprint printer check ..."),
                           argv[i]);
}
