#include "xml-private.h"

#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/relaxng.h>
#include <libxml/xmlschemastypes.h>

#include "../base/error-private.h"
#include "../base/fileio-private.h"
#include "../base/i18n-private.h"

/* No DTDs, no entity substitution, no network: a template is plain markup.
 * BIG_LINES keeps line numbers right past line 65535. */
#define GP_XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_BIG_LINES)

/* The RelaxNG schema is small; anything near this is not ours. */
#define GP_SCHEMA_MAX_BYTES (1024 * 1024)

/* libxml2 builds some tables lazily on first use (the parser, the RelaxNG and
 * XML Schema datatype libraries). Doing that once here keeps two threads
 * loading their first templates at the same time from racing on it. */
static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_libxml(void)
{
    xmlInitParser();
    xmlSchemaInitTypes();
    xmlRelaxNGInitTypes();
}

void gp_xml_errors_free(gp_xml_errors *errors)
{
    free(errors->message);
    free(errors->subject);
    memset(errors, 0, sizeof *errors);
}

/* Keeps the first error of a run and counts the rest; warnings do not count. */
static void collect(gp_xml_errors *errors, const xmlError *e)
{
    if (e == NULL || e->level < XML_ERR_ERROR)
        return;
    if (errors->count++ > 0)
        return;
    errors->line = e->line;
    errors->node = e->node;
    if (e->node != NULL && errors->line <= 0)
        errors->line = xmlGetLineNo((const xmlNode *)e->node);
    const char *msg = e->message != NULL ? e->message : "";
    size_t n = strlen(msg);
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        n--;
    errors->message = strndup(msg, n);
    errors->subject = e->str1 != NULL ? strdup(e->str1) : NULL;
}

/* ---- reading -------------------------------------------------------- */

typedef struct read_state {
    gp_xml_errors errors;
    long doctype_line; /* 0 when the document has none */
} read_state;

static void on_parse_error(void *user, xmlErrorPtr e)
{
    xmlParserCtxtPtr ctxt = user;
    collect(&((read_state *)ctxt->_private)->errors, e);
}

/* Called at "<!DOCTYPE name ..." before the parser reads the internal
 * subset: stopping here means no entity is ever declared. */
static void on_doctype(void *user, const xmlChar *name, const xmlChar *external_id, const xmlChar *system_id)
{
    (void)name;
    (void)external_id;
    (void)system_id;
    xmlParserCtxtPtr ctxt = user;
    read_state *st = ctxt->_private;
    st->doctype_line = ctxt->input != NULL && ctxt->input->line > 0 ? ctxt->input->line : 1;
    xmlStopParser(ctxt);
}

gp_status gp_xml_read(const char *data, size_t size, const char *file, xmlDocPtr *out, gp_error **err)
{
    *out = NULL;
    pthread_once(&init_once, init_libxml);
    if (size > INT_MAX)
        return gp_error_set(err, GP_E_INVALID, file, 0, "%s", _("file too large for an XML template"));
    if (size == 0)
        return gp_error_set(err, GP_E_INVALID, file, 0, "%s", _("the file is empty; a template is an XML file"));
    xmlParserCtxtPtr ctxt = xmlCreateMemoryParserCtxt(data, (int)size);
    if (ctxt == NULL)
        return gp_error_nomem(err);
    read_state st;
    memset(&st, 0, sizeof st);
    xmlCtxtUseOptions(ctxt, GP_XML_OPTIONS);
    ctxt->_private = &st;
    ctxt->sax->serror = on_parse_error;
    ctxt->sax->internalSubset = on_doctype;
    ctxt->sax->externalSubset = NULL;

    xmlParseDocument(ctxt);
    xmlDocPtr doc = ctxt->myDoc;
    bool well_formed = ctxt->wellFormed != 0;
    ctxt->myDoc = NULL;
    xmlFreeParserCtxt(ctxt);

    gp_status status = GP_OK;
    if (st.doctype_line > 0) {
        status = gp_error_set(err, GP_E_INVALID, file, st.doctype_line, "%s",
                              _("templates may not contain a DOCTYPE; remove the <!DOCTYPE ...> declaration "
                                "and any entities it declares"));
    } else if (!well_formed || doc == NULL || st.errors.count > 0) {
        if (st.errors.count > 1)
            status = gp_error_set(err, GP_E_INVALID, file, st.errors.line,
                                  _("%s; a template must be well-formed XML: correct the markup there "
                                    "(%zu more problem(s) after this one)"),
                                  st.errors.message ? st.errors.message : "", st.errors.count - 1);
        else
            status = gp_error_set(err, GP_E_INVALID, file, st.errors.line,
                                  _("%s; a template must be well-formed XML: correct the markup there"),
                                  st.errors.message ? st.errors.message : _("not XML"));
    }
    gp_xml_errors_free(&st.errors);
    if (status != GP_OK) {
        if (doc != NULL)
            xmlFreeDoc(doc);
        return status;
    }
    *out = doc;
    return GP_OK;
}

/* ---- validating ----------------------------------------------------- */

static void on_schema_error(void *user, xmlErrorPtr e) { collect(user, e); }

static gp_status load_schema(const char *schema_path, xmlRelaxNGPtr *out, gp_error **err)
{
    *out = NULL;
    unsigned char *data;
    size_t size;
    gp_error *read_err = NULL;
    gp_status status = gp_read_file(schema_path, GP_SCHEMA_MAX_BYTES, &data, &size, &read_err);
    if (status != GP_OK) {
        status = gp_error_set(err, status, NULL, 0,
                              _("cannot read the template schema (%s); reinstall gradprint or set "
                                "GRADPRINT_DATADIR to the directory holding templates/"),
                              gp_error_message(read_err));
        gp_error_free(read_err);
        return status;
    }
    xmlDocPtr doc;
    status = gp_xml_read((const char *)data, size, schema_path, &doc, err);
    free(data);
    if (status != GP_OK)
        return status;
    xmlRelaxNGParserCtxtPtr pc = xmlRelaxNGNewDocParserCtxt(doc);
    if (pc == NULL) {
        xmlFreeDoc(doc);
        return gp_error_nomem(err);
    }
    gp_xml_errors errors;
    memset(&errors, 0, sizeof errors);
    xmlRelaxNGSetParserStructuredErrors(pc, on_schema_error, &errors);
    *out = xmlRelaxNGParse(pc);
    xmlRelaxNGFreeParserCtxt(pc);
    xmlFreeDoc(doc);
    if (*out == NULL)
        status = gp_error_set(err, GP_E_INTERNAL, schema_path, errors.line,
                              _("the template schema is broken (%s); reinstall gradprint"),
                              errors.message ? errors.message : "?");
    gp_xml_errors_free(&errors);
    return status;
}

gp_status gp_xml_validate(xmlDocPtr doc, const char *schema_path, bool *valid, gp_xml_errors *errors,
                          gp_error **err)
{
    *valid = false;
    memset(errors, 0, sizeof *errors);
    pthread_once(&init_once, init_libxml);
    xmlRelaxNGPtr schema;
    gp_status status = load_schema(schema_path, &schema, err);
    if (status != GP_OK)
        return status;
    xmlRelaxNGValidCtxtPtr vc = xmlRelaxNGNewValidCtxt(schema);
    if (vc == NULL) {
        xmlRelaxNGFree(schema);
        return gp_error_nomem(err);
    }
    xmlRelaxNGSetValidStructuredErrors(vc, on_schema_error, errors);
    int rc = xmlRelaxNGValidateDoc(vc, doc);
    xmlRelaxNGFreeValidCtxt(vc);
    xmlRelaxNGFree(schema);
    if (rc < 0 && errors->count == 0)
        return gp_error_set(err, GP_E_INTERNAL, schema_path, 0, "%s",
                            _("the template schema could not be applied; reinstall gradprint"));
    *valid = rc == 0 && errors->count == 0;
    return GP_OK;
}
