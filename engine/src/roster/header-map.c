/* "列名 = key" maps: a school's exports name columns their own way (a 教务系统
 * calls the class 行政班级名, a hand-made sheet 证件号（身份证）), and the
 * registrar should be able to say so once, in a file kept beside the
 * exports, instead of renaming headers by hand every year. */
#include "roster/header-map-private.h"

#include <stdlib.h>
#include <string.h>

#include "base/error-private.h"
#include "base/fileio-private.h"
#include "base/i18n-private.h"
#include "base/strbuf-private.h"
#include "roster/table-private.h"

void gp_header_map_init(gp_header_map *map) { memset(map, 0, sizeof *map); }

void gp_header_map_free(gp_header_map *map)
{
    for (size_t i = 0; i < map->count; i++) {
        free(map->entries[i].header);
        free(map->entries[i].folded);
    }
    free(map->entries);
    free(map->file);
    gp_header_map_init(map);
}

/* The key named by the right-hand side: a canonical key or a known header. */
static bool key_of(const char *text, gp_key *key)
{
    return gp_key_from_name(text, key) || gp_key_from_header(text, key);
}

/* The canonical key names, for messages: "seq, student_no, ...". */
static void list_keys(gp_strbuf *sb)
{
    for (int k = 0; k < GP_KEY_COUNT; k++)
        gp_strbuf_appendf(sb, "%s%s", k ? ", " : "", gp_key_name((gp_key)k));
}

/* Where an item came from, for messages: "mapping.txt:3" or "--map". */
typedef struct origin {
    const char *file; /* NULL for an option */
    long line;
    const char *item; /* the option's text */
} origin;

static gp_status fail(const origin *o, gp_error **err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static gp_status fail(const origin *o, gp_error **err, const char *fmt, ...)
{
    gp_strbuf msg;
    gp_strbuf_init(&msg);
    va_list ap;
    va_start(ap, fmt);
    gp_strbuf_vappendf(&msg, fmt, ap);
    va_end(ap);
    if (gp_strbuf_failed(&msg))
        return gp_error_nomem(err);
    gp_status st;
    if (o->file != NULL)
        st = gp_error_set(err, GP_E_INVALID, o->file, o->line, "%s", msg.data);
    else
        st = gp_error_set(err, GP_E_USAGE, NULL, 0, _("--map '%s': %s"), o->item, msg.data);
    gp_strbuf_free(&msg);
    return st;
}

static gp_status unknown_key(const origin *o, const char *text, gp_error **err)
{
    gp_strbuf keys;
    gp_strbuf_init(&keys);
    list_keys(&keys);
    if (gp_strbuf_failed(&keys))
        return gp_error_nomem(err);
    gp_status st = fail(o, err,
                        _("\"%s\" is not a roster key; write one of %s, or a header gradprint knows such as "
                          "身份证号 or 班级"),
                        text, keys.data);
    gp_strbuf_free(&keys);
    return st;
}

/* Splits at the first '=' or '＝'; both sides trimmed. */
static bool split(const char *s, size_t n, const char **left, size_t *left_len, const char **right,
                  size_t *right_len)
{
    for (size_t i = 0; i < n; i++) {
        size_t eq = s[i] == '=' ? 1 : (i + 3 <= n && memcmp(s + i, "＝", 3) == 0) ? 3 : 0;
        if (eq == 0)
            continue;
        *left = s;
        *left_len = i;
        *right = s + i + eq;
        *right_len = n - i - eq;
        gp_trim(left, left_len);
        gp_trim(right, right_len);
        return true;
    }
    return false;
}

static gp_status add(gp_header_map *map, const origin *o, const char *s, size_t n, gp_error **err)
{
    const char *left, *right;
    size_t left_len, right_len;
    if (!split(s, n, &left, &left_len, &right, &right_len))
        return fail(o, err, "%s", _("no '=' in it; write the roster's column name, '=' and the key, e.g. 行政班=class"));
    if (left_len == 0)
        return fail(o, err, "%s", _("no column name before '='; write it as the roster's header row has it"));
    if (right_len == 0)
        return fail(o, err, "%s", _("no key after '='; write a key such as class or id_number"));
    if (map->count >= GP_HEADER_MAP_MAX_ENTRIES)
        return fail(o, err, _("more than %d column maps; a roster has fewer columns than that"),
                    GP_HEADER_MAP_MAX_ENTRIES);
    char *header = strndup(left, left_len), *value = strndup(right, right_len);
    gp_strbuf folded;
    gp_strbuf_init(&folded);
    if (header != NULL)
        gp_key_fold(header, &folded);
    gp_status st = GP_OK;
    gp_key key;
    if (header == NULL || value == NULL || gp_strbuf_failed(&folded))
        st = gp_error_nomem(err);
    else if (gp_utf8_invalid_at((const unsigned char *)header, left_len) < left_len ||
             gp_utf8_invalid_at((const unsigned char *)value, right_len) < right_len)
        st = fail(o, err, "%s", _("the text is not UTF-8; save the mapping file as UTF-8 text"));
    else if (folded.len == 0)
        st = fail(o, err, "%s", _("the column name is only blanks or '*'; write it as the header row has it"));
    else if (!key_of(value, &key))
        st = unknown_key(o, value, err);
    for (size_t i = 0; st == GP_OK && i < map->count; i++) {
        gp_header_map_entry *e = &map->entries[i];
        if (strcmp(e->folded, folded.data) != 0)
            continue;
        if (e->key == key || (o->file == NULL && e->source != NULL)) {
            /* Said twice, or an option overriding the school's file for one run. */
            e->key = key;
            free(header);
            free(value);
            gp_strbuf_free(&folded);
            return GP_OK;
        }
        if (e->source != NULL)
            st = fail(o, err, _("column \"%s\" is already mapped to %s on line %ld of %s; map each column once"),
                      header, gp_key_name(e->key), e->line, e->source);
        else
            st = fail(o, err, _("column \"%s\" is already mapped to %s by --map '%s=%s'; map each column once"),
                      header, gp_key_name(e->key), e->header, gp_key_name(e->key));
    }
    if (st == GP_OK) {
        gp_header_map_entry *grown = realloc(map->entries, (map->count + 1) * sizeof *grown);
        if (grown == NULL) {
            st = gp_error_nomem(err);
        } else {
            map->entries = grown;
            map->entries[map->count++] = (gp_header_map_entry){
                .header = header, .folded = gp_strbuf_steal(&folded), .key = key, .source = map->file, .line = o->line};
            header = NULL;
            if (map->entries[map->count - 1].folded == NULL)
                st = gp_error_nomem(err);
        }
    }
    free(header);
    free(value);
    gp_strbuf_free(&folded);
    return st;
}

gp_status gp_header_map_add_option(gp_header_map *map, const char *item, long position, gp_error **err)
{
    origin o = {NULL, position, item};
    return add(map, &o, item, strlen(item), err);
}

gp_status gp_header_map_parse(gp_header_map *map, const char *file, const unsigned char *data, size_t size,
                              gp_error **err)
{
    if (size > GP_HEADER_MAP_MAX_FILE)
        return gp_error_set(err, GP_E_INVALID, file, 0,
                            _("the mapping file has %zu bytes, more than the %u KB a column map may have; is it "
                              "the right file?"),
                            size, GP_HEADER_MAP_MAX_FILE / 1024u);
    free(map->file);
    map->file = strdup(file);
    if (map->file == NULL)
        return gp_error_nomem(err);
    char *text;
    size_t len;
    /* Notepad saves UTF-8 with a BOM, a Chinese Windows' default is GBK:
     * the roster's own decoder reads both. */
    gp_status st = gp_csv_decode(file, data, size, NULL, &text, &len, err);
    if (st != GP_OK)
        return st;
    long line = 1;
    for (size_t pos = 0; st == GP_OK && pos < len; line++) {
        size_t end = pos;
        while (end < len && text[end] != '\n' && text[end] != '\r')
            end++;
        const char *s = text + pos;
        size_t n = end - pos;
        const char *hash = memchr(s, '#', n);
        if (hash != NULL)
            n = (size_t)(hash - s);
        gp_trim(&s, &n);
        origin o = {map->file, line, NULL};
        if (n > 0)
            st = add(map, &o, s, n, err);
        pos = end;
        if (pos < len)
            pos += text[pos] == '\r' && pos + 1 < len && text[pos + 1] == '\n' ? 2 : 1;
    }
    free(text);
    return st;
}

gp_status gp_header_map_from_options(gp_header_map *map, const gp_roster_options *opts, gp_error **err)
{
    if (opts == NULL)
        return GP_OK;
    gp_status st = GP_OK;
    if (opts->map_file != NULL) {
        unsigned char *data;
        size_t size;
        st = gp_read_file(opts->map_file, GP_HEADER_MAP_MAX_FILE, &data, &size, err);
        if (st != GP_OK)
            return st;
        st = gp_header_map_parse(map, opts->map_file, data, size, err);
        free(data);
    }
    /* Options come after the file, so one may override a line of it. */
    for (size_t i = 0; st == GP_OK && i < opts->nmap; i++) {
        if (opts->map[i] == NULL)
            continue;
        st = gp_header_map_add_option(map, opts->map[i], (long)i + 1, err);
    }
    return st;
}

bool gp_header_map_lookup(gp_header_map *map, const char *header, gp_key *key)
{
    if (map == NULL || map->count == 0)
        return false;
    char stack[GP_KEY_FOLD_STACK];
    char *folded = gp_key_fold_lookup(header, stack);
    bool found = false;
    for (size_t i = 0; folded != NULL && i < map->count && !found; i++) {
        if (strcmp(map->entries[i].folded, folded) == 0) {
            *key = map->entries[i].key;
            map->entries[i].used = true;
            found = true;
        }
    }
    if (folded != stack)
        free(folded);
    return found;
}
