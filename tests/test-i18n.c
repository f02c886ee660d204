/* The Chinese translation: every message in zh_CN.po is translated, keeps
 * its printf conversions in order, and the library really hands out the
 * Chinese text when run the way the README tells users to (LANGUAGE=zh_CN
 * under the C.UTF-8 locale, which every glibc system has). */
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gp-test.h"
#include "gradprint.h"

#define PO_PATH GP_SOURCE_DIR "/engine/po/zh_CN.po"
#define MO_PATH GP_BUILD_LOCALEDIR "/zh_CN/LC_MESSAGES/gradprint.mo"

/* One .po entry, its strings unescaped. */
typedef struct po_entry {
    char *msgid;
    char *msgstr;
    bool fuzzy;
    bool c_format;
    long line; /* of the msgid, for messages */
} po_entry;

static char *append(char *s, size_t *len, const char *add, size_t n)
{
    char *grown = realloc(s, *len + n + 1);
    if (grown == NULL) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    memcpy(grown + *len, add, n);
    *len += n;
    grown[*len] = '\0';
    return grown;
}

/* Appends the C string literal starting at q (a '"') to *s. */
static bool append_literal(char **s, size_t *len, const char *q)
{
    if (*q != '"')
        return false;
    for (q++; *q != '"'; q++) {
        char c = *q;
        if (c == '\0')
            return false;
        if (c == '\\') {
            q++;
            switch (*q) {
            case 'n': c = '\n'; break;
            case 't': c = '\t'; break;
            case '"': c = '"'; break;
            case '\\': c = '\\'; break;
            default: return false;
            }
        }
        *s = append(*s, len, &c, 1);
    }
    return true;
}

/* Parses the subset of the PO format msgmerge writes: comments, flags,
 * msgid/msgstr and continuation lines. Returns the number of entries. */
static size_t parse_po(const char *path, po_entry **out)
{
    FILE *f = fopen(path, "r");
    REQUIRE(f != NULL, "cannot open %s", path);
    po_entry *entries = NULL;
    size_t n = 0;
    char line[8192];
    long lineno = 0;
    bool fuzzy = false, c_format = false;
    char **target = NULL;
    size_t *target_len = NULL;
    size_t id_len = 0, str_len = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        lineno++;
        REQUIRE(strchr(line, '\n') != NULL || feof(f), "%s:%ld: line too long for this test", path, lineno);
        if (strncmp(line, "#,", 2) == 0) {
            fuzzy = fuzzy || strstr(line, "fuzzy") != NULL;
            c_format = c_format || (strstr(line, " c-format") != NULL && strstr(line, "no-c-format") == NULL);
        } else if (line[0] == '#' || line[0] == '\n') {
            continue;
        } else if (strncmp(line, "msgid ", 6) == 0) {
            po_entry *grown = realloc(entries, (n + 1) * sizeof *entries);
            REQUIRE(grown != NULL, "out of memory");
            entries = grown;
            entries[n] = (po_entry){.msgid = NULL, .msgstr = NULL, .fuzzy = fuzzy, .c_format = c_format,
                                    .line = lineno};
            fuzzy = c_format = false;
            id_len = str_len = 0;
            entries[n].msgid = append(NULL, &id_len, "", 0);
            entries[n].msgstr = append(NULL, &str_len, "", 0);
            target = &entries[n].msgid;
            target_len = &id_len;
            n++;
            REQUIRE(append_literal(target, target_len, line + 6), "%s:%ld: bad msgid", path, lineno);
        } else if (strncmp(line, "msgstr ", 7) == 0) {
            REQUIRE(n > 0, "%s:%ld: msgstr before any msgid", path, lineno);
            target = &entries[n - 1].msgstr;
            target_len = &str_len;
            REQUIRE(append_literal(target, target_len, line + 7), "%s:%ld: bad msgstr", path, lineno);
        } else if (line[0] == '"') {
            REQUIRE(target != NULL, "%s:%ld: continuation without msgid", path, lineno);
            REQUIRE(append_literal(target, target_len, line), "%s:%ld: bad string", path, lineno);
        } else {
            /* msgctxt and msgid_plural are not used by gradprint. */
            REQUIRE(false, "%s:%ld: unexpected line: %s", path, lineno, line);
        }
    }
    fclose(f);
    *out = entries;
    return n;
}

/* The printf conversions of s, one per line ("%s", "%.1f", "%zu", ...). */
static char *conversions(const char *s)
{
    char *out = NULL;
    size_t len = 0;
    out = append(out, &len, "", 0);
    for (const char *p = strchr(s, '%'); p != NULL; p = strchr(p, '%')) {
        const char *start = p++;
        while (*p != '\0' && strchr("-+ #0123456789.*$", *p) != NULL)
            p++;
        while (*p != '\0' && strchr("hlLzjt", *p) != NULL)
            p++;
        if (*p == '\0')
            break;
        p++;
        out = append(out, &len, start, (size_t)(p - start));
        out = append(out, &len, "\n", 1);
    }
    return out;
}

static void check_po(void)
{
    po_entry *entries = NULL;
    size_t n = parse_po(PO_PATH, &entries);
    /* More than the header: a regression to a near-empty file must fail. */
    CHECK(n > 400, "%s has %zu entries; run engine/po/update-po.sh", PO_PATH, n);
    REQUIRE(n > 0 && entries[0].msgid[0] == '\0', "the first entry is not the header");
    CHECK(strstr(entries[0].msgstr, "Plural-Forms: nplurals=1; plural=0;") != NULL, "header lacks nplurals=1");
    CHECK(strstr(entries[0].msgstr, "charset=UTF-8") != NULL, "header is not UTF-8");
    size_t chinese = 0;
    for (size_t i = 1; i < n; i++) {
        const po_entry *e = &entries[i];
        CHECK(e->msgstr[0] != '\0', "%s:%ld: untranslated: \"%s\"", PO_PATH, e->line, e->msgid);
        CHECK(!e->fuzzy, "%s:%ld: fuzzy: \"%s\"", PO_PATH, e->line, e->msgid);
        if (e->c_format) {
            char *want = conversions(e->msgid), *got = conversions(e->msgstr);
            CHECK(strcmp(want, got) == 0, "%s:%ld: conversions differ: \"%s\" vs \"%s\"", PO_PATH, e->line, e->msgid,
                  e->msgstr);
            free(want);
            free(got);
        }
        /* A UTF-8 lead byte of the CJK block: the text is Chinese, not a copied msgid. */
        for (const unsigned char *p = (const unsigned char *)e->msgstr; *p != '\0'; p++)
            if (*p >= 0xe4 && *p <= 0xe9) {
                chinese++;
                break;
            }
    }
    /* Every message but a handful of pure format strings ("%s (%s)") holds Chinese. */
    CHECK(chinese + 5 >= n - 1, "only %zu of %zu messages contain Chinese", chinese, n - 1);
    for (size_t i = 0; i < n; i++) {
        free(entries[i].msgid);
        free(entries[i].msgstr);
    }
    free(entries);
}

/* The library translates what it reports: a bad data directory and an empty roster. */
static void check_library_messages(void)
{
    REQUIRE(access(MO_PATH, R_OK) == 0, "%s is missing; build the gradprint_translations target", MO_PATH);

    gp_context *ctx = NULL;
    gp_error *err = NULL;
    gp_context_options bad = {.data_dir = GP_BINARY_DIR "/no-such-data-dir"};
    CHECK(gp_context_new(&bad, &ctx, &err) != GP_OK, "a missing data directory was accepted");
    CHECK_STR(gp_error_message(err),
              GP_BINARY_DIR "/no-such-data-dir: 不是 gradprint 数据目录（没有 fonts/gradprint-fonts.conf）；"
                            "请把 GRADPRINT_DATADIR 设为包含 templates/ 和 fonts/ 的目录");
    gp_error_free(err);
    err = NULL;

    gp_status st = gp_context_new(NULL, &ctx, &err);
    REQUIRE(st == GP_OK, "gp_context_new: %s", gp_error_message(err));

    const char *empty = GP_BINARY_DIR "/test-i18n-empty.csv";
    FILE *f = fopen(empty, "w");
    REQUIRE(f != NULL && fclose(f) == 0, "cannot create %s", empty);
    gp_roster *roster = NULL;
    CHECK(gp_roster_load(ctx, empty, NULL, &roster, &err) != GP_OK, "an empty roster was accepted");
    CHECK_STR(gp_error_message(err), GP_BINARY_DIR "/test-i18n-empty.csv: 花名册文件为空；请从 Excel 或教务系统重新导出花名册");
    gp_error_free(err);
    err = NULL;
    unlink(empty);

    /* A missing file: the C library's reason follows, in whatever language libc has. */
    CHECK(gp_roster_load(ctx, GP_BINARY_DIR "/no-such-roster.csv", NULL, &roster, &err) != GP_OK,
          "a missing roster was accepted");
    const char *msg = gp_error_message(err);
    const char *want = GP_BINARY_DIR "/no-such-roster.csv: 无法打开：";
    CHECK(msg != NULL && strncmp(msg, want, strlen(want)) == 0, "missing roster: \"%s\"", msg ? msg : "(null)");
    gp_error_free(err);
    gp_roster_free(roster);
    gp_context_free(ctx);
}

int main(void)
{
    /* As the CLI does: the locale from the environment the test runs in
     * (LANGUAGE=zh_CN, LC_ALL=C.UTF-8; see tests/i18n.cmake). */
    const char *locale = setlocale(LC_ALL, "");
    REQUIRE(locale != NULL, "setlocale failed for LC_ALL=%s", getenv("LC_ALL") ? getenv("LC_ALL") : "(unset)");
    check_po();
    check_library_messages();
    return gp_test_done();
}
