/* Formatters: the "|name" steps of a pattern field, as pure functions from
 * one UTF-8 value to its printed form. Dates arrive normalised as YYYY-MM-DD
 * (the roster reader does that), so the date formatters accept only that.
 * Each formatter appends to out and returns false, leaving out as it was,
 * when the value is not something it can format. */
#ifndef GP_FORMAT_PRIVATE_H
#define GP_FORMAT_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

#include "../base/strbuf-private.h"

typedef bool (*gp_format_fn)(const char *in, gp_strbuf *out);

typedef struct gp_formatter {
    const char *name;    /* as written in a pattern: "cn-date" */
    gp_format_fn format;
    const char *expects; /* untranslated (N_): what the value must look like, for messages */
} gp_formatter;

/* NULL when there is no formatter of that name. "map:NAME" is not in the
 * registry: maps belong to a template, see pattern-private.h. */
const gp_formatter *gp_formatter_find(const char *name);
size_t gp_formatter_count(void);
const gp_formatter *gp_formatter_at(size_t index);

/* 2003-05-12 → 二〇〇三年五月十二日 */
bool gp_format_cn_date(const char *in, gp_strbuf *out);
/* 2023-09-01 or 2023-09 → 二〇二三年九月 */
bool gp_format_cn_month(const char *in, gp_strbuf *out);
/* 2003-05-12 → 2003年5月12日 */
bool gp_format_date(const char *in, gp_strbuf *out);
/* 2023-09-01 or 2023-09 → 2023年9月 */
bool gp_format_month(const char *in, gp_strbuf *out);
/* 4 → 四, 10 → 十, 105 → 一百零五, 2.5 → 二点五 (0 .. 99999999); Chinese
 * numerals pass unchanged. */
bool gp_format_cn_number(const char *in, gp_strbuf *out);
/* 4, 4年, 四, 四年 → 四年; 2.5 → 二年半 */
bool gp_format_cn_years(const char *in, gp_strbuf *out);
/* A two-character name gets an ideographic space (U+3000) between its
 * characters, so it lines up with three-character names: 张三 → 张　三. */
bool gp_format_spaced(const char *in, gp_strbuf *out);
/* ASCII letters to upper case; everything else unchanged. */
bool gp_format_upper(const char *in, gp_strbuf *out);

#endif
