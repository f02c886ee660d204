/* gradprint report — the audit report of a print run. */
#include "cli.h"
#include "cmd-print.h"

static void report_summary(const void *out) { printf(_("report: %s\n"), (const char *)out); }

int cmd_report(int argc, char **argv)
{
    run_args a;
    int rc = parse_run_args("report", argc, argv, &a,
                            _("Usage: gradprint report --run DIR --out FILE.pdf\n\n"
                              "Writes the audit report of a print run for the registrar to sign: every record's\n"
                              "blanks and job, voided blanks with reasons, totals and signature lines (A4 PDF),\n"
                              "with times in this machine's local time.\n"));
    if (rc != 0)
        return rc < 0 ? 0 : rc;
    if (a.out == NULL)
        return cli_usage_error("report", "%s", _("--out FILE.pdf is required"));
    gp_context *ctx = cli_open_context("report", &rc);
    if (ctx == NULL)
        return rc;
    gp_error *err = NULL;
    gp_status st = gp_print_audit_report(ctx, a.run, a.out, &err);
    gp_context_free(ctx);
    const cli_json_field fields[] = {
        CLI_JSON_STRING("run", a.run),
        CLI_JSON_STRING("out", st == GP_OK ? a.out : NULL),
    };
    cli_outcome outcome = {"report", st, err, NULL, fields, CLI_JSON_COUNT(fields)};
    return cli_finish_outcome(&outcome, a.json, false, report_summary, a.out);
}
