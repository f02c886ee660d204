/* gradprint template check — a template proven before it meets a blank:
 * schema, fields, fonts, and every text fitting for real records. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void print_help(void)
{
    printf("%s", _("Usage: gradprint template check FILE [--roster FILE] [--school NAME] [--json]\n"
                   "\n"
                   "Checks a template the way every run will use it and says what to correct:\n"
                   "  schema   well-formed XML, known elements and attributes with allowed values, their order\n"
                   "  fields   every {field} and |formatter| exists (the nearest name is suggested)\n"
                   "  fonts    every font family (song, sans, kai) is installed\n"
                   "  fits     laid out for every record of a roster, each text fits its box at no less than\n"
                   "           its min-size and every character has a glyph\n"
                   "FILE is a path or the name of a bundled template (photo-sheet-7in, diploma-bachelor, ...).\n"
                   "Elements, attributes, fields and formatters are described in TEMPLATES.md.\n"
                   "\n"
                   "  --roster FILE       the records to try (default: the bundled sample roster); pass the\n"
                   "                      school's own roster to find its longest names and majors\n"
                   "  --encoding ENC      roster encoding: utf-8, gb18030 or gbk (default: detected)\n"
                   "  --sheet NAME        XLSX sheet (default: the first)\n"
                   "  --map COLUMN=KEY    a roster column named the school's way, e.g. 行政班=class (repeatable)\n"
                   "  --map-file FILE     a file of COLUMN=KEY lines, one per line\n"
                   "  --school NAME       the school name for {school} (default: the template's)\n"
                   "  --json              print the result as JSON on stdout\n"
                   "  --help              this help\n"
                   "\n"
                   "Exit status: 0 the template is fine, 1 usage error, 2 the template has errors, 3 the\n"
                   "template or roster cannot be read.\n"));
}

static void write_names(cli_json *w, const void *data, size_t (*count)(const gp_template_check *),
                        const char *(*get)(const gp_template_check *, size_t))
{
    const gp_template_check *c = data;
    cli_json_array_begin(w, NULL);
    for (size_t i = 0; c != NULL && i < count(c); i++)
        cli_json_str(w, NULL, get(c, i));
    cli_json_array_end(w);
}

static void write_fields(cli_json *w, const void *data)
{
    write_names(w, data, gp_template_check_fields, gp_template_check_field);
}

static void write_fonts(cli_json *w, const void *data)
{
    write_names(w, data, gp_template_check_fonts, gp_template_check_font);
}

static void say_names(const char *label, const gp_template_check *c, size_t (*count)(const gp_template_check *),
                      const char *(*get)(const gp_template_check *, size_t))
{
    printf("  %-8s ", label);
    for (size_t i = 0; i < count(c); i++)
        cli_say(stdout, "%s%s", i ? ", " : "", get(c, i));
    printf("%s\n", count(c) == 0 ? _("(none)") : "");
}

static void summary(const void *data)
{
    const gp_template_check *c = data;
    const gp_template *t = gp_template_check_template(c);
    cli_say(stdout, _("template %s: %s, %s, %g x %g mm, %d dpi, %zu elements\n"), gp_template_check_path(c),
            gp_template_check_name(c), gp_template_check_kind(c), gp_template_page_width_mm(t),
            gp_template_page_height_mm(t), gp_template_default_dpi(t), gp_template_check_elements(c));
    say_names(_("fields"), c, gp_template_check_fields, gp_template_check_field);
    say_names(_("fonts"), c, gp_template_check_fonts, gp_template_check_font);
    cli_say(stdout, _("  fits     all %zu records of %s\n"), gp_template_check_records(c), gp_template_check_roster(c));
    printf("%s", _("template check: no problems found\n"));
}

static int run_check(const char *file, const gp_template_check_options *o, bool json)
{
    int code;
    gp_context *ctx = cli_open_context("template", &code);
    if (ctx == NULL)
        return code;
    gp_template_check *c = NULL;
    gp_error *err = NULL;
    gp_status st = gp_template_check_run(ctx, file, o, &c, &err);
    const gp_template *t = gp_template_check_template(c);
    const cli_json_field fields[] = {
        CLI_JSON_STRING("subcommand", "check"),
        CLI_JSON_STRING("template", t != NULL ? gp_template_check_path(c) : file),
        CLI_JSON_STRING("name", gp_template_check_name(c)),
        CLI_JSON_STRING("kind", gp_template_check_kind(c)),
        t != NULL ? (cli_json_field)CLI_JSON_NUMBER("page_width_mm", gp_template_page_width_mm(t))
                  : (cli_json_field)CLI_JSON_NULL("page_width_mm"),
        t != NULL ? (cli_json_field)CLI_JSON_NUMBER("page_height_mm", gp_template_page_height_mm(t))
                  : (cli_json_field)CLI_JSON_NULL("page_height_mm"),
        t != NULL ? (cli_json_field)CLI_JSON_LONG("dpi", gp_template_default_dpi(t)) : (cli_json_field)CLI_JSON_NULL("dpi"),
        CLI_JSON_SIZE("elements", gp_template_check_elements(c)),
        CLI_JSON_CUSTOM("fields", write_fields, c),
        CLI_JSON_CUSTOM("fonts", write_fonts, c),
        CLI_JSON_STRING("roster", gp_template_check_roster(c)),
        CLI_JSON_SIZE("records", gp_template_check_records(c)),
    };
    cli_outcome outcome = {"template", st, err, gp_template_check_report(c), fields, CLI_JSON_COUNT(fields)};
    code = cli_finish_outcome(&outcome, json, false, summary, c);
    gp_template_check_free(c);
    gp_context_free(ctx);
    return code;
}

int cmd_template(int argc, char **argv)
{
    enum { OPT_ROSTER = 256, OPT_SCHOOL, OPT_JSON, OPT_HELP };
    static const struct option longopts[] = {
        {"roster", required_argument, NULL, OPT_ROSTER}, CLI_ROSTER_OPTIONS,
        {"school", required_argument, NULL, OPT_SCHOOL}, {"json", no_argument, NULL, OPT_JSON},
        {"help", no_argument, NULL, OPT_HELP},           {NULL, 0, NULL, 0},
    };
    gp_template_check_options o;
    gp_template_check_options_init(&o);
    const char *maps[argc > 0 ? argc : 1];
    bool json = false;
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_ROSTER: o.roster_path = optarg; break;
        case OPT_SCHOOL: o.school = optarg; break;
        case OPT_JSON: json = true; break;
        case OPT_HELP: print_help(); return 0;
        default:
            if (cli_roster_option(c, optarg, &o.roster, maps))
                break;
            return cli_usage_error("template", _("unknown or incomplete option '%s'"), argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return cli_usage_error("template", "%s", _("say what to do: gradprint template check FILE"));
    if (strcmp(argv[optind], "check") != 0)
        return cli_usage_error("template", _("unknown subcommand '%s'; the one there is: check"), argv[optind]);
    if (optind + 1 >= argc)
        return cli_usage_error("template", "%s", _("check needs the template file: gradprint template check FILE"));
    if (optind + 2 < argc)
        return cli_usage_error("template", _("unexpected argument '%s'"), argv[optind + 2]);
    return run_check(argv[optind + 1], &o, json);
}
