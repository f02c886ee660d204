/* Resident identity numbers, GB 11643-1999: 6 digits of region, 8 of birth
 * date, 3 of sequence (odd for men) and a check character. */
#include <string.h>

#include "roster/roster-private.h"
#include "roster/table-private.h"

bool gp_id_number_valid(const char *id, char *expected_check)
{
    static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static const char checks[] = "10X98765432";
    if (expected_check != NULL)
        *expected_check = '\0';
    if (id == NULL)
        return false;
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        if (id[i] < '0' || id[i] > '9')
            return false;
        sum += (id[i] - '0') * weights[i];
    }
    char want = checks[sum % 11];
    if (expected_check != NULL)
        *expected_check = want;
    char got = id[17] == 'x' ? 'X' : id[17];
    return got == want && id[18] == '\0';
}

size_t gp_id_number_normalise(char *id)
{
    unsigned char *r = (unsigned char *)id, *w = r;
    while (*r) {
        /* Full-width forms U+FF10..FF19 (digits), U+FF38 / U+FF58 (X, x). */
        if (r[0] == 0xEF && r[1] == 0xBC && r[2] >= 0x90 && r[2] <= 0x99) {
            *w++ = (unsigned char)('0' + (r[2] - 0x90));
            r += 3;
        } else if (r[0] == 0xEF && ((r[1] == 0xBC && r[2] == 0xB8) || (r[1] == 0xBD && r[2] == 0x98))) {
            *w++ = 'X';
            r += 3;
        } else if (r[0] == 0xE3 && r[1] == 0x80 && r[2] == 0x80) {
            r += 3; /* ideographic space */
        } else if (r[0] == 0xC2 && r[1] == 0xA0) {
            r += 2;
        } else if (*r == ' ' || *r == '\t' || *r == '-') {
            r++; /* "110105 19491231 002X", "110105-19491231-002X" */
        } else {
            *w++ = *r == 'x' ? 'X' : *r;
            r++;
        }
    }
    *w = '\0';
    return (size_t)(w - (unsigned char *)id);
}

bool gp_id_number_is_mangled(const char *id)
{
    /* Excel shows an 18-digit number as 1.10105E+17, or with a ".0" after
     * a round trip through another program. Real ID numbers are neither. */
    const char *p = id;
    bool digits = false, point = false;
    while ((*p >= '0' && *p <= '9') || (*p == '.' && !point)) {
        point |= *p == '.';
        digits |= *p != '.';
        p++;
    }
    if (!digits)
        return false;
    if (*p == 'E' || *p == 'e') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (*p < '0' || *p > '9')
            return false;
        while (*p >= '0' && *p <= '9')
            p++;
        return *p == '\0';
    }
    return point && *p == '\0';
}
