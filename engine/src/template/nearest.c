#include "nearest-private.h"

#include <stdbool.h>
#include <string.h>

/* Edits (insert, delete, change, swap two neighbours) that turn a into b,
 * ASCII case ignored; names longer than this are not slips. */
#define NEAREST_MAX 48

static char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

static size_t distance(const char *a, size_t m, const char *b, size_t n)
{
    size_t d[NEAREST_MAX + 1][NEAREST_MAX + 1];
    for (size_t i = 0; i <= m; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= n; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= m; i++) {
        for (size_t j = 1; j <= n; j++) {
            size_t cost = lower(a[i - 1]) != lower(b[j - 1]);
            size_t best = d[i - 1][j - 1] + cost;
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) && lower(a[i - 2]) == lower(b[j - 1]) &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    }
    return d[m][n];
}

static bool contains_ci(const char *hay, size_t h, const char *needle, size_t n)
{
    for (size_t i = 0; n <= h && i + n <= h; i++) {
        size_t k = 0;
        while (k < n && lower(hay[i + k]) == lower(needle[k]))
            k++;
        if (k == n)
            return true;
    }
    return false;
}

void gp_nearest_init(gp_nearest *n, const char *typed)
{
    n->typed = typed;
    n->best = NULL;
    n->best_score = (size_t)-1;
}

/* Lower is nearer; (size_t)-1 is not near at all. */
static size_t score(const char *typed, const char *candidate, size_t c)
{
    size_t t = strlen(typed);
    if (t == 0 || c == 0 || t > NEAREST_MAX || c > NEAREST_MAX)
        return (size_t)-1;
    size_t d = distance(typed, t, candidate, c);
    size_t shorter = t < c ? t : c;
    size_t allowed = shorter >= 5 ? 2 : shorter >= 3 ? 1 : 0;
    if (d > 0 && d <= allowed)
        return d;
    /* fontsize -> size, font-family -> font, cert -> certificate; a name
     * the typed one ends with is its noun (fontsize is a size). */
    if (shorter < 3)
        return (size_t)-1;
    size_t gap = t > c ? t - c : c - t;
    if (t > c && contains_ci(typed + (t - c), c, candidate, c))
        return 10 + gap;
    if (t > c ? contains_ci(typed, t, candidate, c) : contains_ci(candidate, c, typed, t))
        return 11 + gap;
    return (size_t)-1;
}

static void offer(gp_nearest *n, const char *candidate, size_t len, const char *keep)
{
    size_t s = score(n->typed, candidate, len);
    if (s < n->best_score) {
        n->best_score = s;
        n->best = keep;
    }
}

void gp_nearest_offer(gp_nearest *n, const char *candidate) { offer(n, candidate, strlen(candidate), candidate); }

void gp_nearest_offer_choices(gp_nearest *n, const char *choices, char *buffer, size_t size)
{
    for (const char *c = choices; *c != '\0';) {
        size_t len = strcspn(c, "|");
        size_t before = n->best_score;
        const char *before_best = n->best;
        offer(n, c, len, buffer);
        if (n->best_score < before && len < size) {
            memcpy(buffer, c, len);
            buffer[len] = '\0';
        } else if (n->best_score < before) {
            n->best_score = before; /* too long to hand back */
            n->best = before_best;
        }
        c += len + (c[len] == '|');
    }
}

const char *gp_nearest_result(const gp_nearest *n) { return n->best; }
