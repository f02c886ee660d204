/* gradprint photos: check, prepare and back up the 学信网 photos. */
#ifndef GP_CMD_PHOTOS_H
#define GP_CMD_PHOTOS_H

int cmd_photos(int argc, char **argv);

#endif
