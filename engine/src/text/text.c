/* Text with Pango on the context's private fontconfig.
 *
 * Pango's user units here are hundredths of a millimetre: the contexts run
 * at a resolution of 2540 dpi, and drawing scales cr by 1/100 around Pango.
 * Pango truncates each glyph's em size to a whole Pango unit (1/1024 user
 * unit) after mapping it through the device transform, so with millimetre
 * units a 7.25 pt line came out up to 0.001 mm per glyph narrower at 300 dpi
 * than in a PDF; in hundredths the difference is a hundred times smaller.
 * Hinting is off everywhere (outlines and metrics) and glyph positions are
 * not rounded, so a line has the same width on a PDF page, on a 300 dpi
 * JPEG and in preflight, where nothing is drawn.
 *
 * An engine holds two lines (context + layout): one that is never bound to
 * a cairo target, used by preflight and layout, and one that follows the
 * target being drawn on, so glyphs rasterise for that target's transform. */
#include "text-engine-private.h"

#include <math.h>
#include <pango/pangofc-fontmap.h>
#include <stdlib.h>
#include <string.h>

#include "../base/context-private.h"
#include "../base/error-private.h"
#include "../base/i18n-private.h"

typedef struct gp_family {
    const char *logical;   /* what templates say */
    const char *fc_family; /* the alias in fonts/gradprint-fonts.conf */
    const char *primary[2]; /* faces acceptable as the first of the chain */
    const char *package;   /* the Debian package providing primary[0] */
} gp_family;

static const gp_family families[] = {
    {"song", "gradprint-song", {"Noto Serif CJK SC", NULL}, "fonts-noto-cjk"},
    {"sans", "gradprint-sans", {"Noto Sans CJK SC", NULL}, "fonts-noto-cjk"},
    {"kai", "gradprint-kai", {"LXGW WenKai", "AR PL UKai CN"}, "fonts-lxgw-wenkai"},
};

static const gp_family *find_family(const char *logical)
{
    for (size_t i = 0; i < sizeof families / sizeof families[0]; i++)
        if (strcmp(families[i].logical, logical) == 0)
            return &families[i];
    return NULL;
}

/* Unknown names pass through, so text the engine sets itself may name an
 * installed family directly. */
static const char *fc_family_of(const char *logical)
{
    if (logical == NULL)
        logical = "song";
    const gp_family *f = find_family(logical);
    return f != NULL ? f->fc_family : logical;
}

static bool line_init(gp_text_line *ln, PangoFontMap *fontmap, const cairo_font_options_t *options)
{
    ln->pc = pango_font_map_create_context(fontmap);
    if (ln->pc == NULL)
        return false;
    pango_context_set_language(ln->pc, pango_language_from_string("zh-cn"));
    pango_context_set_round_glyph_positions(ln->pc, FALSE);
    pango_cairo_context_set_font_options(ln->pc, options);
    pango_cairo_context_set_resolution(ln->pc, 25.4 * GP_UNITS_PER_MM);
    /* The unbound line measures as if for a 1200 dpi device; the other one
     * gets the target's transform from pango_cairo_update_context. */
    PangoMatrix m = PANGO_MATRIX_INIT;
    pango_matrix_scale(&m, 1200 / 25.4 / GP_UNITS_PER_MM, 1200 / 25.4 / GP_UNITS_PER_MM);
    pango_context_set_matrix(ln->pc, &m);
    ln->layout = pango_layout_new(ln->pc);
    if (ln->layout == NULL)
        return false;
    /* A line break in a roster cell must not turn one line into two. */
    pango_layout_set_single_paragraph_mode(ln->layout, TRUE);
    ln->letter_spacing = 0;
    return true;
}

static void line_clear(gp_text_line *ln)
{
    if (ln->layout != NULL)
        g_object_unref(ln->layout);
    if (ln->pc != NULL)
        g_object_unref(ln->pc);
}

gp_status gp_text_engine_new(const gp_context *ctx, gp_text_engine **out, gp_error **err)
{
    *out = NULL;
    gp_text_engine *te = calloc(1, sizeof *te);
    if (te == NULL)
        return gp_error_nomem(err);
    /* A font map of its own: Pango font maps are not thread-safe, and the
     * default one would follow the user's fontconfig, not the engine's. */
    te->fontmap = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
    if (te->fontmap == NULL || !PANGO_IS_FC_FONT_MAP(te->fontmap)) {
        gp_text_engine_free(te);
        return gp_error_set(err, GP_E_INTERNAL, NULL, 0, "%s",
                            _("Pango was built without FreeType/fontconfig support; install the "
                              "distribution's Pango packages"));
    }
    pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(te->fontmap), ctx->fonts);

    cairo_font_options_t *options = cairo_font_options_create();
    if (cairo_font_options_status(options) != CAIRO_STATUS_SUCCESS) {
        cairo_font_options_destroy(options);
        gp_text_engine_free(te);
        return gp_error_nomem(err);
    }
    /* Hinting would snap outlines and advances to the device grid, so a line
     * would be wider at 300 dpi than in the PDF. */
    cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
    bool ok = line_init(&te->measure, te->fontmap, options) && line_init(&te->draw, te->fontmap, options);
    cairo_font_options_destroy(options);
    if (ok) {
        te->paragraph = pango_layout_new(te->measure.pc);
        ok = te->paragraph != NULL;
    }
    /* One paragraph of a template is one paragraph of text: a line break
     * in a roster cell must not start another. */
    if (ok)
        pango_layout_set_single_paragraph_mode(te->paragraph, TRUE);
    if (!ok) {
        gp_text_engine_free(te);
        return gp_error_nomem(err);
    }
    *out = te;
    return GP_OK;
}

void gp_text_engine_free(gp_text_engine *te)
{
    if (te == NULL)
        return;
    if (te->paragraph != NULL)
        g_object_unref(te->paragraph);
    free(te->paragraph_text);
    if (te->paragraph_desc != NULL)
        pango_font_description_free(te->paragraph_desc);
    line_clear(&te->measure);
    line_clear(&te->draw);
    for (size_t i = 0; i < te->ndescs; i++)
        pango_font_description_free(te->descs[i]);
    if (te->fontmap != NULL)
        g_object_unref(te->fontmap);
    free(te);
}

static PangoFontDescription *font_desc(gp_text_engine *te, const char *fc_family, double size_pt, bool bold)
{
    /* Sizes in Pango units of points: quarter-point steps are exact. */
    int size = (int)lround(size_pt * PANGO_SCALE);
    PangoWeight weight = bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL;
    for (size_t i = 0; i < te->ndescs; i++) {
        PangoFontDescription *d = te->descs[i];
        if (pango_font_description_get_size(d) == size && pango_font_description_get_weight(d) == weight &&
            strcmp(pango_font_description_get_family(d), fc_family) == 0)
            return d;
    }
    PangoFontDescription *d = pango_font_description_new();
    pango_font_description_set_family(d, fc_family);
    pango_font_description_set_size(d, size);
    pango_font_description_set_weight(d, weight);
    size_t slot;
    if (te->ndescs < GP_DESC_CACHE) {
        slot = te->ndescs++;
    } else {
        slot = te->next_evict;
        te->next_evict = (te->next_evict + 1) % GP_DESC_CACHE;
        pango_font_description_free(te->descs[slot]);
    }
    te->descs[slot] = d;
    return d;
}

PangoFontDescription *gp_text_style_desc(gp_text_engine *te, const gp_text_style *style, double size_pt)
{
    return font_desc(te, fc_family_of(style->family), size_pt, style->bold);
}

static void line_set(gp_text_engine *te, gp_text_line *ln, const gp_text_style *style, double size_pt,
                     const char *utf8)
{
    /* The layout copies the description only when it differs from the one
     * it has, so repeated styles cost a comparison. */
    pango_layout_set_font_description(ln->layout, gp_text_style_desc(te, style, size_pt));
    int spacing = (int)lround(style->letter_spacing_pt * GP_MM_PER_PT * GP_PANGO_PER_MM);
    if (spacing != ln->letter_spacing) {
        if (spacing == 0) {
            pango_layout_set_attributes(ln->layout, NULL);
        } else {
            PangoAttrList *attrs = pango_attr_list_new();
            pango_attr_list_insert(attrs, pango_attr_letter_spacing_new(spacing));
            pango_layout_set_attributes(ln->layout, attrs);
            pango_attr_list_unref(attrs);
        }
        ln->letter_spacing = spacing;
    }
    if (utf8 == NULL)
        utf8 = "";
    /* Pango warns about and mangles invalid UTF-8; hand it a repaired copy
     * (U+FFFD for each bad sequence) instead. */
    char *printable = gp_text_printable_copy(utf8);
    pango_layout_set_text(ln->layout, printable != NULL ? printable : utf8, -1);
    g_free(printable);
}

static bool is_noncharacter(gunichar c) { return (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE; }

char *gp_text_printable_copy(const char *utf8)
{
    bool valid = g_utf8_validate(utf8, -1, NULL);
    bool clean = valid;
    for (const char *p = utf8; clean && *p != '\0'; p = g_utf8_next_char(p))
        clean = !is_noncharacter(g_utf8_get_char(p));
    if (clean)
        return NULL;
    gchar *repaired = valid ? g_strdup(utf8) : g_utf8_make_valid(utf8, -1);
    GString *out = g_string_sized_new(strlen(repaired) + 8);
    for (const char *p = repaired; *p != '\0'; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        g_string_append_unichar(out, is_noncharacter(c) ? 0xFFFD : c);
    }
    g_free(repaired);
    return g_string_free(out, FALSE);
}

/* Within one glyph's cluster, the character an unknown glyph stands for.
 * Pango encodes it in the glyph; the cluster bounds where to look for it. */
static const char *unknown_char(const char *cluster, const char *end, PangoGlyph glyph, gunichar *wc)
{
    gunichar want = glyph & ~PANGO_GLYPH_UNKNOWN_FLAG;
    for (const char *p = cluster; p < end; p = g_utf8_next_char(p)) {
        if (g_utf8_get_char(p) == want) {
            *wc = want;
            return p;
        }
    }
    *wc = g_utf8_get_char(cluster);
    return cluster;
}

void gp_text_count_unknown(PangoLayout *layout, int *count, unsigned int *first_unknown)
{
    const char *text = pango_layout_get_text(layout);
    const char *first = NULL;
    *count = 0;
    *first_unknown = 0;
    for (GSList *l = pango_layout_get_lines_readonly(layout); l != NULL; l = l->next) {
        const PangoLayoutLine *line = l->data;
        for (GSList *r = line->runs; r != NULL; r = r->next) {
            const PangoGlyphItem *run = r->data;
            const PangoGlyphString *gs = run->glyphs;
            const char *item_text = text + run->item->offset;
            const char *item_end = item_text + run->item->length;
            for (int i = 0; i < gs->num_glyphs; i++) {
                PangoGlyph glyph = gs->glyphs[i].glyph;
                if ((glyph & PANGO_GLYPH_UNKNOWN_FLAG) == 0)
                    continue;
                const char *cluster = item_text + gs->log_clusters[i];
                const char *cluster_end = item_end;
                for (int j = 0; j < gs->num_glyphs; j++)
                    if (gs->log_clusters[j] > gs->log_clusters[i] && item_text + gs->log_clusters[j] < cluster_end)
                        cluster_end = item_text + gs->log_clusters[j];
                gunichar wc;
                const char *at = unknown_char(cluster, cluster_end, glyph, &wc);
                /* Controls and format characters have no glyph in any font;
                 * the roster check reports them as what they are. */
                GUnicodeType type = g_unichar_type(wc);
                if (type == G_UNICODE_CONTROL || type == G_UNICODE_FORMAT)
                    continue;
                (*count)++;
                /* Runs are in visual order; report the first in reading order. */
                if (first == NULL || at < first) {
                    first = at;
                    *first_unknown = wc;
                }
            }
        }
    }
}

static void line_metrics(PangoLayout *layout, gp_text_metrics *out)
{
    PangoRectangle logical;
    pango_layout_get_extents(layout, NULL, &logical);
    out->width_mm = logical.width / GP_PANGO_PER_MM;
    out->height_mm = logical.height / GP_PANGO_PER_MM;
    out->baseline_mm = (pango_layout_get_baseline(layout) - logical.y) / GP_PANGO_PER_MM;
    gp_text_count_unknown(layout, &out->unknown_glyphs, &out->first_unknown);
}

void gp_text_measure(gp_text_engine *te, const gp_text_style *style, double size_pt, const char *utf8,
                     gp_text_metrics *out)
{
    line_set(te, &te->measure, style, size_pt, utf8);
    line_metrics(te->measure.layout, out);
}

/* Binds the drawing line to cr's transform and target font options, so
 * glyphs are rasterised for the device rather than scaled afterwards; Pango
 * notices when nothing changed since the last line. cr is left scaled to
 * Pango's user units: callers save and restore around this. */
static void bind_target(gp_text_engine *te, cairo_t *cr)
{
    cairo_scale(cr, 1 / GP_UNITS_PER_MM, 1 / GP_UNITS_PER_MM);
    pango_cairo_update_context(cr, te->draw.pc);
}

void gp_text_measure_on(gp_text_engine *te, cairo_t *cr, const gp_text_style *style, double size_pt,
                        const char *utf8, gp_text_metrics *out)
{
    cairo_save(cr);
    bind_target(te, cr);
    cairo_restore(cr);
    line_set(te, &te->draw, style, size_pt, utf8);
    line_metrics(te->draw.layout, out);
}

void gp_text_draw(gp_text_engine *te, cairo_t *cr, const gp_text_style *style, double size_pt, const char *utf8,
                  const gp_box *box)
{
    cairo_save(cr);
    bind_target(te, cr);
    line_set(te, &te->draw, style, size_pt, utf8);
    PangoRectangle logical;
    pango_layout_get_extents(te->draw.layout, NULL, &logical);
    double w = logical.width / GP_PANGO_PER_MM;
    double h = logical.height / GP_PANGO_PER_MM;
    double x = box->x - logical.x / GP_PANGO_PER_MM;
    if (style->align == GP_ALIGN_CENTER)
        x += (box->w - w) / 2;
    else if (style->align == GP_ALIGN_RIGHT)
        x += box->w - w;
    double y = box->y + (box->h - h) / 2 - logical.y / GP_PANGO_PER_MM;

    cairo_set_source_rgb(cr, style->color[0], style->color[1], style->color[2]);
    cairo_move_to(cr, x * GP_UNITS_PER_MM, y * GP_UNITS_PER_MM);
    pango_cairo_show_layout(cr, te->draw.layout);
    cairo_new_path(cr);
    cairo_restore(cr);
}

static bool family_is(const char *have, const char *want)
{
    return want != NULL && g_ascii_strcasecmp(have, want) == 0;
}

gp_status gp_text_check_family(gp_text_engine *te, const char *family, const char *file, long line,
                               gp_error **err)
{
    const gp_family *f = find_family(family != NULL ? family : "song");
    const char *fc_family = fc_family_of(family);
    PangoFontDescription *desc = font_desc(te, fc_family, 12, false);
    PangoFont *font = pango_font_map_load_font(te->fontmap, te->measure.pc, desc);
    char *have = NULL;
    if (font != NULL) {
        PangoFontDescription *used = pango_font_describe(font);
        const char *name = pango_font_description_get_family(used);
        have = strdup(name != NULL ? name : "");
        pango_font_description_free(used);
        g_object_unref(font);
        if (have == NULL)
            return gp_error_nomem(err);
    }
    bool ok = have != NULL && (f != NULL ? family_is(have, f->primary[0]) || family_is(have, f->primary[1])
                                         : family_is(have, fc_family));
    gp_status st = GP_OK;
    if (!ok && f != NULL)
        st = gp_error_set(err, GP_E_INVALID, file, line,
                          _("the %s font family needs the font \"%s\", but this system would use \"%s\"; "
                            "install the package %s"),
                          f->logical, f->primary[0], have != NULL ? have : "?", f->package);
    else if (!ok)
        st = gp_error_set(err, GP_E_INVALID, file, line,
                          _("font family \"%s\" is not installed (this system would use \"%s\"); use song, "
                            "sans or kai, or install the font"),
                          fc_family, have != NULL ? have : "?");
    free(have);
    return st;
}

gp_text_style gp_text_style_simple(const char *family, double size_pt, bool bold, gp_align align)
{
    /* The style borrows family: callers pass string literals. */
    gp_text_style style = {
        .family = (char *)family,
        .size_pt = size_pt,
        .min_size_pt = size_pt,
        .bold = bold,
        .align = align,
        .letter_spacing_pt = 0,
        .color = {0, 0, 0},
    };
    return style;
}
