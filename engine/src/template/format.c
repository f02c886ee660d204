#include "format-private.h"

#include <string.h>

#include "../base/i18n-private.h"
#include "base/utf8-private.h"

/* Year digits are read out one by one with 〇 for zero (二〇〇三年); counts use
 * 零 only between non-zero digits (一百零五). */
static const char *const year_digit[10] = {"〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
static const char *const count_digit[10] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};

/* ---- dates ---------------------------------------------------------- */

typedef struct ymd {
    int y, m, d; /* d is 0 for a month without a day */
} ymd;

static bool two_digits(const char *s, int *v)
{
    if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
        return false;
    *v = (s[0] - '0') * 10 + (s[1] - '0');
    return true;
}

static int days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

/* "YYYY-MM-DD", or "YYYY-MM" when allow_month is set. */
static bool parse_ymd(const char *in, bool allow_month, ymd *out)
{
    size_t n = strlen(in);
    if (n != 10 && !(allow_month && n == 7))
        return false;
    int hi, lo;
    if (!two_digits(in, &hi) || !two_digits(in + 2, &lo) || in[4] != '-' || !two_digits(in + 5, &out->m))
        return false;
    out->y = hi * 100 + lo;
    out->d = 0;
    if (out->y < 1 || out->m < 1 || out->m > 12)
        return false;
    if (n == 10) {
        if (in[7] != '-' || !two_digits(in + 8, &out->d))
            return false;
        if (out->d < 1 || out->d > days_in_month(out->y, out->m))
            return false;
    }
    return true;
}

/* 1..99 the way dates and short counts say them: 十, 十二, 二十, 三十一. */
static void append_small_cn(gp_strbuf *out, int v)
{
    int tens = v / 10, units = v % 10;
    if (tens > 1)
        gp_strbuf_append(out, count_digit[tens]);
    if (tens > 0)
        gp_strbuf_append(out, "十");
    if (units > 0 || tens == 0)
        gp_strbuf_append(out, count_digit[units]);
}

static void append_cn_year(gp_strbuf *out, int y)
{
    char digits[8];
    int n = 0;
    do {
        digits[n++] = (char)(y % 10);
        y /= 10;
    } while (y > 0 && n < (int)sizeof digits);
    while (n > 0)
        gp_strbuf_append(out, year_digit[(int)digits[--n]]);
    gp_strbuf_append(out, "年");
}

bool gp_format_cn_date(const char *in, gp_strbuf *out)
{
    ymd v;
    if (!parse_ymd(in, false, &v))
        return false;
    append_cn_year(out, v.y);
    append_small_cn(out, v.m);
    gp_strbuf_append(out, "月");
    append_small_cn(out, v.d);
    gp_strbuf_append(out, "日");
    return true;
}

bool gp_format_cn_month(const char *in, gp_strbuf *out)
{
    ymd v;
    if (!parse_ymd(in, true, &v))
        return false;
    append_cn_year(out, v.y);
    append_small_cn(out, v.m);
    gp_strbuf_append(out, "月");
    return true;
}

bool gp_format_date(const char *in, gp_strbuf *out)
{
    ymd v;
    if (!parse_ymd(in, false, &v))
        return false;
    gp_strbuf_appendf(out, "%d年%d月%d日", v.y, v.m, v.d);
    return true;
}

bool gp_format_month(const char *in, gp_strbuf *out)
{
    ymd v;
    if (!parse_ymd(in, true, &v))
        return false;
    gp_strbuf_appendf(out, "%d年%d月", v.y, v.m);
    return true;
}

/* ---- numbers -------------------------------------------------------- */

/* One group of four digits (1..9999). first: the group starts the whole
 * number, where 10..19 read 十, 十一 rather than 一十, 一十一. */
static void append_group(gp_strbuf *out, long v, bool first)
{
    static const char *const unit[4] = {"千", "百", "十", ""};
    long div = 1000;
    bool started = false, zero_pending = false;
    for (int i = 0; i < 4; i++, div /= 10) {
        int d = (int)(v / div % 10);
        if (d == 0) {
            zero_pending = started;
            continue;
        }
        if (zero_pending)
            gp_strbuf_append(out, "零");
        zero_pending = false;
        if (!(d == 1 && i == 2 && !started && first))
            gp_strbuf_append(out, count_digit[d]);
        gp_strbuf_append(out, unit[i]);
        started = true;
    }
}

static void append_cn_count(gp_strbuf *out, long v)
{
    if (v == 0) {
        gp_strbuf_append(out, count_digit[0]);
        return;
    }
    long high = v / 10000, low = v % 10000;
    if (high > 0) {
        append_group(out, high, true);
        gp_strbuf_append(out, "万");
        if (low > 0 && low < 1000)
            gp_strbuf_append(out, "零");
    }
    if (low > 0)
        append_group(out, low, high == 0);
}

/* An unsigned decimal "123" or "12.5": integer part (at most 8 digits) and
 * the fraction's digits as written. */
typedef struct decimal {
    long whole;
    const char *frac; /* digits after the point, NULL when there is none */
    size_t frac_len;
} decimal;

static bool parse_decimal(const char *s, size_t n, decimal *out)
{
    size_t i = 0;
    out->whole = 0;
    out->frac = NULL;
    out->frac_len = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9') {
        if (i >= 8)
            return false;
        out->whole = out->whole * 10 + (s[i] - '0');
        i++;
    }
    if (i == 0)
        return false;
    if (i == n)
        return true;
    if (s[i] != '.' || i + 1 == n)
        return false;
    out->frac = s + i + 1;
    out->frac_len = n - i - 1;
    for (size_t k = 0; k < out->frac_len; k++)
        if (out->frac[k] < '0' || out->frac[k] > '9')
            return false;
    return true;
}

static bool is_cn_numeral(long cp)
{
    static const char numerals[] = "〇零一二三四五六七八九十百千万两";
    const char *p = numerals;
    long c;
    while ((c = gp_utf8_next(&p)) > 0)
        if (c == cp)
            return true;
    return false;
}

/* Length of the leading run of Chinese numerals in s[0..n). */
static size_t cn_numeral_prefix(const char *s, size_t n)
{
    const char *p = s;
    while ((size_t)(p - s) < n) {
        const char *q = p;
        long cp = gp_utf8_next(&q);
        if (cp < 0 || !is_cn_numeral(cp))
            break;
        p = q;
    }
    return (size_t)(p - s);
}

bool gp_format_cn_number(const char *in, gp_strbuf *out)
{
    size_t n = strlen(in);
    if (n > 0 && cn_numeral_prefix(in, n) == n) {
        gp_strbuf_append(out, in);
        return true;
    }
    decimal d;
    if (!parse_decimal(in, n, &d))
        return false;
    append_cn_count(out, d.whole);
    if (d.frac != NULL) {
        gp_strbuf_append(out, "点");
        for (size_t k = 0; k < d.frac_len; k++)
            gp_strbuf_append(out, count_digit[d.frac[k] - '0']);
    }
    return true;
}

static bool ends_with(const char *s, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

bool gp_format_cn_years(const char *in, gp_strbuf *out)
{
    size_t n = strlen(in);
    /* Already in words: 四, 四年, 四年半. */
    size_t words = cn_numeral_prefix(in, n);
    if (words > 0) {
        const char *rest = in + words;
        if (*rest == '\0' || strcmp(rest, "年") == 0 || strcmp(rest, "年半") == 0) {
            gp_strbuf_append_len(out, in, words);
            gp_strbuf_append(out, *rest == '\0' ? "年" : rest);
            return true;
        }
        return false;
    }
    if (ends_with(in, n, "年"))
        n -= strlen("年");
    decimal d;
    if (!parse_decimal(in, n, &d))
        return false;
    bool half = false;
    if (d.frac != NULL) {
        size_t k = d.frac_len;
        while (k > 0 && d.frac[k - 1] == '0')
            k--;
        if (k == 1 && d.frac[0] == '5')
            half = true;
        else if (k != 0)
            return false;
    }
    append_cn_count(out, d.whole);
    gp_strbuf_append(out, half ? "年半" : "年");
    return true;
}

/* ---- text ----------------------------------------------------------- */

bool gp_format_spaced(const char *in, gp_strbuf *out)
{
    const char *p = in;
    const char *second = NULL;
    size_t count = 0;
    while (*p != '\0') {
        if (gp_utf8_next(&p) < 0)
            return false;
        if (++count == 1)
            second = p;
    }
    if (count != 2) {
        gp_strbuf_append(out, in);
        return true;
    }
    gp_strbuf_append_len(out, in, (size_t)(second - in));
    gp_strbuf_append(out, "\xE3\x80\x80"); /* U+3000 IDEOGRAPHIC SPACE */
    gp_strbuf_append(out, second);
    return true;
}

bool gp_format_upper(const char *in, gp_strbuf *out)
{
    for (const char *p = in; *p != '\0'; p++)
        gp_strbuf_append_char(out, *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p);
    return true;
}

/* ---- registry ------------------------------------------------------- */

static const gp_formatter formatters[] = {
    {"cn-date", gp_format_cn_date, N_("a date written YYYY-MM-DD")},
    {"cn-month", gp_format_cn_month, N_("a date written YYYY-MM-DD or YYYY-MM")},
    {"date", gp_format_date, N_("a date written YYYY-MM-DD")},
    {"month", gp_format_month, N_("a date written YYYY-MM-DD or YYYY-MM")},
    {"cn-number", gp_format_cn_number, N_("a number below 100000000, such as 4 or 2.5")},
    {"cn-years", gp_format_cn_years, N_("a number of years such as 4, 4年, 四年 or 2.5")},
    {"spaced", gp_format_spaced, N_("valid UTF-8 text")},
    {"upper", gp_format_upper, N_("any text")},
};

const gp_formatter *gp_formatter_find(const char *name)
{
    for (size_t i = 0; i < sizeof formatters / sizeof formatters[0]; i++)
        if (strcmp(formatters[i].name, name) == 0)
            return &formatters[i];
    return NULL;
}

size_t gp_formatter_count(void) { return sizeof formatters / sizeof formatters[0]; }

const gp_formatter *gp_formatter_at(size_t index)
{
    return index < gp_formatter_count() ? &formatters[index] : NULL;
}
