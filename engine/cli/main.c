/* gradprint — command-line tool for the gradprint engine. */
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd-print.h"

static const cli_command commands[] = {
    {"sheets", N_("make photo-lab sheets from a roster and a folder of photos"), cmd_sheets},
    {"certs", N_("print diplomas and degree certificates onto pre-printed blanks (as PDF)"), cmd_certs},
    {"calibrate", N_("make the alignment page for measuring a printer's offset"), cmd_calibrate},
    {"demo", N_("run the main job on the bundled samples"), cmd_demo},
    {"print", N_("print certificates through CUPS onto numbered blanks, resumably"), cmd_print},
    {"status", N_("show a print run: records per state, failures, blanks"), cmd_status},
    {"reprint", N_("ask for printed certificates to be printed again"), cmd_reprint},
    {"void", N_("record a spoilt blank; its certificate prints again"), cmd_void},
    {"report", N_("write a print run's audit report (PDF)"), cmd_report},
    {"printer", N_("check that a CUPS queue prints a template's blank at exactly 1:1 (printer check)"), cmd_printer},
};

static void print_help(FILE *out)
{
    fprintf(out, _("Usage: gradprint <command> [options]\n\nCommands:\n"));
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
    fprintf(out, _("\nRun 'gradprint <command> --help' for a command's options.\n"
                   "  --version  print the version\n  --help     print this help\n"));
}

/* A LANG naming a locale that is not generated (common on servers and in
 * containers) leaves the C locale, under which gettext translates nothing.
 * C.UTF-8 keeps UTF-8 output, and LANGUAGE still names the language asked for. */
static void set_locale(void)
{
    if (setlocale(LC_ALL, "") != NULL)
        return;
    static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    const char *wanted = NULL;
    for (size_t i = 0; i < sizeof vars / sizeof *vars && wanted == NULL; i++) {
        const char *v = getenv(vars[i]);
        if (v != NULL && *v != '\0')
            wanted = v;
    }
    if (setlocale(LC_ALL, "C.UTF-8") != NULL && wanted != NULL)
        setenv("LANGUAGE", wanted, 0);
}

int main(int argc, char **argv)
{
    set_locale();
    const char *localedir = getenv("GRADPRINT_LOCALEDIR");
    bindtextdomain("gradprint", localedir ? localedir : GP_LOCALEDIR);
    bind_textdomain_codeset("gradprint", "UTF-8");
    if (localedir == NULL) {
        /* An uninstalled build finds its translations beside the binary's build tree. */
        FILE *probe = fopen(GP_LOCALEDIR "/zh_CN/LC_MESSAGES/gradprint.mo", "r");
        if (probe != NULL)
            fclose(probe);
        else
            bindtextdomain("gradprint", GP_BUILD_LOCALEDIR);
    }

    if (argc < 2) {
        print_help(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
        printf("gradprint %s\n", gp_version());
        return 0;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        print_help(stdout);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, _("gradprint: unknown command '%s'\n"), argv[1]);
    print_help(stderr);
    return EXIT_USAGE;
}
