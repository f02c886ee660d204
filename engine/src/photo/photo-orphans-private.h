/* Which photos in a folder no roster record asks for. */
#ifndef GP_PHOTO_ORPHANS_PRIVATE_H
#define GP_PHOTO_ORPHANS_PRIVATE_H

#include <stddef.h>

#include "photo-private.h"

typedef struct gp_name_list {
    char **names;
    size_t count;
} gp_name_list;

void gp_name_list_free(gp_name_list *list);

/* The .jpg/.jpeg file names in photos_dir (sorted) whose stem, uppercased,
 * is no record's ID number. */
gp_status gp_photo_orphans(const gp_roster *roster, const char *photos_dir, gp_name_list *out, gp_error **err);

#endif
