/* Delivery order helpers that need no roster file. */
#include "gp-test.h"
#include "jobs/delivery-private.h"

int main(void)
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
    return gp_test_done();
}
