#define _GNU_SOURCE /* vasprintf */
/* Text for a person's terminal. Findings and errors quote roster cells and
 * file names, which are outside input: written raw, an escape sequence in a
 * name could retitle or clear the terminal, a bidi override could reorder
 * what the operator reads, and a newline could split one finding into two
 * lines that look like two. Everything that is not plain visible text is
 * written as an escape instead. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

size_t cli_utf8_decode(const unsigned char *s, uint32_t *cp)
{
    unsigned char c = s[0];
    size_t len;
    uint32_t v, min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if (c >= 0xc2 && c <= 0xdf) {
        len = 2, v = c & 0x1f, min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3, v = c & 0x0f, min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4, v = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3f);
    }
    if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
        return 0;
    *cp = v;
    return len;
}

/* Characters that change how a line shows without showing themselves:
 * C1 controls, bidirectional embeddings, overrides, isolates and marks,
 * zero-width and other format characters, the line and paragraph
 * separators, and the interlinear annotation marks. */
bool cli_is_invisible(uint32_t cp)
{
    return (cp >= 0x80 && cp <= 0x9f) || cp == 0xad || cp == 0x061c || cp == 0x180e ||
           (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x206f) ||
           cp == 0xfeff || (cp >= 0xfff9 && cp <= 0xfffb) || (cp >= 0xe0000 && cp <= 0xe007f);
}

static void put_control(FILE *out, unsigned char c)
{
    switch (c) {
    case '\n': fputs("\\n", out); break;
    case '\r': fputs("\\r", out); break;
    case '\t': fputs("\\t", out); break;
    default: fprintf(out, "\\x%02x", c); break;
    }
}

static void put_escaped_len(FILE *out, const char *text, size_t n)
{
    const unsigned char *s = (const unsigned char *)text, *end = s + n;
    while (s < end) {
        uint32_t cp;
        size_t len = *s != '\0' && (size_t)(end - s) >= 1 ? cli_utf8_decode(s, &cp) : 0;
        if (len == 0 || s + len > end) {
            fprintf(out, "\\x%02x", *s);
            s++;
        } else if (cp < 0x20 || cp == 0x7f) {
            put_control(out, (unsigned char)cp);
            s++;
        } else if (cli_is_invisible(cp)) {
            fprintf(out, cp > 0xffff ? "\\U%08x" : "\\u%04x", (unsigned)cp);
            s += len;
        } else {
            fwrite(s, 1, len, out);
            s += len;
        }
    }
}

void cli_put_escaped(FILE *out, const char *s)
{
    if (s != NULL)
        put_escaped_len(out, s, strlen(s));
}

void cli_say(FILE *out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *text = NULL;
    int n = vasprintf(&text, fmt, ap);
    va_end(ap);
    if (n < 0) {
        fputs("gradprint: out of memory\n", out);
        return;
    }
    bool newline = n > 0 && text[n - 1] == '\n';
    put_escaped_len(out, text, (size_t)n - newline);
    if (newline)
        fputc('\n', out);
    free(text);
}
