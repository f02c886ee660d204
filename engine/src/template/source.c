#define _XOPEN_SOURCE 700 /* realpath */
/* The files <image> and <background> draw: found and recognised when the
 * template loads, so a missing signature or a scan saved under the wrong
 * name stops the run before the first serial-numbered blank is used. */
#include "build-private.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <poppler.h>

#include "../base/error-private.h"
#include "../base/fileio-private.h"
#include "../base/i18n-private.h"
#include "base/clip-private.h"

static const char *format_name(gp_image_format f)
{
    switch (f) {
    case GP_IMAGE_PNG:
        return "PNG";
    case GP_IMAGE_JPEG:
        return "JPEG";
    case GP_IMAGE_PDF:
        return "PDF";
    }
    return "?";
}

/* The format by the first bytes; false for anything else. */
static bool sniff(const unsigned char *head, size_t n, gp_image_format *out)
{
    if (n >= 4 && memcmp(head, "\x89PNG", 4) == 0)
        *out = GP_IMAGE_PNG;
    else if (n >= 2 && head[0] == 0xFF && head[1] == 0xD8)
        *out = GP_IMAGE_JPEG;
    else if (n >= 5 && memcmp(head, "%PDF-", 5) == 0)
        *out = GP_IMAGE_PDF;
    else
        return false;
    return true;
}

/* src joined to the directory of the template file; src as it is when it
 * is absolute. */
static char *join_to_template(const char *file, const char *src)
{
    if (src[0] == '/')
        return strdup(src);
    const char *slash = strrchr(file, '/');
    if (slash == NULL)
        return strdup(src);
    size_t dir_len = slash == file ? 1 : (size_t)(slash - file);
    char *dir = strndup(file, dir_len);
    if (dir == NULL)
        return NULL;
    char *joined = gp_path_join(dir, src);
    free(dir);
    return joined;
}

typedef struct source_ctx {
    gp_builder *b;
    xmlNodePtr node;
    const char *shown; /* src as written, clipped */
    gp_error **err;
} source_ctx;

static gp_status source_error(const source_ctx *c, const char *what, const char *path, const char *detail)
{
    return gp_error_set(c->err, GP_E_INVALID, c->b->file, xmlGetLineNo(c->node), "<%s src=\"%s\">: %s: %s; %s",
                        (const char *)c->node->name, c->shown, path, what, detail);
}

/* Opens the PDF to learn its page count. */
static gp_status check_pdf(const source_ctx *c, const char *path, long page)
{
    GError *gerr = NULL;
    char *uri = g_filename_to_uri(path, NULL, &gerr);
    PopplerDocument *doc = uri != NULL ? poppler_document_new_from_file(uri, NULL, &gerr) : NULL;
    g_free(uri);
    gp_status st = GP_OK;
    if (doc == NULL) {
        st = gp_error_set(c->err, GP_E_INVALID, c->b->file, xmlGetLineNo(c->node),
                          _("<%s src=\"%s\">: %s starts like a PDF but cannot be read as one (%s); export it "
                            "again as PDF, without a password"),
                          (const char *)c->node->name, c->shown, path, gerr != NULL ? gerr->message : "?");
    } else {
        int pages = poppler_document_get_n_pages(doc);
        if (page > pages)
            st = gp_error_set(c->err, GP_E_INVALID, c->b->file, xmlGetLineNo(c->node),
                              _("<%s page=\"%ld\">: %s has %d page(s); name one of them"),
                              (const char *)c->node->name, page, path, pages);
        g_object_unref(doc);
    }
    if (gerr != NULL)
        g_error_free(gerr);
    return st;
}

/* Reads the first bytes of path, refusing what is not a regular file (a
 * FIFO or a device would block or never end). */
static gp_status read_head(const source_ctx *c, const char *path, unsigned char *head, size_t cap, size_t *n)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        const char *why = strerror(errno);
        return source_error(c, why, path, _("make the file readable by this user"));
    }
    struct stat sb;
    gp_status st = GP_OK;
    if (fstat(fd, &sb) != 0) {
        const char *why = strerror(errno);
        st = source_error(c, why, path, _("make the file readable by this user"));
    } else if (!S_ISREG(sb.st_mode)) {
        st = source_error(c, _("not a regular file"), path, _("name an image or PDF file"));
    } else {
        ssize_t got;
        do
            got = read(fd, head, cap);
        while (got < 0 && errno == EINTR);
        if (got < 0) {
            const char *why = strerror(errno);
            st = source_error(c, why, path, _("make the file readable by this user"));
        }
        else
            *n = (size_t)got;
    }
    close(fd);
    return st;
}

gp_status gp_build_source(gp_builder *b, xmlNodePtr node, const gp_attrs *a, gp_element *el, gp_error **err)
{
    const char *src = gp_attrs_get(a, "src")->raw;
    gp_clip clip;
    source_ctx c = {b, node, gp_clip_text(&clip, src), err};
    const gp_attr_value *page = gp_attrs_get(a, "page");
    el->src_page = page->present ? (int)page->integer : 1;
    if (src[0] == '\0')
        return gp_error_set(err, GP_E_INVALID, b->file, xmlGetLineNo(node),
                            _("<%s src=\"\">: name the file, relative to the template's directory"),
                            (const char *)node->name);
    char *joined = join_to_template(b->file, src);
    if (joined == NULL)
        return gp_error_nomem(err);
    el->src = realpath(joined, NULL);
    if (el->src == NULL) {
        int e = errno;
        gp_status st = e == ENOMEM ? gp_error_nomem(err)
                       : e == ENOENT || e == ENOTDIR
                           ? source_error(&c, _("no such file"), joined,
                                          _("put the file there or correct src (it is relative to the directory "
                                            "of the template)"))
                           : source_error(&c, strerror(e), joined, _("correct src or the file's permissions"));
        free(joined);
        return st;
    }
    free(joined);
    unsigned char head[8];
    size_t n = 0;
    gp_status st = read_head(&c, el->src, head, sizeof head, &n);
    if (st != GP_OK)
        return st;
    if (!sniff(head, n, &el->src_format))
        return source_error(&c, _("not a PNG, JPEG or PDF file (judged by its first bytes, not its name)"),
                            el->src, _("save it as PNG, JPEG or PDF"));
    if (el->src_format != GP_IMAGE_PDF && page->present && el->src_page != 1)
        return gp_error_set(err, GP_E_INVALID, b->file, xmlGetLineNo(node),
                            _("<%s page=\"%d\">: %s is a %s image, which has one page; remove page"),
                            (const char *)node->name, el->src_page, el->src, format_name(el->src_format));
    if (el->src_format == GP_IMAGE_PDF)
        st = check_pdf(&c, el->src, el->src_page);
    return st;
}
