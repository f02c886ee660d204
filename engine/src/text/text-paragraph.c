/* Paragraphs: certificate wording wrapped, justified and underlined.
 *
 * The text is shaped once by Pango as a single unbroken line on the
 * engine's unbound context; the line breaks are then chosen here from the
 * glyph clusters' advances by Chinese rules, and the same glyphs are drawn
 * line by line at positions computed here. Pango's own wrapping is not used:
 * it follows UAX #14, which lets a line start with —— or with the · of a
 * minority name and splits a word that does not fit where a line is full,
 * and its justification stretches only spaces, which Chinese text hardly
 * has.
 *
 * Drawing reuses the measured glyphs on every target instead of reshaping
 * for the target's transform (as one-line text does), so line breaks,
 * positions and height are the ones preflight measured, on a PDF page and at
 * 300 dpi alike. Hinting is off, so a glyph drawn with a font loaded for
 * another transform only rasterises with cairo's own scaled font for the
 * target; its outline and position do not change.
 *
 * Lengths are Pango units of the engine's user unit (a hundredth of a
 * millimetre) unless a name ends in _mm. The text is laid out left to right,
 * as Chinese certificates are. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8-private.h"
#include "text-engine-private.h"

/* Advances are exact to ~1e-5 mm; this absorbs box widths written as
 * decimals, so a line that fills the box exactly stays one line. */
#define GP_PARA_FIT_EPSILON_MM 0.001
/* Where an underline's top edge lies below the baseline, in ems: the
 * ideographic em box ends 0.12 em below it, so the line clears the
 * characters and stays far above the next line. */
#define GP_UNDERLINE_OFFSET_EM 0.17

enum {
    CL_SPACE = 1,        /* a breaking space: hangs at the end of a line, never starts one */
    CL_BREAK_BEFORE = 2, /* a line may start with this cluster */
    CL_NO_START = 4      /* closing punctuation: no line starts with it */
};

/* A glyph cluster: the smallest unit Pango shaped, one character or more
 * (a base with its marks, a ligature); lines break only between clusters. */
typedef struct cluster {
    int start, end; /* bytes of the layout's text */
    int advance;
    unsigned flags;
} cluster;

typedef struct para_line {
    int first; /* first cluster */
    int vis;   /* one past the last cluster drawn (trailing spaces excluded) */
} para_line;

typedef struct para_text {
    PangoLayout *layout;
    const char *text;
    int text_len;
    cluster *c;
    double *pos; /* pos[i]: x of cluster i from the start of the text, letter spacing included */
    int *last_vis; /* last_vis[e]: one past the last cluster before e that is not a space, 0 when none */
    int n;
    para_line *lines;
    int nlines;
    double spacing;     /* letter spacing after every cluster */
    double ascent, descent, em;
    double line_height; /* baseline to baseline */
    double indent;      /* of the first line */
    double width;
    bool text_valid;    /* spans index the text as given (it needed no repair) */
} para_text;

static int compare_chars(const void *a, const void *b)
{
    gunichar x = *(const gunichar *)a, y = *(const gunichar *)b;
    return (x > y) - (x < y);
}

/* list is sorted: every character of a paragraph is looked up here. */
static bool in_list(gunichar c, const gunichar *list, size_t n)
{
    return bsearch(&c, list, n, sizeof *list, compare_chars) != NULL;
}

/* Characters no line may start with: closing brackets and quotes, pause and
 * stop marks, the ellipsis and dash (their second half must stay with the
 * first), the name separator · and units written after numbers. Sorted. */
static bool no_start(gunichar c)
{
    static const gunichar list[] = {
        '!', '%', ')', ',', '.', ':', ';', '?', ']', '}',
        0x00B7, 0x2014, 0x2015, 0x2019, 0x201D, 0x2025, 0x2026, 0x2027, 0x2030, 0x2032, 0x2033, 0x2103,
        0x3001, 0x3002, 0x3009, 0x300B, 0x300D, 0x300F, 0x3011, 0x3015, 0x3017, 0x3019, 0x301B, 0x301E,
        0x301F, 0x30FB, 0xFE50, 0xFE51, 0xFE52, 0xFE54, 0xFE55, 0xFE56, 0xFE57, 0xFF01, 0xFF05, 0xFF09,
        0xFF0C, 0xFF0E, 0xFF1A, 0xFF1B, 0xFF1F, 0xFF3D, 0xFF5D, 0xFF60, 0xFF61, 0xFF64,
    };
    return in_list(c, list, sizeof list / sizeof list[0]);
}

/* Characters no line may end with: opening brackets and quotes. Sorted. */
static bool no_end(gunichar c)
{
    static const gunichar list[] = {
        '(', '[', '{', 0x2018, 0x201C, 0x3008, 0x300A, 0x300C, 0x300E, 0x3010,
        0x3014, 0x3016, 0x3018, 0x301A, 0x301D, 0xFF08, 0xFF3B, 0xFF5B, 0xFF5F,
    };
    return in_list(c, list, sizeof list / sizeof list[0]);
}

/* Spaces a line may break after. No-break spaces are not among them, and
 * the ideographic space is a character of its own in Chinese text. */
static bool breaking_space(gunichar c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == 0x1680 || (c >= 0x2000 && c <= 0x200B && c != 0x2007) ||
           c == 0x205F;
}

/* Whether a line may end after a cluster ending in a and the next start
 * with b. Runs of Latin letters, digits and their punctuation (2025,
 * 2021-09-01, a student number) break only at spaces; wide characters break
 * on either side. */
static bool may_break(gunichar a, gunichar b)
{
    if (breaking_space(b))
        return false;
    if (breaking_space(a))
        return true;
    if (no_start(b) || no_end(a))
        return false;
    return gp_utf8_is_wide((long)a) || gp_utf8_is_wide((long)b);
}

static void para_free(para_text *p)
{
    free(p->c);
    free(p->pos);
    free(p->last_vis);
    free(p->lines);
}

static void set_text(PangoLayout *layout, const char *utf8, bool *valid)
{
    if (utf8 == NULL)
        utf8 = "";
    /* Pango warns about and mangles invalid UTF-8, and cairo refuses
     * noncharacters in a PDF: hand them a repaired copy (U+FFFD for each)
     * instead, whose byte offsets the spans no longer follow. */
    char *printable = gp_text_printable_copy(utf8);
    *valid = printable == NULL;
    pango_layout_set_text(layout, printable != NULL ? printable : utf8, -1);
    g_free(printable);
}

/* Sets the paragraph layout's font and text, unless it holds them already:
 * Pango shapes a layout again whenever either is set, and a paragraph is
 * measured (preflight, shrink-to-fit) before the same one is drawn. */
static void shape(gp_text_engine *te, const PangoFontDescription *desc, const char *utf8, bool *valid)
{
    if (utf8 == NULL)
        utf8 = "";
    if (te->paragraph_text != NULL && te->paragraph_desc != NULL && strcmp(te->paragraph_text, utf8) == 0 &&
        pango_font_description_equal(te->paragraph_desc, desc)) {
        *valid = te->paragraph_valid;
        return;
    }
    pango_layout_set_font_description(te->paragraph, desc);
    set_text(te->paragraph, utf8, valid);
    free(te->paragraph_text);
    if (te->paragraph_desc != NULL)
        pango_font_description_free(te->paragraph_desc);
    /* Without the copies the next call just shapes again. */
    te->paragraph_text = strdup(utf8);
    te->paragraph_desc = te->paragraph_text != NULL ? pango_font_description_copy(desc) : NULL;
    te->paragraph_valid = *valid;
}

static int compare_clusters(const void *a, const void *b)
{
    const cluster *x = a, *y = b;
    return (x->start > y->start) - (x->start < y->start);
}

/* The glyph clusters of the single shaped line, in text order. */
static bool collect_clusters(para_text *p)
{
    PangoLayoutLine *line = pango_layout_get_line_readonly(p->layout, 0);
    int glyphs = 0;
    for (GSList *r = line != NULL ? line->runs : NULL; r != NULL; r = r->next)
        glyphs += ((PangoGlyphItem *)r->data)->glyphs->num_glyphs;
    p->n = 0;
    if (glyphs == 0)
        return true;
    p->c = malloc((size_t)glyphs * sizeof *p->c);
    p->pos = malloc(((size_t)glyphs + 1) * sizeof *p->pos);
    p->lines = malloc((size_t)glyphs * sizeof *p->lines);
    p->last_vis = malloc(((size_t)glyphs + 1) * sizeof *p->last_vis);
    if (p->c == NULL || p->pos == NULL || p->lines == NULL || p->last_vis == NULL)
        return false;
    bool sorted = true;
    for (GSList *r = line->runs; r != NULL; r = r->next) {
        const PangoGlyphItem *run = r->data;
        const PangoGlyphString *gs = run->glyphs;
        for (int i = 0; i < gs->num_glyphs; i++) {
            int start = run->item->offset + gs->log_clusters[i];
            if (i == 0 || gs->log_clusters[i] != gs->log_clusters[i - 1]) {
                if (p->n > 0 && start < p->c[p->n - 1].start)
                    sorted = false;
                p->c[p->n++] = (cluster){start, 0, 0, 0};
            }
            p->c[p->n - 1].advance += gs->glyphs[i].geometry.width;
        }
    }
    /* Right-to-left runs come glyph-reversed. */
    if (!sorted)
        qsort(p->c, (size_t)p->n, sizeof *p->c, compare_clusters);
    for (int i = 0; i < p->n; i++) {
        cluster *c = &p->c[i];
        c->end = i + 1 < p->n ? p->c[i + 1].start : p->text_len;
        gunichar first = g_utf8_get_char(p->text + c->start);
        if (breaking_space(first))
            c->flags |= CL_SPACE;
        if (no_start(first))
            c->flags |= CL_NO_START;
        if (i > 0 && may_break(g_utf8_get_char(g_utf8_prev_char(p->text + c->start)), first))
            c->flags |= CL_BREAK_BEFORE;
    }
    p->pos[0] = 0;
    p->last_vis[0] = 0;
    for (int i = 0; i < p->n; i++) {
        p->pos[i + 1] = p->pos[i] + p->c[i].advance + p->spacing;
        p->last_vis[i + 1] = (p->c[i].flags & CL_SPACE) ? p->last_vis[i] : i + 1;
    }
    return true;
}

/* Width of clusters [s, v) as drawn: spacing between them, not after the last. */
static double span_width(const para_text *p, int s, int v)
{
    return v > s ? p->pos[v] - p->pos[s] - p->spacing : 0;
}

/* e without the spaces before it, but not before s: looked up, not
 * scanned, so a long run of spaces costs nothing per candidate break. */
static int visible_end(const para_text *p, int s, int e)
{
    return p->last_vis[e] > s ? p->last_vis[e] : s;
}

static double available(const para_text *p, int line)
{
    double w = p->width - (line == 0 ? p->indent : 0);
    return w > 0 ? w : 0;
}

/* Greedy: each line takes the most text up to a permitted break that fits.
 * A run with no permitted break wider than the line (a long number in a
 * narrow box) is cut where the line is full, still keeping closing
 * punctuation off the next line's start when there is room to. */
static void break_lines(para_text *p)
{
    const double eps = GP_PARA_FIT_EPSILON_MM * GP_PANGO_PER_MM;
    p->nlines = 0;
    int s = 0;
    while (s < p->n) {
        double avail = available(p, p->nlines) + eps;
        int best = -1;
        for (int e = s + 1; e <= p->n; e++) {
            if (e < p->n && !(p->c[e].flags & CL_BREAK_BEFORE)) {
                /* Past a visible cluster that overflows, no later break fits. */
                if (!(p->c[e - 1].flags & CL_SPACE) && span_width(p, s, e) > avail)
                    break;
                continue;
            }
            if (span_width(p, s, visible_end(p, s, e)) > avail)
                break;
            best = e;
        }
        if (best < 0) {
            best = s + 1;
            while (best < p->n && span_width(p, s, best + 1) <= avail)
                best++;
            if (best < p->n && best - 1 > s && (p->c[best].flags & CL_NO_START))
                best--;
        }
        p->lines[p->nlines++] = (para_line){s, visible_end(p, s, best)};
        s = best;
    }
}

static double scale_of(const gp_text_style *style, double size_pt)
{
    /* Shrink-to-fit shrinks the whole paragraph: line height and indent are
     * typographic lengths of the template's size (the usual indent is two
     * characters), so they keep their proportion to the characters. */
    return style->size_pt > 0 && size_pt > 0 && isfinite(size_pt / style->size_pt) ? size_pt / style->size_pt
                                                                                     : 1.0;
}

static double finite_or_zero(double v)
{
    return isfinite(v) && v > 0 ? v : 0;
}

/* Shapes utf8 and breaks it into lines of width_mm. False only when memory
 * ran out; p is then to be freed but not used. */
static bool para_build(gp_text_engine *te, const gp_text_style *style, const gp_paragraph_style *para_style,
                       double size_pt, const char *utf8, double width_mm, para_text *p)
{
    memset(p, 0, sizeof *p);
    p->layout = te->paragraph;
    PangoFontDescription *desc = gp_text_style_desc(te, style, size_pt);
    shape(te, desc, utf8, &p->text_valid);
    p->text = pango_layout_get_text(p->layout);
    p->text_len = (int)strlen(p->text);

    double scale = scale_of(style, size_pt);
    p->spacing = round(finite_or_zero(style->letter_spacing_pt) * GP_MM_PER_PT * GP_PANGO_PER_MM);
    p->line_height = finite_or_zero(para_style->line_height_mm) * scale * GP_PANGO_PER_MM;
    p->indent = finite_or_zero(para_style->first_indent_mm) * scale * GP_PANGO_PER_MM;
    p->width = finite_or_zero(width_mm) * GP_PANGO_PER_MM;
    p->em = pango_font_description_get_size(desc) / (double)PANGO_SCALE * GP_MM_PER_PT * GP_PANGO_PER_MM;

    /* The primary face's ascent and descent, not the line's: a rare
     * character from a fallback face must not move the baselines. An empty
     * glyph's logical box is the face's extents in the units layouts use
     * (pango_font_get_metrics answers in the context's device units). */
    PangoFont *font = pango_font_map_load_font(te->fontmap, te->measure.pc, desc);
    if (font != NULL) {
        PangoRectangle logical;
        pango_font_get_glyph_extents(font, PANGO_GLYPH_EMPTY, NULL, &logical);
        p->ascent = -logical.y;
        p->descent = logical.height + logical.y;
        g_object_unref(font);
    }
    if (font == NULL || !(p->ascent > 0)) {
        p->ascent = 0.88 * p->em;
        p->descent = 0.12 * p->em;
    }
    if (!collect_clusters(p))
        return false;
    break_lines(p);
    return true;
}

void gp_text_paragraph_measure(gp_text_engine *te, const gp_text_style *style, const gp_paragraph_style *para,
                               double size_pt, const char *utf8, const gp_span *spans, size_t nspans,
                               double width_mm, gp_paragraph_metrics *out)
{
    /* Underlines take no room: spans only matter when drawing. */
    (void)spans;
    (void)nspans;
    memset(out, 0, sizeof *out);
    para_text p;
    if (!para_build(te, style, para, size_pt, utf8, width_mm, &p)) {
        out->lines = -1;
        out->height_mm = HUGE_VAL;
        para_free(&p);
        return;
    }
    out->lines = p.nlines;
    if (p.nlines > 0)
        out->height_mm = (p.ascent + (p.nlines - 1) * p.line_height + p.descent) / GP_PANGO_PER_MM;
    gp_text_count_unknown(p.layout, &out->unknown_glyphs, &out->first_unknown);
    para_free(&p);
}

/* Where cluster i of line ln starts, from the line's left edge. */
static double cluster_x(const para_text *p, const para_line *ln, double extra, int i)
{
    return p->pos[i] - p->pos[ln->first] + (i - ln->first) * extra;
}

/* Draws the part of run that falls into the line's visible clusters, its
 * glyph widths stretched by the justification. The glyphs go through
 * pango_cairo_show_glyph_item, so PDF text stays searchable. */
static void draw_run_part(cairo_t *cr, const para_text *p, const para_line *ln, double extra, double x0, double y,
                          const PangoGlyphItem *run, PangoGlyphString *gs, int *cursor)
{
    const PangoItem *item = run->item;
    const PangoGlyphString *src = run->glyphs;
    int from = p->c[ln->first].start;
    int to = ln->vis < p->n ? p->c[ln->vis].start : p->text_len;
    if (item->offset >= to || item->offset + item->length <= from)
        return;
    /* Left-to-right runs list their glyphs in text order, and lines come in
     * text order: each line's glyphs start where the last line's ended
     * (*cursor), so a paragraph of many lines is not scanned once per line.
     * Right-to-left runs (rare here) are scanned whole. */
    bool ascending = src->num_glyphs < 2 || src->log_clusters[0] <= src->log_clusters[src->num_glyphs - 1];
    int g0 = -1, g1 = -1;
    for (int i = ascending ? *cursor : 0; i < src->num_glyphs; i++) {
        int at = item->offset + src->log_clusters[i];
        if (ascending && at >= to)
            break;
        if (at >= from && at < to) {
            if (g0 < 0)
                g0 = i;
            g1 = i + 1;
        }
    }
    if (ascending && g1 > *cursor)
        *cursor = g1;
    if (g0 < 0)
        return;
    PangoItem *part = pango_item_copy((PangoItem *)item);
    int start = item->offset > from ? item->offset : from;
    int end = item->offset + item->length < to ? item->offset + item->length : to;
    part->offset = start;
    part->length = end - start;
    part->num_chars = (int)g_utf8_strlen(p->text + start, end - start);

    pango_glyph_string_set_size(gs, g1 - g0);
    /* Each cluster's first glyph goes to the cluster's justified position,
     * rounded once, so rounding never accumulates along a line: the last
     * glyph of a cluster is as wide as the gap to the next cluster. */
    int ci = -1;
    double origin = 0, run_x = 0;
    for (int k = 0; k < g1 - g0; k++) {
        int at = item->offset + src->log_clusters[g0 + k];
        gs->glyphs[k] = src->glyphs[g0 + k];
        gs->log_clusters[k] = at - start;
        if (ci < 0 || p->c[ci].start != at) {
            cluster key = {at, 0, 0, 0};
            const cluster *found = bsearch(&key, p->c, (size_t)p->n, sizeof key, compare_clusters);
            if (found == NULL) {
                pango_item_free(part);
                return;
            }
            ci = (int)(found - p->c);
            if (k == 0)
                run_x = origin = round(cluster_x(p, ln, extra, ci));
        }
        bool last_of_cluster = k + 1 == g1 - g0 || src->log_clusters[g0 + k + 1] != src->log_clusters[g0 + k];
        if (last_of_cluster && ci + 1 < ln->vis)
            gs->glyphs[k].geometry.width = (int)(round(cluster_x(p, ln, extra, ci + 1)) - origin);
        origin += gs->glyphs[k].geometry.width;
    }
    PangoGlyphItem part_item = {part, gs, 0, 0, 0};
    cairo_move_to(cr, x0 + run_x / PANGO_SCALE, y);
    pango_cairo_show_glyph_item(cr, p->text, &part_item);
    pango_item_free(part);
}

static void draw_underlines(cairo_t *cr, const para_text *p, const para_line *ln, double extra, double x0,
                            double baseline, double width_mm, const gp_span *spans, size_t nspans)
{
    double top = baseline + GP_UNDERLINE_OFFSET_EM * p->em / PANGO_SCALE;
    double h = width_mm * GP_UNITS_PER_MM;
    for (size_t s = 0; s < nspans; s++) {
        int a = -1, b = -1;
        for (int i = ln->first; i < ln->vis; i++) {
            const cluster *c = &p->c[i];
            if ((size_t)c->start < spans[s].end && (size_t)c->end > spans[s].start) {
                if (a < 0)
                    a = i;
                b = i;
            }
        }
        if (a < 0)
            continue;
        double left = cluster_x(p, ln, extra, a);
        double right = cluster_x(p, ln, extra, b) + p->c[b].advance;
        cairo_rectangle(cr, x0 + left / PANGO_SCALE, top, (right - left) / PANGO_SCALE, h);
    }
    cairo_fill(cr);
}

bool gp_text_paragraph_draw(gp_text_engine *te, cairo_t *cr, const gp_text_style *style,
                            const gp_paragraph_style *para_style, double size_pt, const char *utf8,
                            const gp_span *spans, size_t nspans, const gp_box *box)
{
    para_text p;
    if (!para_build(te, style, para_style, size_pt, utf8, box->w, &p)) {
        para_free(&p);
        return false;
    }
    if (p.nlines == 0) {
        para_free(&p);
        return true;
    }
    PangoGlyphString *gs = pango_glyph_string_new();
    PangoLayoutLine *line = pango_layout_get_line_readonly(p.layout, 0);
    int *cursors = calloc(line != NULL ? g_slist_length(line->runs) + 1 : 1, sizeof *cursors);
    if (gs == NULL || cursors == NULL) {
        free(cursors);
        if (gs != NULL)
            pango_glyph_string_free(gs);
        para_free(&p);
        return false;
    }
    cairo_save(cr);
    cairo_scale(cr, 1 / GP_UNITS_PER_MM, 1 / GP_UNITS_PER_MM);
    cairo_set_source_rgb(cr, style->color[0], style->color[1], style->color[2]);
    bool underline = para_style->underline_fields && p.text_valid && nspans > 0 &&
                     finite_or_zero(para_style->underline_width_mm) > 0;
    for (int l = 0; l < p.nlines; l++) {
        const para_line *ln = &p.lines[l];
        double avail = available(&p, l);
        int gaps = ln->vis - ln->first - 1;
        double extra = 0;
        if (para_style->justify && l + 1 < p.nlines && gaps > 0)
            extra = (avail - span_width(&p, ln->first, ln->vis)) / gaps;
        /* In the engine's user units (hundredths of a millimetre). */
        double x0 = box->x * GP_UNITS_PER_MM + (l == 0 ? p.indent / PANGO_SCALE : 0);
        double baseline = box->y * GP_UNITS_PER_MM + (p.ascent + l * p.line_height) / PANGO_SCALE;
        int k = 0;
        for (GSList *r = line->runs; r != NULL; r = r->next)
            draw_run_part(cr, &p, ln, extra, x0, baseline, r->data, gs, &cursors[k++]);
        if (underline)
            draw_underlines(cr, &p, ln, extra, x0, baseline, para_style->underline_width_mm, spans, nspans);
    }
    cairo_new_path(cr);
    cairo_restore(cr);
    pango_glyph_string_free(gs);
    free(cursors);
    para_free(&p);
    return true;
}
