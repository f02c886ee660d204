/* Reading the few PPD keywords gradprint decides with (ppd-private.h).
 * The PPD format (Adobe TN 5003) is line-based: "*Keyword option/label:
 * value", where a quoted value may run over many lines. */
#include "ppd-private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/array-private.h"
#include "base/error-private.h"
#include "base/i18n-private.h"
#include "roster/table-private.h"

#define MAX_OPTIONS 4000
#define MAX_CHOICES 2000
#define MAX_SIZES 4000
#define MAX_FILTERS 64
#define MAX_FIELD 255

typedef struct parser {
    gp_ppd *ppd;
    const char *name;
    long line;
    bool installable;     /* inside *OpenGroup: InstallableOptions */
    gp_ppd_option *open;  /* inside *OpenUI of this option */
    gp_error **err;
} parser;

/* One main-keyword line, split: "*Keyword option/label: value". */
typedef struct ppd_line {
    char keyword[64];
    char option[MAX_FIELD + 1];
    char label[MAX_FIELD + 1];
    const char *value; /* first character after ':' and blanks; not NUL-terminated */
    size_t value_len;
} ppd_line;

static char *copy_text(const char *s, size_t len)
{
    char *out = malloc(len + 1);
    if (out == NULL)
        return NULL;
    memcpy(out, s, len);
    out[len] = '\0';
    return out;
}

/* Labels go into messages: printable ASCII only. */
static void copy_printable(char *dst, size_t size, const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len && n + 1 < size; i++) {
        unsigned char c = (unsigned char)s[i];
        dst[n++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
    }
    dst[n] = '\0';
}

static bool is_blank(char c) { return c == ' ' || c == '\t'; }

/* Splits a line that starts with '*'. false for lines that are not main
 * keywords of that shape (comments, *End, malformed). */
static bool split_line(const char *s, size_t len, ppd_line *out)
{
    memset(out, 0, sizeof *out);
    if (len < 2 || s[0] != '*' || s[1] == '%')
        return false;
    size_t i = 1, k = 0;
    while (i < len && !is_blank(s[i]) && s[i] != ':' && s[i] != '/') {
        if (k + 1 >= sizeof out->keyword)
            return false;
        out->keyword[k++] = s[i++];
    }
    if (k == 0)
        return false;
    while (i < len && is_blank(s[i]))
        i++;
    size_t o0 = i;
    while (i < len && s[i] != ':' && s[i] != '/')
        i++;
    size_t olen = i - o0;
    while (olen > 0 && is_blank(s[o0 + olen - 1]))
        olen--;
    if (olen > MAX_FIELD)
        return false;
    memcpy(out->option, s + o0, olen);
    out->option[olen] = '\0';
    if (i < len && s[i] == '/') {
        size_t l0 = ++i;
        while (i < len && s[i] != ':')
            i++;
        copy_printable(out->label, sizeof out->label, s + l0, i - l0);
    }
    if (i >= len || s[i] != ':')
        return false;
    i++;
    while (i < len && is_blank(s[i]))
        i++;
    out->value = s + i;
    out->value_len = len - i;
    while (out->value_len > 0 && (is_blank(out->value[out->value_len - 1]) || out->value[out->value_len - 1] == '\r'))
        out->value_len--;
    return true;
}

/* The value without its quotes, as far as this line holds it. */
static void unquoted(const ppd_line *l, const char **s, size_t *len)
{
    *s = l->value;
    *len = l->value_len;
    if (*len > 0 && **s == '"') {
        (*s)++;
        (*len)--;
        const char *q = memchr(*s, '"', *len);
        if (q != NULL)
            *len = (size_t)(q - *s);
    }
}

/* A value as a bounded string of its own. */
static void value_text(const ppd_line *l, char *buf, size_t size)
{
    const char *s;
    size_t len;
    unquoted(l, &s, &len);
    copy_printable(buf, size, s, len);
}

static gp_status nomem(parser *p) { return gp_error_nomem(p->err); }

static gp_status too_many(parser *p, const char *what)
{
    return gp_error_set(p->err, GP_E_INVALID, p->name, p->line, _("the PPD has more %s than any printer needs; it "
                                                                  "is damaged or not a PPD"),
                        what);
}

static gp_status set_string(parser *p, char **field, const ppd_line *l)
{
    char buf[MAX_FIELD + 1];
    value_text(l, buf, sizeof buf);
    free(*field);
    *field = copy_text(buf, strlen(buf));
    return *field != NULL ? GP_OK : nomem(p);
}

static gp_ppd_option *find_option(gp_ppd *ppd, const char *keyword)
{
    for (size_t i = 0; i < ppd->n_options; i++)
        if (strcmp(ppd->options[i].keyword, keyword) == 0)
            return &ppd->options[i];
    return NULL;
}

static gp_status open_option(parser *p, const char *keyword, const char *label, bool ui)
{
    gp_ppd *ppd = p->ppd;
    gp_ppd_option *o = find_option(ppd, keyword);
    if (o == NULL) {
        if (ppd->n_options >= MAX_OPTIONS)
            return too_many(p, _("options"));
        if (!GP_ARRAY_ROOM(ppd->options, ppd->n_options, ppd->cap_options))
            return nomem(p);
        o = &ppd->options[ppd->n_options];
        memset(o, 0, sizeof *o);
        o->keyword = copy_text(keyword, strlen(keyword));
        o->label = copy_text(label, strlen(label));
        if (o->keyword == NULL || o->label == NULL) {
            free(o->keyword);
            free(o->label);
            return nomem(p);
        }
        ppd->n_options++;
    }
    if (ui) {
        o->installable = p->installable;
        o->ui = true;
        if (o->label[0] == '\0' && label[0] != '\0') {
            char *l = copy_text(label, strlen(label));
            if (l == NULL)
                return nomem(p);
            free(o->label);
            o->label = l;
        }
    }
    p->open = o;
    return GP_OK;
}

static gp_status add_choice(parser *p, gp_ppd_option *o, const char *choice)
{
    if (choice[0] == '\0' || gp_ppd_option_has_choice(o, choice))
        return GP_OK;
    if (o->n_choices >= MAX_CHOICES)
        return too_many(p, _("choices for one option"));
    if (!GP_ARRAY_ROOM(o->choices, o->n_choices, o->cap_choices))
        return nomem(p);
    char *c = copy_text(choice, strlen(choice));
    if (c == NULL)
        return nomem(p);
    o->choices[o->n_choices++] = c;
    return GP_OK;
}

/* "w h" in points. */
static bool two_numbers(const char *s, double *a, double *b)
{
    char x[64], y[64];
    if (sscanf(s, "%63s %63s", x, y) != 2)
        return false;
    return gp_number_parse(x, a) && gp_number_parse(y, b) && *a > 0 && *b > 0 && *a < 1e7 && *b < 1e7;
}

static gp_status add_size(parser *p, const ppd_line *l)
{
    gp_ppd *ppd = p->ppd;
    char v[MAX_FIELD + 1];
    value_text(l, v, sizeof v);
    double w, h;
    if (!two_numbers(v, &w, &h) || l->option[0] == '\0')
        return GP_OK; /* a size gradprint cannot read is one it will not choose */
    if (ppd->n_sizes >= MAX_SIZES)
        return too_many(p, _("paper sizes"));
    if (!GP_ARRAY_ROOM(ppd->sizes, ppd->n_sizes, ppd->cap_sizes))
        return nomem(p);
    char *name = copy_text(l->option, strlen(l->option));
    if (name == NULL)
        return nomem(p);
    ppd->sizes[ppd->n_sizes++] = (gp_ppd_size){name, w, h};
    return GP_OK;
}

/* cupsFilter: "type cost program"; cupsFilter2: "src dst cost program". */
static gp_status add_filter(parser *p, const ppd_line *l, int fields_before_program)
{
    gp_ppd *ppd = p->ppd;
    ppd->has_filter_lines = true;
    char v[MAX_FIELD + 1];
    value_text(l, v, sizeof v);
    const char *s = v, *dst = NULL;
    size_t dst_len = 0;
    for (int f = 0; f < fields_before_program; f++) {
        while (is_blank(*s))
            s++;
        const char *start = s;
        while (*s != '\0' && !is_blank(*s))
            s++;
        if (f == 1 && fields_before_program == 3) {
            dst = start;
            dst_len = (size_t)(s - start);
        }
    }
    while (is_blank(*s))
        s++;
    if (*s == '\0')
        return GP_OK;
    static const char *const documents[] = {"application/pdf", "image/pwg-raster", "image/urf"};
    for (size_t i = 0; dst != NULL && strcmp(s, "-") == 0 && i < sizeof documents / sizeof *documents; i++)
        if (dst_len == strlen(documents[i]) && memcmp(dst, documents[i], dst_len) == 0)
            ppd->ipp_document = true;
    if (ppd->n_filters >= MAX_FILTERS)
        return too_many(p, _("filters"));
    if (!GP_ARRAY_ROOM(ppd->filters, ppd->n_filters, ppd->cap_filters))
        return nomem(p);
    char *prog = copy_text(s, strlen(s));
    if (prog == NULL)
        return nomem(p);
    ppd->filters[ppd->n_filters++] = prog;
    return GP_OK;
}

static double unit_pt(const char *unit)
{
    static const struct {
        const char *name;
        double pt;
    } units[] = {{"points", 1.0},           {"inches", 72.0},         {"millimeters", 72.0 / 25.4},
                 {"centimeters", 72.0 / 2.54}, {"meters", 72.0 / 0.0254}, {"feet", 72.0 * 12}};
    for (size_t i = 0; i < sizeof units / sizeof *units; i++)
        if (strcmp(unit, units[i].name) == 0)
            return units[i].pt;
    return 0;
}

/* *ParamCustomPageSize Width: 1 points 72 612 */
static void custom_param(parser *p, const ppd_line *l)
{
    char v[MAX_FIELD + 1], order[16], unit[32], lo_s[64], hi_s[64];
    value_text(l, v, sizeof v);
    double lo, hi, scale;
    if (sscanf(v, "%15s %31s %63s %63s", order, unit, lo_s, hi_s) != 4 || (scale = unit_pt(unit)) == 0 ||
        !gp_number_parse(lo_s, &lo) || !gp_number_parse(hi_s, &hi) || !(lo >= 0 && hi >= lo && hi < 1e6))
        return;
    gp_ppd *ppd = p->ppd;
    if (strcmp(l->option, "Width") == 0) {
        ppd->custom_min_w_pt = lo * scale;
        ppd->custom_max_w_pt = hi * scale;
        ppd->has_custom_range = ppd->custom_max_h_pt > 0;
    } else if (strcmp(l->option, "Height") == 0) {
        ppd->custom_min_h_pt = lo * scale;
        ppd->custom_max_h_pt = hi * scale;
        ppd->has_custom_range = ppd->custom_max_w_pt > 0;
    }
}

static void hw_margins(parser *p, const ppd_line *l)
{
    char v[MAX_FIELD + 1], m[4][64];
    value_text(l, v, sizeof v);
    double d[4];
    if (sscanf(v, "%63s %63s %63s %63s", m[0], m[1], m[2], m[3]) != 4)
        return;
    for (int i = 0; i < 4; i++)
        if (!gp_number_parse(m[i], &d[i]) || !(d[i] >= 0 && d[i] < 1e4))
            return;
    memcpy(p->ppd->hw_margins_pt, d, sizeof d);
    p->ppd->has_hw_margins = true;
}

static void one_number(const ppd_line *l, double *out)
{
    char v[64];
    value_text(l, v, sizeof v);
    double d;
    if (gp_number_parse(v, &d) && d > 0 && d < 1e7)
        *out = d;
}

/* The keyword of "*OpenUI *Keyword": its option field without the star. */
static const char *ui_keyword(const ppd_line *l) { return l->option[0] == '*' ? l->option + 1 : l->option; }

static gp_status take_line(parser *p, const ppd_line *l)
{
    gp_ppd *ppd = p->ppd;
    const char *k = l->keyword;
    if (strcmp(k, "OpenUI") == 0 || strcmp(k, "JCLOpenUI") == 0)
        return ui_keyword(l)[0] != '\0' ? open_option(p, ui_keyword(l), l->label, true) : GP_OK;
    if (strcmp(k, "CloseUI") == 0 || strcmp(k, "JCLCloseUI") == 0) {
        p->open = NULL;
        return GP_OK;
    }
    if (strcmp(k, "OpenGroup") == 0) {
        char v[MAX_FIELD + 1];
        value_text(l, v, sizeof v);
        p->installable = strncmp(v, "InstallableOptions", 18) == 0;
        return GP_OK;
    }
    if (strcmp(k, "CloseGroup") == 0) {
        p->installable = false;
        return GP_OK;
    }
    if (strcmp(k, "ModelName") == 0)
        return set_string(p, &ppd->model_name, l);
    if (strcmp(k, "NickName") == 0)
        return set_string(p, &ppd->nick_name, l);
    if (strcmp(k, "Manufacturer") == 0)
        return set_string(p, &ppd->manufacturer, l);
    if (strcmp(k, "cupsFilter") == 0)
        return add_filter(p, l, 2);
    if (strcmp(k, "cupsFilter2") == 0)
        return add_filter(p, l, 3);
    if (strcmp(k, "FoomaticRIPCommandLine") == 0) {
        ppd->foomatic = true;
        return GP_OK;
    }
    if (strcmp(k, "PaperDimension") == 0)
        return add_size(p, l);
    if (strcmp(k, "LandscapeOrientation") == 0) {
        char v[32];
        value_text(l, v, sizeof v);
        ppd->landscape = strcmp(v, "Plus90") == 0    ? GP_PPD_TURN_PLUS90
                         : strcmp(v, "Minus90") == 0 ? GP_PPD_TURN_MINUS90
                         : strcmp(v, "Any") == 0     ? GP_PPD_TURN_ANY
                                                     : GP_PPD_TURN_UNKNOWN;
        return GP_OK;
    }
    if (strcmp(k, "CustomPageSize") == 0) {
        ppd->custom_size = ppd->custom_size || strcmp(l->option, "True") == 0;
        return GP_OK;
    }
    if (strcmp(k, "ParamCustomPageSize") == 0) {
        custom_param(p, l);
        return GP_OK;
    }
    if (strcmp(k, "MaxMediaWidth") == 0) {
        one_number(l, &ppd->max_media_w_pt);
        return GP_OK;
    }
    if (strcmp(k, "MaxMediaHeight") == 0) {
        one_number(l, &ppd->max_media_h_pt);
        return GP_OK;
    }
    if (strcmp(k, "HWMargins") == 0) {
        hw_margins(p, l);
        return GP_OK;
    }
    if (strncmp(k, "Default", 7) == 0 && k[7] != '\0' && l->option[0] == '\0') {
        gp_ppd_option *o = find_option(ppd, k + 7);
        if (o == NULL) {
            /* Defaults usually follow their OpenUI; one before it is kept
             * for the option it will open. */
            gp_status st = open_option(p, k + 7, "", false);
            if (st != GP_OK)
                return st;
            o = p->open;
            p->open = NULL;
        }
        char v[MAX_FIELD + 1];
        value_text(l, v, sizeof v);
        free(o->default_choice);
        o->default_choice = copy_text(v, strlen(v));
        return o->default_choice != NULL ? GP_OK : nomem(p);
    }
    if (l->option[0] != '\0') {
        gp_ppd_option *o = p->open != NULL && strcmp(p->open->keyword, k) == 0 ? p->open : find_option(ppd, k);
        if (o != NULL)
            return add_choice(p, o, l->option);
    }
    return GP_OK;
}

/* Whether the quoted value that starts on this line ends on it too. */
static bool value_closes(const ppd_line *l)
{
    if (l->value_len == 0 || l->value[0] != '"')
        return true;
    return memchr(l->value + 1, '"', l->value_len - 1) != NULL;
}

gp_status gp_ppd_parse(const char *data, size_t len, const char *name, gp_ppd *ppd, gp_error **err)
{
    memset(ppd, 0, sizeof *ppd);
    if (len > GP_PPD_MAX_BYTES)
        return gp_error_set(err, GP_E_INVALID, name, 0, _("the PPD is larger than %u MB; it is not a printer "
                                                          "description"),
                            GP_PPD_MAX_BYTES / (1024u * 1024u));
    if (len < 11 || memcmp(data, "*PPD-Adobe:", 11) != 0)
        return gp_error_set(err, GP_E_INVALID, name, 1, "%s",
                            _("this is not a PPD file (it does not start with *PPD-Adobe:)"));
    parser p = {ppd, name, 0, false, NULL, err};
    bool in_quote = false;
    gp_status st = GP_OK;
    size_t pos = 0;
    while (st == GP_OK && pos < len) {
        const char *s = data + pos;
        const char *nl = memchr(s, '\n', len - pos);
        size_t n = nl != NULL ? (size_t)(nl - s) : len - pos;
        pos += n + (nl != NULL);
        p.line++;
        if (n > 0 && s[n - 1] == '\r')
            n--;
        if (in_quote) {
            /* A quoted value runs until its closing quote, whatever the
             * lines in between look like. */
            in_quote = memchr(s, '"', n) == NULL;
            continue;
        }
        ppd_line l;
        if (!split_line(s, n, &l))
            continue;
        in_quote = !value_closes(&l);
        st = take_line(&p, &l);
    }
    if (st != GP_OK)
        gp_ppd_free(ppd);
    return st;
}

void gp_ppd_free(gp_ppd *ppd)
{
    if (ppd == NULL)
        return;
    free(ppd->model_name);
    free(ppd->nick_name);
    free(ppd->manufacturer);
    for (size_t i = 0; i < ppd->n_filters; i++)
        free(ppd->filters[i]);
    free(ppd->filters);
    for (size_t i = 0; i < ppd->n_options; i++) {
        gp_ppd_option *o = &ppd->options[i];
        free(o->keyword);
        free(o->label);
        free(o->default_choice);
        for (size_t c = 0; c < o->n_choices; c++)
            free(o->choices[c]);
        free(o->choices);
    }
    free(ppd->options);
    for (size_t i = 0; i < ppd->n_sizes; i++)
        free(ppd->sizes[i].name);
    free(ppd->sizes);
    memset(ppd, 0, sizeof *ppd);
}

const gp_ppd_option *gp_ppd_find_option(const gp_ppd *ppd, const char *keyword)
{
    return find_option((gp_ppd *)ppd, keyword);
}

bool gp_ppd_option_has_choice(const gp_ppd_option *option, const char *choice)
{
    for (size_t i = 0; option != NULL && i < option->n_choices; i++)
        if (strcmp(option->choices[i], choice) == 0)
            return true;
    return false;
}

bool gp_ppd_uses_filter(const gp_ppd *ppd, const char *needle)
{
    for (size_t i = 0; i < ppd->n_filters; i++)
        if (strstr(ppd->filters[i], needle) != NULL)
            return true;
    return false;
}
