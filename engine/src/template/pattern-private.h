/* Text with fields: "{name}", "{birth_date|cn-date}", "学号 {student_no}".
 * "{{" and "}}" stand for literal braces. A pattern is parsed once when its
 * template loads; unknown formatters are load errors, not per-page errors. */
#ifndef GP_PATTERN_PRIVATE_H
#define GP_PATTERN_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

#include "gradprint.h"
#include "../base/strbuf-private.h"

typedef struct gp_pattern gp_pattern;

/* Looks a field up for one record; NULL when the record has no value. */
typedef const char *(*gp_field_lookup)(void *user, const char *field);

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

#endif
