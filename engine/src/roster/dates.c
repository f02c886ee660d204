#include <math.h>
#include <string.h>

#include "roster/roster-private.h"

static bool is_leap(long y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int days_in_month(long y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

static bool real_date(long y, long m, long d)
{
    return y >= 1000 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, (int)m);
}

/* y in 1000..9999, m and d already checked. */
static void write_date(long y, long m, long d, char out[11])
{
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = '\0';
}

/* Reads 1..max ASCII digits. */
static bool read_number(const char **p, int min, int max, long *value)
{
    long v = 0;
    int n = 0;
    while (**p >= '0' && **p <= '9' && n < max) {
        v = v * 10 + (**p - '0');
        (*p)++;
        n++;
    }
    if (n < min || (**p >= '0' && **p <= '9'))
        return false;
    *value = v;
    return true;
}

static bool skip(const char **p, const char *lit)
{
    size_t n = strlen(lit);
    if (strncmp(*p, lit, n) != 0)
        return false;
    *p += n;
    return true;
}

/* Spreadsheets exporting a date cell to CSV often append a midnight time
 * ("2003/5/12 0:00"); a valid time of day after the date is accepted. */
static bool rest_is_time_or_end(const char *p)
{
    if (*p == '\0')
        return true;
    if (*p != ' ' && *p != 'T')
        return false;
    while (*p == ' ' || *p == 'T')
        p++;
    long h, m, s = 0;
    if (!read_number(&p, 1, 2, &h) || !skip(&p, ":") || !read_number(&p, 2, 2, &m))
        return false;
    if (skip(&p, ":") && !read_number(&p, 2, 2, &s))
        return false;
    if (*p == '.')
        for (p++; *p >= '0' && *p <= '9'; p++)
            ;
    return *p == '\0' && h < 24 && m < 60 && s < 60;
}

bool gp_date_parse(const char *text, char out[11])
{
    const char *p = text;
    long y, m, d;
    if (strlen(text) >= 8 && read_number(&p, 8, 8, &y) && *p == '\0') {
        d = y % 100;
        m = y / 100 % 100;
        y /= 10000;
    } else {
        p = text;
        if (!read_number(&p, 4, 4, &y))
            return false;
        if (skip(&p, "年")) {
            if (!read_number(&p, 1, 2, &m) || !skip(&p, "月") || !read_number(&p, 1, 2, &d))
                return false;
            skip(&p, "日");
        } else {
            char sep = *p;
            if (sep != '-' && sep != '/' && sep != '.')
                return false;
            p++;
            if (!read_number(&p, 1, 2, &m) || *p != sep)
                return false;
            p++;
            if (!read_number(&p, 1, 2, &d))
                return false;
        }
        if (!rest_is_time_or_end(p))
            return false;
    }
    if (!real_date(y, m, d))
        return false;
    write_date(y, m, d, out);
    return true;
}

/* Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm). */
static void civil_from_days(long z, long *y, long *m, long *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (*m <= 2);
}

bool gp_date_from_excel_serial(double serial, char out[11])
{
    if (!isfinite(serial) || serial < 1 || serial >= 2958466)
        return false;
    long day = (long)floor(serial);
    /* Excel counts a 1900-02-29 that never was: serial 60 names no real
     * day, and from 61 on every serial is one more than the day count. */
    if (day == 60)
        return false;
    const long days_1899_12_31 = -25568; /* days from 1970-01-01 */
    long z = days_1899_12_31 + day - (day > 60 ? 1 : 0);
    long y, m, d;
    civil_from_days(z, &y, &m, &d);
    write_date(y, m, d, out);
    return true;
}
