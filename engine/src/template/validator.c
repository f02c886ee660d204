/* <validate> patterns: POSIX extended expressions matched against a whole
 * roster value. glibc's regexec locks inside, so one compiled pattern
 * serves every worker thread. */
#include "build-private.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/error-private.h"
#include "../base/i18n-private.h"
#include "base/clip-private.h"
#include "base/utf8-private.h"

/* A value check is short: a number format, a list of words. */
#define PATTERN_MAX_BYTES 1000
/* regcomp copies a repeated part once per repetition, nested repetitions
 * multiply ((a{64}){64}){64} is 262144 copies and a quarter of a second);
 * real checks such as [0-9]{18} stay in the tens. */
#define PATTERN_MAX_WEIGHT 10000.0

bool gp_validator_accepts(const gp_validator *v, const char *value)
{
    const char *p = value;
    long chars = 0;
    while (gp_utf8_next(&p) > 0)
        chars++;
    if (*p != '\0')
        return false; /* not UTF-8: no pattern or length can mean anything */
    if (v->min_chars > 0 && chars < v->min_chars)
        return false;
    if (v->max_chars > 0 && chars > v->max_chars)
        return false;
    return v->compiled == NULL || regexec(v->compiled, value, 0, NULL, 0) == 0;
}

void gp_validator_clear(gp_validator *v)
{
    if (v->compiled != NULL) {
        regfree(v->compiled);
        free(v->compiled);
    }
    free(v->field);
    free(v->pattern);
    free(v->message);
    memset(v, 0, sizeof *v);
}

/* ---- looking at a pattern before regcomp does ----------------------- */

typedef enum shape { SHAPE_OK, SHAPE_STRAY_CLOSE, SHAPE_TOO_HEAVY } shape;

/* Skips a bracket expression starting at s[0] == '['; returns what
 * follows it, or NULL when it never closes (regcomp reports that). */
static const char *skip_bracket(const char *s)
{
    s++;
    if (*s == '^')
        s++;
    if (*s == ']')
        s++;
    while (*s != '\0' && *s != ']') {
        if (s[0] == '[' && (s[1] == ':' || s[1] == '=' || s[1] == '.')) {
            char close[3] = {s[1], ']', '\0'};
            const char *end = strstr(s + 2, close);
            if (end == NULL)
                return NULL;
            s = end + 2;
        } else {
            s++;
        }
    }
    return *s == ']' ? s + 1 : NULL;
}

/* "{m}", "{m,}" or "{m,n}" at s: the largest count it allows (m + 1 for
 * "{m,}", which regcomp builds as m copies and a star) and its length; 0
 * when s holds no interval. */
static size_t read_interval(const char *s, double *count)
{
    size_t i = 1;
    double m = 0, n = -1;
    if (s[i] < '0' || s[i] > '9')
        return 0;
    while (s[i] >= '0' && s[i] <= '9' && m < 1e9)
        m = m * 10 + (s[i++] - '0');
    if (s[i] == ',') {
        i++;
        n = s[i] >= '0' && s[i] <= '9' ? 0 : m + 1;
        while (s[i] >= '0' && s[i] <= '9' && n < 1e9)
            n = n * 10 + (s[i++] - '0');
    }
    if (s[i] != '}')
        return 0;
    *count = n > m ? n : m;
    if (*count < 1)
        *count = 1;
    return i + 1;
}

#define MAX_DEPTH 64

/* Parentheses that close nothing would break the ^(...)$ anchoring
 * ("a)|(b" anchors only its halves), so they are refused; the weight is
 * how many copies of atoms regcomp will build. */
static shape look_at(const char *s)
{
    double group[MAX_DEPTH + 1] = {0};
    int depth = 0;
    double pending = 0; /* the weight of the last atom or group, until a quantifier or the next one */
    while (*s != '\0') {
        double count = 1;
        size_t len;
        if (*s == '\\') {
            group[depth] += pending;
            pending = 1;
            s += s[1] != '\0' ? 2 : 1;
        } else if (*s == '[') {
            group[depth] += pending;
            pending = 1;
            s = skip_bracket(s);
            if (s == NULL)
                return SHAPE_OK;
        } else if (*s == '(') {
            group[depth] += pending;
            pending = 0;
            if (depth == MAX_DEPTH)
                return SHAPE_TOO_HEAVY;
            group[++depth] = 0;
            s++;
        } else if (*s == ')') {
            if (depth == 0)
                return SHAPE_STRAY_CLOSE;
            pending = group[depth--] + pending;
            s++;
        } else if (*s == '{' && (len = read_interval(s, &count)) > 0) {
            pending *= count;
            s += len;
        } else if (*s == '*' || *s == '+' || *s == '?') {
            s++;
        } else {
            group[depth] += pending;
            pending = *s == '|' ? 0 : 1;
            s++;
        }
        double total = pending;
        for (int d = 0; d <= depth; d++)
            total += group[d];
        if (total > PATTERN_MAX_WEIGHT)
            return SHAPE_TOO_HEAVY;
    }
    return SHAPE_OK;
}

gp_status gp_validator_compile(gp_validator *v, const char *file, gp_error **err)
{
    gp_clip clip;
    const char *shown = gp_clip_text(&clip, v->pattern);
    size_t n = strlen(v->pattern);
    if (n == 0)
        return gp_error_set(err, GP_E_INVALID, file, v->line,
                            _("<validate pattern=\"\"> is empty; write a pattern such as [0-9]{18} or remove the "
                              "attribute"));
    if (n > PATTERN_MAX_BYTES)
        return gp_error_set(err, GP_E_INVALID, file, v->line,
                            _("<validate pattern=\"%s\"> is %zu bytes, more than %d; a value check is a short "
                              "pattern, shorten it"),
                            shown, n, PATTERN_MAX_BYTES);
    switch (look_at(v->pattern)) {
    case SHAPE_OK:
        break;
    case SHAPE_STRAY_CLOSE:
        return gp_error_set(err, GP_E_INVALID, file, v->line,
                            _("<validate pattern=\"%s\">: a \")\" that closes no \"(\"; write \\) for a literal "
                              "parenthesis"),
                            shown);
    case SHAPE_TOO_HEAVY:
        return gp_error_set(err, GP_E_INVALID, file, v->line,
                            _("<validate pattern=\"%s\">: its repetitions multiply to more than %.0f copies; "
                              "use smaller counts in {m,n} or fewer nested groups"),
                            shown, PATTERN_MAX_WEIGHT);
    }
    char *anchored = malloc(n + 5);
    regex_t *re = malloc(sizeof *re);
    if (anchored == NULL || re == NULL) {
        free(anchored);
        free(re);
        return gp_error_nomem(err);
    }
    snprintf(anchored, n + 5, "^(%s)$", v->pattern);
    int rc = regcomp(re, anchored, REG_EXTENDED | REG_NOSUB);
    free(anchored);
    if (rc != 0) {
        char why[160];
        regerror(rc, re, why, sizeof why);
        free(re);
        if (rc == REG_ESPACE)
            return gp_error_nomem(err);
        return gp_error_set(err, GP_E_INVALID, file, v->line,
                            _("<validate pattern=\"%s\">: not a regular expression (%s); write a POSIX extended "
                              "expression such as [0-9]{18}"),
                            shown, why);
    }
    v->compiled = re;
    return GP_OK;
}
