/* Looking records up by ID number or student number: two sorted arrays of
 * pointers into the roster, built once per job. */
#include <stdlib.h>
#include <string.h>

#include "photo-capture-log-private.h"
#include "roster/roster-private.h"

typedef struct keyed {
    const char *key;
    const gp_record *record;
} keyed;

struct gp_roster_index {
    keyed *by_id, *by_no;
    size_t nid, nno;
};

static int compare_keyed(const void *a, const void *b)
{
    return strcmp(((const keyed *)a)->key, ((const keyed *)b)->key);
}

gp_roster_index *gp_roster_index_new(const gp_roster *roster)
{
    size_t n = gp_roster_size(roster);
    gp_roster_index *x = calloc(1, sizeof *x);
    if (x == NULL)
        return NULL;
    x->by_id = malloc((n ? n : 1) * sizeof *x->by_id);
    x->by_no = malloc((n ? n : 1) * sizeof *x->by_no);
    if (x->by_id == NULL || x->by_no == NULL) {
        gp_roster_index_free(x);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        const gp_record *r = gp_roster_record(roster, i);
        const char *id = gp_record_key(r, GP_KEY_ID_NUMBER), *no = gp_record_key(r, GP_KEY_STUDENT_NO);
        if (id != NULL)
            x->by_id[x->nid++] = (keyed){id, r};
        if (no != NULL)
            x->by_no[x->nno++] = (keyed){no, r};
    }
    qsort(x->by_id, x->nid, sizeof *x->by_id, compare_keyed);
    qsort(x->by_no, x->nno, sizeof *x->by_no, compare_keyed);
    return x;
}

void gp_roster_index_free(gp_roster_index *index)
{
    if (index == NULL)
        return;
    free(index->by_id);
    free(index->by_no);
    free(index);
}

static const gp_record *lookup(const keyed *v, size_t n, const char *key)
{
    if (key == NULL)
        return NULL;
    keyed probe = {key, NULL};
    const keyed *k = bsearch(&probe, v, n, sizeof *v, compare_keyed);
    return k != NULL ? k->record : NULL;
}

const gp_record *gp_roster_index_by_id(const gp_roster_index *index, const char *id_number)
{
    return lookup(index->by_id, index->nid, id_number);
}

const gp_record *gp_roster_index_by_student_no(const gp_roster_index *index, const char *student_no)
{
    return lookup(index->by_no, index->nno, student_no);
}
