/* ID numbers, dates, header keys, and the preflight checks on a roster,
 * including how they scale to a large university's roster. */
#include <time.h>

#include "base/report-private.h"
#include "base/strbuf-private.h"
#include "gp-test.h"
#include "roster/roster-private.h"
#include "roster/table-private.h"

#define DATA GP_SOURCE_DIR "/tests/data/roster/"

static void test_id_numbers(void)
{
    char want;
    CHECK(gp_id_number_valid("11010519491231002X", &want) && want == 'X', "the standard's example");
    CHECK(gp_id_number_valid("11010519491231002x", &want), "lowercase x accepted");
    CHECK(gp_id_number_valid("500118200305120016", &want) && want == '6', "valid, check 6");
    CHECK(!gp_id_number_valid("500118200305120017", &want) && want == '6', "wrong check digit, expected 6");
    CHECK(!gp_id_number_valid("11010519491231002", &want) && want == 'X', "17 characters: expected check still given");
    CHECK(!gp_id_number_valid("11010519491231002X1", &want), "19 characters");
    CHECK(!gp_id_number_valid("1101051949123100AX", &want) && want == '\0', "letters: no expected check");
    CHECK(!gp_id_number_valid("", &want) && want == '\0', "empty");
    CHECK(!gp_id_number_valid(NULL, NULL), "NULL");
    /* Every check character comes out for some ID. */
    const char *ids[] = {"500118200305120016", "500118200305120024", "500118200305120032", "500118200305120040",
                         "500118200305120059", "500118200305120067", "500118200305120083", "50011820030512018X",
                         "500118200305120286", "500118200305120382"};
    for (size_t i = 0; i < sizeof ids / sizeof *ids; i++)
        CHECK(gp_id_number_valid(ids[i], NULL), "%s valid", ids[i]);

    char buf[64];
    strcpy(buf, " 1101０５１９４９１２３１００２ｘ");
    gp_id_number_normalise(buf);
    CHECK_STR(buf, "11010519491231002X");
    strcpy(buf, "110105 19491231 002x");
    gp_id_number_normalise(buf);
    CHECK_STR(buf, "11010519491231002X");
    CHECK(gp_id_number_is_mangled("1.10105E+17"), "E notation");
    CHECK(gp_id_number_is_mangled("110105194912310000.0"), "trailing .0");
    CHECK(!gp_id_number_is_mangled("11010519491231002X"), "real ID");
    CHECK(!gp_id_number_is_mangled("E+17"), "no digits");
}

static void test_dates(void)
{
    const char *good[] = {"2003-05-12", "2003/5/12", "2003.5.12", "2003年5月12日", "2003年05月12日", "20030512",
                          "2003-5-12", "2003/05/12 0:00", "2003-05-12 00:00:00", "2003年5月12"};
    char out[11];
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        memset(out, 0, sizeof out);
        CHECK(gp_date_parse(good[i], out), "%s parses", good[i]);
        CHECK_STR(out, "2003-05-12");
    }
    const char *bad[] = {"2023-02-29", "2100-02-29", "1900-02-29", "2003-13-01", "2003-00-10", "2003-04-31",
                         "2003-05-00", "2003-05-12x", "2003/05-12", "03-05-12",  "200305120",  "2003.5",
                         "",           "二〇〇三年五月", "2003-05-12 25:00", "12/05/2003"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        CHECK(!gp_date_parse(bad[i], out), "\"%s\" refused", bad[i]);
    CHECK(gp_date_parse("2024-02-29", out), "leap year");
    CHECK_STR(out, "2024-02-29");
    CHECK(gp_date_parse("2000-02-29", out), "400-year leap");
    CHECK(gp_date_parse("20001231", out), "compact");
    CHECK_STR(out, "2000-12-31");

    struct {
        double serial;
        const char *date;
    } serials[] = {{1, "1900-01-01"}, {59, "1900-02-28"}, {61, "1900-03-01"}, {37753, "2003-05-12"},
                   {37753.75, "2003-05-12"}, {44440, "2021-09-01"}, {45838, "2025-06-30"},
                   {2958465, "9999-12-31"}, {36585, "2000-02-29"}};
    for (size_t i = 0; i < sizeof serials / sizeof *serials; i++) {
        CHECK(gp_date_from_excel_serial(serials[i].serial, out), "serial %g", serials[i].serial);
        CHECK_STR(out, serials[i].date);
    }
    CHECK(!gp_date_from_excel_serial(60, out), "the phantom 1900-02-29 is not a date");
    CHECK(!gp_date_from_excel_serial(0, out), "0");
    CHECK(!gp_date_from_excel_serial(-5, out), "negative");
    CHECK(!gp_date_from_excel_serial(2958466, out), "past 9999");
}

static void test_keys(void)
{
    struct {
        const char *header;
        gp_key key;
    } map[] = {
        {"序号", GP_KEY_SEQ},           {"学号", GP_KEY_STUDENT_NO},     {" 姓 名 ", GP_KEY_NAME},
        {"性别", GP_KEY_GENDER},        {"身份证号", GP_KEY_ID_NUMBER},  {"身份证号码", GP_KEY_ID_NUMBER},
        {"证件号码", GP_KEY_ID_NUMBER}, {"身份证", GP_KEY_ID_NUMBER},    {"出生日期", GP_KEY_BIRTH_DATE},
        {"学院", GP_KEY_COLLEGE},       {"院系", GP_KEY_COLLEGE},        {"所在学院", GP_KEY_COLLEGE},
        {"专业", GP_KEY_MAJOR},         {"专业名称", GP_KEY_MAJOR},      {"班级", GP_KEY_CLASS},
        {"班级名称", GP_KEY_CLASS},     {"层次", GP_KEY_LEVEL},          {"培养层次", GP_KEY_LEVEL},
        {"学制", GP_KEY_STUDY_YEARS},   {"入学日期", GP_KEY_ENROL_DATE}, {"入学时间", GP_KEY_ENROL_DATE},
        {"毕业日期", GP_KEY_GRAD_DATE}, {"毕业时间", GP_KEY_GRAD_DATE},  {"毕业证书编号", GP_KEY_DIPLOMA_NO},
        {"证书编号", GP_KEY_DIPLOMA_NO}, {"毕业证号", GP_KEY_DIPLOMA_NO}, {"学位门类", GP_KEY_DEGREE_FIELD},
        {"学位证书编号", GP_KEY_DEGREE_NO}, {"学位证号", GP_KEY_DEGREE_NO},
        {"身份证\n号码", GP_KEY_ID_NUMBER}, {"*学号", GP_KEY_STUDENT_NO}, {"学号（必填）", GP_KEY_STUDENT_NO},
        {"出生日期(yyyy-mm-dd)", GP_KEY_BIRTH_DATE}, {"院（系）", GP_KEY_COLLEGE}, {"\u3000班级\u3000", GP_KEY_CLASS},
        {"seq", GP_KEY_SEQ},            {"Student No", GP_KEY_STUDENT_NO}, {"STUDENT_NO", GP_KEY_STUDENT_NO},
        {"student no.", GP_KEY_STUDENT_NO}, {"Name", GP_KEY_NAME},        {"gender", GP_KEY_GENDER},
        {"ID Number", GP_KEY_ID_NUMBER}, {"id_number", GP_KEY_ID_NUMBER}, {"Birth Date", GP_KEY_BIRTH_DATE},
        {"College", GP_KEY_COLLEGE},    {"major", GP_KEY_MAJOR},         {"Class", GP_KEY_CLASS},
        {"Level", GP_KEY_LEVEL},        {"Study Years", GP_KEY_STUDY_YEARS}, {"Enrolment Date", GP_KEY_ENROL_DATE},
        {"enrol_date", GP_KEY_ENROL_DATE}, {"Graduation Date", GP_KEY_GRAD_DATE}, {"grad_date", GP_KEY_GRAD_DATE},
        {"Diploma No", GP_KEY_DIPLOMA_NO}, {"degree field", GP_KEY_DEGREE_FIELD}, {"Degree-No", GP_KEY_DEGREE_NO},
    };
    for (size_t i = 0; i < sizeof map / sizeof *map; i++) {
        gp_key key = GP_KEY_COUNT;
        CHECK(gp_key_from_header(map[i].header, &key) && key == map[i].key, "\"%s\" → %s, got %d", map[i].header,
              gp_key_name(map[i].key), (int)key);
    }
    const char *unknown[] = {"备注", "", "学", "号", "name2", "id", "学号学号", "(学号)"};
    for (size_t i = 0; i < sizeof unknown / sizeof *unknown; i++) {
        gp_key key;
        CHECK(!gp_key_from_header(unknown[i], &key), "\"%s\" is not a key", unknown[i]);
    }
    for (int k = 0; k < GP_KEY_COUNT; k++) {
        gp_key back;
        CHECK(gp_key_from_name(gp_key_name((gp_key)k), &back) && back == (gp_key)k, "name round trip %d", k);
        CHECK(gp_key_from_header(gp_key_label((gp_key)k), &back) && back == (gp_key)k, "label %s maps back",
              gp_key_label((gp_key)k));
    }
    gp_key back;
    CHECK(!gp_key_from_name("学号", &back), "a header is not a canonical name");
}

/* The findings with this code, as "line,line,..." in report order. */
static void lines_of(const gp_report *report, const char *code, char *out, size_t size)
{
    out[0] = '\0';
    for (size_t i = 0; i < gp_report_count(report); i++) {
        const gp_finding *f = gp_report_get(report, i);
        if (strcmp(f->code, code) == 0)
            snprintf(out + strlen(out), size - strlen(out), "%s%ld", out[0] ? "," : "", f->line);
    }
}

static const gp_finding *find(const gp_report *report, const char *code, long line)
{
    for (size_t i = 0; i < gp_report_count(report); i++) {
        const gp_finding *f = gp_report_get(report, i);
        if (strcmp(f->code, code) == 0 && f->line == line)
            return f;
    }
    return NULL;
}

static void test_check(void)
{
    gp_roster *r = NULL;
    gp_error *err = NULL;
    REQUIRE(gp_roster_load(NULL, DATA "check.csv", NULL, &r, &err) == GP_OK, "check.csv: %s",
            gp_error_message(err));
    REQUIRE(gp_roster_size(r) == 12, "12 records, got %zu", gp_roster_size(r));

    /* At load: the 2023-02-29 on line 10. 2024-02-29 on line 11 is a real date. */
    char lines[256];
    lines_of(r->issues, "bad-date", lines, sizeof lines);
    CHECK_STR(lines, "10");
    const gp_finding *f = find(r->issues, "bad-date", 10);
    if (f) {
        CHECK(f->severity == GP_ERROR, "error");
        CHECK_STR(f->student_no, "202101009");
        CHECK(strstr(f->message, "2023-02-29") && strstr(f->message, "出生日期") && strstr(f->message, "column E") &&
                  strstr(f->message, "2003年5月12日"),
              "names column, value and the accepted forms: %s", f->message);
    }
    CHECK_STR(gp_record_get(gp_roster_record(r, 8), "birth_date"), "2023-02-29"); /* kept as written */
    CHECK_STR(gp_record_get(gp_roster_record(r, 9), "birth_date"), "2024-02-29");

    gp_report *report = gp_report_new();
    const gp_key required[] = {GP_KEY_STUDENT_NO, GP_KEY_NAME, GP_KEY_ID_NUMBER, GP_KEY_COLLEGE,
                               GP_KEY_MAJOR,      GP_KEY_CLASS, GP_KEY_LEVEL,    GP_KEY_NAME};
    gp_roster_check(r, required, sizeof required / sizeof *required, report);
    struct {
        const char *code;
        const char *lines;
    } expect[] = {
        {"bad-date", "10"},          /* the load's finding, carried into the preflight */
        {"missing-column", "1"},     /* no 层次 column: once, on the header line */
        {"missing-field", "3,13"},   /* empty 姓名, empty 身份证号 */
        {"id-length", "4"},
        {"id-format", "5"},
        {"id-birth-date", "6"},
        {"id-check-digit", "7"},
        {"duplicate-student-no", "2,8"}, /* both records of a pair */
        {"duplicate-id-number", "2,9"},
        {"id-birth-mismatch", "11"},
        {"id-gender-mismatch", "12"},
    };
    size_t total = 0;
    for (size_t i = 0; i < sizeof expect / sizeof *expect; i++) {
        lines_of(report, expect[i].code, lines, sizeof lines);
        CHECK(strcmp(lines, expect[i].lines) == 0, "%s on lines %s, got \"%s\"", expect[i].code, expect[i].lines,
              lines);
        for (const char *p = expect[i].lines; *p; p++)
            total += p == expect[i].lines || *p == ',';
    }
    CHECK(gp_report_count(report) == total, "%zu findings in all, got %zu", total, gp_report_count(report));
    CHECK(gp_report_count_severity(report, GP_WARNING) == 2, "the two mismatches are warnings");

    f = find(report, "missing-column", 1);
    CHECK(f && strstr(f->message, "层次") && strstr(f->message, "level") && f->student_no == NULL,
          "absent column named in both languages once");
    CHECK(f && strstr(f->message, "学号, 姓名"), "lists the headers found: %s", f ? f->message : "");
    f = find(report, "missing-field", 3);
    CHECK(f && strstr(f->message, "姓名") && strstr(f->message, "name"), "empty name: %s", f ? f->message : "");
    CHECK(f && f->student_no && strcmp(f->student_no, "202101002") == 0, "student number attached");
    CHECK(f && f->file && strstr(f->file, "check.csv"), "file attached");
    f = find(report, "id-length", 4);
    CHECK(f && strstr(f->message, "17"), "length named: %s", f ? f->message : "");
    f = find(report, "id-birth-date", 6);
    CHECK(f && strstr(f->message, "20030230"), "birth digits named: %s", f ? f->message : "");
    f = find(report, "id-check-digit", 7);
    CHECK(f && strstr(f->message, "ends in 7") && strstr(f->message, "should be 6") &&
              strstr(f->message, "correct the ID number in the roster"),
          "check digit message: %s", f ? f->message : "");
    CHECK(f && f->severity == GP_ERROR && f->student_no && strcmp(f->student_no, "202101006") == 0, "on 202101006");
    f = find(report, "duplicate-student-no", 8);
    CHECK(f && strstr(f->message, "202101001") && strstr(f->message, "2 and 8"), "both lines: %s",
          f ? f->message : "");
    f = find(report, "duplicate-id-number", 9);
    CHECK(f && strstr(f->message, "lines 2") && strstr(f->message, "and 9") && strstr(f->message, "202101008"),
          "both lines: %s", f ? f->message : "");
    CHECK(gp_report_has_error_for(report, "202101006"), "per-student error for skip-invalid");
    CHECK(!gp_report_has_error_for(report, "202101010"), "a warning is not an error");
    gp_report_free(report);

    /* Nothing required: only the ID and duplicate checks run. */
    report = gp_report_new();
    gp_roster_check(r, NULL, 0, report);
    lines_of(report, "missing-field", lines, sizeof lines);
    CHECK_STR(lines, "");
    gp_report_free(report);
    gp_roster_free(r);
}

static double seconds(struct timespec a, struct timespec b)
{
    return (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
}

#if defined(__SANITIZE_ADDRESS__)
#define SLOW_BUILD 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SLOW_BUILD 1
#endif
#endif

/* 10,000 students (a big university's year) with every ID valid, two
 * duplicates planted at the end. */
static void test_scale(void)
{
    static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    gp_strbuf csv;
    gp_strbuf_init(&csv);
    gp_strbuf_append(&csv, "重庆文理学院2025届毕业生名单\n序号,学号,姓名,性别,身份证号,出生日期,学院,专业,班级,层次,"
                           "学制,入学日期,毕业日期,毕业证书编号\n");
    const int n = 10000;
    for (int i = 0; i < n; i++) {
        char id[19];
        snprintf(id, sizeof id, "5001%02d20030512%03d", i / 1000, i % 1000); /* all distinct */
        int sum = 0;
        for (int k = 0; k < 17; k++)
            sum += (id[k] - '0') * weights[k];
        id[17] = "10X98765432"[sum % 11];
        id[18] = '\0';
        gp_strbuf_appendf(&csv, "%d,2021%05d,学生%d,%s,%s,2003/5/12,人工智能学院,计算机科学与技术,计科21%02d班,本科,4,"
                                "2021-09-01,2025年6月30日,11642120250500%04d\n",
                          i + 1, i, i, (id[16] - '0') % 2 ? "男" : "女", id, i % 40, i);
    }
    gp_strbuf_append(&csv, "10001,202100005,重复,男,,2003-05-12,a,b,c,本科,4,2021-09-01,2025-06-30,x\n");
    REQUIRE(!gp_strbuf_failed(&csv), "csv built");

    struct timespec t0, t1, t2;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    gp_roster *r = NULL;
    gp_error *err = NULL;
    gp_status st = gp_roster_load_memory("big.csv", (const unsigned char *)csv.data, csv.len, NULL, &r, &err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    REQUIRE(st == GP_OK, "big roster: %s", gp_error_message(err));
    CHECK(gp_roster_size(r) == (size_t)n + 1, "all records");
    CHECK_STR(gp_record_get(gp_roster_record(r, 9999), "grad_date"), "2025-06-30");
    gp_report *report = gp_report_new();
    const gp_key required[] = {GP_KEY_STUDENT_NO, GP_KEY_NAME, GP_KEY_ID_NUMBER};
    gp_roster_check(r, required, 3, report);
    clock_gettime(CLOCK_MONOTONIC, &t2);
    char lines[64];
    lines_of(report, "duplicate-student-no", lines, sizeof lines);
    CHECK_STR(lines, "8,10003");
    lines_of(report, "missing-field", lines, sizeof lines);
    CHECK_STR(lines, "10003");
    CHECK(gp_report_count(report) == 3, "no other findings, got %zu (first: %s)", gp_report_count(report),
          gp_report_count(report) ? gp_report_get(report, 0)->message : "");
    double load = seconds(t0, t1), check = seconds(t1, t2);
    printf("10,001 records, %zu bytes of CSV: load %.3f s, check %.3f s\n", csv.len, load, check);
#ifdef SLOW_BUILD
    const double limit = 5.0;
#else
    const double limit = 0.5;
#endif
    CHECK(load < limit, "load took %.3f s", load);
    CHECK(check < limit, "check took %.3f s", check);
    gp_report_free(report);
    gp_roster_free(r);
    gp_strbuf_free(&csv);
}

int main(void)
{
    test_id_numbers();
    test_dates();
    test_keys();
    test_check();
    test_scale();
    return gp_test_done();
}
