/* Checking a template before anyone prints with it: it loads (well-formed
 * XML, the schema, every element, field and formatter), every font family
 * it names is installed, and laid out for real records — the bundled sample
 * roster, or the school's own — every text fits its box and every character
 * has a glyph. The same layout code as sheets and certificates, so what
 * passes here passes there. */
#include <stdlib.h>
#include <string.h>

#include "base/context-private.h"
#include "base/error-private.h"
#include "base/fileio-private.h"
#include "base/i18n-private.h"
#include "base/report-private.h"
#include "fields-private.h"
#include "layout/layout-private.h"
#include "text/text-private.h"
#include "roster/roster-private.h"
#include "template/template-private.h"

#define MAX_NAMES 64

struct gp_template_check {
    gp_report *report;
    gp_template *tpl;
    char *roster_path;           /* the roster the layout was tried with */
    size_t records;              /* records laid out */
    const char *fields[MAX_NAMES]; /* point into tpl's patterns */
    size_t nfields;
    const char *fonts[MAX_NAMES];  /* point into tpl's styles */
    size_t nfonts;
};

void gp_template_check_options_init(gp_template_check_options *opts) { memset(opts, 0, sizeof *opts); }

static void add_name(const char **names, size_t *n, const char *name)
{
    if (name == NULL)
        return;
    for (size_t i = 0; i < *n; i++)
        if (strcmp(names[i], name) == 0)
            return;
    if (*n < MAX_NAMES)
        names[(*n)++] = name;
}

static bool draws_text(const gp_element *el) { return el->kind == GP_EL_TEXT || el->kind == GP_EL_PARAGRAPH; }

static void collect_names(gp_template_check *c)
{
    for (size_t i = 0; i < c->tpl->count; i++) {
        const gp_element *el = &c->tpl->elements[i];
        if (draws_text(el))
            add_name(c->fonts, &c->nfonts, el->style.family != NULL ? el->style.family : "song");
        for (size_t f = 0; el->content != NULL && f < gp_pattern_field_count(el->content); f++)
            add_name(c->fields, &c->nfields, gp_pattern_field(el->content, f));
    }
}

/* Each family once, at the first element that uses it. */
static gp_status check_fonts(gp_template_check *c, gp_text_engine *te, gp_error **out_err)
{
    for (size_t k = 0; k < c->nfonts; k++) {
        const gp_element *first = NULL;
        for (size_t i = 0; i < c->tpl->count && first == NULL; i++) {
            const gp_element *el = &c->tpl->elements[i];
            if (draws_text(el) && strcmp(el->style.family != NULL ? el->style.family : "song", c->fonts[k]) == 0)
                first = el;
        }
        gp_error *err = NULL;
        gp_status st = gp_text_check_family(te, c->fonts[k], c->tpl->path, first != NULL ? first->line : 0, &err);
        if (st == GP_E_NOMEM) {
            gp_error_free(err);
            return gp_error_nomem(out_err);
        }
        if (st != GP_OK)
            gp_report_add(c->report, GP_ERROR, "font-missing", gp_error_file(err), gp_error_line(err), NULL, "%s",
                          gp_error_message(err));
        gp_error_free(err);
    }
    return GP_OK;
}

/* Each element on its own, over every record: a box too small is one
 * problem of the template, so it is shown once, for the first record it
 * fails on, with how many others fail the same way. */
static gp_status check_element(gp_template_check *c, gp_text_engine *te, const gp_roster *roster,
                               const char *school, size_t index, gp_layout *layout, gp_error **err)
{
    gp_template one = *c->tpl;
    one.elements = &c->tpl->elements[index];
    one.count = 1;
    gp_report *scratch = gp_report_new();
    if (scratch == NULL)
        return gp_error_nomem(err);
    size_t failed = 0;
    gp_status st = GP_OK;
    for (size_t i = 0; i < c->records && st == GP_OK; i++) {
        const gp_record *r = gp_roster_record(roster, i);
        gp_job_fields fields = {r, school};
        gp_layout_clear(layout);
        bool ok = gp_layout_build(&one, gp_job_field, &fields, te, layout, failed == 0 ? scratch : NULL,
                                  gp_roster_path(roster), gp_record_line(r), gp_record_key(r, GP_KEY_STUDENT_NO));
        failed += !ok;
        st = gp_layout_status(layout, err);
    }
    if (st == GP_OK && gp_report_lost(scratch))
        st = gp_error_nomem(err);
    if (st == GP_OK && !gp_report_take(c->report, scratch))
        st = gp_error_nomem(err);
    gp_report_free(scratch);
    if (st == GP_OK && failed > 1)
        gp_report_add(c->report, GP_WARNING, "fits-other-records", c->tpl->path, one.elements->line, NULL,
                      _("%zu of the %zu records fail at the element on this line; the first of them is shown "
                        "above"),
                      failed, c->records);
    return st;
}

static gp_status check_layout(gp_template_check *c, gp_context *ctx, gp_text_engine *te,
                              const gp_template_check_options *o, gp_error **err)
{
    gp_roster *roster = NULL;
    gp_status st = gp_roster_load(ctx, c->roster_path, o != NULL ? &o->roster : NULL, &roster, err);
    if (st != GP_OK)
        return st;
    const char *school = o != NULL && o->school != NULL ? o->school : c->tpl->school;
    gp_layout layout;
    gp_layout_init(&layout);
    c->records = gp_roster_size(roster);
    for (size_t e = 0; e < c->tpl->count && st == GP_OK; e++)
        st = check_element(c, te, roster, school, e, &layout, err);
    gp_layout_free(&layout);
    gp_roster_free(roster);
    return st;
}

static gp_status check(gp_template_check *c, gp_context *ctx, const char *path, const gp_template_check_options *o,
                       gp_error **err)
{
    gp_status st = gp_template_load(ctx, path, &c->tpl, err);
    if (st != GP_OK)
        return st;
    collect_names(c);
    c->roster_path = o != NULL && o->roster_path != NULL ? strdup(o->roster_path)
                                                         : gp_path_join(ctx->data_dir, "samples/roster.csv");
    if (c->roster_path == NULL)
        return gp_error_nomem(err);
    gp_text_engine *te = NULL;
    st = gp_text_engine_new(ctx, &te, err);
    if (st != GP_OK)
        return st;
    st = check_fonts(c, te, err);
    if (st == GP_OK)
        st = check_layout(c, ctx, te, o, err);
    gp_text_engine_free(te);
    if (st == GP_OK && gp_report_lost(c->report))
        st = gp_error_nomem(err);
    if (st == GP_OK && gp_report_count_severity(c->report, GP_ERROR) > 0)
        st = gp_error_set(err, GP_E_INVALID, c->tpl->path, 0,
                          _("the template has %zu problem(s) (see above); correct the template and check it again"),
                          gp_report_count_severity(c->report, GP_ERROR));
    return st;
}

gp_status gp_template_check_run(gp_context *ctx, const char *template_path, const gp_template_check_options *opts,
                                gp_template_check **out, gp_error **err)
{
    *out = NULL;
    gp_template_check *c = calloc(1, sizeof *c);
    if (c == NULL || (c->report = gp_report_new()) == NULL) {
        free(c);
        return gp_error_nomem(err);
    }
    gp_status st = check(c, ctx, template_path, opts, err);
    *out = c;
    return st;
}

const gp_report *gp_template_check_report(const gp_template_check *c) { return c ? c->report : NULL; }
const gp_template *gp_template_check_template(const gp_template_check *c) { return c ? c->tpl : NULL; }
const char *gp_template_check_path(const gp_template_check *c) { return c && c->tpl ? c->tpl->path : NULL; }
const char *gp_template_check_name(const gp_template_check *c) { return c && c->tpl ? c->tpl->name : NULL; }
const char *gp_template_check_kind(const gp_template_check *c) { return c && c->tpl ? c->tpl->kind : NULL; }
const char *gp_template_check_roster(const gp_template_check *c) { return c ? c->roster_path : NULL; }
size_t gp_template_check_elements(const gp_template_check *c) { return c && c->tpl ? c->tpl->count : 0; }
size_t gp_template_check_records(const gp_template_check *c) { return c ? c->records : 0; }
size_t gp_template_check_fields(const gp_template_check *c) { return c ? c->nfields : 0; }
const char *gp_template_check_field(const gp_template_check *c, size_t i) { return i < c->nfields ? c->fields[i] : NULL; }
size_t gp_template_check_fonts(const gp_template_check *c) { return c ? c->nfonts : 0; }
const char *gp_template_check_font(const gp_template_check *c, size_t i) { return i < c->nfonts ? c->fonts[i] : NULL; }

void gp_template_check_free(gp_template_check *c)
{
    if (c == NULL)
        return;
    gp_report_free(c->report);
    gp_template_free(c->tpl);
    free(c->roster_path);
    free(c);
}
