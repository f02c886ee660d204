/* A small test harness: CHECK records a failure and goes on, so one run
 * shows every broken expectation; gp_test_done prints the closing
 * "N passed, N failed" line and gives the exit status. */
#ifndef GP_TEST_H
#define GP_TEST_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int gp_test_passed, gp_test_failed;

#define CHECK(cond, ...)                                                          \
    do {                                                                          \
        if (cond) {                                                               \
            gp_test_passed++;                                                     \
        } else {                                                                  \
            gp_test_failed++;                                                     \
            fprintf(stderr, "%s:%d: CHECK(%s) failed: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                         \
            fputc('\n', stderr);                                                  \
        }                                                                         \
    } while (0)

#define CHECK_STR(actual, expected)                                                            \
    do {                                                                                       \
        const char *a_ = (actual), *e_ = (expected);                                           \
        CHECK(a_ != NULL && strcmp(a_, e_) == 0, "got \"%s\", expected \"%s\"", a_ ? a_ : "(null)", e_); \
    } while (0)

#define CHECK_NEAR(actual, expected, tolerance)                                                  \
    do {                                                                                         \
        double a_ = (actual), e_ = (expected);                                                   \
        CHECK(fabs(a_ - e_) <= (tolerance), "got %.4f, expected %.4f ± %.4f", a_, e_, (double)(tolerance)); \
    } while (0)

/* Stops the test at once: for failures that make every later check meaningless. */
#define REQUIRE(cond, ...)                                  \
    do {                                                    \
        int failed_before_ = gp_test_failed;                \
        CHECK(cond, __VA_ARGS__);                           \
        if (gp_test_failed != failed_before_) {             \
            fprintf(stderr, "stopping: requirement failed\n"); \
            exit(gp_test_done());                           \
        }                                                   \
    } while (0)

/* Pixels for mm at dpi by the documented rule (the nearest pixel of
 * mm / 25.4 * dpi), written here rather than taken from the engine, so a
 * change to the engine's rounding shows up as a failing test. */
static inline int test_px(double mm, double dpi) { return (int)lround(mm * dpi / 25.4); }

static inline int gp_test_done(void)
{
    printf("%d passed, %d failed\n", gp_test_passed, gp_test_failed);
    return gp_test_failed == 0 ? 0 : 1;
}

#endif
