/* Header text to canonical keys. Registrar exports (学信网, 教务系统, hand-made
 * sheets) name the same column in several ways; English headers come from
 * the contractor's own tools. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/strbuf-private.h"
#include "roster/roster-private.h"
#include "roster/table-private.h"

static const char *const key_names[GP_KEY_COUNT] = {
    "seq",         "student_no", "name",      "gender",     "id_number",  "birth_date",
    "college",     "major",      "class",     "level",      "study_years", "enrol_date",
    "grad_date",   "diploma_no", "degree_field", "degree_no",  "id_type",
};

static const char *const key_labels[GP_KEY_COUNT] = {
    "序号", "学号", "姓名", "性别", "身份证号", "出生日期", "学院", "专业",
    "班级", "层次", "学制", "入学日期", "毕业日期", "毕业证书编号", "学位门类", "学位证书编号",
    "证件类型",
};

typedef struct alias {
    const char *text; /* Chinese as written without blanks; English folded (see fold_english) */
    gp_key key;
} alias;

/* Chinese headers of 教务系统 exports (正方, 青果, URP, 强智, hand-made sheets),
 * and the field codes of the 学信网 学籍/学历 exchange files and the 学位网
 * 学位授予信息 files, which exports keep as headers (XM, XB, CSRQ, ZJHM ...).
 * Codes are matched case-insensitively like all ASCII headers. Not mapped on
 * purpose: YXMC/院校名称 (the school, not a college), KSH/考生号 and
 * 学籍号 (other numbers than 学号), XBM-style code columns of other fields. */
static const alias aliases[] = {
    {"序号", GP_KEY_SEQ},
    {"学号", GP_KEY_STUDENT_NO},
    {"学生学号", GP_KEY_STUDENT_NO},
    {"学生编号", GP_KEY_STUDENT_NO},
    {"xh", GP_KEY_STUDENT_NO},
    {"姓名", GP_KEY_NAME},
    {"学生姓名", GP_KEY_NAME},
    {"考生姓名", GP_KEY_NAME},
    {"xm", GP_KEY_NAME},
    {"性别", GP_KEY_GENDER},
    {"性别码", GP_KEY_GENDER},
    {"性别代码", GP_KEY_GENDER},
    {"xb", GP_KEY_GENDER},
    {"xbm", GP_KEY_GENDER},
    {"xbdm", GP_KEY_GENDER},
    {"身份证号", GP_KEY_ID_NUMBER},
    {"身份证号码", GP_KEY_ID_NUMBER},
    {"证件号码", GP_KEY_ID_NUMBER},
    {"证件号", GP_KEY_ID_NUMBER},
    {"证件编号", GP_KEY_ID_NUMBER},
    {"身份证", GP_KEY_ID_NUMBER},
    {"身份证件号", GP_KEY_ID_NUMBER},
    {"身份证件号码", GP_KEY_ID_NUMBER},
    {"身份证明号码", GP_KEY_ID_NUMBER},
    {"公民身份号码", GP_KEY_ID_NUMBER},
    {"公民身份证号", GP_KEY_ID_NUMBER},
    {"sfzh", GP_KEY_ID_NUMBER},
    {"sfzjh", GP_KEY_ID_NUMBER},
    {"zjhm", GP_KEY_ID_NUMBER},
    {"证件类型", GP_KEY_ID_TYPE},
    {"身份证件类型", GP_KEY_ID_TYPE},
    {"证件类型码", GP_KEY_ID_TYPE},
    {"身份证件类型码", GP_KEY_ID_TYPE},
    {"zjlx", GP_KEY_ID_TYPE},
    {"zjlxm", GP_KEY_ID_TYPE},
    {"出生日期", GP_KEY_BIRTH_DATE},
    {"出生年月日", GP_KEY_BIRTH_DATE},
    {"csrq", GP_KEY_BIRTH_DATE},
    {"学院", GP_KEY_COLLEGE},
    {"院系", GP_KEY_COLLEGE},
    {"所在学院", GP_KEY_COLLEGE},
    {"学院名称", GP_KEY_COLLEGE},
    {"院系名称", GP_KEY_COLLEGE},
    {"所在院系", GP_KEY_COLLEGE},
    {"院(系)", GP_KEY_COLLEGE},
    {"院(系)名称", GP_KEY_COLLEGE},
    {"院系所", GP_KEY_COLLEGE},
    {"二级学院", GP_KEY_COLLEGE},
    {"分院", GP_KEY_COLLEGE},
    {"系别", GP_KEY_COLLEGE},
    {"fy", GP_KEY_COLLEGE},
    {"yxsmc", GP_KEY_COLLEGE},
    {"专业", GP_KEY_MAJOR},
    {"专业名称", GP_KEY_MAJOR},
    {"所学专业", GP_KEY_MAJOR},
    {"专业全称", GP_KEY_MAJOR},
    {"zymc", GP_KEY_MAJOR},
    {"班级", GP_KEY_CLASS},
    {"班级名称", GP_KEY_CLASS},
    {"所在班级", GP_KEY_CLASS},
    {"行政班", GP_KEY_CLASS},
    {"行政班级", GP_KEY_CLASS},
    {"行政班名称", GP_KEY_CLASS},
    {"班号", GP_KEY_CLASS},
    {"bh", GP_KEY_CLASS},
    {"bj", GP_KEY_CLASS},
    {"bjmc", GP_KEY_CLASS},
    {"层次", GP_KEY_LEVEL},
    {"培养层次", GP_KEY_LEVEL},
    {"学历层次", GP_KEY_LEVEL},
    {"办学层次", GP_KEY_LEVEL},
    {"cc", GP_KEY_LEVEL},
    {"学制", GP_KEY_STUDY_YEARS},
    {"xz", GP_KEY_STUDY_YEARS},
    {"入学日期", GP_KEY_ENROL_DATE},
    {"入学时间", GP_KEY_ENROL_DATE},
    {"入学年月", GP_KEY_ENROL_DATE},
    {"rxrq", GP_KEY_ENROL_DATE},
    {"rxny", GP_KEY_ENROL_DATE},
    {"毕业日期", GP_KEY_GRAD_DATE},
    {"毕业时间", GP_KEY_GRAD_DATE},
    {"byrq", GP_KEY_GRAD_DATE},
    {"毕业证书编号", GP_KEY_DIPLOMA_NO},
    {"证书编号", GP_KEY_DIPLOMA_NO},
    {"毕业证号", GP_KEY_DIPLOMA_NO},
    {"毕业证书号", GP_KEY_DIPLOMA_NO},
    {"毕业证编号", GP_KEY_DIPLOMA_NO},
    {"学历证书编号", GP_KEY_DIPLOMA_NO},
    {"学历证书号", GP_KEY_DIPLOMA_NO},
    {"zsbh", GP_KEY_DIPLOMA_NO},
    {"byzsbh", GP_KEY_DIPLOMA_NO},
    {"学位门类", GP_KEY_DEGREE_FIELD},
    {"学科门类", GP_KEY_DEGREE_FIELD},
    {"授予学位门类", GP_KEY_DEGREE_FIELD},
    {"xkml", GP_KEY_DEGREE_FIELD},
    {"学位证书编号", GP_KEY_DEGREE_NO},
    {"学位证号", GP_KEY_DEGREE_NO},
    {"学位证书号", GP_KEY_DEGREE_NO},
    {"学位证编号", GP_KEY_DEGREE_NO},
    {"xwzsbh", GP_KEY_DEGREE_NO},
    {"seq", GP_KEY_SEQ},
    {"student_no", GP_KEY_STUDENT_NO},
    {"student_number", GP_KEY_STUDENT_NO},
    {"student_id", GP_KEY_STUDENT_NO},
    {"name", GP_KEY_NAME},
    {"student_name", GP_KEY_NAME},
    {"full_name", GP_KEY_NAME},
    {"gender", GP_KEY_GENDER},
    {"sex", GP_KEY_GENDER},
    {"id_number", GP_KEY_ID_NUMBER},
    {"id_no", GP_KEY_ID_NUMBER},
    {"id_card", GP_KEY_ID_NUMBER},
    {"id_card_number", GP_KEY_ID_NUMBER},
    {"id_card_no", GP_KEY_ID_NUMBER},
    {"id_type", GP_KEY_ID_TYPE},
    {"birth_date", GP_KEY_BIRTH_DATE},
    {"date_of_birth", GP_KEY_BIRTH_DATE},
    {"birthday", GP_KEY_BIRTH_DATE},
    {"college", GP_KEY_COLLEGE},
    {"school_of", GP_KEY_COLLEGE},
    {"department", GP_KEY_COLLEGE},
    {"major", GP_KEY_MAJOR},
    {"class", GP_KEY_CLASS},
    {"level", GP_KEY_LEVEL},
    {"study_years", GP_KEY_STUDY_YEARS},
    {"enrolment_date", GP_KEY_ENROL_DATE},
    {"enrollment_date", GP_KEY_ENROL_DATE},
    {"enrol_date", GP_KEY_ENROL_DATE},
    {"enroll_date", GP_KEY_ENROL_DATE},
    {"graduation_date", GP_KEY_GRAD_DATE},
    {"grad_date", GP_KEY_GRAD_DATE},
    {"diploma_no", GP_KEY_DIPLOMA_NO},
    {"diploma_number", GP_KEY_DIPLOMA_NO},
    {"degree_field", GP_KEY_DEGREE_FIELD},
    {"degree_no", GP_KEY_DEGREE_NO},
    {"degree_number", GP_KEY_DEGREE_NO},
};

const char *gp_key_name(gp_key key) { return (unsigned)key < GP_KEY_COUNT ? key_names[key] : "?"; }

const char *gp_key_label(gp_key key) { return (unsigned)key < GP_KEY_COUNT ? key_labels[key] : "?"; }

bool gp_key_from_name(const char *name, gp_key *key)
{
    for (int k = 0; k < GP_KEY_COUNT; k++)
        if (strcmp(name, key_names[k]) == 0) {
            *key = (gp_key)k;
            return true;
        }
    return false;
}

/* Header text without blanks anywhere (headers wrap lines inside cells:
 * "身份证\n号码"), without the '*' that marks required columns, with
 * full-width parentheses made ASCII and ASCII letters lowered; English word
 * separators (space, '_', '-', '.') become one '_'. */
size_t gp_key_fold_into(const char *header, char *out)
{
    size_t len = 0;
    const char *s = header;
    size_t n = strlen(s);
    bool pending_sep = false;
    while (n > 0) {
        const char *one = s;
        size_t k = 1;
        unsigned char c = (unsigned char)*s;
        if (c >= 0xC0)
            for (; k < n && ((unsigned char)s[k] & 0xC0) == 0x80 && k < 4; k++)
                ;
        const char *blank = one;
        size_t blank_len = k;
        gp_trim(&blank, &blank_len);
        s += k;
        n -= k;
        if (blank_len == 0 || c == '_' || c == '-' || c == '.') {
            pending_sep = len > 0;
            continue;
        }
        if (c == '*')
            continue;
        bool ascii_word = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (pending_sep && ascii_word && len > 0) {
            unsigned char last = (unsigned char)out[len - 1];
            if ((last >= 'a' && last <= 'z') || (last >= '0' && last <= '9'))
                out[len++] = '_';
        }
        pending_sep = false;
        if (k == 3 && memcmp(one, "（", 3) == 0)
            out[len++] = '(';
        else if (k == 3 && memcmp(one, "）", 3) == 0)
            out[len++] = ')';
        else if (c >= 'A' && c <= 'Z')
            out[len++] = (char)(c - 'A' + 'a');
        else {
            memcpy(out + len, one, k);
            len += k;
        }
    }
    out[len] = '\0';
    return len;
}

void gp_key_fold(const char *header, gp_strbuf *out)
{
    char *folded = malloc(strlen(header) + 1);
    if (folded == NULL) {
        out->failed = true;
        return;
    }
    size_t len = gp_key_fold_into(header, folded);
    gp_strbuf_append_len(out, folded, len);
    free(folded);
}

char *gp_key_fold_lookup(const char *header, char stack[GP_KEY_FOLD_STACK])
{
    size_t n = strlen(header);
    char *out = n < GP_KEY_FOLD_STACK ? stack : malloc(n + 1);
    if (out != NULL)
        gp_key_fold_into(header, out);
    return out;
}



static bool lookup(const char *folded, gp_key *key)
{
    for (size_t i = 0; i < sizeof aliases / sizeof *aliases; i++)
        if (strcmp(folded, aliases[i].text) == 0) {
            *key = aliases[i].key;
            return true;
        }
    return false;
}

bool gp_key_from_header(const char *header, gp_key *key)
{
    if (header == NULL)
        return false;
    char stack[GP_KEY_FOLD_STACK];
    char *folded = gp_key_fold_lookup(header, stack);
    bool found = false;
    if (folded != NULL) {
        size_t len = strlen(folded);
        found = lookup(folded, key);
        /* "出生日期(yyyy-mm-dd)", "学号（必填）": a note in parentheses at the end. */
        char *open = strrchr(folded, '(');
        if (!found && open != NULL && open != folded && folded[len - 1] == ')') {
            *open = '\0';
            found = lookup(folded, key);
        }
    }
    if (folded != stack)
        free(folded);
    return found;
}

/* Edit distance in characters (not bytes) between two short strings;
 * headers are capped so the table stays small. */
#define SUGGEST_MAX_CHARS 32

static size_t code_points(const char *s, uint32_t *out)
{
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p && n < SUGGEST_MAX_CHARS) {
        uint32_t c = *p++;
        int more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
        for (; more > 0 && (*p & 0xC0) == 0x80; more--)
            c = (c << 6) | (*p++ & 0x3F);
        out[n++] = c;
    }
    return n;
}

static size_t edit_distance(const char *a, const char *b)
{
    uint32_t x[SUGGEST_MAX_CHARS], y[SUGGEST_MAX_CHARS];
    size_t n = code_points(a, x), m = code_points(b, y);
    size_t row[SUGGEST_MAX_CHARS + 1];
    for (size_t j = 0; j <= m; j++)
        row[j] = j;
    for (size_t i = 1; i <= n; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= m; j++) {
            size_t up = row[j];
            size_t best = diag + (x[i - 1] != y[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[m];
}

static size_t char_count(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* How far a folded header is from any name of key, in edits; a header that
 * contains a name or is contained in one ("学生身份证号" / "身份证号") counts
 * as the length difference. */
static size_t distance_to_key(const char *folded, gp_key key, size_t *name_len)
{
    size_t best = (size_t)-1;
    for (size_t i = 0; i < sizeof aliases / sizeof *aliases; i++) {
        if (aliases[i].key != key)
            continue;
        const char *a = aliases[i].text;
        size_t la = char_count(a), lh = char_count(folded), d;
        if (la >= 2 && lh >= 2 && (strstr(folded, a) != NULL || strstr(a, folded) != NULL))
            d = la > lh ? la - lh : lh - la;
        else
            d = edit_distance(folded, a);
        if (d < best) {
            best = d;
            *name_len = la > lh ? la : lh;
        }
    }
    return best;
}

bool gp_key_closest_header(gp_key key, const char *const *headers, size_t n, size_t *index)
{
    size_t best = (size_t)-1, best_len = 1;
    bool found = false;
    gp_strbuf folded;
    gp_strbuf_init(&folded);
    for (size_t i = 0; i < n; i++) {
        gp_strbuf_clear(&folded);
        gp_key_fold(headers[i], &folded);
        if (gp_strbuf_failed(&folded) || folded.len == 0)
            break;
        size_t len = 1, d = distance_to_key(folded.data, key, &len);
        /* At most half the characters changed: "班级名" for 班级 yes, "备注" for 班级 no. */
        if (d * 2 <= len && (!found || d * best_len < best * len)) {
            best = d;
            best_len = len;
            *index = i;
            found = true;
        }
    }
    gp_strbuf_free(&folded);
    return found;
}
