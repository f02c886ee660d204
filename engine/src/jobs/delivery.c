#include "delivery-private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error-private.h"
#include "base/strbuf-private.h"
#include "roster/roster-private.h"

/* Ranks of a record's groups: the position of the first record of its
 * college, of its (college, major) and of its (college, major, class). */
typedef struct ranked {
    size_t index;
    size_t college_rank, major_rank, class_rank;
    const char *student_no;
} ranked;

static const char *value_or_empty(const gp_record *r, gp_key key)
{
    const char *v = gp_record_key(r, key);
    return v ? v : "";
}

static bool same_groups(const gp_record *a, const gp_record *b, int depth)
{
    static const gp_key keys[] = {GP_KEY_COLLEGE, GP_KEY_MAJOR, GP_KEY_CLASS};
    for (int i = 0; i < depth; i++)
        if (strcmp(value_or_empty(a, keys[i]), value_or_empty(b, keys[i])) != 0)
            return false;
    return true;
}

int gp_student_no_compare(const char *a, const char *b)
{
    bool a_digits = *a != '\0' && strspn(a, "0123456789") == strlen(a);
    bool b_digits = *b != '\0' && strspn(b, "0123456789") == strlen(b);
    if (a_digits && b_digits) {
        while (*a == '0' && a[1] != '\0')
            a++;
        while (*b == '0' && b[1] != '\0')
            b++;
        size_t la = strlen(a), lb = strlen(b);
        if (la != lb)
            return la < lb ? -1 : 1;
    }
    return strcmp(a, b);
}

static int compare_ranked(const void *pa, const void *pb)
{
    const ranked *a = pa, *b = pb;
    if (a->college_rank != b->college_rank)
        return a->college_rank < b->college_rank ? -1 : 1;
    if (a->major_rank != b->major_rank)
        return a->major_rank < b->major_rank ? -1 : 1;
    if (a->class_rank != b->class_rank)
        return a->class_rank < b->class_rank ? -1 : 1;
    int c = gp_student_no_compare(a->student_no, b->student_no);
    if (c != 0)
        return c;
    return a->index < b->index ? -1 : a->index > b->index;
}

char *gp_safe_file_component(const char *s, size_t max_bytes)
{
    size_t n = strlen(s);
    if (n > max_bytes) {
        n = max_bytes;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--; /* do not cut a UTF-8 sequence */
    }
    char *out = malloc(n + 1);
    if (out == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        out[i] = (c < 0x20 || c == 0x7F || c == '/' || c == '\\' || (i == 0 && c == '.')) ? '_' : (char)c;
    }
    out[n] = '\0';
    return out;
}

/* First-appearance ranks by comparing against the records that opened each
 * group so far. Rosters have thousands of records but at most a few hundred
 * classes, so a scan over the groups is cheap and needs no hashing. */
static gp_status rank_records(const gp_roster *roster, ranked *items, size_t n, gp_error **err)
{
    size_t *openers[3];
    size_t nopeners[3] = {0, 0, 0};
    for (int d = 0; d < 3; d++) {
        openers[d] = malloc((n ? n : 1) * sizeof(size_t));
        if (openers[d] == NULL) {
            for (int k = 0; k < d; k++)
                free(openers[k]);
            return gp_error_nomem(err);
        }
    }
    for (size_t i = 0; i < n; i++) {
        const gp_record *r = gp_roster_record(roster, items[i].index);
        size_t *rank_of[3] = {&items[i].college_rank, &items[i].major_rank, &items[i].class_rank};
        for (int d = 0; d < 3; d++) {
            size_t g = 0;
            while (g < nopeners[d] && !same_groups(gp_roster_record(roster, openers[d][g]), r, d + 1))
                g++;
            if (g == nopeners[d])
                openers[d][nopeners[d]++] = items[i].index;
            *rank_of[d] = g;
        }
    }
    for (int d = 0; d < 3; d++)
        free(openers[d]);
    return GP_OK;
}

static char *class_dir_name(size_t number, const gp_delivery_class *c)
{
    char *parts[3] = {gp_safe_file_component(c->college, 60), gp_safe_file_component(c->major, 60),
                      gp_safe_file_component(c->klass, 60)};
    gp_strbuf sb;
    gp_strbuf_init(&sb);
    if (parts[0] && parts[1] && parts[2])
        gp_strbuf_appendf(&sb, "%03zu_%s_%s_%s", number, parts[0], parts[1], parts[2]);
    else
        sb.failed = true;
    for (int i = 0; i < 3; i++)
        free(parts[i]);
    return gp_strbuf_steal(&sb);
}

gp_status gp_delivery_plan(const gp_roster *roster, const bool *include, gp_delivery *out, gp_error **err)
{
    memset(out, 0, sizeof *out);
    size_t total = gp_roster_size(roster), n = 0;
    ranked *items = malloc((total ? total : 1) * sizeof *items);
    if (items == NULL)
        return gp_error_nomem(err);
    for (size_t i = 0; i < total; i++) {
        if (include != NULL && !include[i])
            continue;
        items[n].index = i;
        items[n].student_no = value_or_empty(gp_roster_record(roster, i), GP_KEY_STUDENT_NO);
        n++;
    }
    gp_status st = rank_records(roster, items, n, err);
    if (st != GP_OK) {
        free(items);
        return st;
    }
    qsort(items, n, sizeof *items, compare_ranked);

    out->order = malloc((n ? n : 1) * sizeof *out->order);
    out->classes = calloc(n ? n : 1, sizeof *out->classes);
    if (out->order == NULL || out->classes == NULL) {
        free(items);
        gp_delivery_free(out);
        return gp_error_nomem(err);
    }
    out->count = n;
    for (size_t i = 0; i < n; i++) {
        out->order[i] = items[i].index;
        if (i == 0 || items[i].class_rank != items[i - 1].class_rank ||
            items[i].major_rank != items[i - 1].major_rank || items[i].college_rank != items[i - 1].college_rank) {
            const gp_record *r = gp_roster_record(roster, items[i].index);
            gp_delivery_class *c = &out->classes[out->nclasses++];
            c->college = value_or_empty(r, GP_KEY_COLLEGE);
            c->major = value_or_empty(r, GP_KEY_MAJOR);
            c->klass = value_or_empty(r, GP_KEY_CLASS);
            c->first = i;
            c->dir_name = class_dir_name(out->nclasses, c);
            if (c->dir_name == NULL) {
                free(items);
                gp_delivery_free(out);
                return gp_error_nomem(err);
            }
        }
        out->classes[out->nclasses - 1].count++;
    }
    free(items);
    return GP_OK;
}

void gp_delivery_free(gp_delivery *delivery)
{
    for (size_t i = 0; i < delivery->nclasses; i++)
        free(delivery->classes[i].dir_name);
    free(delivery->classes);
    free(delivery->order);
    memset(delivery, 0, sizeof *delivery);
}
