/* Delivery order for the photo lab: students grouped by college, then
 * major, then class — groups in natural order (2班 before 10班) or, when
 * asked, in the order they first appear in the roster — and by student
 * number within a class. Output paths carry the position as zero-padded
 * prefixes, so sorting the paths byte-wise gives this order. */
#ifndef GP_DELIVERY_PRIVATE_H
#define GP_DELIVERY_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

#include "gradprint.h"

typedef struct gp_delivery_class {
    const char *college, *major, *klass; /* point into the roster */
    size_t first;                        /* index into gp_delivery.order */
    size_t count;
    char *dir_name;                      /* "003_学院_专业_班级" */
} gp_delivery_class;

typedef struct gp_delivery {
    size_t *order;            /* roster record indices in delivery order */
    size_t count;
    gp_delivery_class *classes;
    size_t nclasses;
} gp_delivery;

/* Orders the records whose include[i] is true (all when include is NULL). */
gp_status gp_delivery_plan(const gp_roster *roster, const bool *include, gp_group_order order, gp_delivery *out,
                           gp_error **err);
void gp_delivery_free(gp_delivery *delivery);

/* Compares student numbers so that 2021010102 < 2021010110 and "9" < "10"
 * (digit strings by value), other strings byte-wise. */
int gp_student_no_compare(const char *a, const char *b);

/* ICU's Chinese collator (pinyin order: 汉 before 新), or NULL when ICU
 * has no Chinese data; one per sort, closed after. */
typedef struct UCollator gp_collator;
gp_collator *gp_collator_open(void);
void gp_collator_close(gp_collator *coll);

/* Natural order of names: runs of digits (ASCII or full-width) and of
 * Chinese numerals (一 二 … 十 百, 〇/零) compare by their value, so 2班 <
 * 10班 and 二班 < 十班, and a number comes before text; the text between
 * numbers compares in pinyin order with coll, by bytes (code points) when
 * coll is NULL. Names equal in that order ("01" and "1") fall back to
 * bytes, so the order is total. */
int gp_natural_compare(const gp_collator *coll, const char *a, const char *b);

/* A file-name-safe copy of s: path separators, control characters and a
 * leading dot become '_', cut to at most max_bytes on a UTF-8 boundary. */
char *gp_safe_file_component(const char *s, size_t max_bytes);

#endif
