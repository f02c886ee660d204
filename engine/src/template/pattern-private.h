/* Text with fields: "{name}", "{birth_date|cn-date}", "学号 {student_no}".
 * "{{" and "}}" stand for literal braces. A pattern is parsed once when its
 * template loads; unknown formatters are load errors, not per-page errors. */
#ifndef GP_PATTERN_PRIVATE_H
#define GP_PATTERN_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

#include "gradprint.h"
#include "../base/drawing-private.h"
#include "../base/strbuf-private.h"

typedef struct gp_pattern gp_pattern;

/* Looks a field up for one record; NULL when the record has no value. */
typedef const char *(*gp_field_lookup)(void *user, const char *field);

/* Longer patterns are refused: a line of text or a paragraph is far shorter. */
#define GP_PATTERN_MAX_BYTES 16384

/* file/line name the template position for error messages. */
gp_status gp_pattern_parse(const char *src, const char *file, long line, gp_pattern **out, gp_error **err);
void gp_pattern_free(gp_pattern *pattern);

/* The distinct field names the pattern refers to, so a template can check
 * them against the known fields at load time. */
size_t gp_pattern_field_count(const gp_pattern *pattern);
const char *gp_pattern_field(const gp_pattern *pattern, size_t index);
/* True when the pattern is literal text only. */
bool gp_pattern_is_literal(const gp_pattern *pattern);

/* Appends the expansion to out. A field without a value expands to "" and
 * makes the function return false with *missing set to the field's name, so
 * callers can report the record. */
bool gp_pattern_expand(const gp_pattern *pattern, gp_field_lookup lookup, void *user, gp_strbuf *out,
                       const char **missing);

/* A fixed value → text table a template declares with <map name="">, used
 * by the formatter "map:NAME": {degree_field|map:degree-title}. The template
 * owns its maps; patterns parsed against them point into them. */
typedef struct gp_map_entry {
    char *key;
    char *value;
    long line;
} gp_map_entry;

typedef struct gp_value_map {
    char *name;
    long line;
    gp_map_entry *entries;
    size_t count;
} gp_value_map;

/* The value for key; NULL when the map has no such entry. */
const char *gp_value_map_get(const gp_value_map *map, const char *key);

/* gp_pattern_parse, with "map:NAME" formatters resolved against maps[0..nmaps)
 * (gp_pattern_parse knows no maps, so map:NAME is an error there). */
gp_status gp_pattern_parse_maps(const char *src, const gp_value_map *maps, size_t nmaps, const char *file,
                                long line, gp_pattern **out, gp_error **err);

/* Why an expansion failed, for precise per-record findings. */
typedef enum gp_pattern_problem {
    GP_PATTERN_OK = 0,
    GP_PATTERN_MISSING,       /* the record has no value for field */
    GP_PATTERN_UNFORMATTABLE, /* formatter cannot format value (a non-date into cn-date) */
    GP_PATTERN_NOT_IN_MAP     /* formatter "map:NAME" has no entry for value */
} gp_pattern_problem;

typedef struct gp_pattern_failure {
    gp_pattern_problem problem;
    const char *field;     /* the field's name (points into the pattern) */
    const char *formatter; /* the step that failed as written, "cn-date" or "map:degree-title"; NULL for MISSING */
    const char *value;     /* the record's value of field as lookup returned it; NULL for MISSING */
} gp_pattern_failure;

/* gp_pattern_expand reporting the first failure in *why (may be NULL).
 * gp_pattern_expand sets *missing to why.field for every kind of failure. A
 * failed field expands to "", the rest of the pattern still expands. */
bool gp_pattern_expand_ex(const gp_pattern *pattern, gp_field_lookup lookup, void *user, gp_strbuf *out,
                          gp_pattern_failure *why);

/* gp_pattern_expand_ex that also returns the spans of the expanded fields
 * (in order; *spans is malloc'd, the caller frees it; empty fields give no
 * span). */
bool gp_pattern_expand_spans(const gp_pattern *pattern, gp_field_lookup lookup, void *user, gp_strbuf *out,
                             gp_span **spans, size_t *nspans, gp_pattern_failure *why);

/* Appends a localised sentence for a failure: what is wrong and what to do,
 * e.g. "field degree_field: 理学 is not in map degree-title; add an <entry> for
 * it to the template or correct the roster". */
void gp_pattern_failure_describe(const gp_pattern_failure *why, gp_strbuf *out);

#endif
