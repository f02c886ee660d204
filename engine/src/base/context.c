#define _GNU_SOURCE /* dladdr */
#include "context-private.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error-private.h"
#include "fileio-private.h"
#include "i18n-private.h"

/* Where data and translations lie relative to the library's own file (set
 * by CMake from the install layout, which the build tree copies), and the
 * configured install directories as a last resort. */
#ifndef GP_LIB_TO_DATADIR
#define GP_LIB_TO_DATADIR "../share/gradprint"
#endif
#ifndef GP_LIB_TO_LOCALEDIR
#define GP_LIB_TO_LOCALEDIR "../share/locale"
#endif
#ifndef GP_INSTALL_DATADIR
#define GP_INSTALL_DATADIR "/usr/local/share/gradprint"
#endif
#ifndef GP_INSTALL_LOCALEDIR
#define GP_INSTALL_LOCALEDIR "/usr/local/share/locale"
#endif

#define GP_MO_RELATIVE "zh_CN/LC_MESSAGES/" GP_TEXT_DOMAIN ".mo"

const char *gp_version(void) { return GP_VERSION; }

/* Whether dir holds gradprint's data; *nomem (may be NULL) tells a failed
 * allocation from a directory that does not. */
static bool is_data_dir(const char *dir, bool *nomem)
{
    char *conf = gp_path_join(dir, "fonts/gradprint-fonts.conf");
    if (conf == NULL && nomem != NULL)
        *nomem = true;
    bool ok = conf != NULL && access(conf, R_OK) == 0;
    free(conf);
    return ok;
}

/* relative, resolved against the directory of the file this code was loaded
 * from: libgradprint.so for programs linking the shared library, the
 * program itself for those linking the static one. NULL when unknown, or
 * (with *nomem set, when nomem is not NULL) when memory ran out. */
static char *beside_library(const char *relative, bool *nomem)
{
    Dl_info info;
    if (dladdr((const void *)&gp_version, &info) == 0 || info.dli_fname == NULL || info.dli_fname[0] == '\0')
        return NULL;
    char *file = realpath(info.dli_fname, NULL);
    if (file == NULL)
        return NULL;
    char *slash = strrchr(file, '/');
    if (slash != NULL)
        *slash = '\0';
    char *path = gp_path_join(file, relative);
    free(file);
    if (path == NULL && nomem != NULL)
        *nomem = true;
    /* Named without "..", so messages show where the data really is. */
    char *real = path != NULL ? realpath(path, NULL) : NULL;
    if (real == NULL)
        return path;
    free(path);
    return real;
}

/* A malloc'd directory: the caller's, $GRADPRINT_DATADIR, the one beside
 * the library, or the configured install directory, the first that holds
 * gradprint's data; the one beside the library (so the error names it)
 * when none does. NULL when memory ran out: a directory looked at in part
 * must not be taken for one that is not there. */
static char *pick_data_dir(const gp_context_options *opts)
{
    if (opts != NULL && opts->data_dir != NULL)
        return strdup(opts->data_dir);
    const char *env = getenv("GRADPRINT_DATADIR");
    if (env != NULL && *env != '\0')
        return strdup(env);
    bool nomem = false;
    char *relative = beside_library(GP_LIB_TO_DATADIR, &nomem);
    if (relative != NULL && is_data_dir(relative, &nomem))
        return relative;
    bool installed = !nomem && is_data_dir(GP_INSTALL_DATADIR, &nomem);
    if (nomem) {
        free(relative);
        return NULL;
    }
    if (installed || relative == NULL) {
        free(relative);
        return strdup(GP_INSTALL_DATADIR);
    }
    return relative;
}

static bool has_catalogue(const char *dir)
{
    char *mo = gp_path_join(dir, GP_MO_RELATIVE);
    bool ok = mo != NULL && access(mo, R_OK) == 0;
    free(mo);
    return ok;
}

void gp_bind_translations(void)
{
    const char *env = getenv("GRADPRINT_LOCALEDIR");
    if (env != NULL && *env != '\0') {
        bindtextdomain(GP_TEXT_DOMAIN, env);
        bind_textdomain_codeset(GP_TEXT_DOMAIN, "UTF-8");
        return;
    }
    char *dir = beside_library(GP_LIB_TO_LOCALEDIR, NULL);
    if (dir == NULL || !has_catalogue(dir)) {
        free(dir);
        dir = strdup(GP_INSTALL_LOCALEDIR);
    }
    bindtextdomain(GP_TEXT_DOMAIN, dir != NULL ? dir : GP_INSTALL_LOCALEDIR);
    bind_textdomain_codeset(GP_TEXT_DOMAIN, "UTF-8");
    free(dir);
}

/* The engine's own fontconfig configuration: the system's fonts, plus the
 * logical families templates use (song, sans, kai) with their fallback
 * chains. Loaded into a private FcConfig so the user's global configuration
 * can neither break nor silently change a certificate's fonts. */
static gp_status load_fonts(gp_context *ctx, gp_error **err)
{
    char *conf = gp_path_join(ctx->data_dir, "fonts/gradprint-fonts.conf");
    char *dir = gp_path_join(ctx->data_dir, "fonts");
    if (conf == NULL || dir == NULL) {
        free(conf);
        free(dir);
        return gp_error_nomem(err);
    }
    gp_status st = GP_OK;
    ctx->fonts = FcConfigCreate();
    if (ctx->fonts == NULL)
        st = gp_error_nomem(err);
    else if (!FcConfigParseAndLoad(ctx->fonts, (const FcChar8 *)conf, FcTrue))
        st = gp_error_set(err, GP_E_INVALID, conf, 0, "%s",
                          _("cannot load the font configuration; reinstall gradprint or set GRADPRINT_DATADIR"));
    else if (!FcConfigAppFontAddDir(ctx->fonts, (const FcChar8 *)dir) || !FcConfigBuildFonts(ctx->fonts))
        st = gp_error_set(err, GP_E_IO, dir, 0, "%s", _("cannot read the fonts directory"));
    free(conf);
    free(dir);
    return st;
}

gp_status gp_context_new(const gp_context_options *opts, gp_context **out, gp_error **err)
{
    *out = NULL;
    gp_context *ctx = calloc(1, sizeof *ctx);
    if (ctx == NULL)
        return gp_error_nomem(err);
    gp_bind_translations();
    ctx->data_dir = pick_data_dir(opts);
    if (ctx->data_dir == NULL) {
        gp_context_free(ctx);
        return gp_error_nomem(err);
    }
    bool nomem = false;
    if (!is_data_dir(ctx->data_dir, &nomem)) {
        gp_status st = nomem ? gp_error_nomem(err) : gp_error_set(err, GP_E_USAGE, ctx->data_dir, 0, "%s",
                                    _("not a gradprint data directory (no fonts/gradprint-fonts.conf); "
                                      "set GRADPRINT_DATADIR to the directory holding templates/ and fonts/"));
        gp_context_free(ctx);
        return st;
    }
    gp_status st = load_fonts(ctx, err);
    if (st != GP_OK) {
        gp_context_free(ctx);
        return st;
    }
    *out = ctx;
    return GP_OK;
}

void gp_context_free(gp_context *ctx)
{
    if (ctx == NULL)
        return;
    if (ctx->fonts != NULL)
        FcConfigDestroy(ctx->fonts);
    free(ctx->data_dir);
    free(ctx);
}

const char *gp_context_data_dir(const gp_context *ctx) { return ctx->data_dir; }

gp_status gp_context_locate_template(const gp_context *ctx, const char *name_or_path, char **out, gp_error **err)
{
    *out = NULL;
    struct stat st;
    if (strchr(name_or_path, '/') != NULL || stat(name_or_path, &st) == 0) {
        if (stat(name_or_path, &st) != 0)
            return GP_OK;
        *out = strdup(name_or_path);
        return *out != NULL ? GP_OK : gp_error_nomem(err);
    }
    char *rel = malloc(strlen(name_or_path) + sizeof "templates/.xml");
    if (rel == NULL)
        return gp_error_nomem(err);
    strcpy(rel, "templates/");
    strcat(rel, name_or_path);
    if (strstr(name_or_path, ".xml") == NULL)
        strcat(rel, ".xml");
    char *path = gp_path_join(ctx->data_dir, rel);
    free(rel);
    if (path == NULL)
        return gp_error_nomem(err);
    if (stat(path, &st) != 0)
        free(path);
    else
        *out = path;
    return GP_OK;
}

char *gp_context_find_template(const gp_context *ctx, const char *name_or_path)
{
    char *path;
    gp_context_locate_template(ctx, name_or_path, &path, NULL);
    return path;
}
