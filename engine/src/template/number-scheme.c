/* Certificate numbers by the national rules, checked part by part so a
 * finding can say which part is wrong.
 *
 * 毕业证书编号 (学历证书电子注册号, 18 digits): school code (5), 办学类型 (1:
 * 1 普通高等教育, 5 成人高等教育, 6 自学考试/学历文凭考试, 7 网络教育), year
 * (4, the graduation year), 培养层次 (2: 01 博士研究生, 02 硕士研究生, 04 第二
 * 学士学位, 05 本科, 06 专科/高职), serial (6).
 *
 * 学位证书编号 (国务院学位委员会 2005): unit code (5), level (1: 2 博士, 3 硕士,
 * 4 学士), year (4, the award year), serial (6): 16 digits; a leading C
 * (成人教育), Z (专业学位) or T (同等学力), and an S (双学位), E (第二学士学位)
 * or Z (自学考试) as the 11th character, make it 17. */
#include <stdio.h>
#include <string.h>

#include "../base/i18n-private.h"
#include "template-private.h"

static bool digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static long number(const char *s, size_t n)
{
    long v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

typedef struct level_code {
    const char *word;    /* as the roster's 层次 says it */
    const char *diploma; /* 培养层次 code */
    char degree;         /* 学位 level */
} level_code;

/* Longer words first: "第二学士" before "学士", "专升本" before "本科". */
static const level_code levels[] = {
    {"博士", "01", '2'}, {"硕士", "02", '3'},   {"研究生", "02", '3'}, {"第二学士", "04", '4'},
    {"专升本", "05", '4'}, {"本科", "05", '4'}, {"学士", "05", '4'},   {"专科", "06", 0},
    {"高职", "06", 0},     {"大专", "06", 0},
};

static const level_code *level_of(const char *level)
{
    if (level == NULL)
        return NULL;
    for (size_t i = 0; i < sizeof levels / sizeof *levels; i++)
        if (strstr(level, levels[i].word) != NULL)
            return &levels[i];
    return NULL;
}

static bool check_year(const char *year, const gp_number_context *ctx, gp_strbuf *why)
{
    if (ctx->grad_date == NULL || strlen(ctx->grad_date) < 4 || !digits(ctx->grad_date, 4) ||
        memcmp(year, ctx->grad_date, 4) == 0)
        return true;
    gp_strbuf_appendf(why, _("its year is %.4s but the graduation date (grad_date) is %s; correct whichever is "
                             "wrong"),
                      year, ctx->grad_date);
    return false;
}

static bool check_school(const gp_validator *v, const char *code, gp_strbuf *why)
{
    if (v->school_code[0] == '\0' || memcmp(code, v->school_code, 5) == 0)
        return true;
    gp_strbuf_appendf(why, _("it starts with school code %.5s, not the school's %s (template line %ld); correct "
                             "the number"),
                      code, v->school_code, v->line);
    return false;
}

static bool diploma(const gp_validator *v, const char *s, const gp_number_context *ctx, gp_number_parts *p,
                    gp_strbuf *why)
{
    size_t n = strlen(s);
    if (n != 18 || !digits(s, 18)) {
        gp_strbuf_appendf(why, _("a 毕业证书编号 is 18 digits (school code 5, 办学类型 1, year 4, 层次 2, serial 6) "
                                 "and this has %zu characters; correct it in the roster"),
                          n);
        return false;
    }
    if (!strchr("1567", s[5])) {
        gp_strbuf_appendf(why, _("its 6th digit (办学类型) is %c, which is none of 1 普通高等教育, 5 成人高等教育, "
                                 "6 自学考试, 7 网络教育; correct the number"),
                          s[5]);
        return false;
    }
    static const char *const known[] = {"01", "02", "04", "05", "06"};
    bool level_known = false;
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        level_known |= memcmp(s + 10, known[i], 2) == 0;
    if (!level_known) {
        gp_strbuf_appendf(why, _("its 层次 digits (11th and 12th) are %.2s, which is none of 01 博士, 02 硕士, "
                                 "04 第二学士学位, 05 本科, 06 专科; correct the number"),
                          s + 10);
        return false;
    }
    const level_code *lc = level_of(ctx->level);
    if (lc != NULL && memcmp(s + 10, lc->diploma, 2) != 0) {
        gp_strbuf_appendf(why, _("its 层次 digits are %.2s but the roster's 层次 is %s (%s); correct whichever is "
                                 "wrong"),
                          s + 10, ctx->level, lc->diploma);
        return false;
    }
    if (!check_year(s + 6, ctx, why) || !check_school(v, s, why))
        return false;
    if (p != NULL) {
        memcpy(p->school, s, 5);
        p->school[5] = '\0';
        snprintf(p->prefix, sizeof p->prefix, "%.12s", s);
        p->serial = number(s + 12, 6);
    }
    return true;
}

static bool degree(const gp_validator *v, const char *s, const gp_number_context *ctx, gp_number_parts *p,
                   gp_strbuf *why)
{
    size_t n = strlen(s);
    const char *body = s;
    if (n == 17 && (s[0] == 'C' || s[0] == 'Z' || s[0] == 'T'))
        body = s + 1;
    size_t left = n - (size_t)(body - s);
    char mark = left == 17 ? body[10] : 0;
    bool shape = (left == 16 && digits(body, 16)) ||
                 (left == 17 && body == s && (mark == 'S' || mark == 'E' || mark == 'Z') && digits(body, 10) &&
                  digits(body + 11, 6));
    if (!shape) {
        gp_strbuf_appendf(why, _("a 学位证书编号 is 16 digits (unit code 5, level 1, year 4, serial 6), or 17 with a "
                                 "leading C, Z or T or an S, E or Z as the 11th character; this is \"%.24s\", "
                                 "correct it in the roster"),
                          s);
        return false;
    }
    if (!strchr("234", body[5])) {
        gp_strbuf_appendf(why, _("its 6th digit (学位级别) is %c, which is none of 2 博士, 3 硕士, 4 学士; correct the "
                                 "number"),
                          body[5]);
        return false;
    }
    const level_code *lc = level_of(ctx->level);
    if (lc != NULL && lc->degree != 0 && body[5] != lc->degree) {
        gp_strbuf_appendf(why, _("its level digit is %c but the roster's 层次 is %s (%c); correct whichever is "
                                 "wrong"),
                          body[5], ctx->level, lc->degree);
        return false;
    }
    if (!check_year(body + 6, ctx, why) || !check_school(v, body, why))
        return false;
    if (p != NULL) {
        memcpy(p->school, body, 5);
        p->school[5] = '\0';
        snprintf(p->prefix, sizeof p->prefix, "%.*s", (int)(n - 6), s);
        p->serial = number(s + n - 6, 6);
    }
    return true;
}

bool gp_number_check(const gp_validator *v, const char *value, const gp_number_context *ctx, gp_number_parts *parts,
                     gp_strbuf *why)
{
    static const gp_number_context none = {NULL, NULL};
    if (ctx == NULL)
        ctx = &none;
    switch (v->scheme) {
    case GP_SCHEME_CN_DIPLOMA:
        return diploma(v, value, ctx, parts, why);
    case GP_SCHEME_CN_DEGREE:
        return degree(v, value, ctx, parts, why);
    case GP_SCHEME_NONE:
        break;
    }
    return true;
}
