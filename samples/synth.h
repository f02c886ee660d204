/* gradprint-synth: synthetic graduates (roster rows and cartoon ID photos)
 * for the demo, the tests and the benchmark. Nothing here is a real person.
 * Everything is derived from one seed, so a run can be repeated exactly. */
#ifndef GP_SYNTH_H
#define GP_SYNTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* splitmix64: tiny, good enough for test data, and the same on every platform. */
typedef struct synth_rng {
    uint64_t state;
} synth_rng;

/* One independent stream per (seed, stream) pair, so a student's data does
 * not depend on how many other students were drawn before. */
void synth_rng_init(synth_rng *rng, uint64_t seed, uint64_t stream);
uint64_t synth_rng_next(synth_rng *rng);
/* Uniform in [0, n); n > 0. */
uint32_t synth_rng_below(synth_rng *rng, uint32_t n);
/* Uniform in [lo, hi]. */
int synth_rng_range(synth_rng *rng, int lo, int hi);

typedef struct synth_student {
    int seq;                     /* 1-based generation index, printed on the photo */
    char student_no[24];
    char name[128];
    bool male;
    char id_number[19];          /* as written in the roster: a few end in lowercase x */
    char photo_id[19];           /* the photo's file name: always uppercase X */
    char birth_date[11];         /* YYYY-MM-DD, the same date as in the ID number */
    const char *college;
    const char *major;
    const char *degree_field;    /* 学位门类 */
    char class_name[128];
    char diploma_no[19];         /* 18 digits */
    char degree_no[17];          /* 16 digits */
    int college_rank, major_rank, class_rank; /* delivery order */
} synth_student;

/* Fills students[0 .. count). Returns false when memory runs out. */
bool synth_people_make(uint64_t seed, synth_student *students, size_t count);

/* GB 11643-1999 check character for the first 17 digits of an ID number. */
char synth_id_check_char(const char *first17);

typedef struct synth_photo_result {
    size_t bytes;
    int quality;
} synth_photo_result;

/* Draws the student's cartoon photo (480x640, light-blue background) and
 * writes it as a baseline JPEG of 20–40 KB to path. On failure prints why to
 * stderr and returns false. */
bool synth_photo_write(const synth_student *student, uint64_t seed, const char *path, synth_photo_result *result);

#endif
