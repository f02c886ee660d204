/* One replay of a run's journal that folds the state and keeps what the
 * fold does not: when things happened, the last blank handed out, the
 * highest batch number ever named (batch numbers are never reused, also
 * those of batches rendered but never announced). */
#include <stdlib.h>
#include <string.h>

#include "base/error-private.h"
#include "print-run-private.h"

const gp_print_batch *gp_run_record_batch(const gp_print_state *state, const gp_print_record *r)
{
    return r != NULL && r->batch >= 0 ? gp_print_state_batch(state, r->batch) : NULL;
}

static bool set_string(char **slot, const char *value)
{
    char *copy = value ? strdup(value) : NULL;
    if (value != NULL && copy == NULL)
        return false;
    free(*slot);
    *slot = copy;
    return true;
}

static bool grow(void **array, size_t old_n, size_t new_n, size_t elem)
{
    if (new_n <= old_n)
        return true;
    void *p = realloc(*array, new_n * elem);
    if (p == NULL)
        return false;
    memset((char *)p + old_n * elem, 0, (new_n - old_n) * elem);
    *array = p;
    return true;
}

typedef struct scan_ctx {
    gp_run_scan *scan;
    const char *path;
} scan_ctx;

static long record_on_blank(const gp_print_state *s, const char *serial)
{
    for (size_t i = 0; i < s->n_records; i++)
        if (s->records[i].blank_serial != NULL && strcmp(s->records[i].blank_serial, serial) == 0)
            return (long)i;
    return -1;
}

static gp_status on_event(void *user, const gp_journal_event *ev, long line, gp_error **err)
{
    scan_ctx *c = user;
    gp_run_scan *sc = c->scan;
    gp_print_state *s = sc->state;
    long voided_record = ev->kind == GP_JOURNAL_BLANK_VOIDED ? record_on_blank(s, ev->serial) : -1;
    gp_status st = gp_print_state_apply(s, ev, c->path, line, err);
    if (st != GP_OK)
        return st;
    if ((sc->started == NULL && !set_string(&sc->started, ev->time)) || !set_string(&sc->updated, ev->time))
        return gp_error_nomem(err);
    if (ev->batch > sc->max_batch)
        sc->max_batch = ev->batch;
    bool ok = true;
    switch (ev->kind) {
    case GP_JOURNAL_BLANK_ASSIGNED:
        sc->blanks_assigned++;
        ok = set_string(&sc->last_serial, ev->serial) &&
             grow((void **)&sc->blanks, sc->n_blanks, sc->n_blanks + 1, sizeof *sc->blanks);
        if (ok) {
            gp_run_blank *b = &sc->blanks[sc->n_blanks++];
            b->record = ev->record;
            b->batch = ev->batch;
            ok = set_string(&b->serial, ev->serial) && set_string(&b->time, ev->time);
        }
        break;
    case GP_JOURNAL_REPRINT_REQUESTED:
        /* The blanks the records were on until now are the ones replaced. */
        for (size_t r = 0; ok && r < ev->n_records; r++) {
            const gp_print_record *rec = gp_print_state_record(s, ev->records[r]);
            for (size_t i = sc->n_blanks; ok && rec != NULL && rec->blank_serial != NULL && i-- > 0;)
                if (sc->blanks[i].reprint_reason == NULL && strcmp(sc->blanks[i].serial, rec->blank_serial) == 0) {
                    ok = set_string(&sc->blanks[i].reprint_reason, ev->reason);
                    break;
                }
        }
        break;
    case GP_JOURNAL_RECORD_RENDERED:
        if (ev->id_number != NULL) {
            size_t need = (size_t)ev->record + 1;
            ok = grow((void **)&sc->masked_ids, sc->n_masked, need, sizeof *sc->masked_ids);
            if (ok && need > sc->n_masked)
                sc->n_masked = need;
            ok = ok && set_string(&sc->masked_ids[ev->record], ev->id_number);
        }
        break;
    case GP_JOURNAL_BATCH_FAILED:
        for (size_t i = 0; ev->unused_blanks && i < sc->n_blanks; i++)
            if (sc->blanks[i].batch == ev->batch && !sc->blanks[i].released) {
                sc->blanks[i].released = true;
                sc->blanks_released++;
            }
        /* fall through */
    case GP_JOURNAL_BATCH_COMPLETED:
        ok = grow((void **)&sc->batch_times, sc->n_batch_times, s->n_batches, sizeof *sc->batch_times);
        if (ok && s->n_batches > sc->n_batch_times)
            sc->n_batch_times = s->n_batches;
        for (size_t i = 0; ok && i < s->n_batches; i++)
            if (s->batches[i].number == ev->batch)
                ok = set_string(&sc->batch_times[i], ev->time);
        break;
    case GP_JOURNAL_BLANK_VOIDED:
        ok = grow((void **)&sc->void_rows, sc->n_voids, s->n_voided, sizeof *sc->void_rows) &&
             grow((void **)&sc->void_times, sc->n_voids, s->n_voided, sizeof *sc->void_times);
        if (ok) {
            sc->n_voids = s->n_voided;
            sc->void_rows[s->n_voided - 1] = voided_record + 1;
            ok = set_string(&sc->void_times[s->n_voided - 1], ev->time);
        }
        break;
    default: break;
    }
    return ok ? GP_OK : gp_error_nomem(err);
}

gp_status gp_run_scan_load(const char *journal_path, gp_run_scan *scan, gp_error **err)
{
    memset(scan, 0, sizeof *scan);
    scan->state = gp_print_state_new();
    if (scan->state == NULL)
        return gp_error_nomem(err);
    scan_ctx c = {scan, journal_path};
    gp_status st = gp_journal_replay(journal_path, on_event, &c, &scan->state->torn_tail, err);
    /* Arrays cover every batch and void, also those that never ended. */
    if (st == GP_OK &&
        (!grow((void **)&scan->batch_times, scan->n_batch_times, scan->state->n_batches, sizeof *scan->batch_times) ||
         !grow((void **)&scan->void_rows, scan->n_voids, scan->state->n_voided, sizeof *scan->void_rows) ||
         !grow((void **)&scan->void_times, scan->n_voids, scan->state->n_voided, sizeof *scan->void_times)))
        st = gp_error_nomem(err);
    if (st == GP_OK) {
        scan->n_batch_times = scan->state->n_batches;
        scan->n_voids = scan->state->n_voided;
    }
    return st;
}

void gp_run_scan_free(gp_run_scan *scan)
{
    for (size_t i = 0; i < scan->n_batch_times; i++)
        free(scan->batch_times[i]);
    for (size_t i = 0; i < scan->n_voids; i++)
        free(scan->void_times[i]);
    for (size_t i = 0; i < scan->n_blanks; i++) {
        free(scan->blanks[i].serial);
        free(scan->blanks[i].time);
        free(scan->blanks[i].reprint_reason);
    }
    free(scan->blanks);
    for (size_t i = 0; i < scan->n_masked; i++)
        free(scan->masked_ids[i]);
    free(scan->masked_ids);
    free(scan->batch_times);
    free(scan->void_rows);
    free(scan->void_times);
    free(scan->started);
    free(scan->updated);
    free(scan->last_serial);
    gp_print_state_free(scan->state);
    memset(scan, 0, sizeof *scan);
}

bool gp_run_blank_replaced(const gp_run_scan *scan, size_t i)
{
    const gp_run_blank *b = &scan->blanks[i];
    const gp_print_record *r = gp_print_state_record(scan->state, b->record);
    return !b->released && r != NULL && r->blank_serial != NULL && strcmp(r->blank_serial, b->serial) != 0 &&
           !gp_print_state_blank_voided(scan->state, b->serial);
}
