/* Hexadecimal digits, for the journal's escapes and CRCs and for "#RRGGBB"
 * colours in templates and photo profiles. */
#ifndef GP_HEX_PRIVATE_H
#define GP_HEX_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

/* 0-15, or -1 for a character that is not a hex digit (either case). */
static inline int gp_hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* "#RRGGBB", exactly n = 7 characters, into 0-255 components. */
static inline bool gp_parse_hex_rgb(const char *s, size_t n, int rgb[3])
{
    if (n != 7 || s[0] != '#')
        return false;
    for (int k = 0; k < 3; k++) {
        int hi = gp_hex_digit(s[1 + 2 * k]), lo = gp_hex_digit(s[2 + 2 * k]);
        if (hi < 0 || lo < 0)
            return false;
        rgb[k] = hi * 16 + lo;
    }
    return true;
}

#endif
