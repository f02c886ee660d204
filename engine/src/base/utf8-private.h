/* Strict UTF-8 decoding for the template module: formatters count
 * characters, paragraphs look at the characters around a line break, and
 * validators measure lengths in characters, not bytes. */
#ifndef GP_UTF8_PRIVATE_H
#define GP_UTF8_PRIVATE_H

#include <stdbool.h>

/* Decodes one character of a NUL-terminated string and advances *p past it;
 * -1 (leaving *p alone) on a malformed sequence, overlong forms and
 * surrogates included, or at the terminating NUL. */
long gp_utf8_next(const char **p);

/* The code point of the character that ends just before end (s <= end), or
 * -1 when end == s or the bytes before end are not well-formed UTF-8. */
long gp_utf8_prev(const char *s, const char *end);

/* True for characters set full width in Chinese text (East Asian Width W
 * or F): CJK ideographs of every plane, kana, Hangul, CJK and fullwidth
 * punctuation. Text between two such characters needs no space. */
bool gp_utf8_is_wide(long cp);

#endif
