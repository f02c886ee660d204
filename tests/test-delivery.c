/* Delivery order: the helpers, and whole plans over a roster file whose
 * classes appear out of order (1班, 3班, 10班, 2班). */
#include <unistd.h>

#include "gp-test.h"
#include "jobs/delivery-private.h"
#include "roster/roster-private.h"
#include "sheets-fixture.h"

static void check_helpers(void)
{
    CHECK(gp_student_no_compare("9", "10") < 0, "digits compare by value");
    CHECK(gp_student_no_compare("2021010110", "2021010102") > 0, "same length");
    CHECK(gp_student_no_compare("007", "8") < 0, "leading zeros do not count");
    CHECK(gp_student_no_compare("A12", "A9") < 0, "non-digits byte-wise");
    char *s = gp_safe_file_component("../a/b\\c\n", 100);
    CHECK_STR(s, "_._a_b_c_");
    free(s);
    s = gp_safe_file_component("汉语言文学", 7); /* 3-byte characters: cut after the second */
    CHECK_STR(s, "汉语");
    free(s);
}

static void check_natural(void)
{
    gp_collator *coll = gp_collator_open();
    CHECK(coll != NULL, "ICU has Chinese collation data");
    const gp_collator *both[2] = {coll, NULL};
    for (int k = 0; k < 2; k++) {
        const gp_collator *c = both[k];
        CHECK(gp_natural_compare(c, "2021级汉语言文学2班", "2021级汉语言文学10班") < 0, "2班 < 10班 (%d)", k);
        CHECK(gp_natural_compare(c, "2021级汉语言文学10班", "2021级汉语言文学2班") > 0, "10班 > 2班 (%d)", k);
        CHECK(gp_natural_compare(c, "汉语言文学二班", "汉语言文学十班") < 0, "二班 < 十班 (%d)", k);
        CHECK(gp_natural_compare(c, "汉语言文学十二班", "汉语言文学二十班") < 0, "十二 < 二十 (%d)", k);
        CHECK(gp_natural_compare(c, "汉语言文学九班", "汉语言文学十一班") < 0, "九 < 十一 (%d)", k);
        CHECK(gp_natural_compare(c, "１班", "２班") < 0, "full-width digits (%d)", k);
        CHECK(gp_natural_compare(c, "3班", "３班") != 0, "equal values written differently stay distinct (%d)", k);
        CHECK(gp_natural_compare(c, "班", "班") == 0, "equal (%d)", k);
        CHECK(gp_natural_compare(c, "1班", "1班A") < 0, "prefix first (%d)", k);
        CHECK(gp_natural_compare(c, "A", "\xff") != 0, "not UTF-8 still ordered (%d)", k);
        CHECK(gp_natural_compare(c, "99999999999999999999999班", "1班") > 0, "huge numbers saturate (%d)", k);
    }
    /* Pinyin: 汉 (han) before 新 (xin), though U+65B0 < U+6C49. */
    CHECK(gp_natural_compare(coll, "新闻学", "汉语言文学") > 0, "pinyin order");
    CHECK(gp_natural_compare(NULL, "新闻学", "汉语言文学") < 0, "code point order without a collator");
    gp_collator_close(coll);
}

static const char *class_of(const gp_roster *roster, const gp_delivery *d, size_t c)
{
    return gp_record_key(gp_roster_record(roster, d->order[d->classes[c].first]), GP_KEY_CLASS);
}

static void check_plans(gp_context *ctx)
{
    char *dir = fixture_tempdir();
    static const fixture_student students[] = {
        {"2021010101", "甲", "110101200001010010", "文学与传媒学院", "汉语言文学", "2021级汉语言文学1班"},
        {"2021010301", "乙", "110101200001010010", "文学与传媒学院", "汉语言文学", "2021级汉语言文学3班"},
        {"2021011001", "丙", "110101200001010010", "文学与传媒学院", "汉语言文学", "2021级汉语言文学10班"},
        {"2021010202", "丁", "110101200001010010", "文学与传媒学院", "汉语言文学", "2021级汉语言文学2班"},
        {"2021010201", "戊", "110101200001010010", "文学与传媒学院", "汉语言文学", "2021级汉语言文学2班"},
        {"2021020101", "己", "110101200001010010", "文学与传媒学院", "新闻学", "2021级新闻学1班"},
        {"2021030101", "庚", "110101200001010010", "化学与环境工程学院", "环境工程", "2021级环境工程1班"},
    };
    fixture_write_roster(dir, students, sizeof students / sizeof *students);
    char path[1024];
    snprintf(path, sizeof path, "%s/roster.csv", dir);
    gp_roster *roster = NULL;
    gp_error *err = NULL;
    REQUIRE(gp_roster_load(ctx, path, NULL, &roster, &err) == GP_OK, "roster: %s", gp_error_message(err));

    gp_delivery d;
    REQUIRE(gp_delivery_plan(roster, NULL, GP_GROUP_ORDER_NATURAL, &d, &err) == GP_OK, "natural plan");
    /* 化学 (hua) < 文学 (wen); in 文学: 汉语言文学 (han) < 新闻学 (xin); 1 < 2 < 3 < 10. */
    static const char *natural[] = {"2021级环境工程1班", "2021级汉语言文学1班", "2021级汉语言文学2班",
                                    "2021级汉语言文学3班", "2021级汉语言文学10班", "2021级新闻学1班"};
    REQUIRE(d.nclasses == 6, "6 classes, got %zu", d.nclasses);
    for (size_t c = 0; c < 6; c++)
        CHECK_STR(class_of(roster, &d, c), natural[c]);
    CHECK(strncmp(d.classes[2].dir_name, "003_", 4) == 0, "numbered in delivery order: %s", d.classes[2].dir_name);
    /* Within a class by student number. */
    CHECK_STR(gp_record_key(gp_roster_record(roster, d.order[d.classes[2].first]), GP_KEY_STUDENT_NO), "2021010201");
    gp_delivery_free(&d);

    REQUIRE(gp_delivery_plan(roster, NULL, GP_GROUP_ORDER_ROSTER, &d, &err) == GP_OK, "roster plan");
    static const char *first_seen[] = {"2021级汉语言文学1班", "2021级汉语言文学3班", "2021级汉语言文学10班",
                                       "2021级汉语言文学2班", "2021级新闻学1班", "2021级环境工程1班"};
    REQUIRE(d.nclasses == 6, "6 classes");
    for (size_t c = 0; c < 6; c++)
        CHECK_STR(class_of(roster, &d, c), first_seen[c]);
    gp_delivery_free(&d);

    bool include[] = {true, false, true, true, true, false, false};
    REQUIRE(gp_delivery_plan(roster, include, GP_GROUP_ORDER_NATURAL, &d, &err) == GP_OK, "subset");
    CHECK(d.count == 4 && d.nclasses == 3, "only included records: %zu in %zu classes", d.count, d.nclasses);
    gp_delivery_free(&d);
    gp_roster_free(roster);
    fixture_remove(dir);
    free(dir);
}

int main(void)
{
    check_helpers();
    check_natural();
    gp_context *ctx = NULL;
    gp_error *err = NULL;
    REQUIRE(gp_context_new(NULL, &ctx, &err) == GP_OK, "context");
    check_plans(ctx);
    gp_context_free(ctx);
    return gp_test_done();
}
