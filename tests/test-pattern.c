/* Patterns and formatters: every formatter's edge cases, literal braces,
 * chains, maps, and what expansion reports when a record falls short. */
#include "base/error-private.h"
#include "base/strbuf-private.h"
#include "gp-test.h"
#include "template/format-private.h"
#include "template/pattern-private.h"

/* Runs one formatter; returns its output or "(fail)" (static buffer). */
static const char *fmt(gp_format_fn f, const char *in)
{
    static char result[256];
    gp_strbuf sb;
    gp_strbuf_init(&sb);
    gp_strbuf_append(&sb, "<");
    bool ok = f(in, &sb);
    if (ok)
        snprintf(result, sizeof result, "%s", sb.data + 1);
    else
        snprintf(result, sizeof result, "(fail:%s)", sb.data); /* a failure must leave out as it was: "<" */
    gp_strbuf_free(&sb);
    return result;
}

static void test_dates(void)
{
    CHECK_STR(fmt(gp_format_cn_date, "2003-05-12"), "二〇〇三年五月十二日");
    CHECK_STR(fmt(gp_format_cn_date, "2000-01-01"), "二〇〇〇年一月一日");
    CHECK_STR(fmt(gp_format_cn_date, "2010-10-10"), "二〇一〇年十月十日");
    CHECK_STR(fmt(gp_format_cn_date, "1999-12-31"), "一九九九年十二月三十一日");
    CHECK_STR(fmt(gp_format_cn_date, "2021-11-20"), "二〇二一年十一月二十日");
    CHECK_STR(fmt(gp_format_cn_date, "2024-02-29"), "二〇二四年二月二十九日");
    CHECK_STR(fmt(gp_format_cn_date, "2023-03-30"), "二〇二三年三月三十日");
    CHECK_STR(fmt(gp_format_cn_date, "2023-02-29"), "(fail:<)");
    CHECK_STR(fmt(gp_format_cn_date, "1900-02-29"), "(fail:<)");
    CHECK_STR(fmt(gp_format_cn_date, "2000-13-01"), "(fail:<)");
    CHECK_STR(fmt(gp_format_cn_date, "2000-04-31"), "(fail:<)");
    CHECK_STR(fmt(gp_format_cn_date, "2000-00-10"), "(fail:<)");
    CHECK_STR(fmt(gp_format_cn_date, "2003/05/12"), "(fail:<)");
    CHECK_STR(fmt(gp_format_cn_date, "2003-5-12"), "(fail:<)");
    CHECK_STR(fmt(gp_format_cn_date, "2003-05"), "(fail:<)");
    CHECK_STR(fmt(gp_format_cn_date, "张三"), "(fail:<)");
    CHECK_STR(fmt(gp_format_cn_date, ""), "(fail:<)");
    CHECK_STR(fmt(gp_format_cn_date, "2003-05-12 "), "(fail:<)");

    CHECK_STR(fmt(gp_format_cn_month, "2023-09-01"), "二〇二三年九月");
    CHECK_STR(fmt(gp_format_cn_month, "2023-10"), "二〇二三年十月");
    CHECK_STR(fmt(gp_format_cn_month, "2023-12-31"), "二〇二三年十二月");
    CHECK_STR(fmt(gp_format_cn_month, "2023-13"), "(fail:<)");
    CHECK_STR(fmt(gp_format_cn_month, "2023-09-31"), "(fail:<)");

    CHECK_STR(fmt(gp_format_date, "2003-05-12"), "2003年5月12日");
    CHECK_STR(fmt(gp_format_date, "2010-10-01"), "2010年10月1日");
    CHECK_STR(fmt(gp_format_date, "2010-10"), "(fail:<)");
    CHECK_STR(fmt(gp_format_month, "2023-09-01"), "2023年9月");
    CHECK_STR(fmt(gp_format_month, "2023-09"), "2023年9月");
    CHECK_STR(fmt(gp_format_month, "abcd-09"), "(fail:<)");
}

static void test_numbers(void)
{
    CHECK_STR(fmt(gp_format_cn_number, "4"), "四");
    CHECK_STR(fmt(gp_format_cn_number, "0"), "零");
    CHECK_STR(fmt(gp_format_cn_number, "10"), "十");
    CHECK_STR(fmt(gp_format_cn_number, "12"), "十二");
    CHECK_STR(fmt(gp_format_cn_number, "20"), "二十");
    CHECK_STR(fmt(gp_format_cn_number, "31"), "三十一");
    CHECK_STR(fmt(gp_format_cn_number, "100"), "一百");
    CHECK_STR(fmt(gp_format_cn_number, "105"), "一百零五");
    CHECK_STR(fmt(gp_format_cn_number, "110"), "一百一十");
    CHECK_STR(fmt(gp_format_cn_number, "1005"), "一千零五");
    CHECK_STR(fmt(gp_format_cn_number, "1050"), "一千零五十");
    CHECK_STR(fmt(gp_format_cn_number, "2023"), "二千零二十三");
    CHECK_STR(fmt(gp_format_cn_number, "10000"), "一万");
    CHECK_STR(fmt(gp_format_cn_number, "10005"), "一万零五");
    CHECK_STR(fmt(gp_format_cn_number, "10010"), "一万零一十");
    CHECK_STR(fmt(gp_format_cn_number, "110000"), "十一万");
    CHECK_STR(fmt(gp_format_cn_number, "1000100"), "一百万零一百");
    CHECK_STR(fmt(gp_format_cn_number, "12345678"), "一千二百三十四万五千六百七十八");
    CHECK_STR(fmt(gp_format_cn_number, "007"), "七");
    CHECK_STR(fmt(gp_format_cn_number, "2.5"), "二点五");
    CHECK_STR(fmt(gp_format_cn_number, "3.05"), "三点零五");
    CHECK_STR(fmt(gp_format_cn_number, "四"), "四");
    CHECK_STR(fmt(gp_format_cn_number, "123456789"), "(fail:<)");
    CHECK_STR(fmt(gp_format_cn_number, "-4"), "(fail:<)");
    CHECK_STR(fmt(gp_format_cn_number, "4."), "(fail:<)");
    CHECK_STR(fmt(gp_format_cn_number, "四年"), "(fail:<)");
    CHECK_STR(fmt(gp_format_cn_number, ""), "(fail:<)");

    CHECK_STR(fmt(gp_format_cn_years, "4"), "四年");
    CHECK_STR(fmt(gp_format_cn_years, "5年"), "五年");
    CHECK_STR(fmt(gp_format_cn_years, "四年"), "四年");
    CHECK_STR(fmt(gp_format_cn_years, "四"), "四年");
    CHECK_STR(fmt(gp_format_cn_years, "二年半"), "二年半");
    CHECK_STR(fmt(gp_format_cn_years, "2.5"), "二年半");
    CHECK_STR(fmt(gp_format_cn_years, "3.0"), "三年");
    CHECK_STR(fmt(gp_format_cn_years, "10"), "十年");
    CHECK_STR(fmt(gp_format_cn_years, "2.25"), "(fail:<)");
    CHECK_STR(fmt(gp_format_cn_years, "四月"), "(fail:<)");
    CHECK_STR(fmt(gp_format_cn_years, "年"), "(fail:<)");
    CHECK_STR(fmt(gp_format_cn_years, "four"), "(fail:<)");
}

static void test_text(void)
{
    CHECK_STR(fmt(gp_format_spaced, "张三"), "张\xE3\x80\x80三");
    CHECK_STR(fmt(gp_format_spaced, "张三丰"), "张三丰");
    CHECK_STR(fmt(gp_format_spaced, "张"), "张");
    CHECK_STR(fmt(gp_format_spaced, ""), "");
    /* 𠮷 is four bytes in UTF-8: still one character. */
    CHECK_STR(fmt(gp_format_spaced, "𠮷野"), "𠮷\xE3\x80\x80野");
    CHECK_STR(fmt(gp_format_spaced, "𠮷𠮷"), "𠮷\xE3\x80\x80𠮷");
    CHECK_STR(fmt(gp_format_spaced, "吉𠮷野"), "吉𠮷野");
    CHECK_STR(fmt(gp_format_spaced, "阿卜杜热依木·艾合买提江"), "阿卜杜热依木·艾合买提江");
    CHECK_STR(fmt(gp_format_spaced, "Li"), "L\xE3\x80\x80i");
    CHECK_STR(fmt(gp_format_spaced, "\xE5\xBC"), "(fail:<)"); /* cut in the middle of a character */
    CHECK_STR(fmt(gp_format_spaced, "\xC0\x80"), "(fail:<)"); /* overlong NUL */
    CHECK_STR(fmt(gp_format_spaced, "\xED\xA0\x80x"), "(fail:<)"); /* a surrogate */

    CHECK_STR(fmt(gp_format_upper, "abc123x"), "ABC123X");
    CHECK_STR(fmt(gp_format_upper, "500101200305121234x"), "500101200305121234X");
    CHECK_STR(fmt(gp_format_upper, "张三 li"), "张三 LI");

    CHECK(gp_formatter_find("cn-date")->format == gp_format_cn_date, "registry finds cn-date");
    CHECK(gp_formatter_find("map:x") == NULL && gp_formatter_find("CN-DATE") == NULL, "no such formatters");
    for (size_t i = 0; i < gp_formatter_count(); i++)
        CHECK(gp_formatter_find(gp_formatter_at(i)->name) == gp_formatter_at(i) && gp_formatter_at(i)->expects,
              "registry entry %zu", i);
    CHECK(gp_formatter_at(gp_formatter_count()) == NULL, "past the end");
}

/* A record as key/value pairs. */
static const char *lookup(void *user, const char *field)
{
    const char *const *kv = user;
    for (; kv[0] != NULL; kv += 2)
        if (strcmp(kv[0], field) == 0)
            return kv[1];
    return NULL;
}

static const char *const record[] = {"name",       "张三",      "student_no", "202101010101",
                                     "birth_date", "2003-05-12", "empty",      "",
                                     "years",      "4",          "bad_date",   "2003-02-30",
                                     "degree",     "工学",      NULL};

static gp_pattern *parse(const char *src)
{
    gp_pattern *p = NULL;
    gp_error *err = NULL;
    gp_status st = gp_pattern_parse(src, "t.xml", 7, &p, &err);
    CHECK(st == GP_OK, "parse \"%s\": %s", src, gp_error_message(err));
    gp_error_free(err);
    return p;
}

/* Expands src for record; returns the text, or "FAIL(field)". */
static const char *expand(const char *src)
{
    static char result[512];
    gp_pattern *p = parse(src);
    if (p == NULL)
        return "(parse failed)";
    gp_strbuf sb;
    gp_strbuf_init(&sb);
    const char *missing = NULL;
    if (gp_pattern_expand(p, lookup, (void *)record, &sb, &missing))
        snprintf(result, sizeof result, "%s", sb.data);
    else
        snprintf(result, sizeof result, "FAIL(%s)[%s]", missing ? missing : "?", sb.data);
    gp_strbuf_free(&sb);
    gp_pattern_free(p);
    return result;
}

static void check_parse_error(const char *src, const char *says)
{
    gp_pattern *p = NULL;
    gp_error *err = NULL;
    CHECK(gp_pattern_parse(src, "t.xml", 7, &p, &err) == GP_E_INVALID && p == NULL, "\"%s\" refused", src);
    CHECK(gp_error_line(err) == 7 && strstr(gp_error_message(err), "t.xml:7: ") != NULL, "where: %s",
          gp_error_message(err));
    CHECK(strstr(gp_error_message(err), says) != NULL, "\"%s\": \"%s\" lacks \"%s\"", src, gp_error_message(err),
          says);
    gp_error_free(err);
}

static void test_patterns(void)
{
    CHECK_STR(expand("学号 {student_no}"), "学号 202101010101");
    CHECK_STR(expand("{name}"), "张三");
    CHECK_STR(expand("{ name | spaced }"), "张　三");
    CHECK_STR(expand("{birth_date|cn-date}生"), "二〇〇三年五月十二日生");
    CHECK_STR(expand("{birth_date|month|upper}"), "2003年5月");
    CHECK_STR(expand("{years|cn-years}"), "四年");
    CHECK_STR(expand("{years|cn-number|cn-years}"), "四年");
    CHECK_STR(expand("{{literal}} {{{name}}}"), "{literal} {张三}");
    CHECK_STR(expand("}}{{"), "}{");
    CHECK_STR(expand(""), "");
    CHECK_STR(expand("plain text"), "plain text");
    CHECK_STR(expand("{name}{name}"), "张三张三");

    /* Missing values expand to "" and name the field; the rest still expands. */
    CHECK_STR(expand("姓名 {nothing} 学号 {student_no}"), "FAIL(nothing)[姓名  学号 202101010101]");
    CHECK_STR(expand("{empty}"), "FAIL(empty)[]");
    CHECK_STR(expand("{name|cn-date}"), "FAIL(name)[]");
    CHECK_STR(expand("{bad_date|cn-date}"), "FAIL(bad_date)[]");
    CHECK_STR(expand("{a}{b}"), "FAIL(a)[]");

    gp_pattern *p = parse("{name} {student_no} {name|spaced} {birth_date|cn-date}");
    REQUIRE(p != NULL, "parse");
    CHECK(gp_pattern_field_count(p) == 3, "distinct fields: %zu", gp_pattern_field_count(p));
    CHECK_STR(gp_pattern_field(p, 0), "name");
    CHECK_STR(gp_pattern_field(p, 1), "student_no");
    CHECK_STR(gp_pattern_field(p, 2), "birth_date");
    CHECK(gp_pattern_field(p, 3) == NULL, "past the end");
    CHECK(!gp_pattern_is_literal(p), "has fields");
    gp_pattern_free(p);
    p = parse("{{no fields}}");
    CHECK(p != NULL && gp_pattern_is_literal(p) && gp_pattern_field_count(p) == 0, "literal");
    gp_pattern_free(p);

    check_parse_error("{name", "never closed");
    check_parse_error("{na{me}", "never closed");
    check_parse_error("name}", "closes no field");
    check_parse_error("{}", "without a name");
    check_parse_error("{ |cn-date}", "without a name");
    check_parse_error("{name|}", "empty formatter");
    check_parse_error("{name|cn-date|}", "empty formatter");
    check_parse_error("{name|chinese}", "unknown formatter \"chinese\"; use one of cn-date, cn-month");
    check_parse_error("{degree|map:titles}", "names no map");
}

static void test_failures(void)
{
    gp_pattern *p = parse("{birth_date|cn-date} {name}");
    REQUIRE(p != NULL, "parse");
    const char *const rec[] = {"birth_date", "2003-13-01", NULL};
    gp_strbuf sb, msg;
    gp_strbuf_init(&sb);
    gp_strbuf_init(&msg);
    gp_pattern_failure why;
    CHECK(!gp_pattern_expand_ex(p, lookup, (void *)rec, &sb, &why), "fails");
    CHECK(why.problem == GP_PATTERN_UNFORMATTABLE && strcmp(why.field, "birth_date") == 0 &&
              strcmp(why.formatter, "cn-date") == 0 && strcmp(why.value, "2003-13-01") == 0,
          "first failure is the date");
    CHECK_STR(sb.data, " ");
    gp_pattern_failure_describe(&why, &msg);
    CHECK(strstr(msg.data, "2003-13-01") != NULL && strstr(msg.data, "YYYY-MM-DD") != NULL, "describe: %s",
          msg.data);
    gp_strbuf_clear(&msg);

    const char *const rec2[] = {"birth_date", "2003-01-13", NULL};
    gp_strbuf_clear(&sb);
    CHECK(!gp_pattern_expand_ex(p, lookup, (void *)rec2, &sb, &why), "missing name");
    CHECK(why.problem == GP_PATTERN_MISSING && strcmp(why.field, "name") == 0 && why.formatter == NULL &&
              why.value == NULL,
          "missing name reported");
    CHECK_STR(sb.data, "二〇〇三年一月十三日 ");
    gp_pattern_failure_describe(&why, &msg);
    CHECK(strstr(msg.data, "name") != NULL, "describe: %s", msg.data);
    gp_strbuf_free(&msg);
    gp_strbuf_free(&sb);
    gp_pattern_free(p);
}

static void test_maps(void)
{
    gp_map_entry entries[] = {{(char *)"工学", (char *)"工学学士学位", 3}, {(char *)"理学", (char *)"理学学士学位", 4}};
    gp_map_entry years[] = {{(char *)"四年", (char *)"four years", 6}};
    gp_value_map maps[] = {{(char *)"degree-title", 2, entries, 2}, {(char *)"years-en", 5, years, 1}};
    CHECK_STR(gp_value_map_get(&maps[0], "理学"), "理学学士学位");
    CHECK(gp_value_map_get(&maps[0], "医学") == NULL, "miss");

    gp_pattern *p = NULL;
    gp_error *err = NULL;
    CHECK(gp_pattern_parse_maps("授予{degree|map:degree-title}（{years|cn-years|map:years-en}）", maps, 2, "t.xml",
                                9, &p, &err) == GP_OK,
          "parse with maps: %s", gp_error_message(err));
    REQUIRE(p != NULL, "pattern");
    gp_strbuf sb;
    gp_strbuf_init(&sb);
    const char *missing = NULL;
    CHECK(gp_pattern_expand(p, lookup, (void *)record, &sb, &missing), "hit");
    CHECK_STR(sb.data, "授予工学学士学位（four years）");

    const char *const rec[] = {"degree", "医学", "years", "5", NULL};
    gp_strbuf_clear(&sb);
    gp_pattern_failure why;
    CHECK(!gp_pattern_expand_ex(p, lookup, (void *)rec, &sb, &why), "miss fails");
    CHECK(why.problem == GP_PATTERN_NOT_IN_MAP && strcmp(why.field, "degree") == 0 &&
              strcmp(why.formatter, "map:degree-title") == 0 && strcmp(why.value, "医学") == 0,
          "first miss reported");
    CHECK_STR(sb.data, "授予（）");
    missing = NULL;
    gp_strbuf_clear(&sb);
    CHECK(!gp_pattern_expand(p, lookup, (void *)rec, &sb, &missing), "miss fails");
    CHECK_STR(missing, "degree");
    gp_strbuf msg;
    gp_strbuf_init(&msg);
    gp_pattern_failure_describe(&why, &msg);
    CHECK(strstr(msg.data, "医学") != NULL && strstr(msg.data, "map:degree-title") != NULL &&
              strstr(msg.data, "<entry") != NULL,
          "describe: %s", msg.data);
    gp_strbuf_free(&msg);
    gp_strbuf_free(&sb);
    gp_pattern_free(p);

    err = NULL;
    CHECK(gp_pattern_parse_maps("{degree|map:nope}", maps, 2, "t.xml", 9, &p, &err) == GP_E_INVALID,
          "unknown map");
    CHECK(strstr(gp_error_message(err), "t.xml:9:") != NULL, "%s", gp_error_message(err));
    gp_error_free(err);
}

static void test_long_pattern_message(void)
{
    /* A long pattern is quoted clipped in the message, never whole; a huge
     * one is refused by its size. */
    size_t n = GP_PATTERN_MAX_BYTES - 16;
    char *src = malloc(GP_PATTERN_MAX_BYTES * 2);
    REQUIRE(src != NULL, "malloc");
    memset(src, 'a', n);
    strcpy(src + n, "{x|bad}");
    gp_pattern *p = NULL;
    gp_error *err = NULL;
    CHECK(gp_pattern_parse(src, "t.xml", 1, &p, &err) == GP_E_INVALID, "refused");
    CHECK(strstr(gp_error_message(err), "unknown formatter") != NULL, "%s", gp_error_message(err));
    CHECK(strlen(gp_error_message(err)) < 600, "message clipped: %zu bytes", strlen(gp_error_message(err)));
    gp_error_free(err);

    memset(src, 'a', GP_PATTERN_MAX_BYTES + 1);
    src[GP_PATTERN_MAX_BYTES + 1] = '\0';
    err = NULL;
    CHECK(gp_pattern_parse(src, "t.xml", 1, &p, &err) == GP_E_INVALID && p == NULL, "too long refused");
    CHECK(strstr(gp_error_message(err), "more than the 16384") != NULL, "%s", gp_error_message(err));
    gp_error_free(err);

    /* Many distinct fields at the size limit still parse quickly. */
    size_t len = 0;
    for (int i = 0; len + 16 < GP_PATTERN_MAX_BYTES; i++)
        len += (size_t)sprintf(src + len, "{f%d}", i);
    err = NULL;
    CHECK(gp_pattern_parse(src, "t.xml", 1, &p, &err) == GP_OK && gp_pattern_field_count(p) > 2000,
          "thousands of fields");
    gp_pattern_free(p);
    gp_error_free(err);
    free(src);
}

/* The text between a span's ends, copied out for comparison. */
static const char *span_text(const gp_strbuf *sb, const gp_span *sp)
{
    static char text[256];
    if (sp->start > sp->end || sp->end > sb->len || sp->end - sp->start >= sizeof text)
        return "(bad span)";
    memcpy(text, sb->data + sp->start, sp->end - sp->start);
    text[sp->end - sp->start] = '\0';
    return text;
}

static void test_spans(void)
{
    gp_map_entry entries[] = {{(char *)"工学", (char *)"工学学士", 3}};
    gp_value_map maps[] = {{(char *)"degree-title", 2, entries, 1}};
    gp_pattern *p = NULL;
    gp_error *err = NULL;
    CHECK(gp_pattern_parse_maps("学生{name}，{birth_date|cn-date}生，{{学号}}{empty}{student_no}"
                                "{missing}授予{degree|map:degree-title}学位。{years|cn-years}",
                                maps, 1, "t.xml", 3, &p, &err) == GP_OK,
          "parse: %s", gp_error_message(err));
    gp_error_free(err);
    REQUIRE(p != NULL, "pattern");
    /* Four-byte characters in a name, three-byte ones from a formatter. */
    const char *const rec[] = {"name",       "𠮷野",         "birth_date", "2003-05-12", "student_no", "2021",
                               "degree",     "工学",         "years",      "4",          "empty",      "",
                               NULL};
    gp_strbuf sb;
    gp_strbuf_init(&sb);
    gp_strbuf_append(&sb, "前"); /* offsets count from the start of out */
    gp_span *spans = NULL;
    size_t n = 99;
    gp_pattern_failure why;
    CHECK(!gp_pattern_expand_spans(p, lookup, (void *)rec, &sb, &spans, &n, &why), "missing field fails");
    CHECK(why.problem == GP_PATTERN_MISSING && strcmp(why.field, "empty") == 0, "first failure: %s", why.field);
    CHECK_STR(sb.data, "前学生𠮷野，二〇〇三年五月十二日生，{学号}2021授予工学学士学位。四年");
    REQUIRE(n == 5 && spans != NULL, "5 spans (empty and missing fields give none): %zu", n);
    CHECK_STR(span_text(&sb, &spans[0]), "𠮷野");
    CHECK(spans[0].start == strlen("前学生") && spans[0].end == spans[0].start + 7, "name: 7 bytes at %zu",
          spans[0].start);
    CHECK_STR(span_text(&sb, &spans[1]), "二〇〇三年五月十二日");
    CHECK(spans[1].end - spans[1].start == 30, "date: 30 bytes");
    CHECK_STR(span_text(&sb, &spans[2]), "2021");
    CHECK_STR(span_text(&sb, &spans[3]), "工学学士");
    CHECK_STR(span_text(&sb, &spans[4]), "四年");
    CHECK(spans[4].end == sb.len, "last span ends the text");
    for (size_t i = 1; i < n; i++)
        CHECK(spans[i].start >= spans[i - 1].end, "spans in order");
    free(spans);

    /* Same spans as gp_pattern_expand_ex gives text. */
    gp_strbuf plain;
    gp_strbuf_init(&plain);
    gp_strbuf_append(&plain, "前");
    gp_pattern_expand_ex(p, lookup, (void *)rec, &plain, NULL);
    CHECK_STR(plain.data, sb.data);
    gp_strbuf_free(&plain);

    /* A formatter failure: no span for that field, the rest still there. */
    const char *const bad[] = {"name", "张三", "birth_date", "2003-02-30", "student_no", "1", "empty", "x",
                               "missing", "y", "degree", "医学", "years", "4", NULL};
    gp_strbuf_clear(&sb);
    CHECK(!gp_pattern_expand_spans(p, lookup, (void *)bad, &sb, &spans, &n, &why), "unformattable fails");
    CHECK(why.problem == GP_PATTERN_UNFORMATTABLE && strcmp(why.field, "birth_date") == 0, "the date fails first");
    CHECK_STR(sb.data, "学生张三，生，{学号}x1y授予学位。四年");
    CHECK(n == 5, "name, empty, student_no, missing, years: %zu", n);
    if (n == 5) {
        CHECK_STR(span_text(&sb, &spans[0]), "张三");
        CHECK_STR(span_text(&sb, &spans[1]), "x");
        CHECK_STR(span_text(&sb, &spans[4]), "四年");
    }
    free(spans);
    gp_pattern_free(p);

    /* Literal text only: no spans at all, and a NULL array. */
    p = parse("{{name}} 只是文字");
    gp_strbuf_clear(&sb);
    CHECK(gp_pattern_expand_spans(p, lookup, (void *)rec, &sb, &spans, &n, NULL), "literal expands");
    CHECK(n == 0 && spans == NULL, "no spans");
    CHECK_STR(sb.data, "{name} 只是文字");
    gp_pattern_free(p);
    gp_strbuf_free(&sb);
}

int main(void)
{
    test_dates();
    test_numbers();
    test_text();
    test_patterns();
    test_failures();
    test_maps();
    test_long_pattern_message();
    test_spans();
    return gp_test_done();
}
