/* Finding a student's photo by ID number. Contractors deliver <id>.jpg, but
 * also .jpeg, .JPG and mixed case, and sometimes a lowercase x as the ID's
 * check character, so every spelling is tried with stat: a missing photo
 * costs a few dozen stat calls, a present one usually one. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "photo-private.h"

#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/fileio-private.h"

static bool is_regular_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Tries every upper/lower case spelling of ext (without the dot) after stem,
 * common spellings first. */
static char *try_extension(const char *stem, size_t stem_len, const char *ext, bool *nomem)
{
    size_t ext_len = strlen(ext);
    unsigned combos = 1u << ext_len;
    /* 0 = all lower, all ones = all upper, then the rest (e.g. "Jpg"). */
    unsigned order[1u << 4];
    unsigned n = 0;
    order[n++] = 0;
    order[n++] = combos - 1;
    for (unsigned m = 1; m + 1 < combos; m++)
        order[n++] = m;

    char *path = malloc(stem_len + 1 + ext_len + 1);
    if (path == NULL) {
        *nomem = true;
        return NULL;
    }
    memcpy(path, stem, stem_len);
    path[stem_len] = '.';
    path[stem_len + 1 + ext_len] = '\0';
    for (unsigned k = 0; k < n; k++) {
        for (size_t i = 0; i < ext_len; i++) {
            bool upper = (order[k] >> (ext_len - 1 - i)) & 1u;
            char c = ext[i];
            path[stem_len + 1 + i] = upper ? (char)(c - 'a' + 'A') : c;
        }
        if (is_regular_file(path))
            return path;
    }
    free(path);
    return NULL;
}

static char *try_stem(const char *stem, bool *nomem)
{
    size_t len = strlen(stem);
    char *found = try_extension(stem, len, "jpg", nomem);
    if (found == NULL)
        found = try_extension(stem, len, "jpeg", nomem);
    return found;
}

char *gp_photo_find_checked(const char *dir, const char *id_number, bool *nomem)
{
    *nomem = false;
    if (dir == NULL || id_number == NULL || id_number[0] == '\0' || strchr(id_number, '/') != NULL)
        return NULL;
    char *stem = gp_path_join(dir, id_number);
    if (stem == NULL) {
        *nomem = true;
        return NULL;
    }
    char *found = try_stem(stem, nomem);
    /* Rosters are normalised to an uppercase X check character; file names
     * typed by hand often have the lowercase one. */
    size_t len = strlen(stem);
    if (found == NULL && stem[len - 1] == 'X') {
        stem[len - 1] = 'x';
        found = try_stem(stem, nomem);
    }
    free(stem);
    if (found != NULL)
        *nomem = false;
    return found;
}

char *gp_photo_find(const char *dir, const char *id_number)
{
    bool nomem;
    return gp_photo_find_checked(dir, id_number, &nomem);
}

char *gp_photo_find_other_format(const char *dir, const char *id_number)
{
    static const char *const others[] = {"png", "heic", "heif", "webp", "bmp", "tif", "tiff", "gif", "avif"};
    if (dir == NULL || id_number == NULL || id_number[0] == '\0' || strchr(id_number, '/') != NULL)
        return NULL;
    char *stem = gp_path_join(dir, id_number);
    if (stem == NULL)
        return NULL;
    char *found = NULL;
    bool nomem = false;
    for (size_t i = 0; found == NULL && i < sizeof others / sizeof *others; i++)
        found = try_extension(stem, strlen(stem), others[i], &nomem);
    free(stem);
    return found;
}

bool gp_photo_leaves_dir(const char *dir, const char *path, char **target)
{
    if (target != NULL)
        *target = NULL;
    char *real_dir = realpath(dir, NULL);
    char *real_path = real_dir != NULL ? realpath(path, NULL) : NULL;
    bool outside = false;
    if (real_path != NULL) {
        size_t n = strlen(real_dir);
        /* "/" as the folder holds everything. */
        outside = !(n == 1 || (strncmp(real_path, real_dir, n) == 0 && real_path[n] == '/'));
    }
    if (outside && target != NULL) {
        *target = real_path;
        real_path = NULL;
    }
    free(real_dir);
    free(real_path);
    return outside;
}
