#include "strbuf-private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char empty_string[1];

void gp_strbuf_init(gp_strbuf *sb)
{
    sb->data = empty_string;
    sb->len = 0;
    sb->cap = 0;
    sb->failed = false;
}

void gp_strbuf_free(gp_strbuf *sb)
{
    if (sb->cap > 0)
        free(sb->data);
    gp_strbuf_init(sb);
}

void gp_strbuf_clear(gp_strbuf *sb)
{
    sb->len = 0;
    if (sb->cap > 0)
        sb->data[0] = '\0';
}

/* A failed buffer holds nothing: its memory goes at once, so a caller that
 * checks gp_strbuf_failed() and returns has nothing left to free. */
static void fail(gp_strbuf *sb)
{
    gp_strbuf_free(sb);
    sb->failed = true;
}

static bool reserve(gp_strbuf *sb, size_t extra)
{
    if (sb->failed)
        return false;
    if (sb->len + extra + 1 <= sb->cap)
        return true;
    size_t cap = sb->cap ? sb->cap : 64;
    while (cap < sb->len + extra + 1) {
        if (cap > ((size_t)-1) / 2) {
            fail(sb);
            return false;
        }
        cap *= 2;
    }
    char *data = sb->cap > 0 ? realloc(sb->data, cap) : malloc(cap);
    if (data == NULL) {
        fail(sb);
        return false;
    }
    if (sb->cap == 0)
        data[0] = '\0';
    sb->data = data;
    sb->cap = cap;
    return true;
}

void gp_strbuf_append_len(gp_strbuf *sb, const char *s, size_t n)
{
    if (!reserve(sb, n))
        return;
    memcpy(sb->data + sb->len, s, n);
    sb->len += n;
    sb->data[sb->len] = '\0';
}

void gp_strbuf_append(gp_strbuf *sb, const char *s) { gp_strbuf_append_len(sb, s, strlen(s)); }

void gp_strbuf_append_char(gp_strbuf *sb, char c) { gp_strbuf_append_len(sb, &c, 1); }

void gp_strbuf_vappendf(gp_strbuf *sb, const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0) {
        fail(sb);
        return;
    }
    if (!reserve(sb, (size_t)n))
        return;
    vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
    sb->len += (size_t)n;
}

void gp_strbuf_appendf(gp_strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    gp_strbuf_vappendf(sb, fmt, ap);
    va_end(ap);
}

bool gp_strbuf_failed(const gp_strbuf *sb) { return sb->failed; }

char *gp_strbuf_steal(gp_strbuf *sb)
{
    if (sb->failed) {
        gp_strbuf_free(sb);
        return NULL;
    }
    char *s = sb->cap > 0 ? sb->data : strdup("");
    gp_strbuf_init(sb);
    return s;
}
