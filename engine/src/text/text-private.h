/* Text with Pango on the engine's private fontconfig. A text engine belongs
 * to one thread (Pango font maps are not thread-safe); each worker makes its
 * own from the shared, read-only context. Sizes are in points, positions in
 * millimetres; hinting is off so a line measures the same in a PDF and in a
 * 300 dpi JPEG. */
#ifndef GP_TEXT_PRIVATE_H
#define GP_TEXT_PRIVATE_H

#include <cairo.h>

#include "gradprint.h"
#include "../base/drawing-private.h"

typedef struct gp_text_engine gp_text_engine;

gp_status gp_text_engine_new(const gp_context *ctx, gp_text_engine **out, gp_error **err);
void gp_text_engine_free(gp_text_engine *te);

typedef struct gp_text_metrics {
    double width_mm;    /* logical width of the line */
    double height_mm;   /* logical height (ascent + descent) */
    double baseline_mm; /* from the top of the logical box */
    int unknown_glyphs; /* characters no font in the chain has */
    /* First character without a glyph, for messages; 0 when none. */
    unsigned int first_unknown;
} gp_text_metrics;

/* Measures one line of text in style at size_pt. */
void gp_text_measure(gp_text_engine *te, const gp_text_style *style, double size_pt, const char *utf8,
                     gp_text_metrics *out);

/* Draws one line into box: horizontally per style->align, vertically centred
 * on the box. The current transform of cr maps millimetres. */
void gp_text_draw(gp_text_engine *te, cairo_t *cr, const gp_text_style *style, double size_pt, const char *utf8,
                  const gp_box *box);

/* Measures as gp_text_draw would lay the line out on cr's target (its
 * transform and font options), so tests and callers can check that a line
 * keeps the width preflight measured on every output. */
void gp_text_measure_on(gp_text_engine *te, cairo_t *cr, const gp_text_style *style, double size_pt,
                        const char *utf8, gp_text_metrics *out);

/* Checks that a family's primary face is installed (fallback fonts would
 * otherwise set a certificate in whatever face happens to cover the
 * characters). file/line name the template that asks for the family. */
gp_status gp_text_check_family(gp_text_engine *te, const char *family, const char *file, long line,
                               gp_error **err);

/* Paragraphs (certificates): text wrapped to width_mm, first line indented,
 * lines para->line_height_mm apart, full lines justified between characters
 * when para->justify, the byte ranges in spans underlined when
 * para->underline_fields. Line breaks follow Chinese rules (no line starts
 * with closing punctuation such as ，。、；：？！）」』》, none ends with
 * opening punctuation, runs of Latin letters and digits stay whole unless
 * longer than a line). The first baseline lies the primary face's ascent
 * below the box's top. At a size_pt below style->size_pt (shrink-to-fit)
 * the line height and indent shrink in proportion. Measuring and drawing
 * lay the text out alike on every target, so the lines measured are the
 * lines printed. */
typedef struct gp_paragraph_metrics {
    double height_mm;   /* from the top of the first line to the bottom of the last; 0 without lines */
    int lines;          /* -1 (and height HUGE_VAL) when memory ran out */
    int unknown_glyphs;
    unsigned int first_unknown;
} gp_paragraph_metrics;

void gp_text_paragraph_measure(gp_text_engine *te, const gp_text_style *style, const gp_paragraph_style *para,
                               double size_pt, const char *utf8, const gp_span *spans, size_t nspans,
                               double width_mm, gp_paragraph_metrics *out);
/* False when memory ran out and the paragraph was not drawn. */
bool gp_text_paragraph_draw(gp_text_engine *te, cairo_t *cr, const gp_text_style *style,
                            const gp_paragraph_style *para, double size_pt, const char *utf8, const gp_span *spans,
                            size_t nspans, const gp_box *box);

/* A style for text the engine sets itself (packing lists, dividers). */
gp_text_style gp_text_style_simple(const char *family, double size_pt, bool bold, gp_align align);

#endif
