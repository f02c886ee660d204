#include "utf8-private.h"

long gp_utf8_next(const char **p)
{
    const unsigned char *s = (const unsigned char *)*p;
    unsigned char c = s[0];
    long cp;
    int extra;
    if (c == 0)
        return -1;
    if (c < 0x80) {
        *p += 1;
        return c;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        cp = c & 0x1F;
        extra = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
        cp = c & 0x0F;
        extra = 2;
    } else if (c >= 0xF0 && c <= 0xF4) {
        cp = c & 0x07;
        extra = 3;
    } else {
        return -1;
    }
    for (int i = 1; i <= extra; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return -1;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    static const long min_for_length[4] = {0, 0x80, 0x800, 0x10000};
    if (cp < min_for_length[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return -1;
    *p += extra + 1;
    return cp;
}

long gp_utf8_prev(const char *s, const char *end)
{
    const char *start = end;
    /* A character is at most four bytes: step back over continuation bytes. */
    while (start > s && end - start < 4) {
        start--;
        if (((unsigned char)*start & 0xC0) != 0x80)
            break;
    }
    if (start == end)
        return -1;
    const char *p = start;
    long cp = gp_utf8_next(&p);
    return p == end ? cp : -1;
}

bool gp_utf8_is_wide(long cp)
{
    /* Ranges of East Asian Width W and F (Unicode 15, UAX #11), merged
     * where only unassigned code points lie between. */
    static const long wide[][2] = {
        {0x1100, 0x115F},   /* Hangul Jamo leading consonants */
        {0x2E80, 0x303E},   /* CJK radicals, Kangxi, ideographic description, CJK punctuation */
        {0x3041, 0x33FF},   /* kana, bopomofo, Hangul compatibility, CJK strokes, enclosed, compatibility */
        {0x3400, 0x4DBF},   /* CJK Extension A */
        {0x4E00, 0x9FFF},   /* CJK Unified Ideographs */
        {0xA000, 0xA4CF},   /* Yi */
        {0xA960, 0xA97F},   /* Hangul Jamo Extended-A */
        {0xAC00, 0xD7A3},   /* Hangul syllables */
        {0xF900, 0xFAFF},   /* CJK compatibility ideographs */
        {0xFE10, 0xFE19},   /* vertical forms */
        {0xFE30, 0xFE6F},   /* CJK compatibility forms, small form variants */
        {0xFF00, 0xFF60},   /* fullwidth forms */
        {0xFFE0, 0xFFE6},   /* fullwidth signs */
        {0x16FE0, 0x18CFF}, /* Tangut, Khitan and their marks */
        {0x1B000, 0x1B2FF}, /* kana supplement and extensions, Nushu */
        {0x20000, 0x2FFFD}, /* CJK Extensions B-F, compatibility supplement */
        {0x30000, 0x3FFFD}, /* CJK Extensions G-H */
    };
    if (cp < wide[0][0])
        return false; /* Latin, digits and the rest of the alphabets: most of a paragraph */
    for (unsigned i = 0; i < sizeof wide / sizeof wide[0]; i++)
        if (cp >= wide[i][0] && cp <= wide[i][1])
            return true;
    return false;
}
