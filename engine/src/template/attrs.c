#include "attrs-private.h"

#include <stdint.h>
#include <string.h>

#include "base/hex-private.h"
#include "../base/error-private.h"
#include "../base/i18n-private.h"
#include "base/clip-private.h"
#include "nearest-private.h"

/* Nine digits either side of the point are far more than millimetres on a
 * page need, and keep the mantissa exact in 64 bits. */
#define MAX_DIGITS 9

static bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* s without the blanks XML Schema's whitespace collapsing ignores. */
static void trim(const char **s, size_t *n)
{
    *n = strlen(*s);
    while (*n > 0 && is_blank(**s)) {
        (*s)++;
        (*n)--;
    }
    while (*n > 0 && is_blank((*s)[*n - 1]))
        (*n)--;
}

bool gp_parse_decimal(const char *s, double *out)
{
    size_t n;
    trim(&s, &n);
    size_t i = 0;
    bool negative = false;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        negative = s[i++] == '-';
    uint64_t mantissa = 0;
    int whole = 0, frac = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9' && whole <= MAX_DIGITS) {
        mantissa = mantissa * 10 + (uint64_t)(s[i++] - '0');
        whole++;
    }
    if (i < n && s[i] == '.') {
        i++;
        while (i < n && s[i] >= '0' && s[i] <= '9' && frac <= MAX_DIGITS) {
            mantissa = mantissa * 10 + (uint64_t)(s[i++] - '0');
            frac++;
        }
    }
    if (i != n || whole + frac == 0 || whole > MAX_DIGITS || frac > MAX_DIGITS)
        return false;
    double scale = 1;
    for (int k = 0; k < frac; k++)
        scale *= 10;
    double v = (double)mantissa / scale;
    *out = negative ? -v : v;
    return true;
}

bool gp_parse_color(const char *s, double rgb[3])
{
    size_t n;
    trim(&s, &n);
    int bytes[3];
    if (!gp_parse_hex_rgb(s, n, bytes))
        return false;
    for (int k = 0; k < 3; k++)
        rgb[k] = bytes[k] / 255.0;
    return true;
}

static bool parse_int(const char *s, long *out)
{
    size_t n;
    trim(&s, &n);
    if (n == 0 || n > MAX_DIGITS)
        return false;
    long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return v > 0;
}

static bool parse_bool(const char *s, bool *out)
{
    size_t n;
    trim(&s, &n);
    if ((n == 4 && memcmp(s, "true", 4) == 0) || (n == 1 && s[0] == '1'))
        *out = true;
    else if ((n == 5 && memcmp(s, "false", 5) == 0) || (n == 1 && s[0] == '0'))
        *out = false;
    else
        return false;
    return true;
}

static bool parse_choice(const char *s, const char *choices, int *out)
{
    size_t n;
    trim(&s, &n);
    int index = 0;
    for (const char *c = choices; *c != '\0'; index++) {
        size_t len = strcspn(c, "|");
        if (len == n && memcmp(c, s, n) == 0) {
            *out = index;
            return true;
        }
        c += len + (c[len] == '|');
    }
    return false;
}

/* A value outside the attribute's choices, with the nearest one; a font
 * file or face name where a logical family belongs gets the families. */
static void bad_choice(const char *element, const gp_attr_spec *spec, const char *raw, gp_strbuf *why)
{
    gp_clip clip;
    const char *shown = gp_clip_text(&clip, raw);
    if (strcmp(spec->name, "font") == 0 && strcmp(spec->choices, "song|sans|kai") == 0) {
        gp_strbuf_appendf(why,
                          _("<%s font=\"%s\">: templates name a font family, not a font or a font file; write "
                            "song (宋体, set in Noto Serif CJK SC), sans (黑体, Noto Sans CJK SC) or kai (楷体, "
                            "LXGW WenKai)"),
                          element, shown);
        return;
    }
    gp_nearest near;
    char buffer[64];
    gp_nearest_init(&near, raw);
    gp_nearest_offer_choices(&near, spec->choices, buffer, sizeof buffer);
    if (gp_nearest_result(&near) != NULL)
        gp_strbuf_appendf(why, _("<%s %s=\"%s\">: not an allowed value (did you mean %s?); write one of %s"), element,
                          spec->name, shown, gp_nearest_result(&near), spec->choices);
    else
        gp_strbuf_appendf(why, _("<%s %s=\"%s\">: not an allowed value; write one of %s"), element, spec->name,
                          shown, spec->choices);
}

/* Parses raw by spec's type; on failure appends why. */
static bool parse_value(const char *element, const gp_attr_spec *spec, const char *raw, gp_attr_value *v,
                        gp_strbuf *why)
{
    const char *msg = NULL;
    switch (spec->type) {
    case GP_ATTR_MM:
        if (!gp_parse_decimal(raw, &v->number))
            msg = _("not a number of millimetres; write a plain decimal such as 35 or 177.8");
        break;
    case GP_ATTR_PT:
        if (!gp_parse_decimal(raw, &v->number))
            msg = _("not a number of points; write a plain decimal such as 12 or 10.5");
        break;
    case GP_ATTR_INT:
        if (!parse_int(raw, &v->integer))
            msg = _("not a whole number above 0; write digits only, such as 300");
        break;
    case GP_ATTR_BOOL:
        if (!parse_bool(raw, &v->flag))
            msg = _("write true or false");
        break;
    case GP_ATTR_COLOR:
        if (!gp_parse_color(raw, v->rgb))
            msg = _("not a colour; write #rrggbb, such as #000000 for black");
        break;
    case GP_ATTR_CHOICE:
        if (!parse_choice(raw, spec->choices, &v->choice)) {
            bad_choice(element, spec, raw, why);
            return false;
        }
        break;
    case GP_ATTR_TEXT:
        break;
    }
    if (msg != NULL) {
        gp_clip clip;
        gp_strbuf_appendf(why, "<%s %s=\"%s\">: %s", element, spec->name, gp_clip_text(&clip, raw), msg);
        return false;
    }
    v->raw = raw;
    v->present = true;
    return true;
}

static const gp_attr_spec *find_spec(const gp_attr_spec *spec, const char *name, size_t *index)
{
    for (size_t i = 0; spec[i].name != NULL; i++) {
        if (strcmp(spec[i].name, name) == 0) {
            *index = i;
            return &spec[i];
        }
    }
    return NULL;
}

/* "<text> has no attribute fontsize; did you mean size?" */
static void unknown_attribute(const char *element, xmlAttrPtr a, const gp_attr_spec *spec, const char *synopsis,
                              gp_strbuf *why)
{
    gp_strbuf name;
    gp_strbuf_init(&name);
    if (a->ns != NULL && a->ns->prefix != NULL)
        gp_strbuf_appendf(&name, "%s:", (const char *)a->ns->prefix);
    gp_strbuf_append(&name, (const char *)a->name);
    gp_clip clip;
    const char *shown = gp_clip_text(&clip, gp_strbuf_failed(&name) ? "?" : name.data);
    gp_nearest near;
    gp_nearest_init(&near, (const char *)a->name);
    for (size_t i = 0; a->ns == NULL && spec[i].name != NULL; i++)
        gp_nearest_offer(&near, spec[i].name);
    if (gp_nearest_result(&near) != NULL)
        gp_strbuf_appendf(why, _("<%s> has no attribute %s (did you mean %s?); %s"), element, shown,
                          gp_nearest_result(&near), synopsis);
    else
        gp_strbuf_appendf(why, _("<%s> has no attribute %s; %s"), element, shown, synopsis);
    gp_strbuf_free(&name);
}

static bool read_into(xmlNodePtr node, const gp_attr_spec *spec, const char *synopsis, gp_attrs *out,
                      gp_strbuf *why)
{
    memset(out, 0, sizeof *out);
    out->element = (const char *)node->name;
    out->spec = spec;
    while (spec[out->count].name != NULL)
        out->count++;
    if (out->count > GP_ATTRS_MAX) {
        gp_strbuf_appendf(why, "<%s>: too many attributes in the element table", out->element);
        return false;
    }
    for (xmlAttrPtr a = node->properties; a != NULL; a = a->next) {
        size_t index;
        const gp_attr_spec *s = a->ns == NULL ? find_spec(spec, (const char *)a->name, &index) : NULL;
        if (s == NULL) {
            unknown_attribute(out->element, a, spec, synopsis, why);
            return false;
        }
        xmlChar *raw = xmlNodeListGetString(node->doc, a->children, 1);
        out->owned[index] = raw;
        if (!parse_value(out->element, s, raw != NULL ? (const char *)raw : "", &out->values[index], why))
            return false;
    }
    for (size_t i = 0; i < out->count; i++) {
        if (spec[i].required && !out->values[i].present) {
            gp_strbuf_appendf(why, _("<%s> needs the attribute %s; %s"), out->element, spec[i].name, synopsis);
            return false;
        }
    }
    return true;
}

void gp_attrs_free(gp_attrs *attrs)
{
    for (size_t i = 0; i < GP_ATTRS_MAX; i++) {
        if (attrs->owned[i] != NULL)
            xmlFree(attrs->owned[i]);
        attrs->owned[i] = NULL;
    }
}

bool gp_attrs_check(xmlNodePtr node, const gp_attr_spec *spec, const char *synopsis, gp_strbuf *why)
{
    gp_attrs tmp;
    bool ok = read_into(node, spec, synopsis, &tmp, why);
    gp_attrs_free(&tmp);
    return ok;
}

gp_status gp_attrs_read(xmlNodePtr node, const gp_attr_spec *spec, const char *synopsis, const char *file,
                        gp_attrs *out, gp_error **err)
{
    gp_strbuf why;
    gp_strbuf_init(&why);
    gp_status status = GP_OK;
    if (!read_into(node, spec, synopsis, out, &why))
        status = gp_strbuf_failed(&why)
                     ? gp_error_nomem(err)
                     : gp_error_set(err, GP_E_INVALID, file, xmlGetLineNo(node), "%s", why.data);
    gp_strbuf_free(&why);
    return status;
}

const gp_attr_value *gp_attrs_get(const gp_attrs *attrs, const char *name)
{
    size_t index;
    return find_spec(attrs->spec, name, &index) != NULL ? &attrs->values[index] : NULL;
}
