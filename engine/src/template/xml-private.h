/* Reading untrusted XML safely, and checking it against a RelaxNG schema,
 * with every libxml2 message captured per call (never through libxml2's
 * global error handlers, which other threads share). */
#ifndef GP_XML_PRIVATE_H
#define GP_XML_PRIVATE_H

#include <libxml/tree.h>

#include "gradprint.h"

/* Parses size bytes as XML with the network off and no DTD processing. A
 * document with a DOCTYPE is refused before its internal subset is read, so
 * entity tricks (external entities, billion laughs) never get a chance. file
 * names the input in error messages. The caller frees *out with xmlFreeDoc. */
gp_status gp_xml_read(const char *data, size_t size, const char *file, xmlDocPtr *out, gp_error **err);

/* What validation found: the first error in full and how many there were. */
typedef struct gp_xml_errors {
    size_t count;
    long line;         /* of the first error */
    char *message;     /* libxml2's text of the first error, untranslated */
    xmlNodePtr node;   /* the node the first error is about, or NULL */
    char *subject;     /* libxml2's first detail (often an element name), or NULL */
} gp_xml_errors;

void gp_xml_errors_free(gp_xml_errors *errors);

/* Validates doc against the RelaxNG schema in schema_path. Returns GP_OK and
 * sets *valid; errors->count is then the number of problems found. A non-OK
 * status means the schema itself could not be read or compiled. */
gp_status gp_xml_validate(xmlDocPtr doc, const char *schema_path, bool *valid, gp_xml_errors *errors,
                          gp_error **err);

#endif
