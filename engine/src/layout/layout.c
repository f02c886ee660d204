/* The mark list and the walk over a template's elements. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../base/error-private.h"
#include "../base/i18n-private.h"
#include "../base/report-private.h"
#include "layout-build-private.h"

void gp_layout_init(gp_layout *layout) { memset(layout, 0, sizeof *layout); }

void gp_layout_clear(gp_layout *layout)
{
    for (size_t i = 0; i < layout->count; i++) {
        free(layout->marks[i].text);
        free(layout->marks[i].spans);
    }
    layout->count = 0;
    layout->nomem = false;
}

gp_status gp_layout_status(const gp_layout *layout, gp_error **err)
{
    return layout->nomem ? gp_error_nomem(err) : GP_OK;
}

void gp_layout_free(gp_layout *layout)
{
    gp_layout_clear(layout);
    free(layout->marks);
    gp_layout_init(layout);
}

void gp_layout_finding(gp_layout_job *job, const char *code, const char *fmt, ...)
{
    job->ok = false;
    if (job->report == NULL)
        return;
    va_list ap;
    va_start(ap, fmt);
    /* A finding lost for want of memory would let the record pass. */
    if (!gp_report_vadd(job->report, GP_ERROR, code, job->file, job->line, job->student_no, fmt, ap))
        job->out->nomem = true;
    va_end(ap);
}

void gp_layout_nomem(gp_layout_job *job)
{
    job->out->nomem = true;
    gp_layout_finding(job, "out-of-memory", "%s",
                      _("ran out of memory while laying out this record; close other programs or run with "
                        "fewer jobs"));
}

void gp_mark_from_element(gp_mark *m, gp_mark_kind kind, const gp_element *el, ptrdiff_t index)
{
    memset(m, 0, sizeof *m);
    m->kind = kind;
    m->source = (int)index;
    m->line = el->line;
    m->box = el->box;
    m->style = el->style;
    m->para = el->para;
    m->qr_level = el->qr_level;
    m->image = (gp_mark_image){el->src, el->src_format, el->src_page};
    m->line_width_mm = el->line_width_mm;
    memcpy(m->color, el->color, sizeof m->color);
}

gp_mark *gp_layout_add_mark(gp_layout_job *job, gp_mark_kind kind, const gp_element *el)
{
    gp_layout *out = job->out;
    if (out->count == out->cap) {
        size_t cap = out->cap ? out->cap * 2 : 32;
        gp_mark *marks = realloc(out->marks, cap * sizeof *marks);
        if (marks == NULL) {
            gp_layout_nomem(job);
            return NULL;
        }
        out->marks = marks;
        out->cap = cap;
    }
    gp_mark *m = &out->marks[out->count++];
    gp_mark_from_element(m, kind, el, el - job->tpl->elements);
    return m;
}

const char *gp_layout_template_name(const gp_layout_job *job)
{
    if (job->tpl->path != NULL)
        return job->tpl->path;
    return job->tpl->name != NULL ? job->tpl->name : "template";
}

static const char *problem_code(gp_pattern_problem problem)
{
    switch (problem) {
    case GP_PATTERN_MISSING:
        return "missing-field";
    case GP_PATTERN_UNFORMATTABLE:
        return "field-format";
    case GP_PATTERN_NOT_IN_MAP:
        return "field-not-in-map";
    case GP_PATTERN_OK:
        break;
    }
    return "field-format";
}

char *gp_layout_expand_spans(gp_layout_job *job, const gp_element *el, gp_span **spans, size_t *nspans)
{
    gp_strbuf *sb = &job->scratch;
    gp_strbuf_clear(sb);
    gp_pattern_failure why;
    memset(&why, 0, sizeof why);
    if (spans != NULL) {
        *spans = NULL;
        *nspans = 0;
    }
    bool ok = el->content == NULL ||
              (spans != NULL ? gp_pattern_expand_spans(el->content, job->lookup, job->user, sb, spans, nspans, &why)
                             : gp_pattern_expand_ex(el->content, job->lookup, job->user, sb, &why));
    char *text = gp_strbuf_failed(sb) ? NULL : strdup(sb->data);
    if (text == NULL) {
        if (gp_strbuf_failed(sb)) {
            /* The buffer stays failed for good; start this record's next element afresh. */
            gp_strbuf_free(sb);
        }
        if (spans != NULL) {
            free(*spans);
            *spans = NULL;
            *nspans = 0;
        }
        gp_layout_nomem(job);
        return NULL;
    }
    if (!ok && why.problem != GP_PATTERN_OK) {
        gp_strbuf_clear(sb);
        gp_pattern_failure_describe(&why, sb);
        if (gp_strbuf_failed(sb)) {
            gp_strbuf_free(sb);
            gp_layout_nomem(job);
        } else {
            gp_layout_finding(job, problem_code(why.problem), _("%s (template %s line %ld)"), sb->data,
                              gp_layout_template_name(job), el->line);
        }
    }
    return text;
}

char *gp_layout_expand(gp_layout_job *job, const gp_element *el)
{
    return gp_layout_expand_spans(job, el, NULL, NULL);
}

static void layout_element(gp_layout_job *job, const gp_element *el)
{
    gp_mark *m;
    switch (el->kind) {
    case GP_EL_TEXT:
        gp_layout_text(job, el);
        break;
    case GP_EL_PHOTO:
        gp_layout_add_mark(job, GP_MARK_PHOTO, el);
        break;
    case GP_EL_QRCODE: {
        char *data = gp_layout_expand(job, el);
        if (data == NULL)
            break;
        m = gp_layout_add_mark(job, GP_MARK_QR, el);
        if (m == NULL) {
            free(data);
            break;
        }
        m->text = data;
        break;
    }
    case GP_EL_LINE:
        gp_layout_add_mark(job, GP_MARK_LINE, el);
        break;
    case GP_EL_CUT_GUIDES:
        gp_layout_cut_guides(job, el);
        break;
    case GP_EL_PARAGRAPH:
        gp_layout_paragraph(job, el);
        break;
    case GP_EL_IMAGE:
        gp_layout_add_mark(job, GP_MARK_IMAGE, el);
        break;
    case GP_EL_BACKGROUND:
        /* The blank is the page, whatever box the element was given. */
        m = gp_layout_add_mark(job, GP_MARK_BACKGROUND, el);
        if (m != NULL)
            m->box = (gp_box){0, 0, job->tpl->page_w_mm, job->tpl->page_h_mm};
        break;
    }
}

bool gp_layout_build(const gp_template *tpl, gp_field_lookup lookup, void *user, gp_text_engine *text,
                     gp_layout *out, gp_report *report, const char *file, long line, const char *student_no)
{
    gp_layout_job job = {
        .tpl = tpl,
        .lookup = lookup,
        .user = user,
        .text = text,
        .out = out,
        .report = report,
        .file = file,
        .line = line,
        .student_no = student_no,
        .ok = true,
    };
    gp_strbuf_init(&job.scratch);
    gp_layout_clear(out);
    out->page_w_mm = tpl->page_w_mm;
    out->page_h_mm = tpl->page_h_mm;
    for (size_t i = 0; i < tpl->count; i++)
        layout_element(&job, &tpl->elements[i]);
    gp_strbuf_free(&job.scratch);
    return job.ok;
}
