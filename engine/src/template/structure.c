#include "structure-private.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../base/error-private.h"
#include "../base/i18n-private.h"
#include "../base/strbuf-private.h"
#include "build-private.h"
#include "base/clip-private.h"
#include "nearest-private.h"

/* What each element may hold. NULL children: no elements inside. */
typedef struct element_content {
    const char *name;
    const char *const *children;
    bool text;
} element_content;

static const char *const template_children[] = {"description", "page",  "school",    "map",   "validate",
                                                "background",  "cut-guides", "photo", "text", "paragraph",
                                                "qrcode",      "image", "line",      NULL};
static const char *const map_children[] = {"entry", NULL};

static const element_content contents[] = {
    {"template", template_children, false}, {"description", NULL, true}, {"page", NULL, false},
    {"school", NULL, true},                 {"map", map_children, false}, {"entry", NULL, false},
    {"validate", NULL, false},              {"background", NULL, false}, {"cut-guides", NULL, false},
    {"photo", NULL, false},                 {"text", NULL, true},       {"paragraph", NULL, true},
    {"qrcode", NULL, true},                 {"image", NULL, false},     {"line", NULL, false},
};

static const element_content *content_of(const char *name)
{
    for (size_t i = 0; i < sizeof contents / sizeof contents[0]; i++)
        if (strcmp(contents[i].name, name) == 0)
            return &contents[i];
    return NULL;
}

static bool may_hold(const element_content *parent, const char *child)
{
    for (size_t i = 0; parent->children != NULL && parent->children[i] != NULL; i++)
        if (strcmp(parent->children[i], child) == 0)
            return true;
    return false;
}

static const char *synopsis_of(const char *element) { return _(gp_element_spec_find(element)->synopsis); }

/* Where the walk records the first problem it finds. */
typedef struct finding {
    gp_strbuf *why;
    long line;
} finding;

static bool failf(finding *f, xmlNodePtr node, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static bool failf(finding *f, xmlNodePtr node, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    gp_strbuf_vappendf(f->why, fmt, ap);
    va_end(ap);
    long line = node != NULL ? xmlGetLineNo(node) : 0;
    f->line = line > 0 ? line : 1;
    return true;
}

static bool blank(const xmlChar *s)
{
    for (; s != NULL && *s != '\0'; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return false;
    return true;
}

/* An element that is not one of parent's children. */
static bool misplaced(xmlNodePtr child, xmlNodePtr parent, const element_content *in, finding *f)
{
    const char *name = (const char *)child->name;
    gp_clip clip;
    if (gp_element_spec_find(name) == NULL) {
        gp_nearest near;
        gp_nearest_init(&near, name);
        for (size_t i = 0; in->children != NULL && in->children[i] != NULL; i++)
            gp_nearest_offer(&near, in->children[i]);
        if (gp_nearest_result(&near) != NULL)
            return failf(f, child, _("<%s> is not a template element (did you mean <%s>?); %s"),
                         gp_clip_text(&clip, name), gp_nearest_result(&near), synopsis_of(in->name));
        return failf(f, child, _("<%s> is not a template element; %s"), gp_clip_text(&clip, name),
                     synopsis_of(in->name));
    }
    if (in->children == NULL)
        return failf(f, child, _("<%s> holds no elements, so the <%s> inside it does not belong; %s"),
                     (const char *)parent->name, name, synopsis_of(in->name));
    return failf(f, child, _("<%s> does not belong inside <%s>; %s"), name, (const char *)parent->name,
                 synopsis_of(name));
}

/* libxml2 gives a text node the line it ends on; the words start earlier
 * by the line breaks between them and that end. */
static bool stray_text(xmlNodePtr parent, xmlNodePtr text, const element_content *in, finding *f)
{
    const char *s = (const char *)text->content;
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    size_t n = strlen(s), breaks = 0;
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
        n--;
    for (const char *p = s; *p != '\0'; p++)
        breaks += *p == '\n';
    char *words = strndup(s, n);
    gp_clip clip;
    failf(f, text, _("<%s> holds text (\"%s\") where only elements belong; %s"), (const char *)parent->name,
          gp_clip_text(&clip, words != NULL ? words : "?"), synopsis_of(in->name));
    free(words);
    if (f->line > (long)breaks)
        f->line -= (long)breaks;
    return true;
}

static bool walk(xmlNodePtr node, int depth, finding *f)
{
    const element_content *in = content_of((const char *)node->name);
    const gp_element_spec *spec = gp_element_spec_find((const char *)node->name);
    if (in == NULL || spec == NULL || depth > 2)
        return false;
    if (!gp_attrs_check(node, spec->attrs, _(spec->synopsis), f->why)) {
        long line = xmlGetLineNo(node);
        f->line = line > 0 ? line : 1;
        return true;
    }
    for (xmlNodePtr c = node->children; c != NULL; c = c->next) {
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && !in->text && !blank(c->content))
            return stray_text(node, c, in, f);
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (c->ns != NULL)
            return failf(f, c, _("<%s> is in the namespace %s; template elements have none, remove "
                                             "the prefix and its xmlns"),
                         (const char *)c->name, c->ns->href != NULL ? (const char *)c->ns->href : "?");
        if (!may_hold(in, (const char *)c->name))
            return misplaced(c, node, in, f);
        if (walk(c, depth + 1, f))
            return true;
    }
    return false;
}

static bool explain_root(xmlNodePtr root, finding *f)
{
    gp_clip clip;
    if (strcmp((const char *)root->name, "template") != 0) {
        gp_nearest near;
        gp_nearest_init(&near, (const char *)root->name);
        gp_nearest_offer(&near, "template");
        return failf(f, root, _("the file's outermost element is <%s>, not <template>%s; %s"),
                     gp_clip_text(&clip, (const char *)root->name),
                     gp_nearest_result(&near) != NULL ? _(" (a typing slip?)") : "", synopsis_of("template"));
    }
    if (root->ns != NULL)
        return failf(f, root, _("<template> is in the namespace %s; templates have none, remove its "
                                            "xmlns"),
                     root->ns->href != NULL ? (const char *)root->ns->href : "?");
    return walk(root, 0, f);
}

bool gp_structure_explain(xmlDocPtr doc, gp_strbuf *why, long *line)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (root == NULL)
        return false;
    finding found = {why, 0};
    finding *f = &found;
    bool bad = explain_root(root, f);
    *line = found.line;
    return bad;
}
