/* A growable, always NUL-terminated byte string. Allocation failure is
 * sticky: appends become no-ops and gp_strbuf_failed() reports it once at the
 * end, so callers do not check every append. A failed buffer has already
 * released its memory (data is "", len 0), so gp_strbuf_free is optional. */
#ifndef GP_STRBUF_PRIVATE_H
#define GP_STRBUF_PRIVATE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct gp_strbuf {
    char *data; /* never NULL after init, unless failed */
    size_t len;
    size_t cap;
    bool failed;
} gp_strbuf;

void gp_strbuf_init(gp_strbuf *sb);
void gp_strbuf_free(gp_strbuf *sb);
void gp_strbuf_clear(gp_strbuf *sb);
void gp_strbuf_append(gp_strbuf *sb, const char *s);
void gp_strbuf_append_len(gp_strbuf *sb, const char *s, size_t n);
void gp_strbuf_append_char(gp_strbuf *sb, char c);
void gp_strbuf_appendf(gp_strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void gp_strbuf_vappendf(gp_strbuf *sb, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
bool gp_strbuf_failed(const gp_strbuf *sb);
/* Hands the buffer to the caller (free() it) and leaves sb empty. NULL if failed. */
char *gp_strbuf_steal(gp_strbuf *sb);

#endif
