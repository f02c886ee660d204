/* Option parsing the print-run commands share. */
#include <getopt.h>
#include <string.h>

#include "cli.h"
#include "cmd-print.h"

int parse_run_args(const char *command, int argc, char **argv, run_args *a, const char *help)
{
    enum { OPT_RUN = 256, OPT_RECORDS, OPT_REASON, OPT_BLANK, OPT_OUT, OPT_JSON, OPT_HELP };
    static const struct option longopts[] = {
        {"run", required_argument, NULL, OPT_RUN},       {"records", required_argument, NULL, OPT_RECORDS},
        {"reason", required_argument, NULL, OPT_REASON}, {"blank", required_argument, NULL, OPT_BLANK},
        {"out", required_argument, NULL, OPT_OUT},       {"json", no_argument, NULL, OPT_JSON},
        {"help", no_argument, NULL, OPT_HELP},           {NULL, 0, NULL, 0},
    };
    memset(a, 0, sizeof *a);
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_RUN: a->run = optarg; break;
        case OPT_RECORDS: a->records = optarg; break;
        case OPT_REASON: a->reason = optarg; break;
        case OPT_BLANK: a->blank = optarg; break;
        case OPT_OUT: a->out = optarg; break;
        case OPT_JSON: a->json = true; break;
        case OPT_HELP: printf("%s", help); return -1;
        default: return cli_usage_error(command, _("unknown or incomplete option '%s'"), argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error(command, _("unexpected argument '%s'"), argv[optind]);
    if (a->run == NULL)
        return cli_usage_error(command, "%s", _("--run DIR is required"));
    return 0;
}

int parse_queue_arg(const char *command, char *arg, const cli_placement *placement, gp_print_queue *out)
{
    char *eq = strchr(arg, '=');
    if (eq != NULL)
        *eq = '\0';
    out->name = arg;
    return cli_placement_calibration(command, placement, eq != NULL ? eq + 1 : NULL, &out->calibration);
}
