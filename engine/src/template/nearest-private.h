/* "Did you mean ...?": the known name a mistyped one most likely stands
 * for (nmae -> name, fontsize -> size, txt -> text, cert -> certificate). */
#ifndef GP_NEAREST_PRIVATE_H
#define GP_NEAREST_PRIVATE_H

#include <stddef.h>

/* Collects candidates for one typed name. */
typedef struct gp_nearest {
    const char *typed;
    const char *best;
    size_t best_score;
} gp_nearest;

void gp_nearest_init(gp_nearest *n, const char *typed);
/* Considers one known name (it must outlive n). */
void gp_nearest_offer(gp_nearest *n, const char *candidate);
/* Considers every alternative of "a|b|c"; the result then points into a
 * copy kept in n's buffer. */
void gp_nearest_offer_choices(gp_nearest *n, const char *choices, char *buffer, size_t size);
/* The nearest candidate close enough to be a slip (a few edits apart,
 * or one containing the other), or NULL. */
const char *gp_nearest_result(const gp_nearest *n);

#endif
