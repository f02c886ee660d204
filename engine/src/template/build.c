/* What the parse functions of all elements share: reading numbers, boxes,
 * colours, text styles, ids and patterns from attributes and content. */
#include "build-private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/error-private.h"
#include "../base/i18n-private.h"
#include "../roster/roster-private.h"
#include "base/clip-private.h"
#include "nearest-private.h"
#include "base/utf8-private.h"

static const char *const families[] = {"song", "sans", "kai"};

/* Longer ids would not fit beside a crosshair on the calibration page. */
#define ID_MAX_BYTES 64

static bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

char *gp_build_node_text(xmlNodePtr node)
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

/* ---- paragraph text ------------------------------------------------- */

/* What stands on one side of a run of blanks: a character (its code
 * point), a field (never wide), or nothing / a malformed byte (-1). */
#define SIDE_FIELD (-2)

static bool opens_field(const char *s) { return s[0] == '{' && s[1] != '{'; }

static long side_at(const char *s)
{
    if (opens_field(s))
        return SIDE_FIELD;
    const char *p = s;
    return gp_utf8_next(&p);
}

/* Copies the field starting at s[0] == '{' up to its '}' into out, blank
 * runs inside it shrunk to one space (so "{birth_date\n  |cn-date}" reads
 * as written); returns the bytes consumed, 0 when the field is never
 * closed (the pattern parser reports that). */
static size_t copy_field(const char *s, char *out, size_t *len)
{
    size_t n = 1 + strcspn(s + 1, "{}");
    if (s[n] != '}')
        return 0;
    for (size_t i = 0; i <= n; i++) {
        if (is_blank(s[i])) {
            out[(*len)++] = ' ';
            while (i + 1 <= n && is_blank(s[i + 1]))
                i++;
        } else {
            out[(*len)++] = s[i];
        }
    }
    return n + 1;
}

char *gp_build_paragraph_text(const char *s)
{
    size_t n = strlen(s);
    char *out = malloc(n + 1);
    if (out == NULL)
        return NULL;
    size_t len = 0, i = 0;
    long left = -1;
    while (i < n && is_blank(s[i]))
        i++;
    while (i < n) {
        if (is_blank(s[i])) {
            size_t run = i;
            bool wraps = false;
            while (run < n && is_blank(s[run])) {
                wraps = wraps || s[run] != ' ';
                run++;
            }
            if (run == n)
                break;
            long right = side_at(s + run);
            if (!(wraps && (gp_utf8_is_wide(left) || gp_utf8_is_wide(right))))
                out[len++] = ' ';
            i = run;
            continue;
        }
        if ((s[i] == '{' && s[i + 1] == '{') || (s[i] == '}' && s[i + 1] == '}')) {
            out[len++] = s[i];
            out[len++] = s[i];
            left = s[i];
            i += 2;
            continue;
        }
        size_t used = s[i] == '{' ? copy_field(s + i, out, &len) : 0;
        if (used > 0) {
            left = SIDE_FIELD;
            i += used;
            continue;
        }
        const char *p = s + i;
        left = gp_utf8_next(&p);
        size_t step = left < 0 ? 1 : (size_t)(p - (s + i));
        memcpy(out + len, s + i, step);
        len += step;
        i += step;
    }
    out[len] = '\0';
    return out;
}

/* ---- attributes ----------------------------------------------------- */

gp_status gp_build_bad_value(gp_builder *b, xmlNodePtr node, const char *name, const gp_attr_value *v,
                             const char *why, gp_error **err)
{
    gp_clip clip;
    return gp_error_set(err, GP_E_INVALID, b->file, xmlGetLineNo(node), "<%s %s=\"%s\">: %s",
                        (const char *)node->name, name, gp_clip_text(&clip, v->raw), why);
}

gp_status gp_build_number(gp_builder *b, xmlNodePtr node, const gp_attrs *a, const char *name, double min,
                          bool min_open, double max, double *out, gp_error **err)
{
    const gp_attr_value *v = gp_attrs_get(a, name);
    double x = v->number;
    if (min == 0 && !min_open && x < 0)
        return gp_build_bad_value(
            b, node, name, v, _("may not be negative; positions are measured from the page's top-left corner"),
            err);
    if (min == 0 && min_open && x <= 0)
        return gp_build_bad_value(b, node, name, v, _("must be more than 0; write a positive number"), err);
    if (x < min || (min_open && x <= min) || x > max) {
        char range[96];
        snprintf(range, sizeof range, _("must be between %g and %g; write a value in that range"), min, max);
        return gp_build_bad_value(b, node, name, v, range, err);
    }
    *out = x;
    return GP_OK;
}

gp_status gp_build_box(gp_builder *b, xmlNodePtr node, const gp_attrs *a, gp_box *box, gp_error **err)
{
    gp_status st = gp_build_number(b, node, a, "x", 0, false, 1e6, &box->x, err);
    if (st == GP_OK)
        st = gp_build_number(b, node, a, "y", 0, false, 1e6, &box->y, err);
    if (st == GP_OK)
        st = gp_build_number(b, node, a, "width", 0, true, 1e6, &box->w, err);
    if (st == GP_OK)
        st = gp_build_number(b, node, a, "height", 0, true, 1e6, &box->h, err);
    return st;
}

void gp_build_color(const gp_attrs *a, double rgb[3])
{
    const gp_attr_value *v = gp_attrs_get(a, "color");
    for (int k = 0; k < 3; k++)
        rgb[k] = v->present ? v->rgb[k] : 0;
}

gp_status gp_build_text_style(gp_builder *b, xmlNodePtr node, const gp_attrs *a, gp_text_style *style,
                              gp_error **err)
{
    style->family = strdup(families[gp_attrs_get(a, "font")->choice]);
    if (style->family == NULL)
        return gp_error_nomem(err);
    style->bold = gp_attrs_get(a, "bold")->flag;
    gp_build_color(a, style->color);
    gp_status st = gp_build_number(b, node, a, "size", 0, true, 400, &style->size_pt, err);
    style->min_size_pt = style->size_pt;
    if (st == GP_OK && gp_attrs_get(a, "min-size")->present)
        st = gp_build_number(b, node, a, "min-size", 0, true, style->size_pt, &style->min_size_pt, err);
    return st;
}

gp_status gp_build_id(gp_builder *b, xmlNodePtr node, const gp_attrs *a, char **out, gp_error **err)
{
    const gp_attr_value *v = gp_attrs_get(a, "id");
    *out = NULL;
    if (!v->present)
        return GP_OK;
    size_t n = strlen(v->raw);
    if (n == 0 || n > ID_MAX_BYTES || strpbrk(v->raw, " \t\r\n") != NULL) {
        char why[160];
        snprintf(why, sizeof why,
                 _("an id is a short name without blanks (at most %d bytes), such as name or photo"),
                 ID_MAX_BYTES);
        return gp_build_bad_value(b, node, "id", v, why, err);
    }
    *out = strdup(v->raw);
    return *out != NULL ? GP_OK : gp_error_nomem(err);
}

/* ---- patterns ------------------------------------------------------- */

static gp_status unknown_field(gp_builder *b, xmlNodePtr node, const char *field, gp_error **err)
{
    gp_strbuf known;
    gp_strbuf_init(&known);
    gp_strbuf_append(&known, GP_FIELD_SCHOOL);
    for (int k = 0; k < GP_KEY_COUNT; k++) {
        gp_strbuf_append(&known, ", ");
        gp_strbuf_append(&known, gp_key_name((gp_key)k));
    }
    gp_nearest near;
    gp_nearest_init(&near, field);
    gp_nearest_offer(&near, GP_FIELD_SCHOOL);
    for (int k = 0; k < GP_KEY_COUNT; k++)
        gp_nearest_offer(&near, gp_key_name((gp_key)k));
    gp_clip clip;
    const char *list = gp_strbuf_failed(&known) ? "" : known.data;
    gp_status st = gp_nearest_result(&near) != NULL
                       ? gp_error_set(err, GP_E_INVALID, b->file, xmlGetLineNo(node),
                                      _("<%s>: unknown field {%s} (did you mean {%s}?); the fields are %s"),
                                      (const char *)node->name, gp_clip_text(&clip, field), gp_nearest_result(&near),
                                      list)
                       : gp_error_set(err, GP_E_INVALID, b->file, xmlGetLineNo(node),
                                      _("<%s>: unknown field {%s}; use one of %s"), (const char *)node->name,
                                      gp_clip_text(&clip, field), list);
    gp_strbuf_free(&known);
    return st;
}

gp_status gp_build_pattern(gp_builder *b, xmlNodePtr node, const char *src, gp_pattern **out, gp_error **err)
{
    gp_status st = GP_OK;
    if (src[0] == '\0')
        st = gp_error_set(err, GP_E_INVALID, b->file, xmlGetLineNo(node),
                          _("<%s> is empty; write its content, such as {student_no}, or remove the element"),
                          (const char *)node->name);
    else
        st = gp_pattern_parse_maps(src, b->tpl->maps, b->tpl->nmaps, b->file, xmlGetLineNo(node), out, err);
    for (size_t i = 0; st == GP_OK && i < gp_pattern_field_count(*out); i++) {
        const char *field = gp_pattern_field(*out, i);
        gp_key key;
        if (strcmp(field, GP_FIELD_SCHOOL) != 0 && !gp_key_from_name(field, &key))
            st = unknown_field(b, node, field, err);
    }
    return st;
}
