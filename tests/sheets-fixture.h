/* Builds small rosters and photo folders for the photo-sheet job tests, and
 * reads the results back. Photos are synthetic and carry markers a test can
 * find: a yellow band along the top edge (full height must survive), magenta
 * and cyan bands on the far left and right (the crop must remove them), and a
 * red square in the upper left (mirroring would move it right). */
#ifndef GP_SHEETS_FIXTURE_H
#define GP_SHEETS_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct fixture_student {
    const char *student_no, *name, *id_number, *college, *major, *klass;
} fixture_student;

/* A fresh temporary directory (malloc'd path). */
char *fixture_tempdir(void);
void fixture_remove(const char *dir);

/* Writes DIR/roster.csv (UTF-8, Chinese headers) for the students. */
void fixture_write_roster(const char *dir, const fixture_student *students, size_t n);
/* Writes DIR/photos/<id>.jpg, w x h, quality q. */
void fixture_write_photo(const char *dir, const char *id_number, int w, int h, int quality);
/* Raw bytes into DIR/photos/NAME. */
void fixture_write_file(const char *dir, const char *name, const void *data, size_t size);

/* Decodes a JPEG file to RGB; returns NULL if it cannot. Caller frees. */
unsigned char *fixture_decode_jpeg(const char *path, int *w, int *h, int *subsampling);
/* The JFIF density (units 1 = dpi) of a JPEG file; false without JFIF. */
bool fixture_jfif_density(const char *path, int *units, int *x, int *y);

/* Valid ID number with the given 17 leading digits: appends the check digit. */
void fixture_id_with_check(const char *first17, char out[19]);

#endif
