/* The elements certificates add: flowing paragraphs, fixed images, the
 * blank as a background, and the field checks (<validate>) that run in
 * certificate preflight. */
#include "build-private.h"
#include "nearest-private.h"

#include <stdlib.h>
#include <string.h>

#include "../base/array-private.h"
#include "../base/error-private.h"
#include "../base/i18n-private.h"
#include "../roster/roster-private.h"
#include "base/clip-private.h"

#define DEFAULT_UNDERLINE_MM 0.2

gp_status gp_parse_paragraph(gp_builder *b, xmlNodePtr node, const gp_attrs *a, gp_error **err)
{
    gp_element *el;
    gp_status st = gp_builder_add(b, GP_EL_PARAGRAPH, node, &el, err);
    if (st != GP_OK)
        return st;
    gp_paragraph_style *para = &el->para;
    el->style.align = GP_ALIGN_LEFT;
    const gp_attr_value *justify = gp_attrs_get(a, "justify");
    para->justify = justify->present ? justify->flag : true;
    para->underline_fields = gp_attrs_get(a, "underline-fields")->flag;
    para->underline_width_mm = DEFAULT_UNDERLINE_MM;
    st = gp_build_box(b, node, a, &el->box, err);
    if (st == GP_OK)
        st = gp_build_text_style(b, node, a, &el->style, err);
    if (st == GP_OK)
        st = gp_build_number(b, node, a, "line-height", 0, true, 1000, &para->line_height_mm, err);
    if (st == GP_OK && gp_attrs_get(a, "indent")->present)
        st = gp_build_number(b, node, a, "indent", 0, false, el->box.w / 2, &para->first_indent_mm, err);
    if (st == GP_OK && gp_attrs_get(a, "underline-width")->present)
        st = gp_build_number(b, node, a, "underline-width", 0, true, 5, &para->underline_width_mm, err);
    if (st == GP_OK)
        st = gp_build_id(b, node, a, &el->id, err);
    if (st != GP_OK)
        return st;
    xmlChar *raw = xmlNodeGetContent(node);
    char *text = gp_build_paragraph_text(raw != NULL ? (const char *)raw : "");
    if (raw != NULL)
        xmlFree(raw);
    if (text == NULL)
        return gp_error_nomem(err);
    st = gp_build_pattern(b, node, text, &el->content, err);
    free(text);
    return st;
}

gp_status gp_parse_image(gp_builder *b, xmlNodePtr node, const gp_attrs *a, gp_error **err)
{
    gp_element *el;
    gp_status st = gp_builder_add(b, GP_EL_IMAGE, node, &el, err);
    if (st == GP_OK)
        st = gp_build_box(b, node, a, &el->box, err);
    if (st == GP_OK)
        st = gp_build_id(b, node, a, &el->id, err);
    if (st == GP_OK)
        st = gp_build_source(b, node, a, el, err);
    return st;
}

/* The schema puts <background> after <page>, so the page size is known. */
gp_status gp_parse_background(gp_builder *b, xmlNodePtr node, const gp_attrs *a, gp_error **err)
{
    gp_element *el;
    gp_status st = gp_builder_add(b, GP_EL_BACKGROUND, node, &el, err);
    if (st != GP_OK)
        return st;
    el->box = (gp_box){0, 0, b->tpl->page_w_mm, b->tpl->page_h_mm};
    return gp_build_source(b, node, a, el, err);
}

/* ---- <validate> ----------------------------------------------------- */

static gp_status unknown_key(gp_builder *b, xmlNodePtr node, const char *field, gp_error **err)
{
    gp_strbuf known;
    gp_strbuf_init(&known);
    for (int k = 0; k < GP_KEY_COUNT; k++) {
        if (k > 0)
            gp_strbuf_append(&known, ", ");
        gp_strbuf_append(&known, gp_key_name((gp_key)k));
    }
    gp_nearest near;
    gp_nearest_init(&near, field);
    for (int k = 0; k < GP_KEY_COUNT; k++)
        gp_nearest_offer(&near, gp_key_name((gp_key)k));
    gp_clip clip;
    const char *list = gp_strbuf_failed(&known) ? "" : known.data;
    gp_status st = gp_nearest_result(&near) != NULL
                       ? gp_error_set(err, GP_E_INVALID, b->file, xmlGetLineNo(node),
                                      _("<validate field=\"%s\">: not a roster field (did you mean %s?); the fields "
                                        "are %s"),
                                      gp_clip_text(&clip, field), gp_nearest_result(&near), list)
                       : gp_error_set(err, GP_E_INVALID, b->file, xmlGetLineNo(node),
                                      _("<validate field=\"%s\">: not a roster field; use one of %s"),
                                      gp_clip_text(&clip, field), list);
    gp_strbuf_free(&known);
    return st;
}

static gp_validator *add_validator(gp_builder *b)
{
    gp_template *tpl = b->tpl;
    if (!GP_ARRAY_ROOM(tpl->validators, tpl->nvalidators, b->validator_cap))
        return NULL;
    gp_validator *v = &tpl->validators[tpl->nvalidators++];
    memset(v, 0, sizeof *v);
    return v;
}

static gp_status read_length(gp_builder *b, xmlNodePtr node, const gp_attrs *a, const char *name, int *out,
                             gp_error **err)
{
    const gp_attr_value *v = gp_attrs_get(a, name);
    if (!v->present)
        return GP_OK;
    /* Longer than any roster cell the engine accepts. */
    if (v->integer > 10000)
        return gp_build_bad_value(b, node, name, v, _("must be at most 10000 characters"), err);
    *out = (int)v->integer;
    return GP_OK;
}

gp_status gp_parse_validate(gp_builder *b, xmlNodePtr node, const gp_attrs *a, gp_error **err)
{
    gp_template *tpl = b->tpl;
    const char *field = gp_attrs_get(a, "field")->raw;
    gp_key key;
    if (!gp_key_from_name(field, &key))
        return unknown_key(b, node, field, err);
    /* One per field: the certs job reports a record's problems field by field. */
    for (size_t i = 0; i < tpl->nvalidators; i++)
        if (strcmp(tpl->validators[i].field, field) == 0)
            return gp_error_set(err, GP_E_INVALID, b->file, xmlGetLineNo(node),
                                _("<validate field=\"%s\"> repeats the one on line %ld; merge them into one "
                                  "<validate>"),
                                field, tpl->validators[i].line);
    gp_validator *v = add_validator(b);
    if (v == NULL)
        return gp_error_nomem(err);
    v->line = xmlGetLineNo(node);
    v->field = strdup(field);
    if (v->field == NULL)
        return gp_error_nomem(err);
    v->required = gp_attrs_get(a, "required")->flag;
    v->unique = gp_attrs_get(a, "unique")->flag;
    gp_status st = read_length(b, node, a, "min-length", &v->min_chars, err);
    if (st == GP_OK)
        st = read_length(b, node, a, "max-length", &v->max_chars, err);
    if (st == GP_OK && v->max_chars > 0 && v->min_chars > v->max_chars)
        return gp_build_bad_value(b, node, "max-length", gp_attrs_get(a, "max-length"),
                                  _("is less than min-length; make max-length at least min-length"), err);
    const gp_attr_value *message = gp_attrs_get(a, "message");
    if (st == GP_OK && message->present && message->raw[0] != '\0' && (v->message = strdup(message->raw)) == NULL)
        return gp_error_nomem(err);
    const gp_attr_value *pattern = gp_attrs_get(a, "pattern");
    if (st == GP_OK && pattern->present) {
        if ((v->pattern = strdup(pattern->raw)) == NULL)
            return gp_error_nomem(err);
        st = gp_validator_compile(v, b->file, err);
    }
    const gp_attr_value *scheme = gp_attrs_get(a, "scheme");
    if (st == GP_OK && scheme->present) {
        v->scheme = strcmp(scheme->raw, "cn-diploma") == 0 ? GP_SCHEME_CN_DIPLOMA : GP_SCHEME_CN_DEGREE;
        v->unique = true; /* a number that identifies a certificate is never shared */
    }
    const gp_attr_value *code = gp_attrs_get(a, "school-code");
    if (st == GP_OK && code->present) {
        bool five = strlen(code->raw) == 5 && strspn(code->raw, "0123456789") == 5;
        if (!five)
            return gp_build_bad_value(b, node, "school-code", code,
                                      _("is not a 5-digit school code (学校代码, e.g. 10642); write the code the "
                                        "Ministry of Education gave the school"),
                                      err);
        if (!scheme->present)
            return gp_build_bad_value(b, node, "school-code", code,
                                      _("needs scheme=\"cn-diploma\" or scheme=\"cn-degree\", which say where the "
                                        "code stands in the number"),
                                      err);
        memcpy(v->school_code, code->raw, 6);
    }
    if (st == GP_OK && !v->required && !v->unique && v->pattern == NULL && v->min_chars == 0 && v->max_chars == 0)
        st = gp_error_set(err, GP_E_INVALID, b->file, v->line,
                          _("<validate field=\"%s\"> checks nothing; add required=\"true\", pattern, min-length, "
                            "max-length or unique=\"true\", or remove it"),
                          field);
    return st;
}
