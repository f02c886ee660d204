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
    GP_MARK_PARAGRAPH,  /* text + spans (underlined fields) in style and para */
    GP_MARK_IMAGE,      /* image into the box */
    GP_MARK_BACKGROUND  /* image over the page; drawn only when the render env is a proof */
} gp_mark_kind;

/* The file an IMAGE or BACKGROUND mark shows. */
typedef struct gp_mark_image {
    const char *path;       /* absolute; borrowed from the template the layout was built from */
    gp_image_format format;
    int page;               /* PDF: 1-based page */
} gp_mark_image;

/* A mark carries everything drawing it needs, so render reads marks and
 * nothing of the template. Strings are borrowed from the template, which
 * outlives every layout built from it. */
typedef struct gp_mark {
    gp_mark_kind kind;
    gp_box box;                /* LINE: from (x, y) to (x + w, y + h) */
    /* The template element the mark comes from, by index: how a sheet plan
     * recognises the same slot or paper mark in every record's layout. */
    int source;
    long line;                 /* that element's template line, for messages; 0 when generated */
    gp_text_style style;       /* TEXT, PARAGRAPH; family NULL: plain sans, left */
    gp_paragraph_style para;   /* PARAGRAPH */
    char qr_level;             /* QR: 'L', 'M', 'Q' or 'H'; 0 means 'M' */
    gp_mark_image image;       /* IMAGE, BACKGROUND */
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

/* A mark of kind drawn from el, the template's index-th element: its box,
 * style, colours, QR level and image source; no text yet. */
void gp_mark_from_element(gp_mark *m, gp_mark_kind kind, const gp_element *el, ptrdiff_t index);

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
