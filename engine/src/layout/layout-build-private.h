/* What the parts of gp_layout_build share: the record being laid out, where
 * its findings go, and the mark list. */
#ifndef GP_LAYOUT_BUILD_PRIVATE_H
#define GP_LAYOUT_BUILD_PRIVATE_H

#include "../base/strbuf-private.h"
#include "layout-private.h"

typedef struct gp_layout_job {
    const gp_template *tpl;
    gp_field_lookup lookup;
    void *user;
    gp_text_engine *text;
    gp_layout *out;
    gp_report *report; /* may be NULL */
    const char *file;  /* the record's roster file and line */
    long line;
    const char *student_no;
    gp_strbuf scratch; /* expansions and messages, reused per element */
    bool ok;           /* no finding so far */
} gp_layout_job;

/* A zeroed mark appended to job->out, or NULL (with an out-of-memory
 * finding) when memory ran out. */
gp_mark *gp_layout_add_mark(gp_layout_job *job, gp_mark_kind kind, const gp_element *el);

/* Adds an error finding for the record and marks the build failed. */
void gp_layout_finding(gp_layout_job *job, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void gp_layout_nomem(gp_layout_job *job);

/* The template file for messages: its path, else its name. */
const char *gp_layout_template_name(const gp_layout_job *job);

/* Expands el's content for the record into a new string (free() it);
 * a field the record lacks or cannot format becomes a finding and expands to
 * "". NULL only when memory ran out. */
char *gp_layout_expand(gp_layout_job *job, const gp_element *el);

/* gp_layout_expand that also returns where the fields' text landed
 * (*spans malloc'd, free() it; NULL with *nspans 0 when there are none or on
 * failure). spans may be NULL. */
char *gp_layout_expand_spans(gp_layout_job *job, const gp_element *el, gp_span **spans, size_t *nspans);

/* Shrink-to-fit sizes: size_pt, size_pt - 0.25, ... and min_pt last, even
 * when it is off the quarter-point grid; steps sizes below size_pt. */
typedef struct gp_shrink {
    double size_pt, min_pt;
    int steps;
} gp_shrink;

gp_shrink gp_layout_shrink_of(const gp_text_style *style);
/* The k-th size of the sequence (0 = size_pt). */
double gp_layout_shrink_size(const gp_shrink *s, int k);

/* The missing-glyph finding: count characters without a glyph in label (a
 * field's name, or what the text is), the first of them first. */
void gp_layout_glyph_finding(gp_layout_job *job, const char *label, int count, unsigned int first);

/* True when text has more characters (*chars) than capacity_mm could hold
 * at min_pt even in the narrowest glyphs: it cannot fit, and is not worth
 * measuring. */
bool gp_layout_too_long(const char *text, double min_pt, double capacity_mm, size_t *chars);

void gp_layout_text(gp_layout_job *job, const gp_element *el);
void gp_layout_paragraph(gp_layout_job *job, const gp_element *el);
void gp_layout_cut_guides(gp_layout_job *job, const gp_element *el);

#endif
