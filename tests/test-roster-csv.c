/* CSV rosters: encodings, the shapes registrar exports come in, and every
 * way a CSV file can be unusable. */
#include "base/report-private.h"
#include "gp-test.h"
#include "roster/roster-private.h"

#define DATA GP_SOURCE_DIR "/tests/data/roster/"

static gp_roster *load(const char *path, const char *encoding, gp_error **err)
{
    gp_roster_options opts = {.encoding = encoding};
    gp_roster *r = NULL;
    gp_status st = gp_roster_load(NULL, path, &opts, &r, err);
    CHECK((st == GP_OK) == (r != NULL), "status %d agrees with the result for %s", st, path);
    return r;
}

static gp_roster *load_ok(const char *path, const char *encoding)
{
    gp_error *err = NULL;
    gp_roster *r = load(path, encoding, &err);
    CHECK(r != NULL, "%s loads: %s", path, gp_error_message(err));
    gp_error_free(err);
    return r;
}

static gp_roster *load_mem(const char *text, size_t len, const char *encoding, gp_error **err)
{
    gp_roster_options opts = {.encoding = encoding};
    gp_roster *r = NULL;
    gp_roster_load_memory("mem.csv", (const unsigned char *)text, len, &opts, &r, err);
    return r;
}

/* The five students of students-*.csv, whatever the encoding. */
static void check_students(const gp_roster *r, const char *what)
{
    REQUIRE(r != NULL, "%s loaded", what);
    CHECK(gp_roster_size(r) == 5, "%s: 5 students, got %zu", what, gp_roster_size(r));
    CHECK(r->header_line == 2, "%s: the title row is skipped, header on line 2 (got %ld)", what, r->header_line);
    static const char *names[5] = {"王䶮", "李龑", "张𠮷", "刘堃", "陈喆"};
    for (size_t i = 0; i < 5 && i < gp_roster_size(r); i++) {
        const gp_record *rec = gp_roster_record(r, i);
        CHECK_STR(gp_record_get(rec, "name"), names[i]);
        CHECK(gp_record_line(rec) == (long)i + 3, "%s: record %zu on line %ld", what, i, gp_record_line(rec));
        /* All five date forms in the file become one. */
        CHECK_STR(gp_record_get(rec, "birth_date"), "2003-05-12");
    }
    const gp_record *fourth = gp_roster_record(r, 3);
    CHECK_STR(gp_record_get(fourth, "id_number"), "50011820030512018X");
    CHECK_STR(gp_record_get(fourth, "身份证号"), "50011820030512018X");
    CHECK_STR(gp_record_get(gp_roster_record(r, 0), "student_no"), "202101001");
    CHECK_STR(gp_record_get(gp_roster_record(r, 0), "class"), "计科2101班");
    CHECK_STR(gp_record_get(gp_roster_record(r, 4), "备注"), "转专业");
    CHECK(gp_record_get(gp_roster_record(r, 0), "备注") == NULL, "empty cell is NULL");
    CHECK(gp_record_get(gp_roster_record(r, 0), "degree_no") == NULL, "absent column is NULL");
    CHECK(gp_record_get(gp_roster_record(r, 0), "no such column") == NULL, "unknown name is NULL");
    CHECK(gp_report_count(r->issues) == 0, "%s: no load findings, got %zu", what, gp_report_count(r->issues));
    CHECK(r->ncolumns == 10, "10 columns, got %zu", r->ncolumns);
    CHECK(r->key_column[GP_KEY_ID_NUMBER] == 4, "身份证号码 maps to id_number");
}

static void test_encodings(void)
{
    gp_roster *utf8 = load_ok(DATA "students-utf8.csv", NULL);
    check_students(utf8, "UTF-8");
    gp_roster *bom = load_ok(DATA "students-utf8-bom.csv", NULL);
    check_students(bom, "UTF-8 with BOM and CRLF");
    /* The BOM must not stick to the first header cell of a header on line 1. */
    const char bom_header[] = "\xEF\xBB\xBF学号,姓名\n1,王伟\n";
    gp_roster *b1 = load_mem(bom_header, sizeof bom_header - 1, NULL, NULL);
    CHECK(b1 != NULL && b1->key_column[GP_KEY_STUDENT_NO] == 0, "BOM stripped before 学号");
    gp_roster_free(b1);

    gp_roster *gb = load_ok(DATA "students-gb18030.csv", NULL);
    check_students(gb, "GB18030 detected");
    gp_roster_free(gb);
    gb = load_ok(DATA "students-gb18030.csv", "GB18030");
    check_students(gb, "GB18030 named");
    gp_roster_free(gb);

    /* GBK is read as GB18030 when detected, and as itself when named. */
    for (int named = 0; named < 3; named++) {
        const char *enc = named == 0 ? NULL : named == 1 ? "gbk" : "Gb18030";
        gp_roster *gbk = load_ok(DATA "students-gbk.csv", enc);
        REQUIRE(gbk != NULL, "gbk roster");
        CHECK(gp_roster_size(gbk) == 2, "two students");
        CHECK_STR(gp_record_get(gp_roster_record(gbk, 1), "name"), "李娜");
        CHECK_STR(gp_record_get(gp_roster_record(gbk, 0), "major"), "计算机科学与技术");
        gp_roster_free(gbk);
    }

    /* A GBK file read as UTF-8 on request fails on the first line with Chinese. */
    gp_error *err = NULL;
    CHECK(load(DATA "students-gbk.csv", "utf-8", &err) == NULL, "GBK as UTF-8 fails");
    CHECK(gp_error_status(err) == GP_E_INVALID, "invalid");
    CHECK(gp_error_line(err) == 1, "names line 1, got %ld", gp_error_line(err));
    CHECK(strstr(gp_error_message(err), "students-gbk.csv:1:") != NULL, "file:line in %s", gp_error_message(err));
    CHECK(strstr(gp_error_message(err), "--encoding") != NULL, "suggests --encoding: %s", gp_error_message(err));
    gp_error_free(err);

    /* GB18030 text holding 4-byte characters named as GBK: 𠮷 is not GBK (line 5). */
    err = NULL;
    CHECK(load(DATA "students-gb18030.csv", "GBK", &err) == NULL, "GB18030-only characters as GBK fail");
    CHECK(gp_error_line(err) == 3, "䶮 on line 3 is not GBK, got line %ld", gp_error_line(err));
    CHECK(strstr(gp_error_message(err), "--encoding") != NULL, "suggests --encoding");
    gp_error_free(err);

    /* Bad bytes after a UTF-8 BOM: the line is named. */
    err = NULL;
    CHECK(load(DATA "bad-utf8.csv", NULL, &err) == NULL, "bad UTF-8 fails");
    CHECK(gp_error_line(err) == 3, "bad bytes on line 3, got %ld: %s", gp_error_line(err), gp_error_message(err));
    CHECK(strstr(gp_error_message(err), "gb18030") != NULL, "suggests gb18030: %s", gp_error_message(err));
    gp_error_free(err);

    /* Neither UTF-8 nor GB18030 (0xFF never starts a GB18030 character). */
    const char junk[] = "学号,姓名\n1,a\n2,\xFF\xFF\n";
    err = NULL;
    CHECK(load_mem(junk, sizeof junk - 1, NULL, &err) == NULL, "undecodable fails");
    CHECK(gp_error_line(err) == 3, "line 3, got %ld: %s", gp_error_line(err), gp_error_message(err));
    CHECK(strstr(gp_error_message(err), "--encoding") != NULL, "suggests --encoding");
    gp_error_free(err);

    err = NULL;
    CHECK(load(DATA "students-utf8.csv", "latin-9", &err) == NULL, "unknown encoding refused");
    CHECK(gp_error_status(err) == GP_E_USAGE, "usage error");
    CHECK(strstr(gp_error_message(err), "latin-9") != NULL, "names it");
    gp_error_free(err);

    /* UTF-16 with a BOM (Excel's "Unicode text", tab-separated). */
    const unsigned char utf16[] = {0xFF, 0xFE, 0x66, 0x5B, 0xF7, 0x53, '\t', 0, 0xD3, 0x59, 0x0D, 0x54, '\n', 0,
                                   '1',  0,    '\t', 0,    0x8B, 0x73, 0x1F, 0x4F, '\n', 0};
    gp_roster *u16 = NULL;
    err = NULL;
    CHECK(gp_roster_load_memory("u16.txt", utf16, sizeof utf16, NULL, &u16, &err) == GP_OK, "UTF-16: %s",
          gp_error_message(err));
    gp_error_free(err);
    CHECK(u16 && gp_roster_size(u16) == 1, "one UTF-16 record");
    if (u16 && gp_roster_size(u16) == 1)
        CHECK_STR(gp_record_get(gp_roster_record(u16, 0), "name"), "王伟");
    gp_roster_free(u16);

    gp_roster_free(utf8);
    gp_roster_free(bom);
}

static void test_quoting(void)
{
    gp_roster *r = load_ok(DATA "quoted.csv", NULL);
    REQUIRE(r != NULL, "quoted.csv");
    CHECK(gp_roster_size(r) == 4, "blank rows skipped: 4 records, got %zu", gp_roster_size(r));
    const gp_record *a = gp_roster_record(r, 0), *b = gp_roster_record(r, 1), *c = gp_roster_record(r, 2),
                    *d = gp_roster_record(r, 3);
    CHECK(gp_record_line(a) == 3 && gp_record_line(b) == 4 && gp_record_line(c) == 7 && gp_record_line(d) == 8,
          "lines 3 4 7 8, got %ld %ld %ld %ld", gp_record_line(a), gp_record_line(b), gp_record_line(c),
          gp_record_line(d));
    CHECK_STR(gp_record_get(a, "student_no"), "202101001");
    CHECK_STR(gp_record_get(a, "id_number"), "500118200305120016"); /* ="..." */
    CHECK_STR(gp_record_get(a, "备注"), "含逗号,的备注");
    CHECK_STR(gp_record_get(b, "name"), "李娜"); /* U+3000 and spaces trimmed */
    CHECK_STR(gp_record_get(b, "备注"), "第一行\n第二行");
    CHECK_STR(gp_record_get(c, "name"), "张\"小\"敏");
    CHECK_STR(gp_record_get(c, "major"), "数据科学, 大数据");
    CHECK_STR(gp_record_get(c, "备注"), "引号前有空格");
    CHECK_STR(gp_record_get(d, "name"), "刘强"); /* U+00A0 trimmed */
    CHECK(gp_record_get(d, "备注") == NULL, "\"\" is empty");
    gp_roster_free(r);

    /* Lone CR line ends (old Mac exports), a quoted newline counted as a line. */
    const char cr[] = "学号,姓名\r1,\"a\rb\"\r2,c\r";
    r = load_mem(cr, sizeof cr - 1, NULL, NULL);
    CHECK(r && gp_roster_size(r) == 2, "CR-only lines");
    if (r && gp_roster_size(r) == 2) {
        CHECK_STR(gp_record_get(gp_roster_record(r, 0), "name"), "a\nb");
        CHECK(gp_record_line(gp_roster_record(r, 1)) == 4, "line 4, got %ld", gp_record_line(gp_roster_record(r, 1)));
    }
    gp_roster_free(r);

    /* Text after a closing quote is kept, as Excel does; no final newline. */
    const char tail[] = "学号,姓名\n1,\"王\"伟";
    r = load_mem(tail, sizeof tail - 1, NULL, NULL);
    CHECK(r && gp_roster_size(r) == 1, "tail");
    if (r && gp_roster_size(r) == 1)
        CHECK_STR(gp_record_get(gp_roster_record(r, 0), "name"), "王伟");
    gp_roster_free(r);

    /* An unclosed quote swallows the rest of the file: refused, naming where it starts. */
    const char open[] = "学号,姓名\n1,王伟\n2,\"李娜\n3,张敏\n";
    gp_error *err = NULL;
    CHECK(load_mem(open, sizeof open - 1, NULL, &err) == NULL, "unclosed quote refused");
    CHECK(gp_error_line(err) == 3, "names line 3, got %ld", gp_error_line(err));
    gp_error_free(err);
}

static void test_tabs_and_english(void)
{
    gp_roster *r = load_ok(DATA "tabs.tsv", NULL);
    REQUIRE(r != NULL, "tabs.tsv");
    CHECK(gp_roster_size(r) == 2, "2 records");
    CHECK_STR(gp_record_get(gp_roster_record(r, 0), "name"), "Wang, Wei");
    CHECK_STR(gp_record_get(gp_roster_record(r, 1), "student_no"), "202101002");
    CHECK_STR(gp_record_get(gp_roster_record(r, 1), "enrol_date"), "2021-09-01");
    /* Looked up by the header as written, too. */
    CHECK_STR(gp_record_get(gp_roster_record(r, 1), "Student No"), "202101002");
    CHECK_STR(gp_record_get(gp_roster_record(r, 1), "学号"), "202101002");
    CHECK(gp_record_line(gp_roster_record(r, 1)) == 4, "line 4 after a blank line");
    gp_roster_free(r);

    r = load_ok(DATA "english.csv", NULL);
    REQUIRE(r != NULL, "english.csv");
    for (int k = 0; k < GP_KEY_COUNT; k++)
        CHECK(r->key_column[k] == k, "English header for %s maps to column %d, got %d", gp_key_name((gp_key)k), k,
              r->key_column[k]);
    const gp_record *rec = gp_roster_record(r, 0);
    CHECK_STR(gp_record_get(rec, "grad_date"), "2025-06-30");
    CHECK_STR(gp_record_get(rec, "degree_no"), "1164242025000456");
    CHECK_STR(gp_record_get(rec, "study_years"), "4");
    CHECK_STR(r->column_names[5], "birth_date");
    gp_roster_free(r);
}

static void test_unusable(void)
{
    gp_error *err = NULL;
    CHECK(load(DATA "dup-header.csv", NULL, &err) == NULL, "duplicate header refused");
    const char *msg = gp_error_message(err);
    CHECK(gp_error_status(err) == GP_E_INVALID, "invalid");
    CHECK(gp_error_line(err) == 1, "header line");
    CHECK(strstr(msg, "身份证号") && strstr(msg, "证件号码") && strstr(msg, "column C") && strstr(msg, "column F"),
          "names both cells and columns: %s", msg);
    gp_error_free(err);

    err = NULL;
    CHECK(load(DATA "no-header.csv", NULL, &err) == NULL, "no header refused");
    msg = gp_error_message(err);
    CHECK(gp_error_status(err) == GP_E_INVALID, "invalid");
    CHECK(strstr(msg, "no-header.csv") != NULL, "names the file: %s", msg);
    const char *expected[] = {"学号", "姓名", "身份证号", "学院", "专业", "班级"};
    for (size_t i = 0; i < 6; i++)
        CHECK(strstr(msg, expected[i]) != NULL, "lists %s: %s", expected[i], msg);
    gp_error_free(err);

    /* The header must be within the first 10 non-blank rows. */
    char deep[1024] = "";
    for (int i = 0; i < 10; i++)
        strcat(deep, "title,,\n\n");
    strcat(deep, "学号,姓名\n1,王伟\n");
    err = NULL;
    CHECK(load_mem(deep, strlen(deep), NULL, &err) == NULL, "header on the 11th non-blank row is not found");
    gp_error_free(err);
    memmove(deep, deep + 9, strlen(deep + 9) + 1); /* now the 10th */
    gp_roster *r = load_mem(deep, strlen(deep), NULL, NULL);
    CHECK(r != NULL && r->header_line == 19, "header on the 10th non-blank row found");
    gp_roster_free(r);

    err = NULL;
    CHECK(load_mem("", 0, NULL, &err) == NULL && gp_error_status(err) == GP_E_INVALID, "empty file refused");
    gp_error_free(err);

    err = NULL;
    const char nul[] = "学号,姓名\n1,a\0b\n";
    CHECK(load_mem(nul, sizeof nul - 1, NULL, &err) == NULL && gp_error_line(err) == 2, "NUL byte refused at line 2");
    gp_error_free(err);

    err = NULL;
    const char ole[] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 rest of an .xls";
    CHECK(load_mem(ole, sizeof ole - 1, NULL, &err) == NULL, ".xls refused");
    CHECK(strstr(gp_error_message(err), ".xlsx") != NULL, "says to save as .xlsx: %s", gp_error_message(err));
    gp_error_free(err);

    err = NULL;
    CHECK(load(GP_SOURCE_DIR "/tests/data/roster/does-not-exist.csv", NULL, &err) == NULL, "missing file");
    CHECK(gp_error_status(err) == GP_E_IO, "I/O error");
    gp_error_free(err);
    err = NULL;
    CHECK(gp_roster_load(NULL, NULL, NULL, NULL, &err) == GP_E_USAGE, "no path is a usage error");
    gp_error_free(err);
}

static void test_cells(void)
{
    /* Cells past the header and cells under an empty header: ignored, with one warning. */
    const char extra[] = "学号,姓名,,备注\n1,王伟,x,\n2,李娜,,,y,\n3,张敏,,,,\n";
    gp_roster *r = load_mem(extra, sizeof extra - 1, NULL, NULL);
    REQUIRE(r != NULL, "extra cells load");
    CHECK(r->ncolumns == 3, "3 named columns, got %zu", r->ncolumns);
    CHECK(gp_report_count(r->issues) == 1, "one warning, got %zu", gp_report_count(r->issues));
    const gp_finding *f = gp_report_get(r->issues, 0);
    if (f) {
        CHECK_STR(f->code, "column-without-header");
        CHECK(f->severity == GP_WARNING && f->line == 2, "warning at line 2");
        CHECK(strstr(f->message, "column C") && strstr(f->message, "column E"), "names C and E: %s", f->message);
    }
    gp_roster_free(r);

    /* An ID number a spreadsheet turned into 5.00118E+17 before saving the CSV. */
    const char mangled[] = "学号,身份证号\n2021001,5.00118E+17\n2021002,500118200305120024\n";
    r = load_mem(mangled, sizeof mangled - 1, NULL, NULL);
    REQUIRE(r != NULL, "mangled loads");
    CHECK(gp_report_count(r->issues) == 0, "flagged at load, reported by the preflight");
    CHECK(gp_roster_record(r, 0)->flags & GP_RECORD_ID_AS_NUMBER, "flagged");
    gp_report *report = gp_report_new();
    gp_roster_check(r, NULL, 0, report);
    CHECK(gp_report_count(report) == 1, "one finding, got %zu", gp_report_count(report));
    f = gp_report_get(report, 0);
    if (f) {
        CHECK_STR(f->code, "id-stored-as-number");
        CHECK(f->line == 2 && f->severity == GP_ERROR, "error on line 2");
        CHECK_STR(f->student_no, "2021001");
    }
    gp_report_free(report);
    gp_roster_free(r);

    /* A header mapping fewer than 2 keys is not a header: title rows stay skipped. */
    const char one[] = "学号\n学号,姓名\n1,王伟\n";
    r = load_mem(one, sizeof one - 1, NULL, NULL);
    CHECK(r && r->header_line == 2 && gp_roster_size(r) == 1, "single-key row is not the header");
    gp_roster_free(r);
}

int main(void)
{
    test_encodings();
    test_quoting();
    test_tabs_and_english();
    test_unusable();
    test_cells();
    return gp_test_done();
}
