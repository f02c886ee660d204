#include "build-private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/array-private.h"
#include "../base/error-private.h"
#include "../base/i18n-private.h"
#include "../roster/roster-private.h"
#include "base/clip-private.h"

static const gp_align aligns[] = {GP_ALIGN_LEFT, GP_ALIGN_CENTER, GP_ALIGN_RIGHT};

gp_status gp_builder_add(gp_builder *b, gp_element_kind kind, xmlNodePtr node, gp_element **out, gp_error **err)
{
    gp_template *tpl = b->tpl;
    *out = NULL;
    if (tpl->count >= GP_TEMPLATE_MAX_ELEMENTS)
        return gp_error_set(err, GP_E_INVALID, b->file, xmlGetLineNo(node),
                            _("more than %d elements; a template this large is a mistake, split it up"),
                            GP_TEMPLATE_MAX_ELEMENTS);
    if (!GP_ARRAY_ROOM(tpl->elements, tpl->count, b->element_cap))
        return gp_error_nomem(err);
    gp_element *el = &tpl->elements[tpl->count++];
    memset(el, 0, sizeof *el);
    el->kind = kind;
    el->line = xmlGetLineNo(node);
    *out = el;
    return GP_OK;
}

/* ---- the elements --------------------------------------------------- */

/* The element's content as a pattern whose fields all exist. */
static gp_status read_content(gp_builder *b, xmlNodePtr node, gp_pattern **out, gp_error **err)
{
    char *src = gp_build_node_text(node);
    if (src == NULL)
        return gp_error_nomem(err);
    gp_status st = gp_build_pattern(b, node, src, out, err);
    free(src);
    return st;
}

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
    b->tpl->description = gp_build_node_text(node);
    return b->tpl->description != NULL ? GP_OK : gp_error_nomem(err);
}

static gp_status parse_page(gp_builder *b, xmlNodePtr node, const gp_attrs *a, gp_error **err)
{
    gp_template *tpl = b->tpl;
    gp_status st = gp_build_number(b, node, a, "width", 0, true, 2000, &tpl->page_w_mm, err);
    if (st == GP_OK)
        st = gp_build_number(b, node, a, "height", 0, true, 2000, &tpl->page_h_mm, err);
    const gp_attr_value *dpi = gp_attrs_get(a, "dpi");
    tpl->dpi = 300;
    if (st == GP_OK && dpi->present) {
        if (dpi->integer < 72 || dpi->integer > 2400)
            return gp_build_bad_value(b, node, "dpi", dpi, _("must be between 72 and 2400; 300 suits photo labs"), err);
        tpl->dpi = (int)dpi->integer;
    }
    return st;
}

static gp_status parse_school(gp_builder *b, xmlNodePtr node, const gp_attrs *a, gp_error **err)
{
    (void)a;
    free(b->tpl->school);
    b->tpl->school = gp_build_node_text(node);
    if (b->tpl->school == NULL)
        return gp_error_nomem(err);
    if (b->tpl->school[0] == '\0')
        return gp_error_set(err, GP_E_INVALID, b->file, xmlGetLineNo(node), "%s",
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
        return gp_error_set(err, GP_E_INVALID, b->file, xmlGetLineNo(node),
                            _("map %s has more than %d entries; a map holds a few fixed texts, not data"), map->name,
                            GP_MAP_MAX_ENTRIES);
    gp_status st = gp_attrs_read(node, entry_attrs, _(entry_synopsis), b->file, &a, err);
    if (st == GP_OK) {
        const char *key = gp_attrs_get(&a, "key")->raw;
        for (size_t i = 0; i < map->count && st == GP_OK; i++) {
            if (strcmp(map->entries[i].key, key) == 0) {
                gp_clip clip;
                st = gp_error_set(err, GP_E_INVALID, b->file, xmlGetLineNo(node),
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
            e->line = xmlGetLineNo(node);
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
            return gp_error_set(err, GP_E_INVALID, b->file, xmlGetLineNo(node),
                                _("<map name=\"%s\"> repeats the name of the map on line %ld; give each map its "
                                  "own name"),
                                gp_clip_text(&clip, name), tpl->maps[i].line);
        }
    }
    if (tpl->nmaps >= GP_TEMPLATE_MAX_MAPS)
        return gp_error_set(err, GP_E_INVALID, b->file, xmlGetLineNo(node), _("more than %d maps; merge some of them"),
                            GP_TEMPLATE_MAX_MAPS);
    if (!GP_ARRAY_ROOM(tpl->maps, tpl->nmaps, b->map_cap))
        return gp_error_nomem(err);
    gp_value_map *map = &tpl->maps[tpl->nmaps++];
    memset(map, 0, sizeof *map);
    map->line = xmlGetLineNo(node);
    map->name = strdup(name);
    if (map->name == NULL)
        return gp_error_nomem(err);
    gp_status st = GP_OK;
    for (xmlNodePtr c = node->children; c != NULL && st == GP_OK; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (strcmp((const char *)c->name, "entry") != 0)
            st = gp_error_set(err, GP_E_INVALID, b->file, xmlGetLineNo(c), _("<%s> inside a <map>; %s"),
                              (const char *)c->name, _(entry_synopsis));
        else
            st = parse_entry(b, map, c, err);
    }
    if (st == GP_OK && map->count == 0)
        st = gp_error_set(err, GP_E_INVALID, b->file, xmlGetLineNo(node), _("<map name=\"%s\"> has no entries; %s"),
                          map->name, _(entry_synopsis));
    return st;
}

static gp_status parse_cut_guides(gp_builder *b, xmlNodePtr node, const gp_attrs *a, gp_error **err)
{
    gp_element *el;
    gp_status added = gp_builder_add(b, GP_EL_CUT_GUIDES, node, &el, err);
    if (added != GP_OK)
        return added;
    gp_build_color(a, el->color);
    gp_status st = gp_build_number(b, node, a, "length", 0, true, 20, &el->guide_length_mm, err);
    if (st == GP_OK)
        st = gp_build_number(b, node, a, "line-width", 0, true, 2, &el->line_width_mm, err);
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
    gp_status st = gp_build_box(b, node, a, &el->box, err);
    if (st == GP_OK)
        st = gp_build_id(b, node, a, &el->id, err);
    return st;
}

static gp_status parse_text(gp_builder *b, xmlNodePtr node, const gp_attrs *a, gp_error **err)
{
    gp_element *el;
    gp_status added = gp_builder_add(b, GP_EL_TEXT, node, &el, err);
    if (added != GP_OK)
        return added;
    gp_text_style *style = &el->style;
    const gp_attr_value *align = gp_attrs_get(a, "align");
    style->align = align->present ? aligns[align->choice] : GP_ALIGN_LEFT;
    gp_status st = gp_build_box(b, node, a, &el->box, err);
    if (st == GP_OK)
        st = gp_build_text_style(b, node, a, style, err);
    if (st == GP_OK && gp_attrs_get(a, "letter-spacing")->present)
        st = gp_build_number(b, node, a, "letter-spacing", 0, false, 100, &style->letter_spacing_pt, err);
    if (st == GP_OK)
        st = gp_build_id(b, node, a, &el->id, err);
    if (st == GP_OK)
        st = read_content(b, node, &el->content, err);
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
        return gp_error_set(err, GP_E_INVALID, b->file, xmlGetLineNo(node), "%s",
                            _("<qrcode> needs either size (a QR code is square) or both width and height; "
                              "write size=\"14\" for a 14 mm code"));
    gp_status st = gp_build_number(b, node, a, "x", 0, false, 1e6, &el->box.x, err);
    if (st == GP_OK)
        st = gp_build_number(b, node, a, "y", 0, false, 1e6, &el->box.y, err);
    if (st == GP_OK && size) {
        st = gp_build_number(b, node, a, "size", 0, true, 1e6, &el->box.w, err);
        el->box.h = el->box.w;
    } else if (st == GP_OK) {
        st = gp_build_number(b, node, a, "width", 0, true, 1e6, &el->box.w, err);
        if (st == GP_OK)
            st = gp_build_number(b, node, a, "height", 0, true, 1e6, &el->box.h, err);
    }
    if (st == GP_OK)
        st = gp_build_id(b, node, a, &el->id, err);
    if (st == GP_OK)
        st = read_content(b, node, &el->content, err);
    return st;
}

static gp_status parse_line(gp_builder *b, xmlNodePtr node, const gp_attrs *a, gp_error **err)
{
    gp_element *el;
    gp_status added = gp_builder_add(b, GP_EL_LINE, node, &el, err);
    if (added != GP_OK)
        return added;
    gp_build_color(a, el->color);
    double x1 = 0, y1 = 0, x2 = 0, y2 = 0;
    gp_status st = gp_build_number(b, node, a, "x1", 0, false, 1e6, &x1, err);
    if (st == GP_OK)
        st = gp_build_number(b, node, a, "y1", 0, false, 1e6, &y1, err);
    if (st == GP_OK)
        st = gp_build_number(b, node, a, "x2", 0, false, 1e6, &x2, err);
    if (st == GP_OK)
        st = gp_build_number(b, node, a, "y2", 0, false, 1e6, &y2, err);
    if (st == GP_OK)
        st = gp_build_number(b, node, a, "width", 0, true, 10, &el->line_width_mm, err);
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
#define ID_ATTR {"id", GP_ATTR_TEXT, false, NULL}

static const gp_attr_spec photo_attrs[] = {BOX_ATTRS, {"size", GP_ATTR_TEXT, false, NULL}, ID_ATTR, END_ATTRS};
static const gp_attr_spec text_attrs[] = {
    BOX_ATTRS,
    {"font", GP_ATTR_CHOICE, true, "song|sans|kai"},
    {"size", GP_ATTR_PT, true, NULL},
    {"min-size", GP_ATTR_PT, false, NULL},
    {"bold", GP_ATTR_BOOL, false, NULL},
    {"align", GP_ATTR_CHOICE, false, "left|center|right"},
    {"letter-spacing", GP_ATTR_PT, false, NULL},
    {"color", GP_ATTR_COLOR, false, NULL},
    ID_ATTR,
    END_ATTRS};
static const gp_attr_spec paragraph_attrs[] = {
    BOX_ATTRS,
    {"font", GP_ATTR_CHOICE, true, "song|sans|kai"},
    {"size", GP_ATTR_PT, true, NULL},
    {"min-size", GP_ATTR_PT, false, NULL},
    {"bold", GP_ATTR_BOOL, false, NULL},
    {"color", GP_ATTR_COLOR, false, NULL},
    {"line-height", GP_ATTR_MM, true, NULL},
    {"indent", GP_ATTR_MM, false, NULL},
    {"justify", GP_ATTR_BOOL, false, NULL},
    {"underline-fields", GP_ATTR_BOOL, false, NULL},
    {"underline-width", GP_ATTR_MM, false, NULL},
    ID_ATTR,
    END_ATTRS};
static const gp_attr_spec qrcode_attrs[] = {
    {"x", GP_ATTR_MM, true, NULL},      {"y", GP_ATTR_MM, true, NULL},
    {"size", GP_ATTR_MM, false, NULL},  {"width", GP_ATTR_MM, false, NULL},
    {"height", GP_ATTR_MM, false, NULL}, {"level", GP_ATTR_CHOICE, false, "L|M|Q|H"},
    ID_ATTR,
    END_ATTRS};
static const gp_attr_spec image_attrs[] = {
    BOX_ATTRS, {"src", GP_ATTR_TEXT, true, NULL}, {"page", GP_ATTR_INT, false, NULL}, ID_ATTR, END_ATTRS};
static const gp_attr_spec background_attrs[] = {
    {"src", GP_ATTR_TEXT, true, NULL}, {"page", GP_ATTR_INT, false, NULL}, END_ATTRS};
static const gp_attr_spec line_attrs[] = {
    {"x1", GP_ATTR_MM, true, NULL},    {"y1", GP_ATTR_MM, true, NULL},       {"x2", GP_ATTR_MM, true, NULL},
    {"y2", GP_ATTR_MM, true, NULL},    {"width", GP_ATTR_MM, true, NULL}, {"color", GP_ATTR_COLOR, false, NULL},
    END_ATTRS};
static const gp_attr_spec validate_attrs[] = {
    {"field", GP_ATTR_TEXT, true, NULL},     {"required", GP_ATTR_BOOL, false, NULL},
    {"pattern", GP_ATTR_TEXT, false, NULL},  {"min-length", GP_ATTR_INT, false, NULL},
    {"max-length", GP_ATTR_INT, false, NULL}, {"unique", GP_ATTR_BOOL, false, NULL},
    {"message", GP_ATTR_TEXT, false, NULL},  {"scheme", GP_ATTR_CHOICE, false, "cn-diploma|cn-degree"},
    {"school-code", GP_ATTR_TEXT, false, NULL}, END_ATTRS};

static const gp_element_spec elements[] = {
    {"template", template_attrs,
     N_("a template is <template name=\"...\" kind=\"photo-sheet|certificate\"> holding, in this order: "
        "<description> (optional), <page>, <school> (optional), <map>s, <validate>s, <background> (optional), "
        "<cut-guides> (optional), then <photo>, <text>, <paragraph>, <qrcode>, <image> and <line> elements"),
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
        "<school>, before <validate>s, <background>, <cut-guides> and the drawing elements"),
     parse_map},
    {"entry", entry_attrs, entry_synopsis, NULL},
    {"validate", validate_attrs,
     N_("<validate field=\"diploma_no\" required=\"true\" pattern=\"[0-9]{18}\" min-length=\"1\" "
        "max-length=\"18\" unique=\"true\" scheme=\"cn-diploma|cn-degree\" school-code=\"10642\" "
        "message=\"...\"/> names a roster field (everything but field is "
        "optional) and comes after the <map>s, before <background> and the drawing elements"),
     gp_parse_validate},
    {"background", background_attrs,
     N_("<background src=\"blanks/diploma-blank.pdf\" page=\"1\"/> (page optional) names the blank as a PDF, "
        "PNG or JPEG file beside the template; it comes at most once, after the <validate>s and before the "
        "drawing elements"),
     gp_parse_background},
    {"cut-guides", cut_guides_attrs,
     N_("<cut-guides length=\"2\" line-width=\"0.15\" color=\"#7f7f7f\"/> (color optional) comes at most once, "
        "after the <map>s and before the drawing elements"),
     parse_cut_guides},
    {"photo", photo_attrs,
     N_("<photo x=\"...\" y=\"...\" width=\"...\" height=\"...\" size=\"two-inch\" id=\"photo\"/> takes "
        "millimetres (size and id are optional names) and comes after <page>, <school>, <map>s and <cut-guides>"),
     parse_photo},
    {"text", text_attrs,
     N_("<text x=\"...\" y=\"...\" width=\"...\" height=\"...\" font=\"song|sans|kai\" size=\"12\">pattern</text> "
        "takes millimetres and points; min-size, bold, align (left|center|right), letter-spacing, color and id "
        "are optional"),
     parse_text},
    {"paragraph", paragraph_attrs,
     N_("<paragraph x=\"...\" y=\"...\" width=\"...\" height=\"...\" font=\"song|sans|kai\" size=\"15\" "
        "line-height=\"9.5\">pattern</paragraph> takes millimetres and points; min-size, bold, color, indent (mm), "
        "justify (default true), underline-fields (default false), underline-width (mm, default 0.2) and id are "
        "optional"),
     gp_parse_paragraph},
    {"qrcode", qrcode_attrs,
     N_("<qrcode x=\"...\" y=\"...\" size=\"14\" level=\"M\">pattern</qrcode> takes millimetres; level (L|M|Q|H) "
        "and id are optional"),
     parse_qrcode},
    {"image", image_attrs,
     N_("<image x=\"...\" y=\"...\" width=\"...\" height=\"...\" src=\"signature.png\"/> takes millimetres and "
        "a PNG, JPEG or PDF file beside the template; page (of a PDF) and id are optional"),
     gp_parse_image},
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
