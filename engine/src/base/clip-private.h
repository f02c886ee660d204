/* Quoting user text inside error messages without letting a megabyte-long
 * attribute or pattern swamp the message. */
#ifndef GP_CLIP_PRIVATE_H
#define GP_CLIP_PRIVATE_H

#define GP_CLIP_BYTES 60

typedef struct gp_clip {
    char text[GP_CLIP_BYTES + 4]; /* room for "…" and the NUL */
} gp_clip;

/* At most GP_CLIP_BYTES bytes of s, cut at a UTF-8 character boundary, with
 * "…" when something was cut; line breaks become spaces. Returns clip->text. */
const char *gp_clip_text(gp_clip *clip, const char *s);

#endif
