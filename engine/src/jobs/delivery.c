#include "delivery-private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error-private.h"
#include "base/strbuf-private.h"
#include "roster/roster-private.h"
#include "base/utf8-private.h"

#include <unicode/ucol.h>

/* Ranks of a record's groups: the place of its college, of its (college,
 * major) and of its (college, major, class) in the delivery. */
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

static const gp_key group_keys[] = {GP_KEY_COLLEGE, GP_KEY_MAJOR, GP_KEY_CLASS};

static bool same_groups(const gp_record *a, const gp_record *b, int depth)
{
    for (int i = 0; i < depth; i++)
        if (strcmp(value_or_empty(a, group_keys[i]), value_or_empty(b, group_keys[i])) != 0)
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

/* The value of a Chinese numeral: 七 7, 十二 12, 二十 20, 一百零五 105. */
static long chinese_digit(long cp)
{
    static const long digits[] = {0x3007, 0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D};
    if (cp == 0x96F6) /* 零 */
        return 0;
    for (long d = 0; d < 10; d++)
        if (digits[d] == cp)
            return d;
    return -1;
}

static bool is_chinese_numeral(long cp) { return chinese_digit(cp) >= 0 || cp == 0x5341 || cp == 0x767E; }

static long ascii_or_wide_digit(long cp)
{
    if (cp >= '0' && cp <= '9')
        return cp - '0';
    if (cp >= 0xFF10 && cp <= 0xFF19) /* full-width ０-９ */
        return cp - 0xFF10;
    return -1;
}

/* A number at *p: its value (saturating, far beyond any class number), and
 * *p moved past it. Returns false, leaving *p alone, when none starts there. */
static bool read_number(const char **p, unsigned long long *value)
{
    const char *s = *p, *q = s;
    long cp = gp_utf8_next(&q);
    if (cp < 0)
        return false;
    const unsigned long long cap = 1ULL << 60;
    if (ascii_or_wide_digit(cp) >= 0) {
        unsigned long long v = 0;
        for (;;) {
            long d = ascii_or_wide_digit(cp);
            if (d < 0)
                break;
            v = v < cap ? v * 10 + (unsigned long long)d : cap;
            s = q;
            if ((cp = gp_utf8_next(&q)) < 0)
                break;
        }
        *value = v;
        *p = s;
        return true;
    }
    if (!is_chinese_numeral(cp))
        return false;
    unsigned long long total = 0, digit = 0;
    bool pending = false;
    for (;;) {
        long d = chinese_digit(cp);
        if (d >= 0) {
            digit = (unsigned long long)d;
            pending = true;
        } else if (cp == 0x5341 || cp == 0x767E) { /* 十, 百 */
            total += (pending ? digit : 1) * (cp == 0x5341 ? 10 : 100);
            digit = 0;
            pending = false;
        } else {
            break;
        }
        s = q;
        if ((cp = gp_utf8_next(&q)) < 0)
            break;
    }
    *value = total + (pending ? digit : 0);
    *p = s;
    return true;
}

/* Where the next number starts in s (or its end). */
static const char *next_number(const char *s)
{
    const char *p = s;
    while (*p != '\0') {
        const char *q = p;
        unsigned long long v;
        if (read_number(&q, &v))
            return p;
        if (gp_utf8_next(&q) < 0)
            return p + strlen(p); /* not UTF-8: the rest is text */
        p = q;
    }
    return p;
}

static int compare_text(const gp_collator *coll, const char *a, size_t na, const char *b, size_t nb)
{
    if (coll != NULL) {
        UErrorCode status = U_ZERO_ERROR;
        UCollationResult r = ucol_strcollUTF8(coll, a, (int32_t)na, b, (int32_t)nb, &status);
        if (U_SUCCESS(status))
            return r == UCOL_LESS ? -1 : r == UCOL_GREATER;
    }
    int c = memcmp(a, b, na < nb ? na : nb);
    if (c == 0)
        return na < nb ? -1 : na > nb;
    return c < 0 ? -1 : 1;
}

int gp_natural_compare(const gp_collator *coll, const char *a, const char *b)
{
    const char *pa = a, *pb = b;
    while (*pa != '\0' && *pb != '\0') {
        unsigned long long va, vb;
        const char *na = pa, *nb = pb;
        bool num_a = read_number(&na, &va), num_b = read_number(&nb, &vb);
        if (num_a && num_b) {
            if (va != vb)
                return va < vb ? -1 : 1;
        } else if (num_a != num_b) {
            return num_a ? -1 : 1; /* 1班 before 班 */
        } else {
            na = next_number(pa);
            nb = next_number(pb);
            int c = compare_text(coll, pa, (size_t)(na - pa), pb, (size_t)(nb - pb));
            if (c != 0)
                return c;
        }
        pa = na;
        pb = nb;
    }
    if (*pa != *pb)
        return *pa == '\0' ? -1 : 1;
    int c = strcmp(a, b);
    return (c > 0) - (c < 0);
}

gp_collator *gp_collator_open(void)
{
    UErrorCode status = U_ZERO_ERROR;
    UCollator *coll = ucol_open("zh", &status);
    if (U_FAILURE(status)) {
        if (coll != NULL)
            ucol_close(coll);
        return NULL;
    }
    return coll;
}

void gp_collator_close(gp_collator *coll)
{
    if (coll != NULL)
        ucol_close(coll);
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

/* Groups of depth d (1: college, 2: major, 3: class) in natural order of
 * their names, outer names first. */
static int compare_groups(const gp_collator *coll, const gp_roster *roster, int depth, size_t a, size_t b)
{
    for (int i = 0; i < depth; i++) {
        int c = gp_natural_compare(coll, value_or_empty(gp_roster_record(roster, a), group_keys[i]),
                                   value_or_empty(gp_roster_record(roster, b), group_keys[i]));
        if (c != 0)
            return c;
    }
    return 0;
}

/* Sorts openers[0..n) (records opening each group) naturally; insertion
 * sort, as there are at most a few hundred groups. */
static void sort_openers(const gp_collator *coll, const gp_roster *roster, int depth, size_t *openers, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        size_t v = openers[i], j = i;
        while (j > 0 && compare_groups(coll, roster, depth, openers[j - 1], v) > 0) {
            openers[j] = openers[j - 1];
            j--;
        }
        openers[j] = v;
    }
}

/* Ranks by comparing against the records that opened each group so far:
 * first-appearance ranks, then (natural order) the groups sorted by name.
 * Rosters have thousands of records but at most a few hundred classes, so
 * a scan over the groups is cheap and needs no hashing. */
static gp_status rank_records(const gp_roster *roster, gp_group_order order, ranked *items, size_t n,
                              gp_error **err)
{
    size_t *openers[3], *by_name[3] = {NULL, NULL, NULL};
    size_t nopeners[3] = {0, 0, 0};
    gp_status st = GP_OK;
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
    gp_collator *coll = order == GP_GROUP_ORDER_NATURAL ? gp_collator_open() : NULL;
    if (order == GP_GROUP_ORDER_NATURAL) {
        /* by_name[d][g]: where first-appearance group g goes in name order. */
        for (int d = 0; d < 3 && st == GP_OK; d++) {
            size_t m = nopeners[d] ? nopeners[d] : 1;
            size_t *sorted = malloc(m * sizeof(size_t));
            by_name[d] = malloc(m * sizeof(size_t));
            if (sorted == NULL || by_name[d] == NULL) {
                free(sorted);
                st = gp_error_nomem(err);
                break;
            }
            memcpy(sorted, openers[d], nopeners[d] * sizeof(size_t));
            sort_openers(coll, roster, d + 1, sorted, nopeners[d]);
            for (size_t k = 0; k < nopeners[d]; k++) {
                size_t g = 0;
                while (openers[d][g] != sorted[k])
                    g++;
                by_name[d][g] = k;
            }
            free(sorted);
        }
        for (size_t i = 0; st == GP_OK && i < n; i++) {
            items[i].college_rank = by_name[0][items[i].college_rank];
            items[i].major_rank = by_name[1][items[i].major_rank];
            items[i].class_rank = by_name[2][items[i].class_rank];
        }
    }
    gp_collator_close(coll);
    for (int d = 0; d < 3; d++) {
        free(openers[d]);
        free(by_name[d]);
    }
    return st;
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

gp_status gp_delivery_plan(const gp_roster *roster, const bool *include, gp_group_order order, gp_delivery *out,
                           gp_error **err)
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
    gp_status st = rank_records(roster, order, items, n, err);
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
