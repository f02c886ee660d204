#include "clip-private.h"

#include <stdbool.h>
#include <string.h>

const char *gp_clip_text(gp_clip *clip, const char *s)
{
    size_t n = strlen(s);
    bool cut = n > GP_CLIP_BYTES;
    if (cut) {
        n = GP_CLIP_BYTES;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    for (size_t i = 0; i < n; i++)
        clip->text[i] = s[i] == '\n' || s[i] == '\r' || s[i] == '\t' ? ' ' : s[i];
    if (cut) {
        memcpy(clip->text + n, "\xE2\x80\xA6", 3); /* … */
        n += 3;
    }
    clip->text[n] = '\0';
    return clip->text;
}
