/* One journal line: writing an event as text and reading it back (the
 * format is described in journal-private.h). Shared by the writer and the
 * reader of the journal only. */
#ifndef GP_JOURNAL_LINE_PRIVATE_H
#define GP_JOURNAL_LINE_PRIVATE_H

#include <stdint.h>

#include "base/strbuf-private.h"
#include "print/journal-private.h"

uint32_t gp_journal_crc32(const void *data, size_t len);

/* NULL when ev has every field its kind needs with sane values; else what
 * is wrong (an untranslated message, for _()) and, in *field, the key of
 * the field concerned or NULL. */
const char *gp_journal_event_problem(const gp_journal_event *ev, const char **field);

/* Appends the whole line, LF included, for an event that passed
 * gp_journal_event_problem. ID numbers are masked here. */
void gp_journal_format(gp_strbuf *out, long seq, const char *time, const gp_journal_event *ev);

typedef enum gp_line_result {
    GP_LINE_OK,
    GP_LINE_TORN,    /* not a whole, intact line: checksum or shape wrong */
    GP_LINE_INVALID, /* intact, but its content is wrong or unknown */
    GP_LINE_NOMEM
} gp_line_result;

/* A parsed line; the event's strings point into the line buffer. */
typedef struct gp_journal_line {
    gp_journal_event ev;
    long seq;
    long *records; /* owned */
} gp_journal_line;

/* Parses line[0..len) (no LF), modifying it in place. On GP_LINE_TORN and
 * GP_LINE_INVALID, *why says what is wrong (a static English string or a
 * field name). Free with gp_journal_line_free whatever the result. */
gp_line_result gp_journal_parse(char *line, size_t len, gp_journal_line *out, const char **why);
void gp_journal_line_free(gp_journal_line *line);

/* gp_journal_replay on a journal already in memory (modified in place);
 * name is what errors call the file. */
gp_status gp_journal_replay_buffer(const char *name, char *data, size_t size, gp_journal_fn fn, void *user,
                                   bool *torn_tail, gp_error **err);

#endif
