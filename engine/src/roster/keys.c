/* Header text to canonical keys. Registrar exports (学信网, 教务系统, hand-made
 * sheets) name the same column in several ways; English headers come from
 * the contractor's own tools. */
#include <string.h>

#include "base/strbuf-private.h"
#include "roster/roster-private.h"
#include "roster/table-private.h"

static const char *const key_names[GP_KEY_COUNT] = {
    "seq",         "student_no", "name",      "gender",     "id_number",  "birth_date",
    "college",     "major",      "class",     "level",      "study_years", "enrol_date",
    "grad_date",   "diploma_no", "degree_field", "degree_no",
};

static const char *const key_labels[GP_KEY_COUNT] = {
    "序号", "学号", "姓名", "性别", "身份证号", "出生日期", "学院", "专业",
    "班级", "层次", "学制", "入学日期", "毕业日期", "毕业证书编号", "学位门类", "学位证书编号",
};

typedef struct alias {
    const char *text; /* Chinese as written without blanks; English folded (see fold_english) */
    gp_key key;
} alias;

static const alias aliases[] = {
    {"序号", GP_KEY_SEQ},
    {"学号", GP_KEY_STUDENT_NO},
    {"学生学号", GP_KEY_STUDENT_NO},
    {"姓名", GP_KEY_NAME},
    {"学生姓名", GP_KEY_NAME},
    {"性别", GP_KEY_GENDER},
    {"身份证号", GP_KEY_ID_NUMBER},
    {"身份证号码", GP_KEY_ID_NUMBER},
    {"证件号码", GP_KEY_ID_NUMBER},
    {"证件号", GP_KEY_ID_NUMBER},
    {"身份证", GP_KEY_ID_NUMBER},
    {"公民身份号码", GP_KEY_ID_NUMBER},
    {"出生日期", GP_KEY_BIRTH_DATE},
    {"学院", GP_KEY_COLLEGE},
    {"院系", GP_KEY_COLLEGE},
    {"所在学院", GP_KEY_COLLEGE},
    {"学院名称", GP_KEY_COLLEGE},
    {"院(系)", GP_KEY_COLLEGE},
    {"专业", GP_KEY_MAJOR},
    {"专业名称", GP_KEY_MAJOR},
    {"班级", GP_KEY_CLASS},
    {"班级名称", GP_KEY_CLASS},
    {"层次", GP_KEY_LEVEL},
    {"培养层次", GP_KEY_LEVEL},
    {"学制", GP_KEY_STUDY_YEARS},
    {"入学日期", GP_KEY_ENROL_DATE},
    {"入学时间", GP_KEY_ENROL_DATE},
    {"毕业日期", GP_KEY_GRAD_DATE},
    {"毕业时间", GP_KEY_GRAD_DATE},
    {"毕业证书编号", GP_KEY_DIPLOMA_NO},
    {"证书编号", GP_KEY_DIPLOMA_NO},
    {"毕业证号", GP_KEY_DIPLOMA_NO},
    {"毕业证书号", GP_KEY_DIPLOMA_NO},
    {"学位门类", GP_KEY_DEGREE_FIELD},
    {"学位证书编号", GP_KEY_DEGREE_NO},
    {"学位证号", GP_KEY_DEGREE_NO},
    {"学位证书号", GP_KEY_DEGREE_NO},
    {"seq", GP_KEY_SEQ},
    {"student_no", GP_KEY_STUDENT_NO},
    {"student_number", GP_KEY_STUDENT_NO},
    {"name", GP_KEY_NAME},
    {"student_name", GP_KEY_NAME},
    {"gender", GP_KEY_GENDER},
    {"sex", GP_KEY_GENDER},
    {"id_number", GP_KEY_ID_NUMBER},
    {"id_no", GP_KEY_ID_NUMBER},
    {"id_card", GP_KEY_ID_NUMBER},
    {"id_card_number", GP_KEY_ID_NUMBER},
    {"birth_date", GP_KEY_BIRTH_DATE},
    {"date_of_birth", GP_KEY_BIRTH_DATE},
    {"college", GP_KEY_COLLEGE},
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
static void fold(const char *header, gp_strbuf *out)
{
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
            pending_sep = out->len > 0;
            continue;
        }
        if (c == '*')
            continue;
        bool ascii_word = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (pending_sep && ascii_word && out->len > 0) {
            unsigned char last = (unsigned char)out->data[out->len - 1];
            if ((last >= 'a' && last <= 'z') || (last >= '0' && last <= '9'))
                gp_strbuf_append_char(out, '_');
        }
        pending_sep = false;
        if (k == 3 && memcmp(one, "（", 3) == 0)
            gp_strbuf_append_char(out, '(');
        else if (k == 3 && memcmp(one, "）", 3) == 0)
            gp_strbuf_append_char(out, ')');
        else if (c >= 'A' && c <= 'Z')
            gp_strbuf_append_char(out, (char)(c - 'A' + 'a'));
        else
            gp_strbuf_append_len(out, one, k);
    }
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
    gp_strbuf folded;
    gp_strbuf_init(&folded);
    fold(header, &folded);
    bool found = false;
    if (!gp_strbuf_failed(&folded)) {
        found = lookup(folded.data, key);
        /* "出生日期(yyyy-mm-dd)", "学号（必填）": a note in parentheses at the end. */
        char *open = strrchr(folded.data, '(');
        if (!found && open != NULL && open != folded.data && folded.data[folded.len - 1] == ')') {
            *open = '\0';
            found = lookup(folded.data, key);
        }
    }
    gp_strbuf_free(&folded);
    return found;
}
