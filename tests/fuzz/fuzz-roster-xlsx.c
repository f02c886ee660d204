/* XLSX rosters. Inputs that start like a zip go to the loader as they are;
 * anything else is taken as a worksheet's XML and, after a NUL byte, a
 * shared-string table, and packed into a workbook here, so the fuzzer
 * spends its time in the XML rather than failing zip checksums. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "base/report-private.h"
#include "roster/roster-private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char workbook[] =
    "<workbook xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>"
    "<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char rels[] =
    "<Relationships><Relationship Id=\"rId1\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
    "Target=\"worksheets/sheet1.xml\"/></Relationships>";
static const char styles[] = "<styleSheet><cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/></cellXfs></styleSheet>";

static bool add(zip_t *za, const char *name, const void *data, size_t size)
{
    zip_source_t *src = zip_source_buffer(za, data, size, 0);
    if (src == NULL)
        return false;
    zip_int64_t idx = zip_file_add(za, name, src, 0);
    if (idx < 0) {
        zip_source_free(src);
        return false;
    }
    zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
    return true;
}

/* Packs the parts into a zip in memory; returns a malloc'd buffer. */
static unsigned char *pack(const uint8_t *sheet, size_t sheet_size, const uint8_t *shared, size_t shared_size,
                           size_t *out_size)
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
    bool ok = add(za, "xl/workbook.xml", workbook, sizeof workbook - 1) &&
              add(za, "xl/_rels/workbook.xml.rels", rels, sizeof rels - 1) &&
              add(za, "xl/styles.xml", styles, sizeof styles - 1) &&
              add(za, "xl/worksheets/sheet1.xml", sheet, sheet_size) &&
              (shared == NULL || add(za, "xl/sharedStrings.xml", shared, shared_size));
    if (!ok || zip_close(za) != 0) {
        if (ok)
            zip_discard(za);
        else
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned char *packed = NULL;
    const unsigned char *input = data;
    size_t input_size = size;
    if (size < 4 || memcmp(data, "PK\x03\x04", 4) != 0) {
        const uint8_t *nul = memchr(data, '\0', size);
        size_t sheet_size = nul ? (size_t)(nul - data) : size;
        packed = pack(data, sheet_size, nul ? nul + 1 : NULL, nul ? size - sheet_size - 1 : 0, &input_size);
        if (packed == NULL)
            return 0;
        input = packed;
    }
    gp_roster *r = NULL;
    gp_error *err = NULL;
    if (gp_roster_load_memory("fuzz.xlsx", input, input_size, NULL, &r, &err) == GP_OK) {
        gp_report *report = gp_report_new();
        const gp_key required[] = {GP_KEY_STUDENT_NO, GP_KEY_NAME, GP_KEY_ID_NUMBER};
        if (report != NULL)
            gp_roster_check(r, required, 3, report);
        gp_report_free(report);
        gp_roster_free(r);
    }
    gp_error_free(err);
    free(packed);
    return 0;
}
