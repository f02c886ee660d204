#include "pattern-private.h"

#include <stdlib.h>
#include <string.h>

#include "../base/error-private.h"
#include "../base/i18n-private.h"
#include "base/array-private.h"
#include "base/clip-private.h"
#include "format-private.h"
#include "nearest-private.h"

#define MAP_PREFIX "map:"

typedef struct step {
    const gp_formatter *formatter; /* NULL for a map step */
    const gp_value_map *map;
    char *written;                 /* as in the pattern, for failure reports */
} step;

typedef struct segment {
    bool is_field;
    char *text; /* the literal text, or the field's name */
    step *steps;
    size_t nsteps;
} segment;

struct gp_pattern {
    segment *segs;
    size_t nsegs;
    const char **fields; /* distinct field names, pointing into segs */
    size_t nfields;
};

const char *gp_value_map_get(const gp_value_map *map, const char *key)
{
    for (size_t i = 0; i < map->count; i++)
        if (strcmp(map->entries[i].key, key) == 0)
            return map->entries[i].value;
    return NULL;
}

void gp_pattern_free(gp_pattern *pattern)
{
    if (pattern == NULL)
        return;
    for (size_t i = 0; i < pattern->nsegs; i++) {
        segment *s = &pattern->segs[i];
        for (size_t k = 0; k < s->nsteps; k++)
            free(s->steps[k].written);
        free(s->steps);
        free(s->text);
    }
    free(pattern->segs);
    free(pattern->fields);
    free(pattern);
}

/* ---- parsing -------------------------------------------------------- */

typedef struct parser {
    const char *src;
    const char *shown; /* src clipped for messages */
    const gp_value_map *maps;
    size_t nmaps;
    const char *file;
    long line;
    gp_error **err;
    gp_pattern *pat;
    size_t cap;
} parser;

static segment *add_segment(parser *p)
{
    gp_pattern *pat = p->pat;
    if (!GP_ARRAY_ROOM(pat->segs, pat->nsegs, p->cap))
        return NULL;
    segment *s = &pat->segs[pat->nsegs++];
    memset(s, 0, sizeof *s);
    return s;
}

static gp_status flush_literal(parser *p, gp_strbuf *lit)
{
    if (gp_strbuf_failed(lit))
        return gp_error_nomem(p->err);
    if (lit->len == 0)
        return GP_OK;
    segment *s = add_segment(p);
    if (s == NULL)
        return gp_error_nomem(p->err);
    s->text = gp_strbuf_steal(lit);
    return s->text != NULL ? GP_OK : gp_error_nomem(p->err);
}

/* A copy of s[0..n) without surrounding blanks, so "{ name | cn-date }"
 * reads like "{name|cn-date}". */
static char *trimmed_copy(const char *s, size_t n)
{
    while (n > 0 && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    char *copy = malloc(n + 1);
    if (copy != NULL) {
        memcpy(copy, s, n);
        copy[n] = '\0';
    }
    return copy;
}

static void list_formatters(gp_strbuf *sb)
{
    for (size_t i = 0; i < gp_formatter_count(); i++) {
        if (i > 0)
            gp_strbuf_append(sb, ", ");
        gp_strbuf_append(sb, gp_formatter_at(i)->name);
    }
}

static gp_status resolve_step(parser *p, step *st)
{
    const char *name = st->written;
    if (strncmp(name, MAP_PREFIX, strlen(MAP_PREFIX)) == 0) {
        const char *map = name + strlen(MAP_PREFIX);
        for (size_t i = 0; i < p->nmaps; i++) {
            if (strcmp(p->maps[i].name, map) == 0) {
                st->map = &p->maps[i];
                return GP_OK;
            }
        }
        return gp_error_set(p->err, GP_E_INVALID, p->file, p->line,
                            _("pattern \"%s\": formatter \"%s\" names no map of this template; declare "
                              "<map name=\"%s\"> with its entries or correct the name"),
                            p->shown, name, map);
    }
    st->formatter = gp_formatter_find(name);
    if (st->formatter != NULL)
        return GP_OK;
    gp_strbuf known;
    gp_strbuf_init(&known);
    list_formatters(&known);
    gp_nearest near;
    gp_nearest_init(&near, name);
    for (size_t i = 0; i < gp_formatter_count(); i++)
        gp_nearest_offer(&near, gp_formatter_at(i)->name);
    const char *list = gp_strbuf_failed(&known) ? "" : known.data;
    gp_status status =
        gp_nearest_result(&near) != NULL
            ? gp_error_set(p->err, GP_E_INVALID, p->file, p->line,
                           _("pattern \"%s\": unknown formatter \"%s\" (did you mean %s?); the formatters are %s, "
                             "and map:NAME for a <map> of the template"),
                           p->shown, name, gp_nearest_result(&near), list)
            : gp_error_set(p->err, GP_E_INVALID, p->file, p->line,
                           _("pattern \"%s\": unknown formatter \"%s\"; use one of %s, or map:NAME "
                             "for a <map> of the template"),
                           p->shown, name, list);
    gp_strbuf_free(&known);
    return status;
}

/* body[0..n) is what stands between "{" and "}". */
static gp_status parse_field(parser *p, const char *body, size_t n)
{
    segment *s = add_segment(p);
    if (s == NULL)
        return gp_error_nomem(p->err);
    s->is_field = true;
    const char *bar = memchr(body, '|', n);
    size_t name_len = bar != NULL ? (size_t)(bar - body) : n;
    s->text = trimmed_copy(body, name_len);
    if (s->text == NULL)
        return gp_error_nomem(p->err);
    if (s->text[0] == '\0')
        return gp_error_set(p->err, GP_E_INVALID, p->file, p->line,
                            _("pattern \"%s\": a field without a name; write {student_no}, {name}, ... or "
                              "\"{{\" for a literal brace"),
                            p->shown);
    while (bar != NULL) {
        const char *start = bar + 1;
        size_t rest = n - (size_t)(start - body);
        bar = memchr(start, '|', rest);
        size_t len = bar != NULL ? (size_t)(bar - start) : rest;
        step *steps = realloc(s->steps, (s->nsteps + 1) * sizeof *steps);
        if (steps == NULL)
            return gp_error_nomem(p->err);
        s->steps = steps;
        step *st = &s->steps[s->nsteps++];
        memset(st, 0, sizeof *st);
        st->written = trimmed_copy(start, len);
        if (st->written == NULL)
            return gp_error_nomem(p->err);
        if (st->written[0] == '\0')
            return gp_error_set(p->err, GP_E_INVALID, p->file, p->line,
                                _("pattern \"%s\": an empty formatter after \"|\" in field %s; name a "
                                  "formatter or remove the \"|\""),
                                p->shown, s->text);
        gp_status status = resolve_step(p, st);
        if (status != GP_OK)
            return status;
    }
    return GP_OK;
}

static gp_status parse_all(parser *p)
{
    gp_strbuf lit;
    gp_strbuf_init(&lit);
    gp_status status = GP_OK;
    const char *c = p->src;
    while (*c != '\0' && status == GP_OK) {
        if ((c[0] == '{' && c[1] == '{') || (c[0] == '}' && c[1] == '}')) {
            gp_strbuf_append_char(&lit, c[0]);
            c += 2;
        } else if (c[0] == '}') {
            status = gp_error_set(p->err, GP_E_INVALID, p->file, p->line,
                                  _("pattern \"%s\": a \"}\" that closes no field; write \"}}\" for a literal "
                                    "brace"),
                                  p->shown);
        } else if (c[0] == '{') {
            size_t n = strcspn(c + 1, "{}");
            if (c[1 + n] != '}') {
                status = gp_error_set(p->err, GP_E_INVALID, p->file, p->line,
                                      _("pattern \"%s\": a \"{\" that is never closed; end the field with \"}\" "
                                        "or write \"{{\" for a literal brace"),
                                      p->shown);
                break;
            }
            status = flush_literal(p, &lit);
            if (status == GP_OK)
                status = parse_field(p, c + 1, n);
            c += n + 2;
        } else {
            gp_strbuf_append_char(&lit, *c++);
        }
    }
    if (status == GP_OK)
        status = flush_literal(p, &lit);
    gp_strbuf_free(&lit);
    return status;
}

static gp_status collect_fields(gp_pattern *pat, gp_error **err)
{
    for (size_t i = 0; i < pat->nsegs; i++) {
        if (!pat->segs[i].is_field)
            continue;
        bool seen = false;
        for (size_t k = 0; k < pat->nfields && !seen; k++)
            seen = strcmp(pat->fields[k], pat->segs[i].text) == 0;
        if (seen)
            continue;
        const char **fields = realloc(pat->fields, (pat->nfields + 1) * sizeof *fields);
        if (fields == NULL)
            return gp_error_nomem(err);
        pat->fields = fields;
        pat->fields[pat->nfields++] = pat->segs[i].text;
    }
    return GP_OK;
}

gp_status gp_pattern_parse_maps(const char *src, const gp_value_map *maps, size_t nmaps, const char *file,
                                long line, gp_pattern **out, gp_error **err)
{
    *out = NULL;
    size_t len = strlen(src);
    if (len > GP_PATTERN_MAX_BYTES)
        return gp_error_set(err, GP_E_INVALID, file, line,
                            _("the text is %zu bytes, more than the %d a pattern may have; shorten it"), len,
                            GP_PATTERN_MAX_BYTES);
    gp_clip clip;
    parser p = {src, gp_clip_text(&clip, src), maps, nmaps, file, line, err, NULL, 0};
    p.pat = calloc(1, sizeof *p.pat);
    if (p.pat == NULL)
        return gp_error_nomem(err);
    gp_status status = parse_all(&p);
    if (status == GP_OK)
        status = collect_fields(p.pat, err);
    if (status != GP_OK) {
        gp_pattern_free(p.pat);
        return status;
    }
    *out = p.pat;
    return GP_OK;
}

gp_status gp_pattern_parse(const char *src, const char *file, long line, gp_pattern **out, gp_error **err)
{
    return gp_pattern_parse_maps(src, NULL, 0, file, line, out, err);
}

size_t gp_pattern_field_count(const gp_pattern *pattern) { return pattern->nfields; }

const char *gp_pattern_field(const gp_pattern *pattern, size_t index)
{
    return index < pattern->nfields ? pattern->fields[index] : NULL;
}

bool gp_pattern_is_literal(const gp_pattern *pattern) { return pattern->nfields == 0; }

/* ---- expansion ------------------------------------------------------ */

static void fail(gp_pattern_failure *why, gp_pattern_problem problem, const segment *s, const step *st,
                 const char *value)
{
    if (why->problem != GP_PATTERN_OK)
        return;
    why->problem = problem;
    why->field = s->text;
    why->formatter = st != NULL ? st->written : NULL;
    why->value = value;
}

/* Runs value through the field's steps into out; false on the first step
 * that cannot handle its input. */
static bool run_steps(const segment *s, const char *value, gp_strbuf *out, gp_pattern_failure *why)
{
    gp_strbuf bufs[2];
    gp_strbuf_init(&bufs[0]);
    gp_strbuf_init(&bufs[1]);
    const char *cur = value;
    bool ok = true;
    for (size_t k = 0; k < s->nsteps && ok; k++) {
        const step *st = &s->steps[k];
        gp_strbuf *next = &bufs[k % 2];
        gp_strbuf_clear(next);
        if (st->map != NULL) {
            const char *mapped = gp_value_map_get(st->map, cur);
            if (mapped == NULL)
                fail(why, GP_PATTERN_NOT_IN_MAP, s, st, value);
            else
                gp_strbuf_append(next, mapped);
            ok = mapped != NULL;
        } else {
            ok = st->formatter->format(cur, next);
            if (!ok)
                fail(why, GP_PATTERN_UNFORMATTABLE, s, st, value);
        }
        if (gp_strbuf_failed(next)) {
            out->failed = true;
            ok = false;
        }
        cur = next->data;
    }
    if (ok)
        gp_strbuf_append(out, cur);
    gp_strbuf_free(&bufs[0]);
    gp_strbuf_free(&bufs[1]);
    return ok;
}

/* Where field text landed, for gp_pattern_expand_spans; NULL when the
 * caller does not want it. */
typedef struct span_list {
    gp_span *items;
    size_t count, cap;
    bool failed;
} span_list;

static void add_span(span_list *list, size_t start, size_t end)
{
    if (list == NULL || end == start || list->failed)
        return;
    if (!GP_ARRAY_ROOM(list->items, list->count, list->cap)) {
        list->failed = true;
        return;
    }
    list->items[list->count++] = (gp_span){start, end};
}

static bool expand(const gp_pattern *pattern, gp_field_lookup lookup, void *user, gp_strbuf *out,
                   gp_pattern_failure *why, span_list *spans)
{
    gp_pattern_failure local;
    if (why == NULL)
        why = &local;
    memset(why, 0, sizeof *why);
    bool ok = true;
    for (size_t i = 0; i < pattern->nsegs; i++) {
        const segment *s = &pattern->segs[i];
        if (!s->is_field) {
            gp_strbuf_append(out, s->text);
            continue;
        }
        const char *value = lookup(user, s->text);
        size_t start = out->len;
        if (value == NULL || value[0] == '\0') {
            fail(why, GP_PATTERN_MISSING, s, NULL, NULL);
            ok = false;
        } else if (!run_steps(s, value, out, why)) {
            ok = false;
        } else if (!gp_strbuf_failed(out)) {
            add_span(spans, start, out->len);
        }
    }
    return ok && !gp_strbuf_failed(out) && (spans == NULL || !spans->failed);
}

bool gp_pattern_expand_ex(const gp_pattern *pattern, gp_field_lookup lookup, void *user, gp_strbuf *out,
                          gp_pattern_failure *why)
{
    return expand(pattern, lookup, user, out, why, NULL);
}

bool gp_pattern_expand_spans(const gp_pattern *pattern, gp_field_lookup lookup, void *user, gp_strbuf *out,
                             gp_span **spans, size_t *nspans, gp_pattern_failure *why)
{
    span_list list = {NULL, 0, 0, false};
    bool ok = expand(pattern, lookup, user, out, why, &list);
    if (list.failed) {
        /* Same contract as a failed append: the output is unusable. */
        out->failed = true;
        free(list.items);
        list.items = NULL;
        list.count = 0;
    }
    *spans = list.items;
    *nspans = list.count;
    return ok;
}

bool gp_pattern_expand(const gp_pattern *pattern, gp_field_lookup lookup, void *user, gp_strbuf *out,
                       const char **missing)
{
    gp_pattern_failure why;
    bool ok = gp_pattern_expand_ex(pattern, lookup, user, out, &why);
    if (missing != NULL)
        *missing = ok ? NULL : why.field;
    return ok;
}

void gp_pattern_failure_describe(const gp_pattern_failure *why, gp_strbuf *out)
{
    const gp_formatter *f = why->formatter != NULL ? gp_formatter_find(why->formatter) : NULL;
    switch (why->problem) {
    case GP_PATTERN_OK:
        break;
    case GP_PATTERN_MISSING:
        gp_strbuf_appendf(out, _("field %s has no value; fill it in in the roster"), why->field);
        break;
    case GP_PATTERN_UNFORMATTABLE:
        gp_strbuf_appendf(out, _("field %s: \"%s\" cannot be formatted by %s, which needs %s; correct the roster"),
                          why->field, why->value, why->formatter, f != NULL ? _(f->expects) : "?");
        break;
    case GP_PATTERN_NOT_IN_MAP:
        gp_strbuf_appendf(out,
                          _("field %s: \"%s\" is not in %s; add <entry key=\"%s\" value=\"...\"/> to that map in "
                            "the template, or correct the roster"),
                          why->field, why->value, why->formatter, why->value);
        break;
    }
}
