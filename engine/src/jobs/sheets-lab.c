/* Lab profiles: "key = value" lines, '#' comments. See
 * sheets-lab-private.h and docs/LABS.md. */
#include "sheets-lab-private.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/context-private.h"
#include "base/error-private.h"
#include "base/fileio-private.h"
#include "base/i18n-private.h"

#define KNOWN_KEYS                                                                                            \
    "name, dpi, paper, dpof, dpof-vendor, dpof-vendor-attribute, back-print, back-print-lines, "             \
    "back-print-width, staging-prefix, ready-prefix"

typedef struct parser {
    const char *file;
    long line;
    gp_error **err;
} parser;

#define BAD(p, ...) gp_error_set((p)->err, GP_E_INVALID, (p)->file, (p)->line, __VA_ARGS__)

static bool word_chars(const char *s, size_t max, bool allow_empty)
{
    size_t n = strlen(s);
    if (n > max || (n == 0 && !allow_empty))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_')
            return false;
    return true;
}

static bool printable_ascii(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n == 0 || n > max)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < 0x20 || s[i] > 0x7E || s[i] == '"')
            return false;
    return true;
}

static bool parse_int(const char *s, int lo, int hi, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi)
        return false;
    *out = (int)v;
    return true;
}

static bool parse_bool(const char *s, bool *out)
{
    if (strcmp(s, "yes") == 0 || strcmp(s, "true") == 0) {
        *out = true;
        return true;
    }
    if (strcmp(s, "no") == 0 || strcmp(s, "false") == 0) {
        *out = false;
        return true;
    }
    return false;
}

/* "5x7in", "127x178mm", "4 x 6 in". */
static bool parse_paper(const char *s, gp_lab_paper *out)
{
    char unit[8] = "";
    double w, h;
    int used = 0;
    if (sscanf(s, "%lf x %lf %7s%n", &w, &h, unit, &used) != 3 || s[used] != '\0')
        return false;
    if (!(w > 0) || !(h > 0) || !isfinite(w) || !isfinite(h))
        return false;
    memset(out, 0, sizeof *out);
    if (strcmp(unit, "in") == 0) {
        if (w > 30 || h > 30)
            return false;
        out->inches = true;
        out->w_in = w;
        out->h_in = h;
        out->w_mm = w * 25.4;
        out->h_mm = h * 25.4;
    } else if (strcmp(unit, "mm") == 0) {
        if (w > 760 || h > 760)
            return false;
        out->w_mm = w;
        out->h_mm = h;
    } else {
        return false;
    }
    return true;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

/* One "key = value" line into the profile. seen tracks keys given once. */
static gp_status set_key(parser *p, gp_lab_profile *lab, const char *key, const char *value, unsigned *seen)
{
    static const char *const keys[] = {"name",       "dpi",          "paper",           "dpof",
                                       "dpof-vendor", "dpof-vendor-attribute", "back-print", "back-print-lines",
                                       "back-print-width", "staging-prefix", "ready-prefix"};
    size_t k = 0;
    while (k < sizeof keys / sizeof *keys && strcmp(keys[k], key) != 0)
        k++;
    if (k == sizeof keys / sizeof *keys)
        return BAD(p, _("unknown setting '%s'; a lab profile knows %s"), key, KNOWN_KEYS);
    if (k != 2 && (*seen & (1u << k)))
        return BAD(p, _("'%s' is set twice; keep one of the lines"), key);
    *seen |= 1u << k;
    switch (k) {
    case 0:
        if (!word_chars(value, sizeof lab->name - 1, false))
            return BAD(p, _("name '%s' is not a name; use up to 31 letters, digits, '-' or '_'"), value);
        strcpy(lab->name, value);
        return GP_OK;
    case 1:
        if (!parse_int(value, 72, 1200, &lab->dpi))
            return BAD(p, _("dpi '%s' is not a resolution from 72 to 1200; labs print at 300, 320 or 254"), value);
        return GP_OK;
    case 2:
        if (lab->npapers == GP_LAB_MAX_PAPERS)
            return BAD(p, "%s", _("more than 8 papers; keep the ones the lab prints sheets on"));
        if (!parse_paper(value, &lab->papers[lab->npapers]))
            return BAD(p, _("paper '%s' is not a size; write width x height with in or mm, such as 5x7in or "
                            "127x178mm"), value);
        lab->npapers++;
        return GP_OK;
    case 3:
        if (!parse_bool(value, &lab->dpof))
            return BAD(p, _("dpof '%s' is neither yes nor no"), value);
        return GP_OK;
    case 4:
    case 5: {
        char *dst = k == 4 ? lab->vendor : lab->vendor_attr;
        if (!printable_ascii(value, 39))
            return BAD(p, _("'%s' must be 1 to 39 printable ASCII characters without '\"', not '%s'"), key, value);
        strcpy(dst, value);
        return GP_OK;
    }
    case 6:
        if (strcmp(value, "none") == 0)
            lab->back_print = GP_BACK_PRINT_NONE;
        else if (strcmp(value, "filename") == 0)
            lab->back_print = GP_BACK_PRINT_FILENAME;
        else if (strcmp(value, "dpof") == 0)
            lab->back_print = GP_BACK_PRINT_DPOF;
        else
            return BAD(p, _("back-print '%s' is not one of none, filename or dpof"), value);
        return GP_OK;
    case 7:
        if (!parse_int(value, 1, GP_LAB_MAX_BACK_LINES, &lab->back_lines))
            return BAD(p, _("back-print-lines '%s' is not 1 or 2 (DPOF has CVP1 and CVP2)"), value);
        return GP_OK;
    case 8:
        if (!parse_int(value, 4, GP_LAB_MAX_BACK_WIDTH, &lab->back_width))
            return BAD(p, _("back-print-width '%s' is not a number of characters from 4 to 80"), value);
        return GP_OK;
    default: {
        char *dst = k == 9 ? lab->staging_prefix : lab->ready_prefix;
        if (!word_chars(value, 7, false))
            return BAD(p, _("'%s' must be up to 7 letters, digits, '-' or '_', not '%s'"), key, value);
        strcpy(dst, value);
        return GP_OK;
    }
    }
}

/* What only the whole profile can say is wrong. */
static gp_status check_profile(parser *p, gp_lab_profile *lab, unsigned seen)
{
    p->line = 0;
    if (!(seen & 1u))
        return BAD(p, "%s", _("the profile has no name; add a line such as 'name = mylab'"));
    if (!(seen & 2u))
        return BAD(p, "%s", _("the profile sets no dpi; add the lab's resolution, such as 'dpi = 300'"));
    if (lab->npapers == 0)
        return BAD(p, "%s", _("the profile names no paper; add the paper the sheets print on, such as 'paper = 5x7in'"));
    if (lab->back_print == GP_BACK_PRINT_DPOF && (!lab->dpof || lab->vendor[0] == '\0'))
        return BAD(p, "%s", _("back-print = dpof needs 'dpof = yes' and the lab's 'dpof-vendor' (its back-print "
                        "lines are a vendor's part of DPOF, such as NORITSU KOKI)"));
    if (lab->back_print == GP_BACK_PRINT_FILENAME && lab->back_width < 8)
        return BAD(p,
                   _("the lab prints %d characters of the file name, but the names start with 8 that identify the "
                     "print (class and position); set back-print-width to 8 or more"),
                   lab->back_width);
    if (strcmp(lab->staging_prefix, lab->ready_prefix) == 0)
        return BAD(p, _("staging-prefix and ready-prefix are both '%s'; the hot folder could take a half-written "
                        "order, so make them differ"), lab->ready_prefix);
    return GP_OK;
}

gp_status gp_lab_profile_parse(const char *text, size_t size, const char *file, gp_lab_profile *out, gp_error **err)
{
    memset(out, 0, sizeof *out);
    snprintf(out->file, sizeof out->file, "%s", file ? file : "lab profile");
    out->back_lines = 2;
    out->back_width = 40;
    strcpy(out->staging_prefix, "p");
    strcpy(out->ready_prefix, "o");
    parser p = {out->file, 0, err};
    if (size > GP_LAB_PROFILE_MAX_BYTES)
        return BAD(&p, "%s", _("is larger than 64 KB, too large for a lab profile"));
    unsigned seen = 0;
    const char *at = text, *end = text + size;
    while (at < end) {
        p.line++;
        const char *nl = memchr(at, '\n', (size_t)(end - at));
        size_t n = (size_t)((nl ? nl : end) - at);
        char buf[512];
        if (n >= sizeof buf)
            return BAD(&p, "%s", _("the line is longer than 511 characters"));
        memcpy(buf, at, n);
        buf[n] = '\0';
        at = nl ? nl + 1 : end;
        if (memchr(buf, '\0', n) != NULL)
            return BAD(&p, "%s", _("the line holds a NUL byte; a lab profile is text"));
        char *hash = strchr(buf, '#');
        if (hash != NULL)
            *hash = '\0';
        char *line = trim(buf);
        if (*line == '\0')
            continue;
        char *eq = strchr(line, '=');
        if (eq == NULL)
            return BAD(&p, _("'%s' is not a setting; write 'key = value'"), line);
        *eq = '\0';
        char *key = trim(line), *value = trim(eq + 1);
        if (*value == '\0')
            return BAD(&p, _("'%s' has no value"), key);
        gp_status st = set_key(&p, out, key, value, &seen);
        if (st != GP_OK)
            return st;
    }
    return check_profile(&p, out, seen);
}

gp_status gp_lab_profile_load(const gp_context *ctx, const char *name_or_path, gp_lab_profile *out, gp_error **err)
{
    char *path = NULL;
    struct stat st;
    if (strchr(name_or_path, '/') != NULL || stat(name_or_path, &st) == 0) {
        path = strdup(name_or_path);
    } else if (word_chars(name_or_path, 31, false)) {
        char rel[64];
        snprintf(rel, sizeof rel, "templates/labs/%s.conf", name_or_path);
        path = gp_path_join(ctx->data_dir, rel);
        if (path != NULL && stat(path, &st) != 0) {
            free(path);
            return gp_error_set(err, GP_E_USAGE, name_or_path, 0, "%s",
                                _("no such lab; use generic, frontier or noritsu, or give a lab profile file"));
        }
    } else {
        return gp_error_set(err, GP_E_USAGE, name_or_path, 0, "%s",
                            _("no such lab; use generic, frontier or noritsu, or give a lab profile file"));
    }
    if (path == NULL)
        return gp_error_nomem(err);
    unsigned char *data = NULL;
    size_t size = 0;
    gp_status status = gp_read_file(path, GP_LAB_PROFILE_MAX_BYTES, &data, &size, err);
    if (status == GP_OK)
        status = gp_lab_profile_parse((const char *)data, size, path, out, err);
    free(data);
    free(path);
    return status;
}

const gp_lab_paper *gp_lab_paper_for(const gp_lab_profile *lab, double w_mm, double h_mm)
{
    for (int i = 0; i < lab->npapers; i++) {
        const gp_lab_paper *p = &lab->papers[i];
        if ((fabs(p->w_mm - w_mm) <= 1.0 && fabs(p->h_mm - h_mm) <= 1.0) ||
            (fabs(p->h_mm - w_mm) <= 1.0 && fabs(p->w_mm - h_mm) <= 1.0))
            return p;
    }
    return NULL;
}

void gp_lab_paper_pixels(const gp_lab_paper *paper, int dpi, bool portrait, int *w_px, int *h_px)
{
    double a = paper->inches ? paper->w_in * dpi : paper->w_mm / 25.4 * dpi;
    double b = paper->inches ? paper->h_in * dpi : paper->h_mm / 25.4 * dpi;
    int lo = (int)floor(fmin(a, b) + 0.5), hi = (int)floor(fmax(a, b) + 0.5);
    *w_px = portrait ? lo : hi;
    *h_px = portrait ? hi : lo;
}

bool gp_lab_order_id_valid(const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n > 12)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)id[i]) || (unsigned char)id[i] > 0x7F)
            return false;
    return true;
}

/* s's characters a back printer surely has: letters, digits, '-'. */
static void ascii_only(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    for (; s != NULL && *s != '\0' && n + 1 < cap; s++)
        if (isalnum((unsigned char)*s) && (unsigned char)*s < 0x80)
            out[n++] = *s;
        else if (*s == '-')
            out[n++] = '-';
    out[n] = '\0';
}

/* "head tail" in at most width characters: the tail's last characters
 * when both do not fit (a student number's end tells the students of a
 * class apart), the head alone when there is no room for even one. */
static void fit(char *line, int width, const char *head, const char *tail)
{
    int h = (int)strlen(head), t = (int)strlen(tail);
    if (h >= width || t == 0) {
        snprintf(line, (size_t)width + 1, "%s", head);
        return;
    }
    int room = width - h - 1;
    const char *from = t > room ? tail + (t - room) : tail;
    snprintf(line, (size_t)width + 1, "%s %s", head, from);
}

int gp_lab_back_print_lines(const gp_lab_profile *lab, const char *class_code, const char *student_no,
                            size_t position, size_t class_size, const char *order_id,
                            char lines[GP_LAB_MAX_BACK_LINES][GP_LAB_MAX_BACK_WIDTH + 1])
{
    int width = lab->back_width > GP_LAB_MAX_BACK_WIDTH ? GP_LAB_MAX_BACK_WIDTH : lab->back_width;
    char number[64];
    ascii_only(student_no != NULL ? student_no : "DIVIDER", number, sizeof number);
    fit(lines[0], width, class_code, number);
    if (lab->back_lines < 2)
        return 1;
    char where[64];
    snprintf(where, sizeof where, "%04zu/%04zu", position, class_size);
    char order[16];
    ascii_only(order_id, order, sizeof order);
    fit(lines[1], width, where, order);
    return 2;
}
