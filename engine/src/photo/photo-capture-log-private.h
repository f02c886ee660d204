/* The capture log: which camera file is which student. A CSV or XLSX the
 * photographer keeps (headers such as 文件名 and 身份证号, or 学号 when a
 * roster is given to look the ID number up in), read with the roster
 * module's file readers, so every encoding it handles applies here too. */
#ifndef GP_PHOTO_CAPTURE_LOG_PRIVATE_H
#define GP_PHOTO_CAPTURE_LOG_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

#include "gradprint.h"

typedef struct gp_capture_entry {
    char *file;       /* as written in the log */
    char *id_number;  /* normalised; NULL when the row gave none that is usable */
    char *student_no; /* from the log, may be NULL */
    long line;
    bool usable;      /* false: a finding says why */
} gp_capture_entry;

typedef struct gp_capture_log gp_capture_log;

/* Reads the log; row problems become findings (file = the log, line =
 * its row); a log without the columns needed is an error. roster may be
 * NULL; with it, ID numbers must be the roster's and student numbers are
 * looked up in it. */
gp_status gp_capture_log_load(const char *path, const gp_roster_options *opts, const gp_roster *roster,
                              gp_capture_log **out, gp_report *findings, gp_error **err);
/* The same on bytes (fuzzers); name stands for the file. */
gp_status gp_capture_log_parse(const char *name, const unsigned char *data, size_t size, const gp_roster *roster,
                               gp_capture_log **out, gp_report *findings, gp_error **err);
void gp_capture_log_free(gp_capture_log *log);

size_t gp_capture_log_count(const gp_capture_log *log);
const gp_capture_entry *gp_capture_log_entry(const gp_capture_log *log, size_t i);
/* The row naming this input file (its base name; a row written without
 * the extension matches too; case does not matter), or NULL. */
const gp_capture_entry *gp_capture_log_find(const gp_capture_log *log, const char *file_name);

/* A roster's records by ID number and by student number. */
typedef struct gp_roster_index gp_roster_index;
gp_roster_index *gp_roster_index_new(const gp_roster *roster);
void gp_roster_index_free(gp_roster_index *index);
/* The record with this ID number (uppercase X), or NULL. */
const gp_record *gp_roster_index_by_id(const gp_roster_index *index, const char *id_number);
const gp_record *gp_roster_index_by_student_no(const gp_roster_index *index, const char *student_no);

#endif
