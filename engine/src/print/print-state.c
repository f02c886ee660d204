/* A print run's state, folded from its journal: which records were printed,
 * which batches ended how, which blanks were used or spoiled. The fold also
 * guards the run's rules (never print a record twice unless asked, never
 * use a blank twice), for writers that apply each event before journalling
 * it. */
#include "print/journal-private.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/array-private.h"
#include "base/error-private.h"
#include "base/i18n-private.h"

/* ---- blank serials: a small open-addressing set ---- */

enum { SERIAL_USED = 1, SERIAL_VOIDED = 2 };

typedef struct serial_entry {
    char *serial;
    long record; /* used on this record, -1 when only voided */
    long batch;  /* in this batch, -1 when none said */
    unsigned flags;
} serial_entry;

typedef struct serial_set {
    serial_entry *slots;
    size_t cap, count;
} serial_set;

static uint64_t hash_string(const char *s)
{
    uint64_t h = 1469598103934665603u;
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++)
        h = (h ^ *p) * 1099511628211u;
    return h;
}

static serial_entry *serial_slot(const serial_set *set, const char *serial)
{
    if (set->cap == 0)
        return NULL;
    size_t i = (size_t)(hash_string(serial) & (set->cap - 1));
    while (set->slots[i].serial != NULL && strcmp(set->slots[i].serial, serial) != 0)
        i = (i + 1) & (set->cap - 1);
    return &set->slots[i];
}

static serial_entry *serial_find(const serial_set *set, const char *serial)
{
    serial_entry *e = serial_slot(set, serial);
    return e != NULL && e->serial != NULL ? e : NULL;
}

static bool serial_grow(serial_set *set)
{
    size_t cap = set->cap == 0 ? 64 : set->cap * 2;
    serial_entry *slots = calloc(cap, sizeof *slots);
    if (slots == NULL)
        return false;
    serial_set bigger = {slots, cap, set->count};
    for (size_t i = 0; i < set->cap; i++)
        if (set->slots[i].serial != NULL)
            *serial_slot(&bigger, set->slots[i].serial) = set->slots[i];
    free(set->slots);
    *set = bigger;
    return true;
}

/* The entry for serial, added (flags 0) when new; NULL when memory ran out. */
static serial_entry *serial_get(serial_set *set, const char *serial)
{
    serial_entry *e = serial_find(set, serial);
    if (e != NULL)
        return e;
    if ((set->count + 1) * 2 > set->cap && !serial_grow(set))
        return NULL;
    char *copy = strdup(serial);
    if (copy == NULL)
        return NULL;
    e = serial_slot(set, serial);
    e->serial = copy;
    e->record = -1;
    e->batch = -1;
    e->flags = 0;
    set->count++;
    return e;
}

static void serial_set_free(serial_set *set)
{
    if (set == NULL)
        return;
    for (size_t i = 0; i < set->cap; i++)
        free(set->slots[i].serial);
    free(set->slots);
    free(set);
}

/* ---- the state ---- */

gp_print_state *gp_print_state_new(void)
{
    gp_print_state *state = calloc(1, sizeof *state);
    if (state == NULL)
        return NULL;
    state->serials = calloc(1, sizeof(serial_set));
    if (state->serials == NULL) {
        free(state);
        return NULL;
    }
    return state;
}

static void free_batch(gp_print_batch *b)
{
    free(b->media);
    free(b->job_name);
    free(b->queue);
    free(b->cups_state);
    free(b->reason);
    free(b->records);
}

void gp_print_state_free(gp_print_state *state)
{
    if (state == NULL)
        return;
    free(state->run_id);
    free(state->template_name);
    free(state->queues);
    free(state->options);
    for (size_t i = 0; i < state->n_records; i++) {
        free(state->records[i].student_no);
        free(state->records[i].blank_serial);
        free(state->records[i].prev_blank);
    }
    free(state->records);
    for (size_t i = 0; i < state->n_batches; i++)
        free_batch(&state->batches[i]);
    free(state->batches);
    for (size_t i = 0; i < state->n_voided; i++) {
        free(state->voided[i].serial);
        free(state->voided[i].reason);
    }
    free(state->voided);
    serial_set_free(state->serials);
    free(state);
}

const gp_print_record *gp_print_state_record(const gp_print_state *state, long index)
{
    if (index < 0 || (size_t)index >= state->n_records || state->records[index].student_no == NULL)
        return NULL;
    return &state->records[index];
}

static gp_print_batch *find_batch(const gp_print_state *state, long number)
{
    /* Recent batches are asked about most. */
    for (size_t i = state->n_batches; i-- > 0;)
        if (state->batches[i].number == number)
            return &state->batches[i];
    return NULL;
}

const gp_print_batch *gp_print_state_batch(const gp_print_state *state, long number)
{
    return find_batch(state, number);
}

bool gp_print_state_blank_voided(const gp_print_state *state, const char *serial)
{
    const serial_entry *e = serial_find(state->serials, serial);
    return e != NULL && (e->flags & SERIAL_VOIDED);
}

bool gp_print_state_blank_used(const gp_print_state *state, const char *serial)
{
    const serial_entry *e = serial_find(state->serials, serial);
    return e != NULL && (e->flags & SERIAL_USED);
}

int gp_serial_compare(const char *a, const char *b, bool *same_series)
{
    size_t la = strlen(a), lb = strlen(b), da = la, db = lb;
    while (da > 0 && a[da - 1] >= '0' && a[da - 1] <= '9')
        da--;
    while (db > 0 && b[db - 1] >= '0' && b[db - 1] <= '9')
        db--;
    if (same_series != NULL)
        *same_series = da == db && la - da == lb - db && strncmp(a, b, da) == 0;
    size_t na = la - da, nb = lb - db;
    while (na > 1 && a[da] == '0')
        da++, na--;
    while (nb > 1 && b[db] == '0')
        db++, nb--;
    if (na != nb)
        return na < nb ? -1 : 1;
    return strcmp(a + da, b + db);
}

const char *gp_print_state_highest_blank(const gp_print_state *state)
{
    const serial_set *set = state->serials;
    const char *best = NULL;
    for (size_t i = 0; i < set->cap; i++) {
        const serial_entry *e = &set->slots[i];
        if (e->serial != NULL && (e->flags & SERIAL_USED) && (best == NULL || gp_serial_compare(e->serial, best, NULL) > 0))
            best = e->serial;
    }
    return best;
}

static bool replace_string(char **dst, const char *src)
{
    char *copy = NULL;
    if (src != NULL && (copy = strdup(src)) == NULL)
        return false;
    free(*dst);
    *dst = copy;
    return true;
}

static bool batch_open(const gp_print_batch *b)
{
    return b->state == GP_BATCH_INTENT || b->state == GP_BATCH_SUBMITTED;
}

/* Room for records up to index. */
static bool ensure_record(gp_print_state *state, long index)
{
    if ((size_t)index < state->n_records)
        return true;
    size_t n = (size_t)index + 1;
    gp_print_record *grown = realloc(state->records, n * sizeof *grown);
    if (grown == NULL)
        return false;
    for (size_t i = state->n_records; i < n; i++) {
        memset(&grown[i], 0, sizeof grown[i]);
        grown[i].batch = -1;
    }
    state->records = grown;
    state->n_records = n;
    return true;
}

typedef struct fold {
    gp_print_state *state;
    const char *file;
    long line;
    gp_error **err;
} fold;

static gp_status refuse(const fold *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static gp_status refuse(const fold *f, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return gp_error_set(f->err, GP_E_INVALID, f->file, f->line,
                        _("%s; the print journal does not allow this, so the run stops here (a gradprint bug, or "
                          "the journal was edited)"),
                        msg);
}

/* The record's batch, when that batch's outcome is not known yet. */
static const gp_print_batch *open_batch_of(const gp_print_state *state, const gp_print_record *r)
{
    if (r->batch < 0)
        return NULL;
    const gp_print_batch *b = find_batch(state, r->batch);
    return b != NULL && batch_open(b) ? b : NULL;
}

static gp_status apply_run_started(const fold *f, const gp_journal_event *ev)
{
    gp_print_state *s = f->state;
    if (s->run_id != NULL && strcmp(s->run_id, ev->run_id) != 0)
        return refuse(f, _("run %s started in the journal of run %s"), ev->run_id, s->run_id);
    if (!replace_string(&s->run_id, ev->run_id) || !replace_string(&s->template_name, ev->template_name) ||
        !replace_string(&s->queues, ev->queues) || !replace_string(&s->options, ev->options))
        return gp_error_nomem(f->err);
    return GP_OK;
}

static gp_status apply_run_changed(const fold *f, const gp_journal_event *ev)
{
    gp_print_state *s = f->state;
    if (!replace_string(&s->queues, ev->queues) || !replace_string(&s->options, ev->options))
        return gp_error_nomem(f->err);
    return GP_OK;
}

static gp_status apply_rendered(const fold *f, const gp_journal_event *ev)
{
    gp_print_state *s = f->state;
    if (!ensure_record(s, ev->record))
        return gp_error_nomem(f->err);
    gp_print_record *r = &s->records[ev->record];
    if (r->student_no != NULL && strcmp(r->student_no, ev->student_no) != 0)
        return refuse(f, _("record %ld is student %s, but was student %s earlier in this run: the roster changed"),
                      ev->record, ev->student_no, r->student_no);
    const gp_print_batch *open = open_batch_of(s, r);
    if (open != NULL)
        return refuse(f, _("record %ld was rendered again while the outcome of its batch %ld (job %s) is unknown"),
                      ev->record, open->number, open->job_name);
    if (r->state == GP_RECORD_COMPLETED)
        return refuse(f, _("record %ld (student %s) was rendered again after it was printed, without a reprint "
                           "request"),
                      ev->record, ev->student_no);
    const gp_print_batch *b = find_batch(s, ev->batch);
    if (b != NULL)
        return refuse(f, _("record %ld was rendered into batch %ld, which was already sent"), ev->record, ev->batch);
    if (r->student_no == NULL && (r->student_no = strdup(ev->student_no)) == NULL)
        return gp_error_nomem(f->err);
    if (ev->line > 0)
        r->line = ev->line;
    r->state = GP_RECORD_RENDERED;
    r->batch = ev->batch;
    r->job_id = 0;
    return GP_OK;
}

static gp_status apply_intent(const fold *f, const gp_journal_event *ev)
{
    gp_print_state *s = f->state;
    if (find_batch(s, ev->batch) != NULL)
        return refuse(f, _("batch %ld was announced twice"), ev->batch);
    for (size_t i = 0; i < ev->n_records; i++) {
        long idx = ev->records[i];
        const gp_print_record *r = gp_print_state_record(s, idx);
        if (r == NULL || r->state != GP_RECORD_RENDERED || r->batch != ev->batch)
            return refuse(f, _("batch %ld holds record %ld, which was not rendered for it"), ev->batch, idx);
        for (size_t k = 0; k < i; k++)
            if (ev->records[k] == idx)
                return refuse(f, _("batch %ld holds record %ld twice"), ev->batch, idx);
    }
    if (!GP_ARRAY_ROOM(s->batches, s->n_batches, s->cap_batches))
        return gp_error_nomem(f->err);
    gp_print_batch *b = &s->batches[s->n_batches];
    memset(b, 0, sizeof *b);
    b->number = ev->batch;
    b->state = GP_BATCH_INTENT;
    b->intent_line = f->line;
    b->job_name = strdup(ev->job_name);
    b->queue = strdup(ev->queue);
    b->media = ev->media != NULL ? strdup(ev->media) : NULL;
    b->turned = ev->turned;
    b->records = malloc(ev->n_records * sizeof *b->records);
    if (b->job_name == NULL || b->queue == NULL || b->records == NULL || (ev->media != NULL && b->media == NULL)) {
        free_batch(b);
        return gp_error_nomem(f->err);
    }
    memcpy(b->records, ev->records, ev->n_records * sizeof *b->records);
    b->n_records = ev->n_records;
    s->n_batches++;
    return GP_OK;
}

static void set_records(gp_print_state *s, const gp_print_batch *b, gp_record_state rs)
{
    for (size_t i = 0; i < b->n_records; i++) {
        gp_print_record *r = &s->records[b->records[i]];
        /* A record re-rendered elsewhere since is no longer this batch's. */
        if (r->batch != b->number)
            continue;
        r->state = rs;
        r->job_id = b->job_id;
        if (rs == GP_RECORD_COMPLETED)
            r->printed++;
    }
}

/* A batch whose document never reached the printer left its blanks in the
 * tray: they go back to the stack, and the next batch takes them. */
static void release_blanks(gp_print_state *s, gp_print_batch *b)
{
    b->unused = true;
    for (size_t i = 0; i < b->n_records; i++) {
        gp_print_record *r = &s->records[b->records[i]];
        if (r->batch != b->number || r->blank_serial == NULL)
            continue;
        serial_entry *e = serial_find(s->serials, r->blank_serial);
        if (e == NULL || e->batch != b->number || !(e->flags & SERIAL_USED))
            continue;
        e->flags &= ~(unsigned)SERIAL_USED;
        e->record = -1;
        e->batch = -1;
        free(r->blank_serial);
        r->blank_serial = r->prev_blank;
        r->prev_blank = NULL;
    }
}

static gp_status apply_batch_end(const fold *f, const gp_journal_event *ev)
{
    gp_print_state *s = f->state;
    gp_print_batch *b = find_batch(s, ev->batch);
    const char *name = gp_journal_kind_name(ev->kind);
    if (b == NULL)
        return refuse(f, _("batch %ld has a %s event but was never announced"), ev->batch, name);
    if (!batch_open(b))
        return refuse(f, _("batch %ld has a %s event but had already ended"), ev->batch, name);
    if (ev->kind == GP_JOURNAL_BATCH_SUBMITTED && b->state != GP_BATCH_INTENT)
        return refuse(f, _("batch %ld was submitted twice"), ev->batch);
    if (ev->job_id != 0 && b->job_id != 0 && ev->job_id != b->job_id)
        return refuse(f, _("batch %ld was job %d but now names job %d"), ev->batch, b->job_id, ev->job_id);
    if (ev->job_id != 0)
        b->job_id = ev->job_id;
    if (ev->kind == GP_JOURNAL_BATCH_SUBMITTED) {
        b->state = GP_BATCH_SUBMITTED;
        set_records(s, b, GP_RECORD_SUBMITTED);
        return GP_OK;
    }
    bool ok = ev->kind == GP_JOURNAL_BATCH_COMPLETED;
    if (!replace_string(&b->cups_state, ev->state != NULL ? ev->state : (ok ? "completed" : NULL)) ||
        !replace_string(&b->reason, ev->reason))
        return gp_error_nomem(f->err);
    b->state = ok ? GP_BATCH_COMPLETED : GP_BATCH_FAILED;
    set_records(s, b, ok ? GP_RECORD_COMPLETED : GP_RECORD_FAILED);
    if (!ok && ev->unused_blanks)
        release_blanks(s, b);
    return GP_OK;
}

static gp_status apply_blank_assigned(const fold *f, const gp_journal_event *ev)
{
    gp_print_state *s = f->state;
    gp_print_record *r = (gp_print_record *)gp_print_state_record(s, ev->record);
    if (r == NULL)
        return refuse(f, _("blank %s was assigned to record %ld, which was never rendered"), ev->serial, ev->record);
    serial_entry *e = serial_get(s->serials, ev->serial);
    if (e == NULL)
        return gp_error_nomem(f->err);
    if (e->flags & SERIAL_VOIDED)
        return refuse(f, _("blank %s was assigned to record %ld after it was voided"), ev->serial, ev->record);
    if (e->flags & SERIAL_USED)
        return refuse(f, _("blank %s was assigned to record %ld but already holds record %ld"), ev->serial,
                      ev->record, e->record);
    char *copy = strdup(ev->serial);
    if (copy == NULL)
        return gp_error_nomem(f->err);
    free(r->prev_blank);
    r->prev_blank = r->blank_serial;
    r->blank_serial = copy;
    e->flags |= SERIAL_USED;
    e->record = ev->record;
    e->batch = ev->batch;
    return GP_OK;
}

static gp_status reprint_one(gp_print_state *s, long index);

static gp_status apply_blank_voided(const fold *f, const gp_journal_event *ev)
{
    gp_print_state *s = f->state;
    serial_entry *e = serial_get(s->serials, ev->serial);
    if (e == NULL)
        return gp_error_nomem(f->err);
    if (e->flags & SERIAL_VOIDED)
        return refuse(f, _("blank %s was voided twice"), ev->serial);
    if (ev->record >= 0) {
        const gp_print_record *r = gp_print_state_record(s, ev->record);
        if (r == NULL || r->blank_serial == NULL || strcmp(r->blank_serial, ev->serial) != 0)
            return refuse(f, _("blank %s was voided for record %ld, which is not on it"), ev->serial, ev->record);
        if (open_batch_of(s, r) != NULL)
            return refuse(f, _("blank %s was voided while the outcome of its batch is unknown"), ev->serial);
    }
    if (!GP_ARRAY_ROOM(s->voided, s->n_voided, s->cap_voided))
        return gp_error_nomem(f->err);
    gp_print_void *v = &s->voided[s->n_voided];
    v->serial = strdup(ev->serial);
    v->reason = strdup(ev->reason);
    if (v->serial == NULL || v->reason == NULL) {
        free(v->serial);
        free(v->reason);
        return gp_error_nomem(f->err);
    }
    v->record = ev->record;
    s->n_voided++;
    e->flags |= SERIAL_VOIDED;
    /* The record on a spoilt blank goes onto the next one: the same event,
     * so no crash can void a blank without queueing its certificate. */
    if (ev->record >= 0 && s->records[ev->record].state == GP_RECORD_COMPLETED)
        return reprint_one(s, ev->record);
    return GP_OK;
}

static gp_status reprint_one(gp_print_state *s, long index)
{
    gp_print_record *r = &s->records[index];
    r->state = GP_RECORD_NONE;
    r->batch = -1;
    r->job_id = 0;
    r->reprints++;
    return GP_OK;
}

static gp_status apply_reprint(const fold *f, const gp_journal_event *ev)
{
    gp_print_state *s = f->state;
    for (size_t i = 0; i < ev->n_records; i++) {
        const gp_print_record *r = gp_print_state_record(s, ev->records[i]);
        if (r == NULL)
            return refuse(f, _("a reprint of record %ld was requested, but it was never rendered"), ev->records[i]);
        const gp_print_batch *open = open_batch_of(s, r);
        if (open != NULL)
            return refuse(f, _("a reprint of record %ld was requested while the outcome of its batch %ld (job %s) "
                               "is unknown"),
                          ev->records[i], open->number, open->job_name);
    }
    for (size_t i = 0; i < ev->n_records; i++)
        reprint_one(s, ev->records[i]);
    return GP_OK;
}

gp_status gp_print_state_apply(gp_print_state *state, const gp_journal_event *ev, const char *file, long line,
                               gp_error **err)
{
    fold f = {state, file, line, err};
    if (ev->kind != GP_JOURNAL_RUN_STARTED && state->run_id == NULL)
        return refuse(&f, "%s", _("the journal does not begin with run-started"));
    gp_status st;
    switch (ev->kind) {
    case GP_JOURNAL_RUN_STARTED: st = apply_run_started(&f, ev); break;
    case GP_JOURNAL_RUN_CHANGED: st = apply_run_changed(&f, ev); break;
    case GP_JOURNAL_RECORD_RENDERED: st = apply_rendered(&f, ev); break;
    case GP_JOURNAL_BATCH_INTENT: st = apply_intent(&f, ev); break;
    case GP_JOURNAL_BATCH_SUBMITTED:
    case GP_JOURNAL_BATCH_COMPLETED:
    case GP_JOURNAL_BATCH_FAILED: st = apply_batch_end(&f, ev); break;
    case GP_JOURNAL_BLANK_ASSIGNED: st = apply_blank_assigned(&f, ev); break;
    case GP_JOURNAL_BLANK_VOIDED: st = apply_blank_voided(&f, ev); break;
    case GP_JOURNAL_REPRINT_REQUESTED: st = apply_reprint(&f, ev); break;
    default: st = refuse(&f, "%s", _("unknown journal event")); break;
    }
    if (st == GP_OK)
        state->events++;
    return st;
}

typedef struct load_ctx {
    gp_print_state *state;
    const char *path;
} load_ctx;

static gp_status load_event(void *user, const gp_journal_event *ev, long line, gp_error **err)
{
    load_ctx *ctx = user;
    return gp_print_state_apply(ctx->state, ev, ctx->path, line, err);
}

gp_status gp_print_state_load(const char *path, gp_print_state **out, gp_error **err)
{
    *out = NULL;
    gp_print_state *state = gp_print_state_new();
    if (state == NULL)
        return gp_error_nomem(err);
    load_ctx ctx = {state, path};
    gp_status st = gp_journal_replay(path, load_event, &ctx, &state->torn_tail, err);
    if (st != GP_OK) {
        gp_print_state_free(state);
        return st;
    }
    *out = state;
    return GP_OK;
}
