#include "photo-listing-private.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "base/array-private.h"
#include "base/error-private.h"
#include "base/fileio-private.h"
#include "base/i18n-private.h"
#include "photo-private.h"

static bool has_extension(const char *name, const char *const *exts, size_t n)
{
    const char *dot = strrchr(name, '.');
    if (dot == NULL || dot == name)
        return false;
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(dot + 1, exts[i]) == 0)
            return true;
    return false;
}

bool gp_is_jpeg_name(const char *name)
{
    static const char *const jpeg[] = {"jpg", "jpeg"};
    return has_extension(name, jpeg, 2);
}

bool gp_is_picture_name(const char *name)
{
    static const char *const pictures[] = {"jpg", "jpeg", "png", "heic", "heif", "webp", "bmp", "tif", "tiff", "gif", "avif"};
    return has_extension(name, pictures, sizeof pictures / sizeof *pictures);
}

typedef struct builder {
    gp_listing *l;
    size_t cap;
} builder;

static gp_status add(builder *b, const char *dir, const char *path, gp_error **err)
{
    if (!GP_ARRAY_ROOM(b->l->files, b->l->count, b->cap))
        return gp_error_nomem(err);
    gp_listed_file *f = &b->l->files[b->l->count];
    if ((f->path = strdup(path)) == NULL)
        return gp_error_nomem(err);
    const char *slash = strrchr(f->path, '/');
    f->name = slash != NULL ? slash + 1 : f->path;
    f->outside = NULL;
    gp_photo_leaves_dir(dir, path, &f->outside);
    b->l->count++;
    return GP_OK;
}

static int compare_files(const void *a, const void *b)
{
    return strcmp(((const gp_listed_file *)a)->path, ((const gp_listed_file *)b)->path);
}

static gp_status add_folder(builder *b, const char *dir, bool all_pictures, gp_error **err)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return gp_error_set(err, GP_E_IO, dir, 0, "%s", _("cannot list this folder; check its permissions"));
    gp_status st = GP_OK;
    struct dirent *e;
    while (st == GP_OK && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        bool wanted = all_pictures ? gp_is_picture_name(e->d_name) : gp_is_jpeg_name(e->d_name);
        char *path = gp_path_join(dir, e->d_name);
        if (path == NULL) {
            st = gp_error_nomem(err);
            break;
        }
        struct stat s;
        if (stat(path, &s) != 0 || !S_ISREG(s.st_mode))
            wanted = false;
        else if (!wanted)
            b->l->skipped++;
        if (wanted)
            st = add(b, dir, path, err);
        free(path);
    }
    closedir(d);
    return st;
}

gp_status gp_listing_make(const char *const *paths, size_t npaths, bool all_pictures, gp_listing *out,
                          gp_error **err)
{
    memset(out, 0, sizeof *out);
    builder b = {out, 0};
    gp_status st = GP_OK;
    for (size_t i = 0; i < npaths && st == GP_OK; i++) {
        struct stat s;
        if (stat(paths[i], &s) != 0)
            st = gp_error_set(err, GP_E_USAGE, paths[i], 0, "%s", _("no such file or folder"));
        else if (S_ISDIR(s.st_mode))
            st = add_folder(&b, paths[i], all_pictures, err);
        else {
            /* A file named on its own is its own folder's. */
            char *dir = strdup(paths[i]);
            if (dir == NULL) {
                st = gp_error_nomem(err);
                break;
            }
            char *slash = strrchr(dir, '/');
            if (slash != NULL)
                slash[slash == dir ? 1 : 0] = '\0';
            st = add(&b, slash != NULL ? dir : ".", paths[i], err);
            free(dir);
        }
    }
    if (st != GP_OK) {
        gp_listing_free(out);
        return st;
    }
    if (out->count > 1)
        qsort(out->files, out->count, sizeof *out->files, compare_files);
    return GP_OK;
}

void gp_listing_free(gp_listing *listing)
{
    for (size_t i = 0; i < listing->count; i++) {
        free(listing->files[i].path);
        free(listing->files[i].outside);
    }
    free(listing->files);
    memset(listing, 0, sizeof *listing);
}
