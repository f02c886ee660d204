/* What the parts of the roster preflight share: the roster, which records
 * are checked, and where findings and per-record errors go. */
#ifndef GP_ROSTER_CHECK_PRIVATE_H
#define GP_ROSTER_CHECK_PRIVATE_H

#include "roster/roster-private.h"

typedef struct gp_check {
    const gp_roster *roster;
    const gp_roster_preflight_options *opts;
    gp_report *report;
    bool *has_error;      /* may be NULL */
    size_t roster_errors; /* errors about the whole roster */
} gp_check;

bool gp_check_selected(const gp_check *c, size_t index);
/* The index gp_check_add takes for a finding about the whole roster. */
#define GP_CHECK_ROSTER ((size_t)-1)
/* A finding about record index (its line and student number); an error
 * also marks the record. */
void gp_check_add(gp_check *c, size_t index, gp_severity severity, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Excel's damage to ID numbers, one finding per kind for the roster. Sets
 * claimed[i] for records whose ID those findings explain, so they get no
 * other ID finding. */
void gp_check_damaged_ids(gp_check *c, bool *claimed);

/* Characters a printed cell must not hold, and those a name must not. */
typedef enum gp_text_problem {
    GP_TEXT_OK,
    GP_TEXT_LOST,     /* '?' or U+FFFD: a character the export could not encode */
    GP_TEXT_PRIVATE,  /* a private-use code point: a rare character some systems keep outside Unicode */
    GP_TEXT_CONTROL,  /* Cc, Cf (soft hyphen, BOM, tag characters), line separators */
    GP_TEXT_BIDI,     /* a bidirectional control: it reorders what is printed */
    GP_TEXT_SYMBOL,   /* emoji, symbols, circled numbers: not part of a name */
    GP_TEXT_UNASSIGNED
} gp_text_problem;

/* The first problem in s, with the code point and its 1-based character
 * position. name: the stricter rules for a person's name. */
gp_text_problem gp_text_scan(const char *s, bool name, unsigned long *cp, size_t *position);

/* The cells of record index (selected) for bad characters. */
void gp_check_text(gp_check *c, size_t index);

#endif
