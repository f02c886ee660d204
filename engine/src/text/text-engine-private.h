/* The text engine's insides, shared by the files that implement it (text.c
 * for lines, text-paragraph.c for paragraphs). Nothing outside render/text*
 * includes this. */
#ifndef GP_TEXT_ENGINE_PRIVATE_H
#define GP_TEXT_ENGINE_PRIVATE_H

#include <pango/pangocairo.h>

#include "text-private.h"

#define GP_MM_PER_PT (25.4 / 72.0)
/* Pango's user units are hundredths of a millimetre (see text.c). */
#define GP_UNITS_PER_MM 100.0
/* Pango units per millimetre. */
#define GP_PANGO_PER_MM (GP_UNITS_PER_MM * PANGO_SCALE)
/* Distinct (family, size, weight) combinations kept: a template uses a
 * handful of styles, and shrink-to-fit visits a few sizes per text. */
#define GP_DESC_CACHE 24

typedef struct gp_text_line {
    PangoContext *pc;
    PangoLayout *layout;
    int letter_spacing; /* Pango units currently set on layout */
} gp_text_line;

struct gp_text_engine {
    PangoFontMap *fontmap;
    gp_text_line measure; /* never bound to a target */
    gp_text_line draw;    /* follows the cairo_t drawn on */
    /* Paragraphs, on measure's context: shaped once, unbound, and the same
     * glyphs drawn on every target (text-paragraph.c). */
    PangoLayout *paragraph;
    /* What paragraph was last shaped for (text-paragraph.c): measuring a
     * paragraph and then drawing it shapes it once. */
    char *paragraph_text;
    PangoFontDescription *paragraph_desc;
    bool paragraph_valid;
    PangoFontDescription *descs[GP_DESC_CACHE];
    size_t ndescs, next_evict;
};

/* The cached description of style's family and weight at size_pt; owned
 * by the engine, valid until GP_DESC_CACHE other descriptions were asked for. */
PangoFontDescription *gp_text_style_desc(gp_text_engine *te, const gp_text_style *style, double size_pt);

/* utf8 as text cairo accepts for a PDF's searchable text, or NULL when it
 * is already (the caller then uses utf8 itself): bytes that are not UTF-8
 * and the Unicode noncharacters (U+FDD0..U+FDEF, U+xFFFE, U+xFFFF), which
 * GLib lets pass but cairo refuses, putting the whole PDF surface into an
 * error state, each become U+FFFD. Free with g_free. */
char *gp_text_printable_copy(const char *utf8);

/* Glyphs no font in the chain has, across all of layout's lines, and the
 * first such character in reading order (0 when none). */
void gp_text_count_unknown(PangoLayout *layout, int *count, unsigned int *first);

#endif
