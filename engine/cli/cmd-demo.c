/* gradprint demo — the main job on the bundled samples, so a new user sees
 * real output from one command. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd-sheets.h"

static void print_help(void)
{
    printf("%s", _("Usage: gradprint demo [--out DIR] [--jobs N] [--json]\n"
                   "\n"
                   "Runs the photo-sheet job on the bundled synthetic samples (samples/roster.csv and\n"
                   "samples/photos/) and writes the sheets, proof, packing lists and manifest to\n"
                   "DIR/photo-sheets (default DIR: ./out). An earlier demo output there is replaced.\n"));
}

static char *join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *s = malloc(n);
    if (s != NULL)
        snprintf(s, n, "%s/%s", a, b);
    return s;
}

int cmd_demo(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"out", required_argument, NULL, 'o'}, {"jobs", required_argument, NULL, 'j'},
        {"json", no_argument, NULL, 'J'},      {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *out = "out";
    int jobs = 0, c;
    bool json = false;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case 'j':
            if (!cli_parse_int(optarg, 1, 256, &jobs))
                return cli_usage_error("demo", _("--jobs takes a number from 1 to 256, not '%s'"), optarg);
            break;
        case 'J': json = true; break;
        case 'h': print_help(); return 0;
        default: return cli_usage_error("demo", _("unknown or incomplete option '%s'"), argv[optind - 1]);
        }
    }
    gp_context *ctx = cli_context();
    if (ctx == NULL)
        return EXIT_USAGE;
    char *samples = join(gp_context_data_dir(ctx), "samples");
    char *roster = samples ? join(samples, "roster.csv") : NULL;
    char *photos = samples ? join(samples, "photos") : NULL;
    char *sheets_out = join(out, "photo-sheets");
    gp_context_free(ctx);
    int code = EXIT_IO;
    if (roster && photos && sheets_out) {
        gp_sheets_options o;
        gp_sheets_options_init(&o);
        o.roster_path = roster;
        o.photos_dir = photos;
        o.out_dir = sheets_out;
        o.formats = GP_SHEETS_JPEG | GP_SHEETS_PDF;
        o.jobs = jobs;
        o.overwrite = true;
        code = cli_sheets_run(&o, json, false);
    }
    free(samples);
    free(roster);
    free(photos);
    free(sheets_out);
    return code;
}
