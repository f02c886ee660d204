/* Photos nobody asked for: a photo named after an ID number that no roster
 * record has is usually a student missing from the roster or a mistyped
 * name. The ID numbers are of people the roster does not know, so the
 * report gives only their count; the list goes into a report file the
 * contractor asks for (gradprint photos check --report). */
#include <ctype.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/array-private.h"
#include "base/error-private.h"
#include "base/i18n-private.h"
#include "base/report-private.h"
#include "photo-orphans-private.h"
#include "roster/roster-private.h"

static int compare_strings(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static bool jpeg_stem(const char *name, char *stem, size_t cap)
{
    const char *dot = strrchr(name, '.');
    if (dot == NULL || dot == name || (strcasecmp(dot, ".jpg") != 0 && strcasecmp(dot, ".jpeg") != 0))
        return false;
    size_t len = (size_t)(dot - name);
    if (len >= cap)
        return false;
    for (size_t k = 0; k < len; k++)
        stem[k] = (char)toupper((unsigned char)name[k]);
    stem[len] = '\0';
    return true;
}

void gp_name_list_free(gp_name_list *list)
{
    for (size_t i = 0; i < list->count; i++)
        free(list->names[i]);
    free(list->names);
    list->names = NULL;
    list->count = 0;
}

static bool list_add(gp_name_list *list, size_t *cap, const char *name)
{
    if (!GP_ARRAY_ROOM(list->names, list->count, *cap))
        return false;
    if ((list->names[list->count] = strdup(name)) == NULL)
        return false;
    list->count++;
    return true;
}

gp_status gp_photo_orphans(const gp_roster *roster, const char *photos_dir, gp_name_list *out, gp_error **err)
{
    memset(out, 0, sizeof *out);
    size_t n = gp_roster_size(roster), nids = 0, cap = 0;
    const char **ids = malloc((n ? n : 1) * sizeof *ids);
    if (ids == NULL)
        return gp_error_nomem(err);
    for (size_t i = 0; i < n; i++) {
        const char *id = gp_record_key(gp_roster_record(roster, i), GP_KEY_ID_NUMBER);
        if (id != NULL)
            ids[nids++] = id;
    }
    qsort(ids, nids, sizeof *ids, compare_strings);
    DIR *dir = opendir(photos_dir);
    if (dir == NULL) {
        free(ids);
        return gp_error_set(err, GP_E_IO, photos_dir, 0, "%s", _("cannot list the photo directory"));
    }
    gp_status st = GP_OK;
    struct dirent *e;
    char stem[256];
    while (st == GP_OK && (e = readdir(dir)) != NULL) {
        if (!jpeg_stem(e->d_name, stem, sizeof stem))
            continue;
        const char *key = stem;
        if (bsearch(&key, ids, nids, sizeof *ids, compare_strings) == NULL && !list_add(out, &cap, e->d_name))
            st = gp_error_nomem(err);
    }
    closedir(dir);
    free(ids);
    if (st != GP_OK) {
        gp_name_list_free(out);
        return st;
    }
    if (out->count > 1)
        qsort(out->names, out->count, sizeof *out->names, compare_strings);
    return GP_OK;
}

gp_status gp_photo_report_orphans(const gp_roster *roster, const char *photos_dir, gp_report *report,
                                  gp_error **err)
{
    gp_name_list orphans;
    gp_status st = gp_photo_orphans(roster, photos_dir, &orphans, err);
    if (st != GP_OK)
        return st;
    if (orphans.count > 0)
        gp_report_add(report, GP_WARNING, "photo-orphan", photos_dir, 0, NULL,
                      _("photos named after an ID number that no student in the roster has: %zu; 'gradprint "
                        "photos check %s --roster %s --report DIR' lists them in DIR/orphans.csv"),
                      orphans.count, photos_dir, gp_roster_path(roster));
    gp_name_list_free(&orphans);
    return GP_OK;
}
