/* The options of every command that reads a roster: its encoding, its
 * sheet, and the columns named the school's own way. Read here once, so a
 * roster that needs --map for `certs` takes the same --map for `print`,
 * `template check` and the photos commands. */
#include <stddef.h>

#include "cli.h"

bool cli_roster_option(int c, const char *arg, gp_roster_options *roster, const char **maps)
{
    switch (c) {
    case CLI_OPT_ENCODING: roster->encoding = arg; return true;
    case CLI_OPT_SHEET: roster->sheet = arg; return true;
    case CLI_OPT_MAP_FILE: roster->map_file = arg; return true;
    case CLI_OPT_MAP:
        /* maps has room for one entry per argv entry, and each --map takes one. */
        maps[roster->nmap++] = arg;
        roster->map = maps;
        return true;
    default: return false;
    }
}

bool cli_is_roster_option(int c)
{
    return c == CLI_OPT_ENCODING || c == CLI_OPT_SHEET || c == CLI_OPT_MAP || c == CLI_OPT_MAP_FILE;
}
