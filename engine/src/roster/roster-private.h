/* Rosters inside the library: rows of cells under headers mapped to
 * canonical keys. The file formats (CSV in several encodings, XLSX) only
 * produce rows of UTF-8 cells; mapping, normalising and checking happen here
 * once for all formats. */
#ifndef GP_ROSTER_PRIVATE_H
#define GP_ROSTER_PRIVATE_H

#include <stdint.h>

#include "gradprint.h"

/* Canonical keys. Templates and jobs refer to fields by gp_key_name(). */
typedef enum gp_key {
    GP_KEY_SEQ,           /* 序号 */
    GP_KEY_STUDENT_NO,    /* 学号 */
    GP_KEY_NAME,          /* 姓名 */
    GP_KEY_GENDER,        /* 性别 */
    GP_KEY_ID_NUMBER,     /* 身份证号 / 身份证号码 / 证件号码 */
    GP_KEY_BIRTH_DATE,    /* 出生日期 */
    GP_KEY_COLLEGE,       /* 学院 / 院系 */
    GP_KEY_MAJOR,         /* 专业 */
    GP_KEY_CLASS,         /* 班级 */
    GP_KEY_LEVEL,         /* 层次 */
    GP_KEY_STUDY_YEARS,   /* 学制 */
    GP_KEY_ENROL_DATE,    /* 入学日期 */
    GP_KEY_GRAD_DATE,     /* 毕业日期 */
    GP_KEY_DIPLOMA_NO,    /* 毕业证书编号 / 证书编号 */
    GP_KEY_DEGREE_FIELD,  /* 学位门类 */
    GP_KEY_DEGREE_NO,     /* 学位证书编号 */
    GP_KEY_ID_TYPE,       /* 证件类型 (ZJLX): which document id_number is from */
    GP_KEY_COUNT
} gp_key;

/* "student_no", "name", ... */
const char *gp_key_name(gp_key key);
/* Maps a header cell (Chinese or English, surrounding blanks ignored) to a
 * key; false for headers the engine does not know (kept under their own name). */
bool gp_key_from_header(const char *header, gp_key *key);
/* Maps a canonical key name back to the enum; false if not canonical. */
bool gp_key_from_name(const char *name, gp_key *key);
/* The usual Chinese header of a key ("学号"), for messages. */
const char *gp_key_label(gp_key key);
/* The header as it is compared with known names (blanks, '*' dropped,
 * ASCII lowered, English word separators as '_'); appended to out. */
struct gp_strbuf;
void gp_key_fold(const char *header, struct gp_strbuf *out);
/* The same into out, which holds strlen(header) + 1 bytes (folding never
 * lengthens); returns the folded length. */
size_t gp_key_fold_into(const char *header, char *out);
/* Header lookups fold on the stack, so a header is never taken for an
 * unknown one (and its column silently dropped) for want of memory; only a
 * header of GP_KEY_FOLD_STACK bytes or more is folded on the heap (NULL
 * when that fails). Free the result when it is not stack. */
#define GP_KEY_FOLD_STACK 1024
char *gp_key_fold_lookup(const char *header, char stack[GP_KEY_FOLD_STACK]);
/* The header among headers[0..n) most like a name of key ("行政班级名"
 * for 班级), for a message about a missing column; false when none is
 * close (at most half its characters different). */
bool gp_key_closest_header(gp_key key, const char *const *headers, size_t n, size_t *index);

/* What the load found wrong with a record that later checks must not
 * report again in other words (an ID Excel turned into a number has the
 * wrong length too, but that is not news). */
enum gp_record_flags {
    GP_RECORD_ID_AS_NUMBER = 1u << 0, /* the ID number was stored as a number */
    GP_RECORD_CELL_TOO_LONG = 1u << 1 /* a cell was cut to GP_ROSTER_MAX_CELL_CHARS */
};

struct gp_record {
    long line;                 /* 1-based source line (CSV) or row (XLSX, ODS, XLS) */
    char **cells;              /* one per column; NULL when empty */
    const struct gp_roster *roster;
    unsigned flags;            /* gp_record_flags */
};

struct gp_roster {
    char *path;
    size_t ncolumns;
    char **column_names;       /* canonical key name, or the header as written */
    char **headers;            /* each column's header as written */
    uint32_t *sources;         /* each column's 0-based column in the file, for "column E" */
    int key_column[GP_KEY_COUNT]; /* column of each canonical key, -1 if absent */
    gp_record *records;
    size_t count;
    /* Problems found while reading single cells (an unparseable date, say).
     * gp_roster_preflight copies them into a job's report; nothing else
     * reads or empties them. */
    gp_report *issues;
    /* Added by the roster module: */
    long header_line;          /* line (CSV) or row (XLSX) of the header */
    char *text;                /* every cell's text; records' cells point here */
    char **cell_storage;       /* count * ncolumns cell pointers */
};

/* The value of a canonical key for a record; NULL when absent or empty. */
const char *gp_record_key(const gp_record *record, gp_key key);

/* The roster index of the record read from line, or -1: findings and
 * messages number records by their roster line, and so does --records. */
long gp_roster_index_of_line(const gp_roster *roster, long line);

/* What a job asks of the roster before it renders anything. */
typedef struct gp_roster_preflight_options {
    const gp_key *required; /* columns the job cannot do without */
    size_t nrequired;
    const bool *selected;   /* per record: checked and reported; NULL: all */
    const char *photos_dir; /* where <ID>.jpg photos are, to explain damaged IDs; may be NULL */
} gp_roster_preflight_options;

/* The roster checks of every job, in one place: the load's findings, the
 * listed columns present (else one finding naming the headers found and
 * the closest one) and filled in, ID numbers valid by GB 11643, Excel's
 * damage to ID numbers (one finding per kind for the roster), names and
 * printed cells free of lost, control and symbol characters, and student
 * numbers and ID numbers unique (both records of a pair are in error).
 * Adds findings to report; sets has_error[i] (may be NULL) for records
 * with an error. Returns how many errors concern the roster as a whole,
 * which no --skip-invalid can get round. */
size_t gp_roster_preflight(const gp_roster *roster, const gp_roster_preflight_options *opts, gp_report *report,
                           bool *has_error);

/* True when the record's ID number shows Excel's damage (stored as a
 * number, X dropped, digits zeroed): no photo can be named by it, and
 * the preflight has said so already. */
bool gp_record_id_damaged(const gp_record *rec);

/* gp_roster_preflight of every record for the listed keys, without photos. */
void gp_roster_check(const gp_roster *roster, const gp_key *required, size_t nrequired, gp_report *report);

/* Dates. Accepts 2003-05-12, 2003/5/12, 2003.5.12, 2003年5月12日, 20030512;
 * writes "YYYY-MM-DD" into out (11 bytes). False if not a real date. */
bool gp_date_parse(const char *text, char out[11]);
/* Excel serial day number (1900 date system, 60 = the phantom 1900-02-29)
 * to "YYYY-MM-DD". False outside 1900-01-01 .. 9999-12-31, and for 60,
 * which names no real day. */
bool gp_date_from_excel_serial(double serial, char out[11]);

/* gp_roster_load on bytes already in memory (fuzzers, callers that hold the
 * file). name is used as the roster's path in messages and findings. */
gp_status gp_roster_load_memory(const char *name, const unsigned char *data, size_t size,
                                const gp_roster_options *opts, gp_roster **out, gp_error **err);

#endif
