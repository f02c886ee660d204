#include <libxml/parser.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/error-private.h"
#include "base/i18n-private.h"
#include "roster/table-private.h"
#include "roster/xlsx-private.h"

gp_status gp_zip_open(gp_zip *z, const char *path, const unsigned char *data, size_t size, gp_error **err)
{
    memset(z, 0, sizeof *z);
    z->path = path;
    zip_error_t zerr;
    zip_error_init(&zerr);
    z->source = zip_source_buffer_create(data, size, 0, &zerr);
    if (z->source == NULL) {
        zip_error_fini(&zerr);
        return gp_error_nomem(err);
    }
    z->zip = zip_open_from_source(z->source, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
    if (z->zip == NULL) {
        gp_status st = gp_error_set(err, GP_E_INVALID, path, 0,
                                    _("starts like a spreadsheet (XLSX or ODS) but its zip package is damaged (%s); "
                                      "open it in Excel, WPS or LibreOffice and save it again"),
                                    zip_error_strerror(&zerr));
        zip_error_fini(&zerr);
        zip_source_free(z->source);
        z->source = NULL;
        return st;
    }
    zip_error_fini(&zerr);
    return GP_OK;
}

void gp_zip_close(gp_zip *z)
{
    if (z->zip != NULL)
        zip_discard(z->zip); /* also frees the source */
    else if (z->source != NULL)
        zip_source_free(z->source);
    memset(z, 0, sizeof *z);
}

static gp_status damaged(gp_zip *z, const char *name, const char *why, gp_error **err)
{
    return gp_error_set(err, GP_E_INVALID, z->path, 0,
                        _("cannot read %s from the workbook (%s); open it in Excel or WPS and save it again"), name,
                        why);
}

gp_status gp_zip_read(gp_zip *z, const char *name, bool required, unsigned char **data, size_t *size,
                      gp_error **err)
{
    *data = NULL;
    *size = 0;
    zip_int64_t index = zip_name_locate(z->zip, name, 0);
    if (index < 0)
        index = zip_name_locate(z->zip, name, ZIP_FL_NOCASE);
    if (index < 0) {
        if (!required)
            return GP_OK;
        return gp_error_set(err, GP_E_INVALID, z->path, 0,
                            _("is not a complete XLSX workbook: its part \"%s\" is missing (a damaged file, or one "
                              "no spreadsheet program saved); save the roster again from Excel or WPS as .xlsx, or "
                              "export it as CSV"),
                            name);
    }
    zip_stat_t sb;
    zip_stat_init(&sb);
    if (zip_stat_index(z->zip, (zip_uint64_t)index, 0, &sb) != 0)
        return damaged(z, name, zip_strerror(z->zip), err);
    if ((sb.valid & ZIP_STAT_SIZE) && sb.size > GP_ROSTER_MAX_FILE)
        return gp_error_set(err, GP_E_INVALID, z->path, 0,
                            _("%s unpacks to %llu bytes, more than the %u MB a roster part may have; this is not an "
                              "ordinary roster (a zip bomb?), export the roster again"),
                            name, (unsigned long long)sb.size, GP_ROSTER_MAX_FILE / (1024u * 1024u));
    zip_file_t *f = zip_fopen_index(z->zip, (zip_uint64_t)index, 0);
    if (f == NULL) {
        if (zip_error_code_zip(zip_get_error(z->zip)) == ZIP_ER_NOPASSWD ||
            zip_error_code_zip(zip_get_error(z->zip)) == ZIP_ER_WRONGPASSWD)
            return gp_error_set(err, GP_E_INVALID, z->path, 0, "%s",
                                _("the workbook is encrypted; remove its password in Excel and save it again"));
        return damaged(z, name, zip_strerror(z->zip), err);
    }
    /* The declared size may lie: never hold more than the limit, whatever
     * the stream turns out to contain. */
    size_t cap = (sb.valid & ZIP_STAT_SIZE) ? (size_t)sb.size + 1 : 65536;
    unsigned char *buf = malloc(cap + 1);
    size_t got = 0;
    gp_status st = buf ? GP_OK : gp_error_nomem(err);
    while (st == GP_OK) {
        if (got == cap) {
            if (cap > GP_ROSTER_MAX_FILE) {
                st = gp_error_set(err, GP_E_INVALID, z->path, 0,
                                  _("%s unpacks to more than the %u MB a roster part may have; this is not an "
                                    "ordinary roster (a zip bomb?), export the roster again"),
                                  name, GP_ROSTER_MAX_FILE / (1024u * 1024u));
                break;
            }
            size_t ncap = cap * 2 > (size_t)GP_ROSTER_MAX_FILE + 1 ? (size_t)GP_ROSTER_MAX_FILE + 1 : cap * 2;
            unsigned char *grown = realloc(buf, ncap + 1);
            if (grown == NULL) {
                st = gp_error_nomem(err);
                break;
            }
            buf = grown;
            cap = ncap;
        }
        zip_int64_t n = zip_fread(f, buf + got, cap - got);
        if (n < 0) {
            st = damaged(z, name, zip_file_strerror(f), err);
            break;
        }
        if (n == 0)
            break;
        got += (size_t)n;
    }
    zip_fclose(f);
    if (st != GP_OK) {
        free(buf);
        return st;
    }
    buf[got] = '\0';
    *data = buf;
    *size = got;
    return GP_OK;
}

/* libxml2 2.9 wants its global tables set up once before threads parse. */
static pthread_once_t xml_once = PTHREAD_ONCE_INIT;
static void xml_init(void) { xmlInitParser(); }

static void on_xml_error(void *user, xmlErrorPtr error)
{
    gp_xml *x = user;
    if (x->error != NULL || error == NULL || error->level < XML_ERR_ERROR)
        return;
    const char *msg = error->message ? error->message : "malformed XML";
    size_t n = strlen(msg);
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        n--;
    x->error = strndup(msg, n);
    x->error_line = error->line;
}

static bool contains(const unsigned char *data, size_t size, const char *needle)
{
    size_t n = strlen(needle), i = 0;
    while (size >= n && i <= size - n) {
        const unsigned char *p = memchr(data + i, needle[0], size - n + 1 - i);
        if (p == NULL)
            return false;
        if (memcmp(p, needle, n) == 0)
            return true;
        i = (size_t)(p - data) + 1;
    }
    return false;
}

gp_status gp_xml_open(gp_xml *x, const char *path, const char *part, const unsigned char *data, size_t size,
                      gp_error **err)
{
    memset(x, 0, sizeof *x);
    x->path = path;
    x->part = part;
    /* Spreadsheet parts never carry a DTD; one in a roster is an attack
     * (entity expansion, external entities), not a workbook to read. */
    if (contains(data, size, "<!DOCTYPE") || contains(data, size, "<!ENTITY"))
        return gp_error_set(err, GP_E_INVALID, path, 0,
                            _("%s contains a DOCTYPE declaration, which spreadsheets never write; the file was not "
                              "made by Excel or WPS and is refused"),
                            part);
    /* The parser is told the part is UTF-8 (what the DOCTYPE scan assumed);
     * bytes that are not would make libxml2 complain on stderr. */
    if (gp_utf8_invalid_at(data, size) < size || memchr(data, '\0', size) != NULL)
        return gp_error_set(err, GP_E_INVALID, path, 0,
                            _("%s is not UTF-8 text, as every spreadsheet part is; the workbook is damaged, open it in "
                              "Excel or WPS and save it again"),
                            part);
    if (size > (size_t)INT32_MAX)
        return gp_error_set(err, GP_E_INVALID, path, 0, _("%s is too large"), part);
    pthread_once(&xml_once, xml_init);
    x->reader = xmlReaderForMemory((const char *)data, (int)size, part, "UTF-8", XML_PARSE_NONET);
    if (x->reader == NULL)
        return gp_error_nomem(err);
    xmlTextReaderSetStructuredErrorHandler(x->reader, on_xml_error, x);
    return GP_OK;
}

void gp_xml_close(gp_xml *x)
{
    if (x->reader != NULL)
        xmlFreeTextReader(x->reader);
    free(x->error);
    memset(x, 0, sizeof *x);
}

static gp_status after_move(gp_xml *x, int r, bool *more, gp_error **err)
{
    if (r < 0 || x->error != NULL)
        return gp_error_set(err, GP_E_INVALID, x->path, 0,
                            _("%s, line %d: %s; the workbook is damaged, open it in Excel or WPS and save it again"),
                            x->part, x->error ? x->error_line : xmlTextReaderGetParserLineNumber(x->reader),
                            x->error ? x->error : _("malformed XML"));
    *more = r == 1;
    if (*more && xmlTextReaderNodeType(x->reader) == XML_READER_TYPE_DOCUMENT_TYPE)
        return gp_error_set(err, GP_E_INVALID, x->path, 0,
                            _("%s contains a DOCTYPE declaration, which spreadsheets never write; the file was not "
                              "made by Excel or WPS and is refused"),
                            x->part);
    return GP_OK;
}

gp_status gp_xml_next(gp_xml *x, bool *more, gp_error **err)
{
    return after_move(x, xmlTextReaderRead(x->reader), more, err);
}

bool gp_xml_empty(const gp_xml *x) { return xmlTextReaderIsEmptyElement(x->reader) == 1; }

char *gp_xml_text(const gp_xml *x) { return (char *)xmlTextReaderReadString(x->reader); }

bool gp_xml_at(const gp_xml *x, const char *local_name)
{
    if (xmlTextReaderNodeType(x->reader) != XML_READER_TYPE_ELEMENT)
        return false;
    const xmlChar *name = xmlTextReaderConstLocalName(x->reader);
    return name != NULL && strcmp((const char *)name, local_name) == 0;
}

bool gp_xml_at_end(const gp_xml *x, const char *local_name)
{
    if (xmlTextReaderNodeType(x->reader) != XML_READER_TYPE_END_ELEMENT)
        return false;
    const xmlChar *name = xmlTextReaderConstLocalName(x->reader);
    return name != NULL && strcmp((const char *)name, local_name) == 0;
}

char *gp_xml_attr(const gp_xml *x, const char *local_name)
{
    /* The common case, an attribute without a prefix, is a direct lookup. */
    char *value = (char *)xmlTextReaderGetAttribute(x->reader, (const xmlChar *)local_name);
    if (value != NULL || xmlTextReaderHasAttributes(x->reader) != 1)
        return value;
    if (xmlTextReaderMoveToFirstAttribute(x->reader) != 1)
        return NULL;
    do {
        const xmlChar *name = xmlTextReaderConstLocalName(x->reader);
        if (name != NULL && strcmp((const char *)name, local_name) == 0) {
            value = (char *)xmlTextReaderValue(x->reader);
            break;
        }
    } while (xmlTextReaderMoveToNextAttribute(x->reader) == 1);
    xmlTextReaderMoveToElement(x->reader);
    return value;
}
