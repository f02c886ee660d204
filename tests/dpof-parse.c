#include "dpof-parse.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct reader {
    dpof_order *out;
    char *why;
    size_t why_size;
    long line;
    enum { NONE, HDR, JOB } section;
    bool in_vendor, vendor_named;
    dpof_job job;
    bool have_pid, have_typ, have_qty, have_fmt, have_src, in_job;
    bool hdr_rev, hdr_crt, hdr_dtm;
    size_t cap;
} reader;

static bool fail(reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool fail(reader *r, const char *fmt, ...)
{
    int n = snprintf(r->why, r->why_size, "line %ld: ", r->line);
    if (n >= 0 && (size_t)n < r->why_size) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(r->why + n, r->why_size - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return false;
}

/* A quoted string at *p: its contents into out (cap bytes), *p past it. */
static bool quoted(reader *r, const char **p, char *out, size_t cap)
{
    if (**p != '"')
        return fail(r, "a quoted string expected");
    const char *s = *p + 1, *e = strchr(s, '"');
    if (e == NULL)
        return fail(r, "a string without its closing quote");
    size_t n = (size_t)(e - s);
    if (n >= cap)
        return fail(r, "a string of %zu characters, more than %zu", n, cap - 1);
    memcpy(out, s, n);
    out[n] = '\0';
    *p = e + 1;
    return true;
}

static bool digits(const char *s, size_t n)
{
    if (strlen(s) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    return true;
}

/* "NN.NN" */
static bool version(const char *s)
{
    return strlen(s) == 5 && isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) && s[2] == '.' &&
           isdigit((unsigned char)s[3]) && isdigit((unsigned char)s[4]);
}

static bool datetime(const char *s)
{
    int y, mo, d, h, mi, se;
    char tail;
    if (strlen(s) != 19 || sscanf(s, "%4d:%2d:%2d:%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &se, &tail) != 6)
        return false;
    for (int i = 0; i < 19; i++)
        if ((i == 4 || i == 7 || i == 10 || i == 13 || i == 16) ? s[i] != ':' : !isdigit((unsigned char)s[i]))
            return false;
    return y >= 1900 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h <= 23 && mi <= 59 && se <= 59;
}

static bool end_job(reader *r)
{
    if (!r->in_job)
        return true;
    if (r->in_vendor)
        return fail(r, "the job ends inside a vendor region");
    if (!r->have_pid || !r->have_typ || !r->have_qty || !r->have_fmt || !r->have_src)
        return fail(r, "job %ld lacks PRT PID, PRT TYP, PRT QTY, IMG FMT or IMG SRC", r->job.pid);
    dpof_order *o = r->out;
    if (o->njobs > 0 && r->job.pid <= o->jobs[o->njobs - 1].pid)
        return fail(r, "print id %ld does not rise (after %ld)", r->job.pid, o->jobs[o->njobs - 1].pid);
    if (o->njobs == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        dpof_job *j = realloc(o->jobs, cap * sizeof *j);
        if (j == NULL)
            return fail(r, "out of memory");
        o->jobs = j;
        r->cap = cap;
    }
    o->jobs[o->njobs++] = r->job;
    r->in_job = false;
    return true;
}

static bool img_src(reader *r, const char *line)
{
    const char *p = line + strlen("<IMG SRC = ");
    if (strncmp(line, "<IMG SRC = ", 11) != 0)
        return fail(r, "an image line is <IMG SRC = \"path\">");
    if (r->section != JOB || r->in_vendor)
        return fail(r, "an image outside a job");
    if (r->have_src)
        return fail(r, "a second image in one job");
    if (!quoted(r, &p, r->job.src, sizeof r->job.src))
        return false;
    if (strcmp(p, ">") != 0)
        return fail(r, "the image line does not end in \">\"");
    const char *s = r->job.src;
    if (s[0] == '\0' || s[0] == '/' || strchr(s, '\\') != NULL || strstr(s, "//") != NULL)
        return fail(r, "image path '%s' is not a relative path", s);
    r->have_src = true;
    return true;
}

static bool vendor_line(reader *r, const char *sub, const char *value)
{
    if (strcmp(sub, "RGN") == 0) {
        if (strcmp(value, "BGN") == 0) {
            if (r->in_vendor)
                return fail(r, "a vendor region inside another");
            r->in_vendor = true;
            r->vendor_named = false;
            return true;
        }
        if (strcmp(value, "END") == 0) {
            if (!r->in_vendor)
                return fail(r, "a vendor region ends that never began");
            if (!r->vendor_named)
                return fail(r, "a vendor region without VUQ VNM");
            r->in_vendor = false;
            return true;
        }
        return fail(r, "VUQ RGN is BGN or END, not '%s'", value);
    }
    if (!r->in_vendor)
        return fail(r, "VUQ %s outside a vendor region", sub);
    if (strcmp(sub, "VNM") == 0) {
        char name[64], attr[64] = "";
        const char *p = value;
        if (!quoted(r, &p, name, sizeof name))
            return false;
        if (strncmp(p, " -ATR ", 6) == 0) {
            p += 6;
            if (!quoted(r, &p, attr, sizeof attr))
                return false;
        }
        if (*p != '\0')
            return fail(r, "unexpected '%s' after the vendor's name", p);
        if (r->section == HDR) {
            snprintf(r->out->vendor, sizeof r->out->vendor, "%s", name);
            snprintf(r->out->vendor_attr, sizeof r->out->vendor_attr, "%s", attr);
        } else {
            snprintf(r->job.vendor, sizeof r->job.vendor, "%s", name);
        }
        r->vendor_named = true;
        return true;
    }
    if (!r->vendor_named)
        return fail(r, "VUQ %s before the vendor's name", sub);
    if (strcmp(sub, "VER") == 0 && !version(value))
        return fail(r, "VUQ VER '%s' is not NN.NN", value);
    return true;
}

static bool cvp(reader *r, const char *sub, const char *value)
{
    if (r->section != JOB || !r->in_vendor || !r->vendor_named)
        return fail(r, "PRT %s outside a job's vendor region", sub);
    int n = sub[3] - '0';
    if (n != r->job.ncvp + 1 || n > 2)
        return fail(r, "PRT %s out of order", sub);
    const char *p = value;
    if (strncmp(p, "1 -STR ", 7) != 0)
        return fail(r, "PRT %s is '1 -STR \"text\"'", sub);
    p += 7;
    if (!quoted(r, &p, r->job.cvp[n - 1], sizeof r->job.cvp[n - 1]))
        return false;
    if (*p != '\0')
        return fail(r, "unexpected '%s' after the back-print text", p);
    r->job.ncvp = n;
    return true;
}

static bool prt_or_img(reader *r, const char *key, const char *sub, const char *value)
{
    if (strcmp(key, "PRT") == 0 && strncmp(sub, "CVP", 3) == 0 && strlen(sub) == 4)
        return cvp(r, sub, value);
    if (r->section != JOB)
        return fail(r, "%s %s outside a job", key, sub);
    if (r->in_vendor)
        return true; /* a vendor's own line */
    if (strcmp(key, "PRT") == 0 && strcmp(sub, "PID") == 0) {
        if (r->have_pid || strlen(value) < 3 || strlen(value) > 6 || !digits(value, strlen(value)))
            return fail(r, "PRT PID '%s' is not three to six digits, once a job", value);
        r->job.pid = atol(value);
        r->have_pid = true;
    } else if (strcmp(key, "PRT") == 0 && strcmp(sub, "TYP") == 0) {
        if (r->have_typ || (strcmp(value, "STD") != 0 && strcmp(value, "IDX") != 0 && strcmp(value, "SIZ") != 0 &&
                            strcmp(value, "MUL") != 0))
            return fail(r, "PRT TYP '%s' is not STD, IDX, SIZ or MUL, once a job", value);
        snprintf(r->job.typ, sizeof r->job.typ, "%s", value);
        r->have_typ = true;
    } else if (strcmp(key, "PRT") == 0 && strcmp(sub, "QTY") == 0) {
        if (r->have_qty || !digits(value, 3) || atoi(value) < 1)
            return fail(r, "PRT QTY '%s' is not 001 to 999, once a job", value);
        r->job.qty = atoi(value);
        r->have_qty = true;
    } else if (strcmp(key, "IMG") == 0 && strcmp(sub, "FMT") == 0) {
        if (r->have_fmt || (strcmp(value, "EXIF2 -J") != 0 && strcmp(value, "EXIF2 -T") != 0 &&
                            strcmp(value, "EXIF1 -J") != 0 && strcmp(value, "JFIF") != 0 &&
                            strcmp(value, "TIFF6") != 0 && strcmp(value, "CIFF") != 0))
            return fail(r, "IMG FMT '%s' is not a DPOF image format, once a job", value);
        snprintf(r->job.fmt, sizeof r->job.fmt, "%s", value);
        r->have_fmt = true;
    }
    return true;
}

static bool header_line(reader *r, const char *key, const char *sub, const char *value)
{
    if (strcmp(key, "GEN") == 0 && strcmp(sub, "REV") == 0) {
        if (r->hdr_rev || strcmp(value, "01.10") != 0)
            return fail(r, "GEN REV '%s' is not 01.10, once", value);
        snprintf(r->out->rev, sizeof r->out->rev, "%s", value);
        r->hdr_rev = true;
    } else if (strcmp(key, "GEN") == 0 && strcmp(sub, "CRT") == 0) {
        const char *p = value;
        if (r->hdr_crt || !quoted(r, &p, r->out->creator, sizeof r->out->creator))
            return r->hdr_crt ? fail(r, "GEN CRT twice") : false;
        if (strncmp(p, " -", 2) != 0 || !version(p + 2))
            return fail(r, "GEN CRT has no -NN.NN version after the creator");
        r->hdr_crt = true;
    } else if (strcmp(key, "GEN") == 0 && strcmp(sub, "DTM") == 0) {
        if (r->hdr_dtm || !datetime(value))
            return fail(r, "GEN DTM '%s' is not YYYY:MM:DD:HH:MM:SS, once", value);
        snprintf(r->out->dtm, sizeof r->out->dtm, "%s", value);
        r->hdr_dtm = true;
    } else if (strcmp(key, "USR") == 0 && strcmp(sub, "NAM") == 0) {
        const char *p = value;
        if (!quoted(r, &p, r->out->user, sizeof r->out->user))
            return false;
        if (*p != '\0')
            return fail(r, "unexpected '%s' after the user's name", p);
    } else if (strcmp(key, "PRT") == 0 || strcmp(key, "IMG") == 0) {
        return fail(r, "%s %s in the header", key, sub);
    }
    return true;
}

static bool one_line(reader *r, const char *line)
{
    if (line[0] == '\0')
        return true;
    if (line[0] == '[') {
        if (r->in_vendor)
            return fail(r, "a section begins inside a vendor region");
        if (strcmp(line, "[HDR]") == 0) {
            if (r->section != NONE)
                return fail(r, "[HDR] is not the first section");
            r->section = HDR;
            return true;
        }
        if (strcmp(line, "[JOB]") == 0) {
            if (r->section == NONE)
                return fail(r, "a job before the header");
            if (r->section == HDR && !(r->hdr_rev && r->hdr_crt && r->hdr_dtm))
                return fail(r, "the header lacks GEN REV, GEN CRT or GEN DTM");
            if (!end_job(r))
                return false;
            r->section = JOB;
            memset(&r->job, 0, sizeof r->job);
            r->have_pid = r->have_typ = r->have_qty = r->have_fmt = r->have_src = false;
            r->in_job = true;
            return true;
        }
        return fail(r, "unknown section %s", line);
    }
    if (line[0] == '<')
        return img_src(r, line);
    if (r->section == NONE)
        return fail(r, "a line before [HDR]");
    /* KEY SUB = value */
    char key[4], sub[5];
    if (strlen(line) < 10 || line[3] != ' ')
        return fail(r, "'%s' is not 'KEY SUB = value'", line);
    memcpy(key, line, 3);
    key[3] = '\0';
    const char *s = line + 4;
    size_t sl = 0;
    while (sl < 4 && s[sl] != ' ' && s[sl] != '\0')
        sl++;
    if (sl < 3 || strncmp(s + sl, " = ", 3) != 0)
        return fail(r, "'%s' is not 'KEY SUB = value'", line);
    memcpy(sub, s, sl);
    sub[sl] = '\0';
    for (size_t i = 0; i < 3; i++)
        if (!isupper((unsigned char)key[i]))
            return fail(r, "key '%s' is not three capitals", key);
    for (size_t i = 0; i < sl; i++)
        if (!isupper((unsigned char)sub[i]) && !(i == 3 && isdigit((unsigned char)sub[i])))
            return fail(r, "key '%s %s' is not three capitals", key, sub);
    const char *value = s + sl + 3;
    if (*value == '\0')
        return fail(r, "%s %s has no value", key, sub);
    if (strcmp(key, "VUQ") == 0)
        return vendor_line(r, sub, value);
    if (r->section == HDR && !(strcmp(key, "PRT") == 0 && strncmp(sub, "CVP", 3) == 0))
        return header_line(r, key, sub, value);
    return prt_or_img(r, key, sub, value);
}

bool dpof_parse(const char *text, size_t size, dpof_order *out, char *why, size_t why_size)
{
    memset(out, 0, sizeof *out);
    reader r = {.out = out, .why = why, .why_size = why_size};
    if (why_size > 0)
        why[0] = '\0';
    size_t i = 0;
    char line[512];
    while (i < size) {
        r.line++;
        size_t n = 0;
        while (i < size && text[i] != '\r' && text[i] != '\n') {
            unsigned char c = (unsigned char)text[i];
            if (c < 0x20 || c > 0x7E)
                return fail(&r, "byte 0x%02x is not printable ASCII", c);
            if (n + 1 >= sizeof line)
                return fail(&r, "the line is longer than %zu characters", sizeof line - 1);
            line[n++] = (char)c;
            i++;
        }
        line[n] = '\0';
        if (i >= size)
            return fail(&r, "the last line has no CR LF");
        if (text[i] != '\r' || i + 1 >= size || text[i + 1] != '\n')
            return fail(&r, "the line does not end in CR LF");
        i += 2;
        if (!one_line(&r, line))
            return false;
    }
    r.line++;
    if (r.section == NONE)
        return fail(&r, "no [HDR]");
    if (r.in_vendor)
        return fail(&r, "the file ends inside a vendor region");
    if (r.section == HDR && !(r.hdr_rev && r.hdr_crt && r.hdr_dtm))
        return fail(&r, "the header lacks GEN REV, GEN CRT or GEN DTM");
    if (!end_job(&r))
        return false;
    if (out->njobs == 0)
        return fail(&r, "no job");
    return true;
}

void dpof_free(dpof_order *order)
{
    free(order->jobs);
    memset(order, 0, sizeof *order);
}
