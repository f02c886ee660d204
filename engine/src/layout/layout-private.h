/* Layout: one record on one template, resolved into a plain list of
 * positioned marks in millimetres. Preflight measures fit from marks without
 * drawing, tests assert positions without parsing output, and calibration is
 * one transform applied when marks are rendered. */
#ifndef GP_LAYOUT_PRIVATE_H
#define GP_LAYOUT_PRIVATE_H

#include "../template/template-private.h"
#include "text/text-private.h"

typedef enum gp_mark_kind {
    GP_MARK_TEXT,
    GP_MARK_PHOTO,
    GP_MARK_QR,
    GP_MARK_LINE,
    GP_MARK_PARAGRAPH,  /* element->para, text + spans (underlined fields) */
    GP_MARK_IMAGE,      /* element->src into the box */
    GP_MARK_BACKGROUND  /* element->src over the page; drawn only when the render env is a proof */
} gp_mark_kind;

typedef struct gp_mark {
    gp_mark_kind kind;
    gp_box box;                /* LINE: from (x, y) to (x + w, y + h) */
    const gp_element *element; /* style, colours; NULL for generated marks */
    char *text;                /* TEXT: the expanded text; QR: the data */
    double size_pt;            /* TEXT: the size after shrink-to-fit */
    double line_width_mm;      /* LINE */
    double color[3];           /* LINE */
    gp_span *spans;            /* PARAGRAPH: byte ranges of text from fields (owned) */
    size_t nspans;
} gp_mark;

typedef struct gp_layout {
    double page_w_mm, page_h_mm;
    gp_mark *marks;
    size_t count, cap;
    /* The last build ran out of memory: marks may be missing, so the layout
     * must be neither drawn nor taken as preflight's verdict (gp_layout_status). */
    bool nomem;
} gp_layout;

void gp_layout_init(gp_layout *layout);
/* Empties the layout, keeping its memory for the next record. */
void gp_layout_clear(gp_layout *layout);
void gp_layout_free(gp_layout *layout);
/* GP_E_NOMEM (with err set) when the last build ran out of memory, else GP_OK. */
gp_status gp_layout_status(const gp_layout *layout, gp_error **err);

/* Lays the template out for one record. Text that does not fit its box at
 * size_pt, and a paragraph whose lines are taller than its box, shrink in
 * 0.25 pt steps down to min_size_pt; text that still does not fit
 * ("text-overflow", "paragraph-overflow"), a field without a value, or a
 * character no font has adds an error finding for student_no to report
 * (when not NULL) and makes the call return false. The layout is complete
 * either way, for previews. */
bool gp_layout_build(const gp_template *tpl, gp_field_lookup lookup, void *user, gp_text_engine *text,
                     gp_layout *out, gp_report *report, const char *file, long line, const char *student_no);

#endif
