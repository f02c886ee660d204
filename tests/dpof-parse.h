/* A small, strict reader of DPOF 1.10 auto-print files (MISC/AUTPRINT.MRK),
 * written for the tests from the format's description, independently of
 * the engine's writer: it checks what a lab's reader relies on and returns
 * the jobs for the test to compare with the order folder and the manifest.
 *
 * The file: 7-bit ASCII, every line ended by CR LF. An [HDR] section first
 * (GEN REV = 01.10, GEN CRT = "creator" -NN.NN, GEN DTM =
 * YYYY:MM:DD:HH:MM:SS, optional USR NAM = "..."), then [JOB] sections, each
 * with PRT PID (digits, at least three, rising), PRT TYP, PRT QTY (three
 * digits, 001-999), IMG FMT (EXIF2 -J for the JPEG files here) and one
 * <IMG SRC = "path"> relative to MISC. Other lines are "KEY SUB = value"
 * (three capitals each). Vendor regions VUQ RGN = BGN ... END, not nested,
 * start with VUQ VNM = "vendor" [-ATR "attribute"]; back-print lines PRT
 * CVP1 / CVP2 = 1 -STR "text" belong inside one. Quoted strings are
 * printable ASCII without '"'. */
#ifndef GP_TEST_DPOF_PARSE_H
#define GP_TEST_DPOF_PARSE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct dpof_job {
    long pid;
    char typ[8];
    int qty;
    char fmt[24];
    char src[256];
    char vendor[64]; /* of the job's vendor region, "" without one */
    int ncvp;
    char cvp[2][128];
} dpof_job;

typedef struct dpof_order {
    char rev[8], creator[64], dtm[24], user[64];
    char vendor[64], vendor_attr[64]; /* the header's vendor region */
    dpof_job *jobs;
    size_t njobs;
} dpof_order;

/* Parses text; on the first thing that is not DPOF 1.10 returns false with
 * why = "line N: what". out is freed by dpof_free either way. */
bool dpof_parse(const char *text, size_t size, dpof_order *out, char *why, size_t why_size);
void dpof_free(dpof_order *order);

#endif
