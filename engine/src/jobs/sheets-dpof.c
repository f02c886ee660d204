/* MISC/AUTPRINT.MRK: the DPOF 1.10 order file, for labs that print from
 * one. ASCII, CR LF line ends. A header section ([HDR]: revision, creator,
 * date, the order's name as the user), then one [JOB] per print in
 * delivery order, each class's divider first: its print id, one standard
 * print, the image format (Exif 2 JPEG) and the image's path from MISC.
 * A lab that back-prints from the order file gets its vendor's region
 * (VUQ) in the header and in every job, with the lines PRT CVP1 / CVP2. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/error-private.h"
#include "base/fileio-private.h"
#include "base/strbuf-private.h"
#include "sheets-private.h"

#define CRLF "\r\n"

static void vendor_open(gp_strbuf *sb, const gp_lab_profile *lab)
{
    gp_strbuf_append(sb, "VUQ RGN = BGN" CRLF);
    if (lab->vendor_attr[0] != '\0')
        gp_strbuf_appendf(sb, "VUQ VNM = \"%s\" -ATR \"%s\"" CRLF, lab->vendor, lab->vendor_attr);
    else
        gp_strbuf_appendf(sb, "VUQ VNM = \"%s\"" CRLF, lab->vendor);
    gp_strbuf_append(sb, "VUQ VER = 01.00" CRLF);
}

static void job(gp_strbuf *sb, const gp_sheets_job *j, size_t pid, const char *image, size_t class_index,
                size_t position)
{
    const gp_lab_profile *lab = &j->lab;
    gp_strbuf_appendf(sb, CRLF "[JOB]" CRLF "PRT PID = %03zu" CRLF "PRT TYP = STD" CRLF "PRT QTY = 001" CRLF
                          "IMG FMT = EXIF2 -J" CRLF "<IMG SRC = \"../%s\">" CRLF,
                      pid, image);
    if (lab->vendor[0] == '\0')
        return;
    vendor_open(sb, lab);
    if (lab->back_print == GP_BACK_PRINT_DPOF) {
        char lines[GP_LAB_MAX_BACK_LINES][GP_LAB_MAX_BACK_WIDTH + 1];
        int n = gp_sheets_back_print(j, class_index, position, lines);
        for (int i = 0; i < n; i++)
            gp_strbuf_appendf(sb, "PRT CVP%d = 1 -STR \"%s\"" CRLF, i + 1, lines[i]);
    }
    gp_strbuf_append(sb, "VUQ RGN = END" CRLF);
}

gp_status gp_sheets_write_dpof(const gp_sheets_job *j, gp_error **err)
{
    gp_strbuf sb;
    gp_strbuf_init(&sb);
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    gp_strbuf_appendf(&sb,
                      "[HDR]" CRLF "GEN REV = 01.10" CRLF "GEN CRT = \"GRADPRINT\" -01.00" CRLF
                      "GEN DTM = %04d:%02d:%02d:%02d:%02d:%02d" CRLF "USR NAM = \"%s\"" CRLF,
                      tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, j->order_id);
    if (j->lab.vendor[0] != '\0') {
        vendor_open(&sb, &j->lab);
        gp_strbuf_append(&sb, "VUQ RGN = END" CRLF);
    }
    size_t pid = 1, skip = strlen(j->order_dir) + 1; /* image paths from the order folder */
    for (size_t c = 0; c < j->delivery.nclasses; c++) {
        char *divider = gp_divider_path(j, c);
        if (divider != NULL)
            job(&sb, j, pid++, divider + skip, c, (size_t)-1);
        else
            sb.failed = true;
        free(divider);
        const gp_delivery_class *klass = &j->delivery.classes[c];
        for (size_t i = 0; i < klass->count; i++) {
            char *sheet = gp_sheet_path(j, klass->first + i);
            if (sheet != NULL)
                job(&sb, j, pid++, sheet + skip, c, klass->first + i);
            else
                sb.failed = true;
            free(sheet);
        }
    }
    if (gp_strbuf_failed(&sb))
        return gp_error_nomem(err);
    gp_strbuf rel;
    gp_strbuf_init(&rel);
    gp_strbuf_appendf(&rel, "%s/MISC/AUTPRINT.MRK", j->order_dir);
    char *path = gp_strbuf_failed(&rel) ? NULL : gp_sheets_staged(j, rel.data);
    gp_status st = path ? gp_write_file_atomic_flags(path, sb.data, sb.len, GP_ATOMIC_NO_SYNC, err)
                        : gp_error_nomem(err);
    free(path);
    gp_strbuf_free(&rel);
    gp_strbuf_free(&sb);
    return st;
}
