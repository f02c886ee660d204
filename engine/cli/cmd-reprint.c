/* gradprint reprint and void — what an operator journals between runs:
 * certificates to print again, and spoilt blanks. */
#include <string.h>

#include "cli.h"
#include "cmd-print.h"

typedef struct reprint_done {
    const char *run;
    size_t records;
} reprint_done;

static void reprint_summary(const void *data)
{
    const reprint_done *d = data;
    printf(_("reprint: %zu records will be printed again by 'gradprint print --run %s --resume'\n"), d->records,
           d->run);
}

typedef struct void_done {
    const char *blank;
    gp_print_void_outcome outcome;
} void_done;

static void void_summary(const void *data)
{
    const void_done *d = data;
    if (d->outcome.already)
        printf(_("void: blank %s was void already; nothing changed\n"), d->blank);
    else if (d->outcome.line > 0)
        printf(_("void: blank %s voided; line %ld will be printed again by --resume\n"), d->blank, d->outcome.line);
    else if (d->outcome.unused)
        printf(_("void: blank %s voided before use; the run will skip it\n"), d->blank);
    else
        printf(_("void: blank %s voided\n"), d->blank);
}

int cmd_reprint(int argc, char **argv)
{
    run_args a;
    int rc = parse_run_args("reprint", argc, argv, &a,
                            _("Usage: gradprint reprint --run DIR --records LIST --reason TEXT\n\n"
                              "Asks for printed records (roster lines such as 12,15-18, or student numbers) to be\n"
                              "printed again; 'gradprint print --run DIR --resume' prints exactly those onto the next\n"
                              "blanks. Void their spoilt blanks with 'gradprint void'.\n"
                              "Exit status: 0 done, 1 usage error or a malformed --records, 2 --records names a\n"
                              "line or student the roster does not have, 3 the journal cannot be written.\n"));
    if (rc != 0)
        return rc < 0 ? 0 : rc;
    if (a.records == NULL)
        return cli_usage_error("reprint", "%s", _("--records LIST is required"));
    gp_context *ctx = cli_open_context("reprint", &rc);
    if (ctx == NULL)
        return rc;
    reprint_done done = {a.run, 0};
    gp_error *err = NULL;
    gp_status st =
        gp_print_reprint(ctx, a.run, a.records, a.reason ? a.reason : _("reprint requested"), &done.records, &err);
    gp_context_free(ctx);
    const cli_json_field fields[] = {
        CLI_JSON_STRING("run", a.run),
        CLI_JSON_SIZE("reprints", done.records),
    };
    cli_outcome outcome = {"reprint", st, err, NULL, fields, CLI_JSON_COUNT(fields)};
    return cli_finish_outcome(&outcome, a.json, false, reprint_summary, &done);
}

int cmd_void(int argc, char **argv)
{
    run_args a;
    int rc = parse_run_args("void", argc, argv, &a,
                            _("Usage: gradprint void --run DIR --blank SERIAL --reason TEXT\n\n"
                              "Records a jammed or misprinted blank as void, in one journal entry with the reprint\n"
                              "of the certificate printed on it: 'gradprint print --run DIR --resume' prints it onto\n"
                              "the next blank. A blank of the run not reached yet (damaged in the stack) is skipped.\n"
                              "Voiding a void blank again changes nothing.\n"
                              "Exit status: 0 done, 1 usage error or a serial that is not this run's, 3 the journal\n"
                              "cannot be written.\n"));
    if (rc != 0)
        return rc < 0 ? 0 : rc;
    if (a.blank == NULL || a.reason == NULL)
        return cli_usage_error("void", "%s", _("--blank SERIAL and --reason TEXT are required"));
    void_done done;
    memset(&done, 0, sizeof done);
    done.blank = a.blank;
    gp_error *err = NULL;
    gp_status st = gp_print_void_blank(a.run, a.blank, a.reason, &done.outcome, &err);
    bool ok = st == GP_OK;
    const cli_json_field fields[] = {
        CLI_JSON_STRING("run", a.run),
        CLI_JSON_STRING("blank", a.blank),
        CLI_JSON_BOOL("already_void", ok && done.outcome.already),
        CLI_JSON_BOOL("unused", ok && done.outcome.unused),
        ok && done.outcome.line > 0 ? (cli_json_field)CLI_JSON_LONG("reprint_line", done.outcome.line)
                                    : (cli_json_field)CLI_JSON_NULL("reprint_line"),
    };
    cli_outcome outcome = {"void", st, err, NULL, fields, CLI_JSON_COUNT(fields)};
    return cli_finish_outcome(&outcome, a.json, false, void_summary, &done);
}
