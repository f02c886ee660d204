/* Spreadsheet numbers are written with '.' whatever the locale of the
 * program that embeds the library, so strtod and printf's %g, which follow
 * LC_NUMERIC, are not used on their own. */
#include "roster/table-private.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

bool gp_number_parse(const char *text, double *value)
{
    const char *p = text;
    bool negative = false;
    if (*p == '+' || *p == '-')
        negative = *p++ == '-';
    /* Up to 19 significant digits fit a uint64; later ones only move the
     * decimal exponent, which is far below a double's precision anyway. */
    unsigned long long mantissa = 0;
    int digits = 0, exponent = 0;
    bool any = false;
    for (; *p >= '0' && *p <= '9'; p++, any = true) {
        if (digits < 19) {
            mantissa = mantissa * 10 + (unsigned)(*p - '0');
            if (mantissa > 0)
                digits++;
        } else {
            exponent++;
        }
    }
    if (*p == '.') {
        for (p++; *p >= '0' && *p <= '9'; p++, any = true) {
            if (digits < 19) {
                mantissa = mantissa * 10 + (unsigned)(*p - '0');
                if (mantissa > 0)
                    digits++;
                exponent--;
            }
        }
    }
    if (!any)
        return false;
    if (*p == 'e' || *p == 'E') {
        p++;
        bool eneg = false;
        if (*p == '+' || *p == '-')
            eneg = *p++ == '-';
        if (*p < '0' || *p > '9')
            return false;
        int e = 0;
        for (; *p >= '0' && *p <= '9'; p++)
            if (e < 10000)
                e = e * 10 + (*p - '0');
        exponent += eneg ? -e : e;
    }
    if (*p != '\0')
        return false;
    double v = (double)mantissa;
    if (mantissa == 0)
        exponent = 0;
    /* One multiplication or division by an exact power of ten keeps the
     * common cases (integers, a few decimals) correctly rounded. */
    if (exponent > 0)
        v *= pow(10.0, exponent);
    else if (exponent < 0)
        v /= pow(10.0, -exponent);
    if (!isfinite(v))
        return false;
    *value = negative ? -v : v;
    return true;
}

static bool all_digits(const char *s)
{
    if (*s == '\0')
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

bool gp_number_format(const char *text, char *out, size_t outsize)
{
    const char *digits = text[0] == '-' || text[0] == '+' ? text + 1 : text;
    if (all_digits(digits)) {
        while (digits[0] == '0' && digits[1] != '\0')
            digits++;
        bool negative = text[0] == '-' && strcmp(digits, "0") != 0;
        int n = snprintf(out, outsize, "%s%s", negative ? "-" : "", digits);
        return n >= 0 && (size_t)n < outsize;
    }
    double v;
    if (!gp_number_parse(text, &v))
        return false;
    int n;
    if (v == floor(v) && fabs(v) < 1e21) {
        n = snprintf(out, outsize, "%.0f", v);
    } else {
        n = snprintf(out, outsize, "%.15g", v);
        /* Whatever the locale put between the digits becomes '.'. */
        if (n > 0 && (size_t)n < outsize) {
            char *w = out;
            bool in_point = false;
            for (const char *r = out; *r; r++) {
                bool plain = (*r >= '0' && *r <= '9') || *r == '-' || *r == '+' || *r == 'e';
                if (plain) {
                    *w++ = *r;
                    in_point = false;
                } else if (!in_point) {
                    *w++ = '.';
                    in_point = true;
                }
            }
            *w = '\0';
        }
    }
    return n >= 0 && (size_t)n < outsize;
}
