/* Column maps a school keeps for its own exports: "列名 = key" pairs, given
 * as --map options or in a mapping file, tried before the built-in header
 * names. */
#ifndef GP_ROSTER_HEADER_MAP_PRIVATE_H
#define GP_ROSTER_HEADER_MAP_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

#include "gradprint.h"
#include "roster/roster-private.h"

typedef struct gp_header_map_entry {
    char *header; /* as written, for messages */
    char *folded; /* as compared (gp_key_fold) */
    gp_key key;
    const char *source; /* the mapping file, or NULL for a --map option */
    long line;          /* its line in the file; for options, the option's position */
    bool used;          /* a header of the roster matched it */
} gp_header_map_entry;

typedef struct gp_header_map {
    gp_header_map_entry *entries;
    size_t count;
    char *file; /* the mapping file's path, owned; NULL without one */
} gp_header_map;

void gp_header_map_init(gp_header_map *map);
void gp_header_map_free(gp_header_map *map);

/* The size a mapping file may have: a school's map is a few dozen lines. */
#define GP_HEADER_MAP_MAX_FILE (64u * 1024u)
#define GP_HEADER_MAP_MAX_ENTRIES 512

/* One "列名=key" option (the full-width ＝ works too). GP_E_USAGE on a
 * malformed item or an unknown key, naming the option. */
gp_status gp_header_map_add_option(gp_header_map *map, const char *item, long position, gp_error **err);
/* A mapping file's text: UTF-8 (with or without BOM) or GB18030, one
 * "列名 = key" a line, '#' starting a comment, blank lines ignored.
 * GP_E_INVALID naming file:line on anything else. */
gp_status gp_header_map_parse(gp_header_map *map, const char *file, const unsigned char *data, size_t size,
                              gp_error **err);
/* Reads the options' --map items and mapping file into map. */
gp_status gp_header_map_from_options(gp_header_map *map, const gp_roster_options *opts, gp_error **err);

/* The key a header maps to, marking the entry used; false when no entry
 * names it. */
bool gp_header_map_lookup(gp_header_map *map, const char *header, gp_key *key);

#endif
