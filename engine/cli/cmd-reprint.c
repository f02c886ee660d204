/* gradprint reprint and void — what an operator journals between runs:
 * certificates to print again, and spoilt blanks. */
#include "cli.h"
#include "cmd-print.h"

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
    gp_context *ctx = cli_context();
    if (ctx == NULL)
        return EXIT_USAGE;
    size_t n = 0;
    gp_error *err = NULL;
    gp_status st = gp_print_reprint(ctx, a.run, a.records, a.reason ? a.reason : _("reprint requested"), &n, &err);
    gp_context_free(ctx);
    if (st != GP_OK)
        return run_failed(err);
    printf(_("reprint: %zu records will be printed again by 'gradprint print --run %s --resume'\n"), n, a.run);
    return 0;
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
    gp_print_void_outcome out;
    gp_error *err = NULL;
    if (gp_print_void_blank(a.run, a.blank, a.reason, &out, &err) != GP_OK)
        return run_failed(err);
    if (out.already)
        printf(_("void: blank %s was void already; nothing changed\n"), a.blank);
    else if (out.line > 0)
        printf(_("void: blank %s voided; line %ld will be printed again by --resume\n"), a.blank, out.line);
    else if (out.unused)
        printf(_("void: blank %s voided before use; the run will skip it\n"), a.blank);
    else
        printf(_("void: blank %s voided\n"), a.blank);
    return 0;
}
