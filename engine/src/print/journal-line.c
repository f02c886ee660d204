/* Journal lines: escaping, the checksum, and the fields of each event. */
#include "print/journal-line-private.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hex-private.h"
#include "base/i18n-private.h"

uint32_t gp_journal_crc32(const void *data, size_t len)
{
    /* Bitwise: lines are short, and a table would be global state. */
    const unsigned char *p = data;
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 0; i < len; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return crc ^ 0xFFFFFFFFu;
}

static const char *const kind_names[] = {
    [GP_JOURNAL_RUN_STARTED] = "run-started",
    [GP_JOURNAL_RECORD_RENDERED] = "record-rendered",
    [GP_JOURNAL_BATCH_INTENT] = "batch-intent",
    [GP_JOURNAL_BATCH_SUBMITTED] = "batch-submitted",
    [GP_JOURNAL_BATCH_COMPLETED] = "batch-completed",
    [GP_JOURNAL_BATCH_FAILED] = "batch-failed",
    [GP_JOURNAL_BLANK_ASSIGNED] = "blank-assigned",
    [GP_JOURNAL_BLANK_VOIDED] = "blank-voided",
    [GP_JOURNAL_REPRINT_REQUESTED] = "reprint-requested",
    [GP_JOURNAL_RUN_CHANGED] = "run-changed",
};
#define N_KINDS (sizeof kind_names / sizeof kind_names[0])

const char *gp_journal_kind_name(gp_journal_kind kind)
{
    return (unsigned)kind < N_KINDS ? kind_names[kind] : NULL;
}

void gp_journal_event_init(gp_journal_event *ev, gp_journal_kind kind)
{
    memset(ev, 0, sizeof *ev);
    ev->kind = kind;
    ev->record = -1;
    ev->batch = -1;
}

void gp_mask_id_number(const char *id, char *out, size_t out_size)
{
    if (out_size == 0)
        return;
    size_t len = id != NULL ? strlen(id) : 0;
    bool ascii = true;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)id[i] < 0x21 || (unsigned char)id[i] > 0x7E)
            ascii = false;
    /* Fewer than 11 characters would leave nothing hidden between the ends. */
    if (!ascii || len < 11)
        snprintf(out, out_size, "********");
    else
        snprintf(out, out_size, "%.6s********%s", id, id + len - 4);
}

/* ---- field presence per kind ---- */

enum field {
    F_RUN = 1u << 0,
    F_TEMPLATE = 1u << 1,
    F_QUEUES = 1u << 2,
    F_OPTIONS = 1u << 3,
    F_RECORD = 1u << 4,
    F_STUDENT = 1u << 5,
    F_ID = 1u << 6,
    F_BATCH = 1u << 7,
    F_JOB = 1u << 8,
    F_QUEUE = 1u << 9,
    F_RECORDS = 1u << 10,
    F_JOB_ID = 1u << 11,
    F_STATE = 1u << 12,
    F_REASON = 1u << 13,
    F_SERIAL = 1u << 14,
    F_LINE = 1u << 15,
    F_MEDIA = 1u << 16,
    F_TURNED = 1u << 17,
    F_UNUSED = 1u << 18,
};

typedef struct kind_fields {
    unsigned required, optional;
} kind_fields;

static const kind_fields fields_of[] = {
    [GP_JOURNAL_RUN_STARTED] = {F_RUN | F_TEMPLATE | F_QUEUES, F_OPTIONS},
    [GP_JOURNAL_RECORD_RENDERED] = {F_RECORD | F_STUDENT | F_BATCH, F_ID | F_LINE},
    [GP_JOURNAL_BATCH_INTENT] = {F_BATCH | F_JOB | F_QUEUE | F_RECORDS, F_MEDIA | F_TURNED},
    [GP_JOURNAL_BATCH_SUBMITTED] = {F_BATCH | F_JOB_ID, 0},
    [GP_JOURNAL_BATCH_COMPLETED] = {F_BATCH, F_JOB_ID | F_STATE | F_REASON},
    [GP_JOURNAL_BATCH_FAILED] = {F_BATCH | F_STATE, F_JOB_ID | F_REASON | F_UNUSED},
    [GP_JOURNAL_BLANK_ASSIGNED] = {F_RECORD | F_SERIAL, F_BATCH},
    [GP_JOURNAL_BLANK_VOIDED] = {F_SERIAL | F_REASON, F_RECORD},
    [GP_JOURNAL_REPRINT_REQUESTED] = {F_RECORDS | F_REASON, 0},
    [GP_JOURNAL_RUN_CHANGED] = {F_QUEUES, F_OPTIONS},
};

static unsigned fields_set(const gp_journal_event *ev)
{
    unsigned f = 0;
    if (ev->run_id != NULL)
        f |= F_RUN;
    if (ev->template_name != NULL)
        f |= F_TEMPLATE;
    if (ev->queues != NULL)
        f |= F_QUEUES;
    if (ev->options != NULL)
        f |= F_OPTIONS;
    if (ev->record >= 0)
        f |= F_RECORD;
    if (ev->student_no != NULL)
        f |= F_STUDENT;
    if (ev->id_number != NULL)
        f |= F_ID;
    if (ev->batch >= 0)
        f |= F_BATCH;
    if (ev->job_name != NULL)
        f |= F_JOB;
    if (ev->queue != NULL)
        f |= F_QUEUE;
    if (ev->n_records > 0)
        f |= F_RECORDS;
    if (ev->job_id != 0)
        f |= F_JOB_ID;
    if (ev->state != NULL)
        f |= F_STATE;
    if (ev->reason != NULL)
        f |= F_REASON;
    if (ev->serial != NULL)
        f |= F_SERIAL;
    if (ev->line > 0)
        f |= F_LINE;
    if (ev->media != NULL)
        f |= F_MEDIA;
    if (ev->turned)
        f |= F_TURNED;
    if (ev->unused_blanks)
        f |= F_UNUSED;
    return f;
}

static const char *field_name(unsigned f)
{
    switch (f) {
    case F_RUN: return "run";
    case F_TEMPLATE: return "template";
    case F_QUEUES: return "queues";
    case F_OPTIONS: return "options";
    case F_RECORD: return "record";
    case F_STUDENT: return "student";
    case F_ID: return "id";
    case F_BATCH: return "batch";
    case F_JOB: return "job";
    case F_QUEUE: return "queue";
    case F_RECORDS: return "records";
    case F_JOB_ID: return "job-id";
    case F_STATE: return "state";
    case F_REASON: return "reason";
    case F_SERIAL: return "serial";
    case F_LINE: return "line";
    case F_MEDIA: return "media";
    case F_TURNED: return "turned";
    case F_UNUSED: return "unused";
    default: return "?";
    }
}

static unsigned lowest_bit(unsigned bits)
{
    return bits & (0u - bits);
}

const char *gp_journal_event_problem(const gp_journal_event *ev, const char **field)
{
    *field = NULL;
    if (gp_journal_kind_name(ev->kind) == NULL)
        return N_("unknown event kind");
    const kind_fields *kf = &fields_of[ev->kind];
    unsigned set = fields_set(ev);
    unsigned missing = kf->required & ~set;
    unsigned extra = set & ~(kf->required | kf->optional);
    if (missing != 0) {
        *field = field_name(lowest_bit(missing));
        return N_("a required field is missing");
    }
    if (extra != 0) {
        *field = field_name(lowest_bit(extra));
        return N_("a field this event does not have is set");
    }
    if (ev->records == NULL && ev->n_records > 0)
        return N_("records is NULL but n_records is not 0");
    for (size_t i = 0; i < ev->n_records; i++)
        if (ev->records[i] < 0 || ev->records[i] >= GP_JOURNAL_MAX_RECORDS)
            return N_("a record index is out of range");
    if ((set & F_RECORD) && ev->record >= GP_JOURNAL_MAX_RECORDS)
        return N_("the record index is out of range");
    if ((set & F_JOB_ID) && ev->job_id < 0)
        return N_("the job id is negative");
    /* Keys the reader splits on must not be empty where they identify. */
    if ((set & F_LINE) && ev->line >= GP_JOURNAL_MAX_RECORDS * 100L)
        return N_("the roster line is out of range");
    const char *const ids[] = {ev->run_id, ev->student_no, ev->job_name, ev->queue, ev->serial, ev->media};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
        if (ids[i] != NULL && ids[i][0] == '\0')
            return N_("an identifying field is empty");
    return NULL;
}

/* ---- writing ---- */

static bool utf8_sequence(const unsigned char *p, size_t *len)
{
    unsigned char c = p[0];
    size_t n;
    unsigned min;
    unsigned cp;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        min = 0x80;
        cp = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        min = 0x800;
        cp = c & 0x0Fu;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        min = 0x10000;
        cp = c & 0x07u;
    } else {
        return false;
    }
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return false;
        cp = (cp << 6) | (p[i] & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return false;
    *len = n;
    return true;
}

static void append_escaped(gp_strbuf *out, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p != '\0') {
        size_t n;
        if (*p == '\\') {
            gp_strbuf_append(out, "\\\\");
            p++;
        } else if (*p == '\t') {
            gp_strbuf_append(out, "\\t");
            p++;
        } else if (*p == '\n') {
            gp_strbuf_append(out, "\\n");
            p++;
        } else if (*p == '\r') {
            gp_strbuf_append(out, "\\r");
            p++;
        } else if (*p < 0x20 || *p == 0x7F) {
            gp_strbuf_appendf(out, "\\x%02x", *p);
            p++;
        } else if (*p < 0x80) {
            gp_strbuf_append_char(out, (char)*p);
            p++;
        } else if (utf8_sequence(p, &n)) {
            gp_strbuf_append_len(out, (const char *)p, n);
            p += n;
        } else {
            gp_strbuf_appendf(out, "\\x%02x", *p);
            p++;
        }
    }
}

static void append_field(gp_strbuf *out, const char *key, const char *value)
{
    gp_strbuf_appendf(out, "\t%s=", key);
    append_escaped(out, value);
}

void gp_journal_format(gp_strbuf *out, long seq, const char *time, const gp_journal_event *ev)
{
    size_t start = out->len;
    gp_strbuf_appendf(out, "%ld\t%s\t%s", seq, time, gp_journal_kind_name(ev->kind));
    char num[32];
    if (ev->run_id != NULL)
        append_field(out, "run", ev->run_id);
    if (ev->template_name != NULL)
        append_field(out, "template", ev->template_name);
    if (ev->queues != NULL)
        append_field(out, "queues", ev->queues);
    if (ev->options != NULL)
        append_field(out, "options", ev->options);
    if (ev->record >= 0) {
        snprintf(num, sizeof num, "%ld", ev->record);
        append_field(out, "record", num);
    }
    if (ev->line > 0) {
        snprintf(num, sizeof num, "%ld", ev->line);
        append_field(out, "line", num);
    }
    if (ev->student_no != NULL)
        append_field(out, "student", ev->student_no);
    if (ev->id_number != NULL) {
        char masked[GP_MASKED_ID_SIZE];
        gp_mask_id_number(ev->id_number, masked, sizeof masked);
        append_field(out, "id", masked);
    }
    if (ev->batch >= 0) {
        snprintf(num, sizeof num, "%ld", ev->batch);
        append_field(out, "batch", num);
    }
    if (ev->job_name != NULL)
        append_field(out, "job", ev->job_name);
    if (ev->queue != NULL)
        append_field(out, "queue", ev->queue);
    if (ev->n_records > 0) {
        gp_strbuf_append(out, "\trecords=");
        for (size_t i = 0; i < ev->n_records; i++)
            gp_strbuf_appendf(out, "%s%ld", i > 0 ? "," : "", ev->records[i]);
    }
    if (ev->job_id != 0) {
        snprintf(num, sizeof num, "%d", ev->job_id);
        append_field(out, "job-id", num);
    }
    if (ev->state != NULL)
        append_field(out, "state", ev->state);
    if (ev->reason != NULL)
        append_field(out, "reason", ev->reason);
    if (ev->serial != NULL)
        append_field(out, "serial", ev->serial);
    if (ev->media != NULL)
        append_field(out, "media", ev->media);
    if (ev->turned)
        append_field(out, "turned", "1");
    if (ev->unused_blanks)
        append_field(out, "unused", "1");
    gp_strbuf_append_char(out, '\t');
    if (gp_strbuf_failed(out))
        return;
    uint32_t crc = gp_journal_crc32(out->data + start, out->len - start);
    gp_strbuf_appendf(out, "%08x\n", (unsigned)crc);
}

/* ---- reading ---- */

/* In place; false for a bad escape. */
static bool unescape(char *s)
{
    char *w = s;
    for (char *r = s; *r != '\0'; r++) {
        if (*r != '\\') {
            *w++ = *r;
            continue;
        }
        r++;
        switch (*r) {
        case '\\': *w++ = '\\'; break;
        case 't': *w++ = '\t'; break;
        case 'n': *w++ = '\n'; break;
        case 'r': *w++ = '\r'; break;
        case 'x': {
            int hi = gp_hex_digit(r[1]), lo = hi >= 0 ? gp_hex_digit(r[2]) : -1;
            if (lo < 0 || (hi == 0 && lo == 0))
                return false;
            *w++ = (char)(hi * 16 + lo);
            r += 2;
            break;
        }
        default: return false;
        }
    }
    *w = '\0';
    return true;
}

static bool parse_long(const char *s, long max, long *out)
{
    if (*s < '0' || *s > '9')
        return false;
    errno = 0;
    char *end;
    long v = strtol(s, &end, 10);
    if (errno != 0 || *end != '\0' || v > max)
        return false;
    *out = v;
    return true;
}

static gp_line_result parse_records(const char *s, gp_journal_line *out)
{
    size_t n = 1;
    for (const char *p = s; *p != '\0'; p++)
        n += *p == ',';
    long *list = malloc(n * sizeof *list);
    if (list == NULL)
        return GP_LINE_NOMEM;
    size_t i = 0;
    const char *p = s;
    while (i < n) {
        char num[24];
        size_t len = strcspn(p, ",");
        if (len == 0 || len >= sizeof num) {
            free(list);
            return GP_LINE_INVALID;
        }
        memcpy(num, p, len);
        num[len] = '\0';
        if (!parse_long(num, GP_JOURNAL_MAX_RECORDS - 1, &list[i])) {
            free(list);
            return GP_LINE_INVALID;
        }
        i++;
        p += len + (p[len] == ',');
    }
    free(out->records);
    out->records = list;
    out->ev.records = list;
    out->ev.n_records = n;
    return GP_LINE_OK;
}

static gp_line_result parse_field(char *key, char *value, gp_journal_line *out, const char **why)
{
    gp_journal_event *ev = &out->ev;
    long v;
    *why = N_("a field has a bad value");
    if (strcmp(key, "records") == 0)
        return parse_records(value, out);
    if (!unescape(value))
        return GP_LINE_INVALID;
    if (strcmp(key, "run") == 0)
        ev->run_id = value;
    else if (strcmp(key, "template") == 0)
        ev->template_name = value;
    else if (strcmp(key, "queues") == 0)
        ev->queues = value;
    else if (strcmp(key, "options") == 0)
        ev->options = value;
    else if (strcmp(key, "student") == 0)
        ev->student_no = value;
    else if (strcmp(key, "id") == 0)
        ev->id_number = value;
    else if (strcmp(key, "job") == 0)
        ev->job_name = value;
    else if (strcmp(key, "queue") == 0)
        ev->queue = value;
    else if (strcmp(key, "state") == 0)
        ev->state = value;
    else if (strcmp(key, "reason") == 0)
        ev->reason = value;
    else if (strcmp(key, "serial") == 0)
        ev->serial = value;
    else if (strcmp(key, "media") == 0)
        ev->media = value;
    else if (strcmp(key, "turned") == 0 || strcmp(key, "unused") == 0) {
        if (strcmp(value, "1") != 0)
            return GP_LINE_INVALID;
        *(key[0] == 't' ? &ev->turned : &ev->unused_blanks) = true;
    } else if (strcmp(key, "line") == 0) {
        if (!parse_long(value, GP_JOURNAL_MAX_RECORDS * 100L - 1, &v) || v == 0)
            return GP_LINE_INVALID;
        ev->line = v;
    }
    else if (strcmp(key, "record") == 0) {
        if (!parse_long(value, GP_JOURNAL_MAX_RECORDS - 1, &v))
            return GP_LINE_INVALID;
        ev->record = v;
    } else if (strcmp(key, "batch") == 0) {
        if (!parse_long(value, 999999999L, &v))
            return GP_LINE_INVALID;
        ev->batch = v;
    } else if (strcmp(key, "job-id") == 0) {
        if (!parse_long(value, 2147483647L, &v) || v == 0)
            return GP_LINE_INVALID;
        ev->job_id = (int)v;
    }
    /* Other keys come from a newer writer: not ours to judge. */
    return GP_LINE_OK;
}

static gp_journal_kind kind_by_name(const char *name)
{
    for (size_t k = 1; k < N_KINDS; k++)
        if (strcmp(kind_names[k], name) == 0)
            return (gp_journal_kind)k;
    return 0;
}

gp_line_result gp_journal_parse(char *line, size_t len, gp_journal_line *out, const char **why)
{
    memset(out, 0, sizeof *out);
    gp_journal_event_init(&out->ev, 0);
    *why = N_("checksum mismatch");
    /* "...\t" + 8 hex digits, and the checksum must hold before anything is
     * believed. */
    if (len < 10 || line[len - 9] != '\t' || memchr(line, '\0', len) != NULL)
        return GP_LINE_TORN;
    unsigned long crc = 0;
    for (size_t i = len - 8; i < len; i++) {
        int d = gp_hex_digit(line[i]);
        if (d < 0 || (line[i] >= 'A' && line[i] <= 'F'))
            return GP_LINE_TORN;
        crc = crc * 16 + (unsigned long)d;
    }
    if (gp_journal_crc32(line, len - 8) != (uint32_t)crc)
        return GP_LINE_TORN;
    line[len - 9] = '\0';

    *why = N_("malformed line");
    char *fields[3];
    char *rest = line;
    for (int i = 0; i < 3; i++) {
        fields[i] = rest;
        char *tab = rest != NULL ? strchr(rest, '\t') : NULL;
        if (tab != NULL)
            *tab = '\0';
        rest = tab != NULL ? tab + 1 : NULL;
        if (i < 2 && rest == NULL)
            return GP_LINE_INVALID;
    }
    if (!parse_long(fields[0], 2147483647L, &out->seq) || out->seq < 1)
        return GP_LINE_INVALID;
    out->ev.time = fields[1];
    out->ev.kind = kind_by_name(fields[2]);
    if (out->ev.kind == 0) {
        *why = N_("unknown event (written by a newer gradprint?)");
        return GP_LINE_INVALID;
    }
    while (rest != NULL) {
        char *field = rest;
        char *tab = strchr(rest, '\t');
        if (tab != NULL)
            *tab = '\0';
        rest = tab != NULL ? tab + 1 : NULL;
        char *eq = strchr(field, '=');
        if (eq == NULL || eq == field) {
            *why = N_("malformed field");
            return GP_LINE_INVALID;
        }
        *eq = '\0';
        gp_line_result r = parse_field(field, eq + 1, out, why);
        if (r != GP_LINE_OK)
            return r;
    }
    const char *field;
    const char *problem = gp_journal_event_problem(&out->ev, &field);
    if (problem != NULL) {
        *why = problem;
        return GP_LINE_INVALID;
    }
    return GP_LINE_OK;
}

void gp_journal_line_free(gp_journal_line *line)
{
    free(line->records);
    line->records = NULL;
}
