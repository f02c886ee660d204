#define _POSIX_C_SOURCE 200809L
#include "context-private.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error-private.h"
#include "fileio-private.h"
#include "i18n-private.h"

#ifndef GP_INSTALL_DATADIR
#define GP_INSTALL_DATADIR "/usr/local/share/gradprint"
#endif
#ifndef GP_SOURCE_DATADIR
#define GP_SOURCE_DATADIR "."
#endif
#ifndef GP_LOCALEDIR
#define GP_LOCALEDIR "/usr/local/share/locale"
#endif
#ifndef GP_BUILD_LOCALEDIR
#define GP_BUILD_LOCALEDIR GP_LOCALEDIR
#endif

const char *gp_version(void) { return GP_VERSION; }

static bool is_data_dir(const char *dir)
{
    char *conf = gp_path_join(dir, "fonts/gradprint-fonts.conf");
    bool ok = conf != NULL && access(conf, R_OK) == 0;
    free(conf);
    return ok;
}

static const char *pick_data_dir(const gp_context_options *opts)
{
    if (opts != NULL && opts->data_dir != NULL)
        return opts->data_dir;
    const char *env = getenv("GRADPRINT_DATADIR");
    if (env != NULL && *env != '\0')
        return env;
    if (is_data_dir(GP_INSTALL_DATADIR))
        return GP_INSTALL_DATADIR;
    return GP_SOURCE_DATADIR;
}

/* Translations: installed ones first, else those an uninstalled build made. */
static const char *pick_locale_dir(void)
{
    const char *env = getenv("GRADPRINT_LOCALEDIR");
    if (env != NULL && *env != '\0')
        return env;
    if (access(GP_LOCALEDIR "/zh_CN/LC_MESSAGES/" GP_TEXT_DOMAIN ".mo", R_OK) == 0)
        return GP_LOCALEDIR;
    return GP_BUILD_LOCALEDIR;
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
    bindtextdomain(GP_TEXT_DOMAIN, pick_locale_dir());
    bind_textdomain_codeset(GP_TEXT_DOMAIN, "UTF-8");
    ctx->data_dir = strdup(pick_data_dir(opts));
    if (ctx->data_dir == NULL) {
        gp_context_free(ctx);
        return gp_error_nomem(err);
    }
    if (!is_data_dir(ctx->data_dir)) {
        gp_status st = gp_error_set(err, GP_E_USAGE, ctx->data_dir, 0, "%s",
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

char *gp_context_find_template(const gp_context *ctx, const char *name_or_path)
{
    struct stat st;
    if (strchr(name_or_path, '/') != NULL || stat(name_or_path, &st) == 0)
        return stat(name_or_path, &st) == 0 ? strdup(name_or_path) : NULL;
    char *rel = malloc(strlen(name_or_path) + sizeof "templates/.xml");
    if (rel == NULL)
        return NULL;
    strcpy(rel, "templates/");
    strcat(rel, name_or_path);
    if (strstr(name_or_path, ".xml") == NULL)
        strcat(rel, ".xml");
    char *path = gp_path_join(ctx->data_dir, rel);
    free(rel);
    if (path != NULL && stat(path, &st) != 0) {
        free(path);
        path = NULL;
    }
    return path;
}
