/* CSV bytes to UTF-8. Excel in a Chinese Windows saves "CSV" as GBK (code
 * page 936) and "CSV UTF-8" with a byte order mark; other tools write UTF-8
 * without one. GB18030 is a superset of GBK, so it reads both kinds of
 * legacy files and also covers rare name characters GBK lacks. */
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/error-private.h"
#include "base/i18n-private.h"
#include "roster/table-private.h"

typedef enum encoding { ENC_DETECT, ENC_UTF8, ENC_GB18030, ENC_GBK, ENC_UTF16LE, ENC_UTF16BE } encoding;

static long line_at(const char *text, size_t len)
{
    long line = 1;
    for (size_t i = 0; i < len; i++)
        if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= len || text[i + 1] != '\n')))
            line++;
    return line;
}

static const char *encoding_name(encoding enc)
{
    switch (enc) {
    case ENC_GB18030: return "GB18030";
    case ENC_GBK: return "GBK";
    case ENC_UTF16LE: return "UTF-16LE";
    case ENC_UTF16BE: return "UTF-16BE";
    default: return "UTF-8";
    }
}

static gp_status convert(const char *path, const unsigned char *data, size_t size, encoding enc, bool detected,
                         char **utf8, size_t *len, gp_error **err)
{
    iconv_t cd = iconv_open("UTF-8", encoding_name(enc));
    if (cd == (iconv_t)-1)
        return gp_error_set(err, GP_E_INTERNAL, path, 0, _("the C library cannot convert from %s (iconv: %s)"),
                            encoding_name(enc), strerror(errno));
    size_t cap = size + size / 2 + 16;
    char *out = malloc(cap);
    if (out == NULL) {
        iconv_close(cd);
        return gp_error_nomem(err);
    }
    char *in = (char *)data;
    size_t in_left = size, done = 0;
    gp_status st = GP_OK;
    while (in_left > 0) {
        char *o = out + done;
        size_t o_left = cap - 1 - done;
        size_t r = iconv(cd, &in, &in_left, &o, &o_left);
        done = (size_t)(o - out);
        if (r != (size_t)-1)
            break;
        if (errno == E2BIG) {
            size_t ncap = cap * 2;
            char *grown = ncap > cap ? realloc(out, ncap) : NULL;
            if (grown == NULL) {
                st = gp_error_nomem(err);
                break;
            }
            out = grown;
            cap = ncap;
            continue;
        }
        long line = line_at(out, done);
        if (detected)
            st = gp_error_set(err, GP_E_INVALID, path, line,
                              _("the file is neither UTF-8 nor GB18030 text (bad bytes on this line); save it from "
                                "Excel as \"CSV UTF-8\", or name its encoding with --encoding"));
        else
            st = gp_error_set(err, GP_E_INVALID, path, line,
                              _("bytes on this line are not valid %s; the file has another encoding: try "
                                "--encoding utf-8 or --encoding gb18030"),
                              encoding_name(enc));
        break;
    }
    iconv_close(cd);
    if (st != GP_OK) {
        free(out);
        return st;
    }
    out[done] = '\0';
    *utf8 = out;
    *len = done;
    return GP_OK;
}

static gp_status parse_encoding(const char *name, encoding *enc, gp_error **err)
{
    if (name == NULL || *name == '\0')
        *enc = ENC_DETECT;
    else if (strcasecmp(name, "utf-8") == 0 || strcasecmp(name, "utf8") == 0)
        *enc = ENC_UTF8;
    else if (strcasecmp(name, "gb18030") == 0 || strcasecmp(name, "gb2312") == 0)
        *enc = ENC_GB18030;
    else if (strcasecmp(name, "gbk") == 0 || strcasecmp(name, "cp936") == 0)
        *enc = ENC_GBK;
    else
        return gp_error_set(err, GP_E_USAGE, NULL, 0, _("unknown roster encoding \"%s\"; use utf-8, gb18030 or gbk"),
                            name);
    return GP_OK;
}

gp_status gp_csv_decode(const char *path, const unsigned char *data, size_t size, const char *encoding_opt,
                        char **utf8, size_t *len, gp_error **err)
{
    *utf8 = NULL;
    *len = 0;
    encoding enc = ENC_DETECT;
    gp_status st = parse_encoding(encoding_opt, &enc, err);
    if (st != GP_OK)
        return st;
    bool bom = size >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF;
    bool detected = enc == ENC_DETECT;
    if (detected) {
        /* Excel's "Unicode text" is UTF-16 with a byte order mark. */
        if (size >= 2 && data[0] == 0xFF && data[1] == 0xFE)
            enc = ENC_UTF16LE;
        else if (size >= 2 && data[0] == 0xFE && data[1] == 0xFF)
            enc = ENC_UTF16BE;
        else if (bom || gp_utf8_invalid_at(data, size) == size)
            enc = ENC_UTF8;
        else
            enc = ENC_GB18030;
    }
    if (enc == ENC_UTF16LE || enc == ENC_UTF16BE) {
        data += 2;
        size -= 2;
    } else if (enc == ENC_UTF8 && bom) {
        data += 3;
        size -= 3;
    }
    char *out = NULL;
    size_t n = 0;
    if (enc == ENC_UTF8) {
        size_t bad = gp_utf8_invalid_at(data, size);
        if (bad < size && bom)
            return gp_error_set(err, GP_E_INVALID, path, line_at((const char *)data, bad), "%s",
                                _("bytes on this line are not valid UTF-8 although the file starts with a UTF-8 "
                                  "byte order mark; save it again as \"CSV UTF-8\", or try --encoding gb18030"));
        if (bad < size)
            return gp_error_set(err, GP_E_INVALID, path, line_at((const char *)data, bad), "%s",
                                _("bytes on this line are not valid UTF-8, the encoding asked for; try --encoding "
                                  "gb18030, or leave --encoding out to detect the encoding"));
        out = malloc(size + 1);
        if (out == NULL)
            return gp_error_nomem(err);
        memcpy(out, data, size);
        out[size] = '\0';
        n = size;
    } else {
        st = convert(path, data, size, enc, detected, &out, &n, err);
        if (st != GP_OK)
            return st;
    }
    const char *nul = memchr(out, '\0', n);
    if (nul != NULL) {
        long line = line_at(out, (size_t)(nul - out));
        free(out);
        return gp_error_set(err, GP_E_INVALID, path, line,
                            "%s", _("the file holds a NUL byte, so it is not a text CSV; export the roster from Excel "
                                    "as CSV or XLSX again"));
    }
    *utf8 = out;
    *len = n;
    return GP_OK;
}
