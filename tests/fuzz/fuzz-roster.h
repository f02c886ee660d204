/* What the roster fuzzers share: packing inputs into a zip in memory, so
 * spreadsheet fuzzers can mutate the XML parts themselves; a plain
 * workbook's parts for those a fuzzer holds fixed; and a load followed by
 * every check. */
#ifndef GP_FUZZ_ROSTER_H
#define GP_FUZZ_ROSTER_H

#include <stdlib.h>
#include <zip.h>

#include "base/report-private.h"
#include "roster/roster-private.h"

static const char fuzz_workbook[] =
    "<workbook xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>"
    "<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char fuzz_rels[] =
    "<Relationships><Relationship Id=\"rId1\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
    "Target=\"worksheets/sheet1.xml\"/></Relationships>";
static const char fuzz_styles[] =
    "<styleSheet><cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/></cellXfs></styleSheet>";

/* Loads the bytes as a roster and, when that works, runs the preflight
 * for the usual keys. */
static inline void fuzz_load_and_check(const char *name, const unsigned char *data, size_t size,
                                       const gp_roster_options *opts)
{
    gp_roster *r = NULL;
    gp_error *err = NULL;
    if (gp_roster_load_memory(name, data, size, opts, &r, &err) == GP_OK) {
        gp_report *report = gp_report_new();
        const gp_key required[] = {GP_KEY_STUDENT_NO, GP_KEY_NAME, GP_KEY_ID_NUMBER};
        if (report != NULL)
            gp_roster_check(r, required, 3, report);
        gp_report_free(report);
        gp_roster_free(r);
    }
    gp_error_free(err);
}

typedef struct fuzz_part {
    const char *name;
    const void *data;
    size_t size;
} fuzz_part;

/* The parts stored uncompressed, in order; a malloc'd buffer or NULL. */
static inline unsigned char *fuzz_zip(const fuzz_part *parts, size_t n, size_t *out_size)
{
    zip_error_t zerr;
    zip_error_init(&zerr);
    zip_source_t *buf = zip_source_buffer_create(NULL, 0, 0, &zerr);
    zip_error_fini(&zerr);
    if (buf == NULL)
        return NULL;
    zip_source_keep(buf);
    zip_t *za = zip_open_from_source(buf, ZIP_TRUNCATE, NULL);
    if (za == NULL) {
        zip_source_free(buf);
        zip_source_free(buf);
        return NULL;
    }
    bool ok = true;
    for (size_t i = 0; i < n && ok; i++) {
        zip_source_t *src = zip_source_buffer(za, parts[i].data, parts[i].size, 0);
        zip_int64_t idx = src ? zip_file_add(za, parts[i].name, src, 0) : -1;
        if (idx < 0) {
            zip_source_free(src);
            ok = false;
        } else {
            zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
        }
    }
    if (!ok || zip_close(za) != 0) {
        zip_discard(za);
        zip_source_free(buf);
        return NULL;
    }
    unsigned char *out = NULL;
    zip_stat_t st;
    if (zip_source_stat(buf, &st) == 0 && zip_source_open(buf) == 0) {
        out = malloc(st.size ? st.size : 1);
        if (out != NULL && zip_source_read(buf, out, st.size) != (zip_int64_t)st.size) {
            free(out);
            out = NULL;
        }
        *out_size = st.size;
        zip_source_close(buf);
    }
    zip_source_free(buf);
    return out;
}

#endif
