/* gradprint — command-line tool for the gradprint engine. */
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "cli.h"
#include "cmd-photos.h"
#include "cmd-print.h"

static const cli_command commands[] = {
    {"sheets", N_("make photo-lab sheets from a roster and a folder of photos"), cmd_sheets, true},
    {"certs", N_("print diplomas and degree certificates onto pre-printed blanks (as PDF)"), cmd_certs, true},
    {"calibrate", N_("make the alignment page for measuring a printer's offset"), cmd_calibrate, true},
    {"template", N_("check a template: schema, fields, fonts, and that a sample record fits"), cmd_template, true},
    {"demo", N_("run the main job on the bundled samples"), cmd_demo, true},
    {"print", N_("print certificates through CUPS onto numbered blanks, resumably"), cmd_print, false},
    {"status", N_("show a print run: records per state, failures, blanks"), cmd_status, false},
    {"reprint", N_("ask for printed certificates to be printed again"), cmd_reprint, false},
    {"void", N_("record a spoilt blank; its certificate prints again"), cmd_void, false},
    {"report", N_("write a print run's audit report (PDF)"), cmd_report, false},
    {"printer", N_("check that a CUPS queue prints a template's blank at exactly 1:1 (printer check)"), cmd_printer, false},
    /* photos takes SIGINT itself: its jobs stop at the next photo and clean up */
    {"photos", N_("check, prepare and back up the 学信网 photos (check | prepare | backup)"), cmd_photos, false},
};

static void print_help(FILE *out)
{
    fprintf(out, _("Usage: gradprint <command> [options]\n\nCommands:\n"));
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
    fprintf(out, "%s", _("\nRun 'gradprint <command> --help' for a command's options.\n"
                         "  --version  print the version\n  --help     print this help\n"
                         "\n"
                         "Every command takes --json: one JSON object on stdout with \"command\", \"ok\",\n"
                         "\"exit\", \"error\", \"findings\" and the command's own fields, usage errors included.\n"
                         "\n"
                         "Environment:\n"
                         "  GRADPRINT_DATADIR    the directory holding templates/ and fonts/ (default: the one\n"
                         "                       installed with gradprint, found relative to its library)\n"
                         "  GRADPRINT_LOCALEDIR  where the translations are (default: installed with gradprint)\n"
                         "  LANGUAGE=zh_CN       Chinese messages, also where no zh_CN locale is installed\n"
                         "\n"
                         "Exit status: 0 done, 1 usage error, 2 input failed validation, 3 I/O or printing failed.\n"
                         "Templates are described in TEMPLATES.md, installed with the documentation.\n"));
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

/* A core dump of a run would hold the roster, the photos and every
 * certificate in memory: none is ever written. */
static void no_core_dumps(void)
{
    struct rlimit none = {0, 0};
    setrlimit(RLIMIT_CORE, &none);
}

/* --json anywhere before "--": the answer is JSON even when the command
 * line is wrong. */
static bool wants_json(int argc, char **argv)
{
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
        if (strcmp(argv[i], "--json") == 0)
            return true;
    return false;
}

int main(int argc, char **argv)
{
    no_core_dumps();
    set_locale();
    gp_bind_translations();

    bool json = wants_json(argc, argv);
    if (argc < 2 || strncmp(argv[1], "--json", 7) == 0) {
        cli_set_json_mode(NULL, json);
        if (json)
            return cli_usage_error(NULL, "%s", _("no command given"));
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
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
        if (strcmp(argv[1], commands[i].name) == 0) {
            cli_set_json_mode(commands[i].name, json);
            if (commands[i].cleans_up_on_interrupt)
                cli_interrupt_init();
            int code = commands[i].run(argc - 1, argv + 1);
            cli_interrupt_settle();
            return code;
        }
    }
    cli_set_json_mode(argv[1], json);
    if (json)
        return cli_usage_error(argv[1], _("unknown command '%s'; run 'gradprint --help' for the list"), argv[1]);
    cli_say(stderr, _("gradprint: unknown command '%s'\n"), argv[1]);
    print_help(stderr);
    return EXIT_USAGE;
}
