#include "build-private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/error-private.h"
#include "../base/i18n-private.h"
#include "../roster/roster-private.h"
#include "clip-private.h"

static const char *const families[] = {"song", "sans", "kai"};
static const gp_align aligns[] = {GP_ALIGN_LEFT, GP_ALIGN_CENTER, GP_ALIGN_RIGHT};

gp_status gp_builder_add(gp_builder *b, gp_element_kind kind, xmlNodePtr node, gp_element **out, gp_error **err)
{
    gp_template *tpl = b->tpl;
    *out = NULL;
    if (tpl->count >= GP_TEMPLATE_MAX_ELEMENTS)
        return gp_error_set(err, GP_E_INVALID, b->file, xmlGetLineNo(node),
                            _("more than %d elements; a template this large is a mistake, split it up"),
                            GP_TEMPLATE_MAX_ELEMENTS);
    if (tpl->count == b->element_cap) {
        size_t cap = b->element_cap ? b->element_cap * 2 : 16;
        gp_element *els = realloc(tpl->elements, cap * sizeof *els);
        if (els == NULL)
            return gp_error_nomem(err);
        tpl->elements = els;
        b->element_cap = cap;
    }
    gp_element *el = &tpl->elements[tpl->count++];
    memset(el, 0, sizeof *el);
    el->kind = kind;
    el->line = xmlGetLineNo(node);
    *out = el;
    return GP_OK;
}

/* ---- small helpers -------------------------------------------------- */

static bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* An element's text without the indentation around it: leading and trailing
 * blanks go, and a run of blanks holding a line break becomes one space, so
 * pretty-printed content reads as written. Spaces typed on one line stay. */
static char *node_text(xmlNodePtr node)
{
    xmlChar *content = xmlNodeGetContent(node);
    const char *s = content != NULL ? (const char *)content : "";
    size_t n = strlen(s);
    char *out = malloc(n + 1);
    if (out != NULL) {
        size_t len = 0;
        size_t i = 0;
        while (i < n && is_blank(s[i]))
            i++;
        while (i < n) {
            size_t run = i;
            bool wraps = false;
            while (run < n && is_blank(s[run])) {
                wraps = wraps || s[run] != ' ';
                run++;
            }
            if (run == i) {
                out[len++] = s[i++];
            } else if (run == n) {
                break;
            } else if (wraps) {
                out[len++] = ' ';
                i = run;
            } else {
                memcpy(out + len, s + i, run - i);
                len += run - i;
                i = run;
            }
        }
        out[len] = '\0';
    }
    if (content != NULL)
        xmlFree(content);
    return out;
}

static long line_of(xmlNodePtr node) { return xmlGetLineNo(node); }

static gp_status bad_value(gp_builder *b, xmlNodePtr node, const char *name, const gp_attr_value *v,
                           const char *why, gp_error **err)
{
    gp_clip clip;
    return gp_error_set(err, GP_E_INVALID, b->file, line_of(node), "<%s %s=\"%s\">: %s", (const char *)node->name,
                        name, gp_clip_text(&clip, v->raw), why);
}

/* The number of a present attribute checked against [min, max]; min_open
 * makes min itself invalid ("more than 0"). */
static gp_status number_in(gp_builder *b, xmlNodePtr node, const gp_attrs *a, const char *name, double min,
                           bool min_open, double max, double *out, gp_error **err)
{
    const gp_attr_value *v = gp_attrs_get(a, name);
    double x = v->number;
    if (min == 0 && !min_open && x < 0)
        return bad_value(b, node, name, v,
                         _("may not be negative; positions are measured from the page's top-left corner"), err);
    if (min == 0 && min_open && x <= 0)
        return bad_value(b, node, name, v, _("must be more than 0"), err);
    if (x < min || (min_open && x <= min) || x > max) {
        char range[96];
        snprintf(range, sizeof range, _("must be between %g and %g; write a value in that range"), min, max);
        return bad_value(b, node, name, v, range, err);
    }
    *out = x;
    return GP_OK;
}

static gp_status read_box(gp_builder *b, xmlNodePtr node, const gp_attrs *a, gp_box *box, gp_error **err)
{
    gp_status st = number_in(b, node, a, "x", 0, false, 1e6, &box->x, err);
    if (st == GP_OK)
        st = number_in(b, node, a, "y", 0, false, 1e6, &box->y, err);
    if (st == GP_OK)
        st = number_in(b, node, a, "width", 0, true, 1e6, &box->w, err);
    if (st == GP_OK)
        st = number_in(b, node, a, "height", 0, true, 1e6, &box->h, err);
    return st;
}

static void read_color(const gp_attrs *a, double rgb[3])
{
    const gp_attr_value *v = gp_attrs_get(a, "color");
    for (int k = 0; k < 3; k++)
        rgb[k] = v->present ? v->rgb[k] : 0;
}

static gp_status unknown_field(gp_builder *b, xmlNodePtr node, const char *field, gp_error **err)
{
    gp_strbuf known;
    gp_strbuf_init(&known);
    gp_strbuf_append(&known, GP_FIELD_SCHOOL);
    for (int k = 0; k < GP_KEY_COUNT; k++) {
        gp_strbuf_append(&known, ", ");
        gp_strbuf_append(&known, gp_key_name((gp_key)k));
    }
    gp_clip clip;
    gp_status st = gp_error_set(err, GP_E_INVALID, b->file, line_of(node),
                                _("<%s>: unknown field {%s}; use one of %s"), (const char *)node->name,
                                gp_clip_text(&clip, field), gp_strbuf_failed(&known) ? "" : known.data);
    gp_strbuf_free(&known);
    return st;
}

/* The element's content as a pattern whose fields all exist. */
static gp_status read_pattern(gp_builder *b, xmlNodePtr node, gp_pattern **out, gp_error **err)
{
    char *src = node_text(node);
    if (src == NULL)
        return gp_error_nomem(err);
    gp_status st = GP_OK;
    if (src[0] == '\0')
        st = gp_error_set(err, GP_E_INVALID, b->file, line_of(node),
                          _("<%s> is empty; write its content, such as {student_no}, or remove the element"),
                          (const char *)node->name);
    else
        st = gp_pattern_parse_maps(src, b->tpl->maps, b->tpl->nmaps, b->file, line_of(node), out, err);
    free(src);
    for (size_t i = 0; st == GP_OK && i < gp_pattern_field_count(*out); i++) {
        const char *field = gp_pattern_field(*out, i);
        gp_key key;
        if (strcmp(field, GP_FIELD_SCHOOL) != 0 && !gp_key_from_name(field, &key))
            st = unknown_field(b, node, field, err);
    }
    return st;
}

/* ---- the elements --------------------------------------------------- */

static gp_status parse_template(gp_builder *b, xmlNodePtr node, const gp_attrs *a, gp_error **err)
{
    (void)node;
    b->tpl->name = strdup(gp_attrs_get(a, "name")->raw);
    b->tpl->kind = strdup(gp_attrs_get(a, "kind")->raw);
    return b->tpl->name != NULL && b->tpl->kind != NULL ? GP_OK : gp_error_nomem(err);
}

static gp_status parse_description(gp_builder *b, xmlNodePtr node, const gp_attrs *a, gp_error **err)
{
    (void)a;
    free(b->tpl->description);
    b->tpl->description = node_text(node);
    return b->tpl->description != NULL ? GP_OK : gp_error_nomem(err);
}

static gp_status parse_page(gp_builder *b, xmlNodePtr node, const gp_attrs *a, gp_error **err)
{
    gp_template *tpl = b->tpl;
    gp_status st = number_in(b, node, a, "width", 0, true, 2000, &tpl->page_w_mm, err);
    if (st == GP_OK)
        st = number_in(b, node, a, "height", 0, true, 2000, &tpl->page_h_mm, err);
    const gp_attr_value *dpi = gp_attrs_get(a, "dpi");
    tpl->dpi = 300;
    if (st == GP_OK && dpi->present) {
        if (dpi->integer < 72 || dpi->integer > 2400)
            return bad_value(b, node, "dpi", dpi, _("must be between 72 and 2400; 300 suits photo labs"), err);
        tpl->dpi = (int)dpi->integer;
    }
    return st;
}

static gp_status parse_school(gp_builder *b, xmlNodePtr node, const gp_attrs *a, gp_error **err)
{
    (void)a;
    free(b->tpl->school);
    b->tpl->school = node_text(node);
    if (b->tpl->school == NULL)
        return gp_error_nomem(err);
    if (b->tpl->school[0] == '\0')
        return gp_error_set(err, GP_E_INVALID, b->file, line_of(node), "%s",
                            _("<school> is empty; write the school's name or remove the element"));
    return GP_OK;
}

static const gp_attr_spec entry_attrs[] = {
    {"key", GP_ATTR_TEXT, true, NULL},
    {"value", GP_ATTR_TEXT, true, NULL},
    {NULL, 0, false, NULL},
};

static const char entry_synopsis[] = N_("write <entry key=\"...\" value=\"...\"/> inside a <map>");

static gp_status parse_entry(gp_builder *b, gp_value_map *map, xmlNodePtr node, gp_error **err)
{
    gp_attrs a;
    if (map->count >= GP_MAP_MAX_ENTRIES)
        return gp_error_set(err, GP_E_INVALID, b->file, line_of(node),
                            _("map %s has more than %d entries; a map holds a few fixed texts, not data"), map->name,
                            GP_MAP_MAX_ENTRIES);
    gp_status st = gp_attrs_read(node, entry_attrs, _(entry_synopsis), b->file, &a, err);
    if (st == GP_OK) {
        const char *key = gp_attrs_get(&a, "key")->raw;
        for (size_t i = 0; i < map->count && st == GP_OK; i++) {
            if (strcmp(map->entries[i].key, key) == 0) {
                gp_clip clip;
                st = gp_error_set(err, GP_E_INVALID, b->file, line_of(node),
                                  _("<entry key=\"%s\"> repeats the key of line %ld in map %s; keep one of them"),
                                  gp_clip_text(&clip, key), map->entries[i].line, map->name);
            }
        }
    }
    if (st == GP_OK) {
        gp_map_entry *entries = realloc(map->entries, (map->count + 1) * sizeof *entries);
        if (entries == NULL) {
            st = gp_error_nomem(err);
        } else {
            map->entries = entries;
            gp_map_entry *e = &map->entries[map->count++];
            e->key = strdup(gp_attrs_get(&a, "key")->raw);
            e->value = strdup(gp_attrs_get(&a, "value")->raw);
            e->line = line_of(node);
            if (e->key == NULL || e->value == NULL)
                st = gp_error_nomem(err);
        }
    }
    gp_attrs_free(&a);
    return st;
}

static gp_status parse_map(gp_builder *b, xmlNodePtr node, const gp_attrs *a, gp_error **err)
{
    gp_template *tpl = b->tpl;
    const char *name = gp_attrs_get(a, "name")->raw;
    for (size_t i = 0; i < tpl->nmaps; i++) {
        if (strcmp(tpl->maps[i].name, name) == 0) {
            gp_clip clip;
            return gp_error_set(err, GP_E_INVALID, b->file, line_of(node),
                                _("<map name=\"%s\"> repeats the name of the map on line %ld; give each map its "
                                  "own name"),
                                gp_clip_text(&clip, name), tpl->maps[i].line);
        }
    }
    if (tpl->nmaps >= GP_TEMPLATE_MAX_MAPS)
        return gp_error_set(err, GP_E_INVALID, b->file, line_of(node), _("more than %d maps; merge some of them"),
                            GP_TEMPLATE_MAX_MAPS);
    if (tpl->nmaps == b->map_cap) {
        size_t cap = b->map_cap ? b->map_cap * 2 : 4;
        gp_value_map *maps = realloc(tpl->maps, cap * sizeof *maps);
        if (maps == NULL)
            return gp_error_nomem(err);
        tpl->maps = maps;
        b->map_cap = cap;
    }
    gp_value_map *map = &tpl->maps[tpl->nmaps++];
    memset(map, 0, sizeof *map);
    map->line = line_of(node);
    map->name = strdup(name);
    if (map->name == NULL)
        return gp_error_nomem(err);
    gp_status st = GP_OK;
    for (xmlNodePtr c = node->children; c != NULL && st == GP_OK; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (strcmp((const char *)c->name, "entry") != 0)
            st = gp_error_set(err, GP_E_INVALID, b->file, line_of(c), _("<%s> inside a <map>; %s"),
                              (const char *)c->name, _(entry_synopsis));
        else
            st = parse_entry(b, map, c, err);
    }
    if (st == GP_OK && map->count == 0)
        st = gp_error_set(err, GP_E_INVALID, b->file, line_of(node), _("<map name=\"%s\"> has no entries; %s"),
                          map->name, _(entry_synopsis));
    return st;
}

static gp_status parse_cut_guides(gp_builder *b, xmlNodePtr node, const gp_attrs *a, gp_error **err)
{
    gp_element *el;
    gp_status added = gp_builder_add(b, GP_EL_CUT_GUIDES, node, &el, err);
    if (added != GP_OK)
        return added;
    read_color(a, el->color);
    gp_status st = number_in(b, node, a, "length", 0, true, 20, &el->guide_length_mm, err);
    if (st == GP_OK)
        st = number_in(b, node, a, "line-width", 0, true, 2, &el->line_width_mm, err);
    return st;
}

static gp_status parse_photo(gp_builder *b, xmlNodePtr node, const gp_attrs *a, gp_error **err)
{
    gp_element *el;
    gp_status added = gp_builder_add(b, GP_EL_PHOTO, node, &el, err);
    if (added != GP_OK)
        return added;
    const gp_attr_value *size = gp_attrs_get(a, "size");
    if (size->present && (el->size_name = strdup(size->raw)) == NULL)
        return gp_error_nomem(err);
    return read_box(b, node, a, &el->box, err);
}

static gp_status parse_text(gp_builder *b, xmlNodePtr node, const gp_attrs *a, gp_error **err)
{
    gp_element *el;
    gp_status added = gp_builder_add(b, GP_EL_TEXT, node, &el, err);
    if (added != GP_OK)
        return added;
    gp_text_style *style = &el->style;
    style->family = strdup(families[gp_attrs_get(a, "font")->choice]);
    if (style->family == NULL)
        return gp_error_nomem(err);
    const gp_attr_value *align = gp_attrs_get(a, "align");
    style->align = align->present ? aligns[align->choice] : GP_ALIGN_LEFT;
    style->bold = gp_attrs_get(a, "bold")->flag;
    read_color(a, style->color);
    gp_status st = read_box(b, node, a, &el->box, err);
    if (st == GP_OK)
        st = number_in(b, node, a, "size", 0, true, 400, &style->size_pt, err);
    style->min_size_pt = style->size_pt;
    if (st == GP_OK && gp_attrs_get(a, "min-size")->present)
        st = number_in(b, node, a, "min-size", 0, true, style->size_pt, &style->min_size_pt, err);
    if (st == GP_OK && gp_attrs_get(a, "letter-spacing")->present)
        st = number_in(b, node, a, "letter-spacing", 0, false, 100, &style->letter_spacing_pt, err);
    if (st == GP_OK)
        st = read_pattern(b, node, &el->content, err);
    return st;
}

static gp_status parse_qrcode(gp_builder *b, xmlNodePtr node, const gp_attrs *a, gp_error **err)
{
    gp_element *el;
    gp_status added = gp_builder_add(b, GP_EL_QRCODE, node, &el, err);
    if (added != GP_OK)
        return added;
    const gp_attr_value *level = gp_attrs_get(a, "level");
    el->qr_level = level->present ? "LMQH"[level->choice] : 'M';
    bool size = gp_attrs_get(a, "size")->present;
    bool width = gp_attrs_get(a, "width")->present, height = gp_attrs_get(a, "height")->present;
    if (size == (width || height) || width != height)
        return gp_error_set(err, GP_E_INVALID, b->file, line_of(node), "%s",
                            _("<qrcode> needs either size (a QR code is square) or both width and height; "
                              "write size=\"14\" for a 14 mm code"));
    gp_status st = number_in(b, node, a, "x", 0, false, 1e6, &el->box.x, err);
    if (st == GP_OK)
        st = number_in(b, node, a, "y", 0, false, 1e6, &el->box.y, err);
    if (st == GP_OK && size) {
        st = number_in(b, node, a, "size", 0, true, 1e6, &el->box.w, err);
        el->box.h = el->box.w;
    } else if (st == GP_OK) {
        st = number_in(b, node, a, "width", 0, true, 1e6, &el->box.w, err);
        if (st == GP_OK)
            st = number_in(b, node, a, "height", 0, true, 1e6, &el->box.h, err);
    }
    if (st == GP_OK)
        st = read_pattern(b, node, &el->content, err);
    return st;
}

static gp_status parse_line(gp_builder *b, xmlNodePtr node, const gp_attrs *a, gp_error **err)
{
    gp_element *el;
    gp_status added = gp_builder_add(b, GP_EL_LINE, node, &el, err);
    if (added != GP_OK)
        return added;
    read_color(a, el->color);
    double x1 = 0, y1 = 0, x2 = 0, y2 = 0;
    gp_status st = number_in(b, node, a, "x1", 0, false, 1e6, &x1, err);
    if (st == GP_OK)
        st = number_in(b, node, a, "y1", 0, false, 1e6, &y1, err);
    if (st == GP_OK)
        st = number_in(b, node, a, "x2", 0, false, 1e6, &x2, err);
    if (st == GP_OK)
        st = number_in(b, node, a, "y2", 0, false, 1e6, &y2, err);
    if (st == GP_OK)
        st = number_in(b, node, a, "width", 0, true, 10, &el->line_width_mm, err);
    el->box = (gp_box){x1, y1, x2 - x1, y2 - y1};
    return st;
}

/* ---- the table ------------------------------------------------------ */

#define BOX_ATTRS                                                                                            \
    {"x", GP_ATTR_MM, true, NULL}, {"y", GP_ATTR_MM, true, NULL}, {"width", GP_ATTR_MM, true, NULL},       \
        {"height", GP_ATTR_MM, true, NULL}
#define END_ATTRS {NULL, 0, false, NULL}

static const gp_attr_spec template_attrs[] = {
    {"name", GP_ATTR_TEXT, true, NULL}, {"kind", GP_ATTR_CHOICE, true, "photo-sheet|certificate"}, END_ATTRS};
static const gp_attr_spec no_attrs[] = {END_ATTRS};
static const gp_attr_spec page_attrs[] = {
    {"width", GP_ATTR_MM, true, NULL}, {"height", GP_ATTR_MM, true, NULL}, {"dpi", GP_ATTR_INT, false, NULL},
    END_ATTRS};
static const gp_attr_spec map_attrs[] = {{"name", GP_ATTR_TEXT, true, NULL}, END_ATTRS};
static const gp_attr_spec cut_guides_attrs[] = {
    {"length", GP_ATTR_MM, true, NULL}, {"line-width", GP_ATTR_MM, true, NULL},
    {"color", GP_ATTR_COLOR, false, NULL}, END_ATTRS};
static const gp_attr_spec photo_attrs[] = {BOX_ATTRS, {"size", GP_ATTR_TEXT, false, NULL}, END_ATTRS};
static const gp_attr_spec text_attrs[] = {
    BOX_ATTRS,
    {"font", GP_ATTR_CHOICE, true, "song|sans|kai"},
    {"size", GP_ATTR_PT, true, NULL},
    {"min-size", GP_ATTR_PT, false, NULL},
    {"bold", GP_ATTR_BOOL, false, NULL},
    {"align", GP_ATTR_CHOICE, false, "left|center|right"},
    {"letter-spacing", GP_ATTR_PT, false, NULL},
    {"color", GP_ATTR_COLOR, false, NULL},
    END_ATTRS};
static const gp_attr_spec qrcode_attrs[] = {
    {"x", GP_ATTR_MM, true, NULL},      {"y", GP_ATTR_MM, true, NULL},
    {"size", GP_ATTR_MM, false, NULL},  {"width", GP_ATTR_MM, false, NULL},
    {"height", GP_ATTR_MM, false, NULL}, {"level", GP_ATTR_CHOICE, false, "L|M|Q|H"},
    END_ATTRS};
static const gp_attr_spec line_attrs[] = {
    {"x1", GP_ATTR_MM, true, NULL},    {"y1", GP_ATTR_MM, true, NULL},       {"x2", GP_ATTR_MM, true, NULL},
    {"y2", GP_ATTR_MM, true, NULL},    {"width", GP_ATTR_MM, true, NULL}, {"color", GP_ATTR_COLOR, false, NULL},
    END_ATTRS};

static const gp_element_spec elements[] = {
    {"template", template_attrs,
     N_("a template is <template name=\"...\" kind=\"photo-sheet|certificate\"> holding, in this order: "
        "<description> (optional), <page>, <school> (optional), <map>s, <cut-guides> (optional), then <photo>, "
        "<text>, <qrcode> and <line> elements"),
     parse_template},
    {"description", no_attrs,
     N_("<description> holds plain text about the template and comes first, before <page>"), parse_description},
    {"page", page_attrs,
     N_("every template needs one <page width=\"...\" height=\"...\" dpi=\"300\"/> in millimetres (dpi is "
        "optional), after <description>"),
     parse_page},
    {"school", no_attrs, N_("<school> holds the default school name as text and comes right after <page>"),
     parse_school},
    {"map", map_attrs,
     N_("<map name=\"...\"> holds <entry key=\"...\" value=\"...\"/> elements and comes after <page> and "
        "<school>, before <cut-guides> and the drawing elements"),
     parse_map},
    {"entry", entry_attrs, entry_synopsis, NULL},
    {"cut-guides", cut_guides_attrs,
     N_("<cut-guides length=\"2\" line-width=\"0.15\" color=\"#7f7f7f\"/> (color optional) comes at most once, "
        "after the <map>s and before the drawing elements"),
     parse_cut_guides},
    {"photo", photo_attrs,
     N_("<photo x=\"...\" y=\"...\" width=\"...\" height=\"...\" size=\"two-inch\"/> takes millimetres (size is "
        "an optional name) and comes after <page>, <school>, <map>s and <cut-guides>"),
     parse_photo},
    {"text", text_attrs,
     N_("<text x=\"...\" y=\"...\" width=\"...\" height=\"...\" font=\"song|sans|kai\" size=\"12\">pattern</text> "
        "takes millimetres and points; min-size, bold, align (left|center|right), letter-spacing and color are "
        "optional"),
     parse_text},
    {"qrcode", qrcode_attrs,
     N_("<qrcode x=\"...\" y=\"...\" size=\"14\" level=\"M\">pattern</qrcode> takes millimetres; level (L|M|Q|H) "
        "is optional"),
     parse_qrcode},
    {"line", line_attrs,
     N_("<line x1=\"...\" y1=\"...\" x2=\"...\" y2=\"...\" width=\"0.2\" color=\"#000000\"/> takes millimetres; "
        "color is optional"),
     parse_line},
};

const gp_element_spec *gp_element_spec_find(const char *name)
{
    for (size_t i = 0; i < sizeof elements / sizeof elements[0]; i++)
        if (strcmp(elements[i].name, name) == 0)
            return &elements[i];
    return NULL;
}
